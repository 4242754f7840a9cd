"""Every string the bot says, in Swedish and English; ``{name}`` fields are str.format fields."""

from __future__ import annotations

from typing import Final

TEXTS: Final[dict[str, tuple[str, str]]] = {
    # -- start and channel ----------------------------------------------------------------------
    "no_collaboration": (
        "Här finns ingen samverkan ännu. Starta en med `starta <namn>`, till exempel "
        "`starta Fritid för alla`. Skriv `hjälp` för att se vad jag kan.",
        "There is no collaboration here yet. Start one with `start <name>`, for example "
        "`start Leisure for all`. Write `help` to see what I can do.",
    ),
    "started": (
        "Samverkan ”{name}” har startat, och du är samordnare. Vi börjar med förutsättningarna: "
        "{step}. Be alla parter skriva `gå med <organisation> <sektor>`, och skriv `nästa` "
        "för att se vad som kommer härnäst.",
        "The collaboration “{name}” has started, and you are its coordinator. We begin with the "
        "preconditions: {step}. Ask every partner to write `join <organisation> <sector>`, and "
        "write `next` to see what comes next.",
    ),
    "already_started": (
        "Den här kanalen har redan samverkan ”{name}”. Skriv `status` för att se var ni är.",
        "This channel already has the collaboration “{name}”. Write `status` to see where you are.",
    ),
    # -- refusals -------------------------------------------------------------------------------
    "not_coordinator": (
        "Det här kan bara en samordnare göra. Samordnare här: {names}. Fråga gärna någon av dem!",
        "Only a coordinator can do this. Coordinators here: {names}. Feel free to ask one of them!",
    ),
    "unknown_command": (
        "Jag förstod inte ”{given}”.",
        "I didn't understand “{given}”.",
    ),
    "did_you_mean": ("Menade du: {options}?", "Did you mean: {options}?"),
    "help_hint": (
        "Skriv `hjälp` för att se vad jag kan.",
        "Write `help` to see what I can do.",
    ),
    "unknown_step": (
        "Jag hittar inget steg som heter ”{given}”.",
        "I can't find a step called “{given}”.",
    ),
    "steps_hint": (
        "Skriv `status` för att se alla steg.",
        "Write `status` to see every step.",
    ),
    "step_locked": (
        "{step} hör till en senare fas. Gör först klart eller hoppa över: {open}.",
        "{step} belongs to a later phase. First finish or skip: {open}.",
    ),
    "no_focus": (
        "Inget steg är i fokus just nu. Välj ett med `gå till <steg>`.",
        "No step is in focus right now. Choose one with `goto <step>`.",
    ),
    "empty_text": (
        "Det blev visst tomt. Skriv din text efter kommandot, till exempel `svara Vi behöver fler "
        "lokaler`.",
        "That was empty. Write your text after the command, for example `answer We need more "
        "rooms`.",
    ),
    "text_too_long": (
        "Texten är för lång ({length} tecken, högst {limit}). Inget sparades. Dela gärna upp den "
        "i flera svar.",
        "The text is too long ({length} characters, at most {limit}). Nothing was saved. Please "
        "split it into several answers.",
    ),
    "unknown_question": (
        "Jag hittar ingen fråga ”{given}” i steget. Skriv `fråga` för att få nästa öppna fråga.",
        "I can't find a question “{given}” in this step. Write `ask` for the next open question.",
    ),
    "no_question_asked": (
        "Ingen fråga är ställd ännu. Skriv `fråga` så ställer jag nästa öppna fråga.",
        "No question has been asked yet. Write `ask` and I'll post the next open question.",
    ),
    "unknown_person": (
        "Jag känner inte igen ”{given}”. Nämn personen med @, eller be hen skriva något här först.",
        "I don't recognise “{given}”. Mention the person with @, or ask them to write here first.",
    ),
    "unknown_decision": (
        "Det finns inget beslut nummer {number}. Skriv `status` för att se besluten.",
        "There is no decision number {number}. Write `status` to see the decisions.",
    ),
    "internal_error": (
        "Något gick fel hos mig, och inget sparades. Försök gärna igen om en stund.",
        "Something went wrong on my side, and nothing was saved. Please try again in a moment.",
    ),
    # -- usage ----------------------------------------------------------------------------------
    "usage_start": ("Skriv `starta <namn på samverkan>`.", "Write `start <collaboration name>`."),
    "usage_goto": (
        "Skriv `gå till <steg>`, till exempel `gå till målgrupp`.",
        "Write `goto <step>`, for example `goto target group`.",
    ),
    "usage_decision": (
        "Skriv `beslut <text>`, gärna med `följ upp ÅÅÅÅ-MM-DD` sist.",
        "Write `decision <text>`, optionally ending with `review YYYY-MM-DD`.",
    ),
    "usage_date": (
        "”{unknown}” är inget giltigt datum. Skriv det som ÅÅÅÅ-MM-DD, till exempel 2027-03-01.",
        "“{unknown}” is not a valid date. Write it as YYYY-MM-DD, for example 2027-03-01.",
    ),
    "usage_confirm": ("Skriv `bekräfta <nummer>`.", "Write `confirm <number>`."),
    "usage_role": (
        "Skriv `roll @person <roll>`, till exempel `roll @Omar kontaktperson`.",
        "Write `role @person <role>`, for example `role @Omar contact person`.",
    ),
    "usage_join": (
        "Skriv `gå med <organisation> <sektor>`. Sektor är offentlig, civilsamhälle, målgrupp "
        "eller annan. Till exempel `gå med Fritidsbanken civilsamhälle`.",
        "Write `join <organisation> <sector>`. The sector is public, civil society, target group "
        "or other. For example `join Fritidsbanken civil society`.",
    ),
    "usage_language": (
        "Skriv `språk sv` eller `språk en`.",
        "Write `language sv` or `language en`.",
    ),
    "usage_checkin": (
        "Skriv till exempel `avstämning varje tisdag 09:00` eller `avstämning varannan måndag "
        "10:00`.",
        "Write for example `checkin every tuesday 09:00` or `checkin every 2 weeks mon 10:00`.",
    ),
    "usage_export": (
        "Skriv `exportera` för PDF och Markdown, eller bara `exportera pdf` eller `exportera md`.",
        "Write `export` for PDF and Markdown, or just `export pdf` or `export md`.",
    ),
    "usage_case_number": (
        "Skriv `diarienummer <nummer>`, till exempel `diarienummer KS 2026/123` (högst 60 "
        "tecken). Bara `diarienummer` tar bort det.",
        "Write `case number <number>`, for example `case number KS 2026/123` (at most 60 "
        "characters). Just `case number` removes it.",
    ),
    "usage_evaluation": (
        "Skriv `utvärdering ÅÅÅÅ-MM-DD`, till exempel `utvärdering 2027-06-01`.",
        "Write `evaluation YYYY-MM-DD`, for example `evaluation 2027-06-01`.",
    ),
    "usage_reminders": (
        "Skriv `påminnelser`, `påminnelser av` eller `påminnelser på`. Påminnelser till parter "
        "som inte har svarat: `påminnelser svar av`, `påminnelser svar på` eller `påminnelser "
        "svar efter 3 dagar`. En tyst juli: `påminnelser juli av`.",
        "Write `reminders`, `reminders off` or `reminders on`. Reminders to partners who have "
        "not answered: `reminders answers off`, `reminders answers on` or `reminders answers "
        "after 3 days`. A quiet July: `reminders july off`.",
    ),
    "usage_nonresponder_days": (
        "”{unknown}” går inte: välj mellan 1 och 10 arbetsdagar, till exempel `påminnelser svar "
        "efter 3 dagar`.",
        "“{unknown}” won't do: choose between 1 and 10 working days, for example `reminders "
        "answers after 3 days`.",
    ),
    "usage_pause": (
        "Skriv `paus till ÅÅÅÅ-MM-DD`, till exempel `paus till 2027-01-10`.",
        "Write `pause until YYYY-MM-DD`, for example `pause until 2027-01-10`.",
    ),
    # -- reminders ------------------------------------------------------------------------------
    "checkin_set": (
        "Avstämning bokad. Nästa avstämning: {when}.",
        "Check-in scheduled. Next check-in: {when}.",
    ),
    "evaluation_set": (
        "Utvärderingen är satt till {date}. Jag påminner 14 och 2 arbetsdagar innan och på dagen.",
        "The evaluation is set for {date}. I will remind you 14 and 2 working days before and on "
        "the day.",
    ),
    "reminders_off": (
        "Påminnelserna är avstängda. Skriv `påminnelser på` för att slå på dem igen.",
        "Reminders are off. Write `reminders on` to turn them on again.",
    ),
    "reminders_on": ("Påminnelserna är på igen.", "Reminders are on again."),
    "reminders_are_off": ("Påminnelserna är avstängda.", "Reminders are off."),
    "reminders_nothing": (
        "Inget är inplanerat. Skriv `avstämning varje tisdag 09:00` eller `utvärdering "
        "ÅÅÅÅ-MM-DD`.",
        "Nothing is scheduled. Write `checkin every tuesday 09:00` or `evaluation YYYY-MM-DD`.",
    ),
    "reminders_next_checkin": ("Nästa avstämning: {when}.", "Next check-in: {when}."),
    "reminders_review": (
        "Påminnelse om uppföljning av beslut {number} ({date}): {days}.",
        "Reminder to review decision {number} ({date}): {days}.",
    ),
    "reminders_evaluation": (
        "Påminnelse om utvärderingen ({date}): {days}.",
        "Reminder of the evaluation ({date}): {days}.",
    ),
    "nonresponders_on": (
        "Parter som inte har svarat på den senaste frågan eller avstämningen påminns efter "
        "{days} arbetsdagar; efter {twice} får samordnarna en kort notis.",
        "Partners who have not answered the latest question or check-in are reminded after "
        "{days} working days; after {twice} the coordinators get a short note.",
    ),
    "nonresponders_off": (
        "Påminnelser till parter som inte har svarat är avstängda.",
        "Reminders to partners who have not answered are off.",
    ),
    "nonresponders_next": (
        "Nästa påminnelse om den senaste frågan: {when} (organisationer som inte svarat ännu: "
        "{count}).",
        "Next reminder of the latest question: {when} (organisations yet to answer: {count}).",
    ),
    "reminders_change": (
        "Ändra avstämningen med `avstämning varje tisdag 09:00` och antalet dagar med "
        "`påminnelser svar efter 3 dagar`.",
        "Change the check-in with `checkin every tuesday 09:00` and the number of days with "
        "`reminders answers after 3 days`.",
    ),
    "quiet_july_on": (
        "Juli blir tyst: inga avstämningar eller påminnelser då, och juli räknas inte som "
        "arbetsdagar. Skriv `påminnelser juli på` för att ändra.",
        "July will be quiet: no check-ins or reminders then, and July counts no working days. "
        "Write `reminders july on` to change it.",
    ),
    "quiet_july_off": (
        "Juli är som andra månader igen: avstämningar och påminnelser går ut som vanligt.",
        "July is like any other month again: check-ins and reminders go out as usual.",
    ),
    "quiet_july_note": (
        "Juli är tyst för den här samverkan (`påminnelser juli på` ändrar det).",
        "July is quiet for this collaboration (`reminders july on` changes that).",
    ),
    "action_weekly_checkin": (
        "Avstämning tisdagar 09:00",
        "Check-in Tuesdays 09:00",
    ),
    "action_reminders_off": ("Stoppa alla påminnelser", "Stop all reminders"),
    "action_reminders_on": ("Slå på påminnelserna", "Turn reminders on"),
    "action_nonresponders_off": ("Stoppa svarspåminnelser", "Stop answer reminders"),
    "action_nonresponders_on": ("Slå på svarspåminnelser", "Turn answer reminders on"),
    "member_paused": (
        "{name} pausar till och med {date}. Välkommen tillbaka sedan!",
        "{name} is paused until {date} inclusive. Welcome back afterwards!",
    ),
    "nudge_checkin": (
        "Dags för avstämning i ”{name}”! Hur går det? Skriv `status` för att se var ni är.",
        "Time for the check-in in “{name}”! How is it going? Write `status` to see where you are.",
    ),
    "nudge_answer_hint": (
        "Svara med `svara <id> <text>`, till exempel `svara {example} …`.",
        "Answer with `answer <id> <text>`, for example `answer {example} …`.",
    ),
    "nudge_action_answer": ("Svara på fråga {number}", "Answer question {number}"),
    "nudge_action_reminders": ("Påminnelser", "Reminders"),
    "nudge_review": (
        "Påminnelse: beslut som ska följas upp: {decisions}.",
        "Reminder: decisions due for review: {decisions}.",
    ),
    "nudge_missed": (
        "samlar {count} påminnelser som inte kom fram i tid",
        "covers {count} reminders that were not delivered in time",
    ),
    "nudge_nonresponder_card": (
        "Vi har inte hört från {organisation} om frågan från {since} ännu – svara gärna i "
        "frågans tråd eller här.",
        "We haven't heard from {organisation} on the question from {since} yet – please reply "
        "in the question's thread or here.",
    ),
    "nudge_nonresponder_checkin": (
        "Vi har inte hört från {organisation} sedan avstämningen {since} ännu – berätta gärna "
        "här hur det går.",
        "We haven't heard from {organisation} since the check-in on {since} yet – please tell "
        "us here how it is going.",
    ),
    "nudge_coordinator_note_card": (
        "Till samordnarna: {organisations} har ännu inte svarat på frågan från {since}, trots en "
        "påminnelse. Kanske hjälper ett eget meddelande eller ett samtal.",
        "For the coordinators: {organisations} have not yet answered the question from {since}, "
        "despite a reminder. A personal message or a call may help.",
    ),
    "nudge_coordinator_note_checkin": (
        "Till samordnarna: {organisations} har inte hört av sig sedan avstämningen {since}, "
        "trots en påminnelse. Kanske hjälper ett eget meddelande eller ett samtal.",
        "For the coordinators: {organisations} have not been in touch since the check-in on "
        "{since}, despite a reminder. A personal message or a call may help.",
    ),
    "nudge_evaluation": (
        "Påminnelse: utvärderingen är {evaluation_on}.",
        "Reminder: the evaluation is on {evaluation_on}.",
    ),
    # -- members --------------------------------------------------------------------------------
    "joined": (
        "Välkommen, {name}! Du företräder {organisation} ({sector}). Skriv `nästa` för att se "
        "vad vi arbetar med.",
        "Welcome, {name}! You represent {organisation} ({sector}). Write `next` to see what we "
        "are working on.",
    ),
    "role_set": (
        "{name} är nu {title}.",
        "{name} is now {title}.",
    ),
    "coordinator_set": (
        "{name} är nu samordnare och kan styra processen.",
        "{name} is now a coordinator and can steer the process.",
    ),
    "language_set": ("Jag svarar nu på svenska.", "I'll answer in English from now on."),
    # -- steps ----------------------------------------------------------------------------------
    "focused": (
        "Fokus: {step} – {key}",
        "Focus: {step} – {key}",
    ),
    "focus_hint": (
        "Skriv `fråga` för att ta frågorna en i taget, eller `tips` för stöd.",
        "Write `ask` to take the questions one at a time, or `tips` for support.",
    ),
    "completed": ("{step} är klart. Bra jobbat!", "{step} is done. Well done!"),
    "skipped": ("{step} hoppas över.", "{step} is skipped."),
    "moved_on": (
        "Nu i fokus: {step} – {key}. Skriv `nästa` för att se frågorna.",
        "Now in focus: {step} – {key}. Write `next` to see its questions.",
    ),
    "all_finished": (
        "Alla steg är klara. Samverkan är ett kretslopp: utvärdera, besluta om ni ska fortsätta, "
        "och skriv `börja om` för en ny omgång.",
        "Every step is finished. Collaboration is a cycle: evaluate, decide whether to go on, and "
        "write `restart` for a new round.",
    ),
    "restarted": (
        "Omgång {cycle} har börjat. Allt från tidigare omgångar finns kvar i `exportera`.",
        "Round {cycle} has begun. Everything from earlier rounds is kept in `export`.",
    ),
    # -- answers --------------------------------------------------------------------------------
    "answer_saved": (
        "Tack, {name}! Svaret på fråga {position} i {step} är sparat.",
        "Thank you, {name}! Your answer to question {position} of {step} is saved.",
    ),
    "answer_revised": (
        "Svaret är uppdaterat; den tidigare versionen finns kvar i historiken.",
        "The answer is updated; the earlier version is kept in its history.",
    ),
    "answer_hint": (
        "Svara i tråden till frågan, eller skriv `svara <text>`.",
        "Reply in the question's thread, or write `answer <text>`.",
    ),
    "all_answered": (
        "Alla frågor i {step} har svar. Skriv `sammanfatta` för att se dem, och när ni är nöjda "
        "kan en samordnare skriva `klar`.",
        "Every question of {step} has an answer. Write `summary` to see them, and when you are "
        "happy a coordinator can write `done`.",
    ),
    # -- decisions ------------------------------------------------------------------------------
    "decision_recorded": (
        "Beslut {number} är sparat.",
        "Decision {number} is saved.",
    ),
    "decision_review": (
        "Vi följer upp det {date}.",
        "We'll review it on {date}.",
    ),
    "decision_needs_confirmation": (
        "En samordnare ({names}) bekräftar med `bekräfta {number}`.",
        "A coordinator ({names}) confirms it with `confirm {number}`.",
    ),
    "decision_confirmed": (
        "Beslut {number} är bekräftat av {name}.",
        "Decision {number} is confirmed by {name}.",
    ),
    # -- guidance -------------------------------------------------------------------------------
    "now_heading": ("Nu: {phase} · {step}", "Now: {phase} · {step}"),
    "open_questions": ("Öppna frågor ({count} av {total})", "Open questions ({count} of {total})"),
    "phase_questions": (
        "Frågor för hela fasen",
        "Questions for the whole phase",
    ),
    "no_open_questions": (
        "Alla frågor har svar. Läs `sammanfatta` och bestäm om steget är klart.",
        "Every question has an answer. Read `summary` and decide whether the step is done.",
    ),
    "after_heading": ("Därefter", "After that"),
    "after_same_phase": (
        "{step} – {key} (nästa steg i samma fas; ordningen inom fasen är fri)",
        "{step} – {key} (the next step in this phase; the order within a phase is free)",
    ),
    "after_next_phase": (
        "{step} – {key} (fasen {phase} börjar när den här fasen är klar)",
        "{step} – {key} (the phase {phase} begins when this phase is done)",
    ),
    "after_cycle": (
        "Utvärdera och besluta om samverkan ska fortsätta; sedan kan en ny omgång börja.",
        "Evaluate and decide whether the collaboration goes on; then a new round can begin.",
    ),
    "after_preconditions": (
        "Förutsättningarna kan ni arbeta med både före och under processen.",
        "The preconditions can be worked on both before and during the process.",
    ),
    "tip_heading": ("Tänk på!", "Keep in mind!"),
    "principles_heading": ("Ta stöd i principerna", "Lean on the principles"),
    "you_can": ("Du kan", "You can"),
    "you_can_ask": ("`fråga` – ta nästa fråga", "`ask` – take the next question"),
    "you_can_done": ("`klar` – stäng steget", "`done` – close the step"),
    "you_can_goto": ("`gå till <steg>` – byt steg", "`goto <step>` – change step"),
    "finished_heading": ("Alla steg är klara", "Every step is finished"),
    # -- status ---------------------------------------------------------------------------------
    "status_heading": ("{name} · omgång {cycle}", "{name} · round {cycle}"),
    "step_line": (
        "{icon} {step} – {answered}/{total} frågor med svar",
        "{icon} {step} – {answered}/{total} questions answered",
    ),
    "members_heading": ("Parter", "Partners"),
    "member_line": ("{organisation} ({sector}): {names}", "{organisation} ({sector}): {names}"),
    "no_organisation": ("utan organisation", "no organisation"),
    "decisions_line": (
        "Beslut: {count} ({unconfirmed} väntar på bekräftelse)",
        "Decisions: {count} ({unconfirmed} awaiting confirmation)",
    ),
    "balance_missing": (
        "Ingen från {sector} har gått med ännu. Samverkan behöver båda sidor.",
        "Nobody from {sector} has joined yet. Collaboration needs both sides.",
    ),
    "few_voices": (
        "Alla svar hittills kommer från en person. Bjud in fler – samverkan ska inte hänga på "
        "en eldsjäl.",
        "Every answer so far comes from one person. Invite more voices – collaboration should "
        "not rest on one enthusiast.",
    ),
    "balance_heading": (
        "Vilka hörs? Omgång {cycle}, {count} svar",
        "Who is heard? Round {cycle}, {count} answers",
    ),
    "balance_nothing": (
        "Inga svar i den här omgången ännu. Skriv `fråga` för att börja.",
        "No answers in this round yet. Write `ask` to begin.",
    ),
    "balance_no_sector": (
        "{count} svar från personer som inte har sagt sin sektor "
        "(`gå med <organisation> <sektor>`)",
        "{count} answers from people who have not given their sector "
        "(`join <organisation> <sector>`)",
    ),
    "balance_organisations": ("Svar per organisation", "Answers by organisation"),
    "balance_steps": ("Svar per steg och sektor", "Answers by step and sector"),
    "balance_all": ("Alla steg", "All steps"),
    "balance_chart_title": (
        "Vilka hörs i ”{name}”, omgång {cycle}",
        "Who is heard in “{name}”, round {cycle}",
    ),
    "balance_chart_alt": (
        "Stapeldiagram: svar per sektor i ”{name}”, omgång {cycle}.",
        "Bar chart: answers by sector in “{name}”, round {cycle}.",
    ),
    "balance_file_word": ("balans", "balance"),
    "balance_notes_heading": ("Bara för samordnare", "For coordinators only"),
    "balance_dominated": (
        "I steget {step} kommer {share} % av svaren från {sector}.",
        "In the step {step}, {share} % of the answers come from {sector}.",
    ),
    "balance_target_unheard": (
        "Steget {step} frågar om målgruppen, men ingen från målgruppen har svarat där.",
        "The step {step} asks about the target group, but nobody from the target group has "
        "answered there.",
    ),
    "balance_principle": ("Principen {title}: ”{text}”", "The principle {title}: “{text}”"),
    # -- summaries ------------------------------------------------------------------------------
    "summary_heading": ("Sammanfattning: {step}", "Summary: {step}"),
    "no_answer_yet": ("(inget svar ännu)", "(no answer yet)"),
    "answer_line": ("{name}, {organisation}: {text}", "{name}, {organisation}: {text}"),
    "summary_hint": (
        "Skriv `exportera` för hela dokumentationen som fil.",
        "Write `export` for the whole record as a file.",
    ),
    # -- model content --------------------------------------------------------------------------
    "tips_heading": ("Tänk på! – {step}", "Keep in mind! – {step}"),
    "methods_heading": ("Kom vidare – {step}", "Going further – {step}"),
    "no_methods": ("Det här steget har inga metoder i modellen.", "This step has no methods."),
    "principles_all": ("De sex principerna", "The six principles"),
    "source": ("Källa: {source}", "Source: {source}"),
    # -- questions ------------------------------------------------------------------------------
    "card_hint": (
        "Svara i tråden till den här frågan.",
        "Reply in the thread of this question.",
    ),
    "card_answer": ("Svara", "Answer"),
    "card_skip": ("Nästa fråga", "Next question"),
    "card_tips": ("Tips", "Tips"),
    "action_next": ("Vad händer nu?", "What's next?"),
    "action_ask": ("Ställ en fråga", "Ask a question"),
    "action_done": ("Steget är klart", "Step is done"),
    "action_confirm": ("Bekräfta", "Confirm"),
    # -- export ---------------------------------------------------------------------------------
    "export_caption": (
        "Dokumentationen av ”{name}”.",
        "The record of “{name}”.",
    ),
    "export_decisions": ("Beslut", "Decisions"),
    "export_roles": ("Roller", "Roles"),
    "export_members": ("Parter", "Partners"),
    "export_history": ("Tidigare versioner", "Earlier versions"),
    "export_review": ("följs upp {date}", "review on {date}"),
    "export_unconfirmed": ("ej bekräftat", "not confirmed"),
    # -- the record as a document, and the model's map --------------------------------------------
    "record_file_word": ("dokumentation", "record"),
    "record_subtitle": (
        "Dokumentation av en samverkan enligt MUCF:s Samverkansmodell",
        "The record of a collaboration following MUCF's Samverkansmodell",
    ),
    "record_case_number": ("Diarienummer", "Case number"),
    "record_exported": ("Exporterad", "Exported"),
    "record_when": ("{date} kl. {time} ({zone})", "{date} at {time} ({zone})"),
    "record_period": ("Period", "Period"),
    "record_rounds": ("Omgång", "Round"),
    "record_rounds_many": (
        "{cycle} (omgång 1–{cycle} ingår)",
        "{cycle} (rounds 1–{cycle} included)",
    ),
    "record_coordinators": ("Samordnare", "Coordinators"),
    "record_evaluation": ("Utvärdering", "Evaluation"),
    "record_checkins": ("Avstämningar", "Check-ins"),
    "record_not_set": ("inte bestämt", "not set"),
    "record_map_heading": ("Modellen och var ni står", "The model and where you stand"),
    "record_answers_heading": ("Frågor och svar", "Questions and answers"),
    "record_phase_questions": ("Frågor för hela fasen", "Questions for the whole phase"),
    "record_step_state": (
        "Läge: {state}. {answered} av {questions} frågor besvarade.",
        "State: {state}. {answered} of {questions} questions answered.",
    ),
    "record_no_answers": ("Inget svar ännu.", "No answer yet."),
    "record_byline": ("{name}, {organisation} · {date}", "{name}, {organisation} · {date}"),
    "record_round": ("omgång {cycle}", "round {cycle}"),
    "record_decision": ("Beslut {number}", "Decision {number}"),
    "record_no_decisions": ("Inga beslut ännu.", "No decisions yet."),
    "record_proposed": ("Föreslaget av {name} {date}", "Proposed by {name} on {date}"),
    "record_confirmed": ("bekräftat av {name} {date}", "confirmed by {name} on {date}"),
    "record_review_ahead": ("följs upp {date}", "to be reviewed on {date}"),
    "record_review_passed": (
        "skulle följas upp {date}; datumet har passerat",
        "was to be reviewed on {date}; the date has passed",
    ),
    "record_no_roles": ("Inga roller ännu.", "No roles yet."),
    "record_role": (
        "{name} ({organisation}): {role}, sedan {date}",
        "{name} ({organisation}): {role}, since {date}",
    ),
    "record_schedule_heading": ("Avstämningar och påminnelser", "Check-ins and reminders"),
    "record_checkin_next": (
        "Återkommande avstämning; nästa: {when}.",
        "A recurring check-in; the next: {when}.",
    ),
    "record_no_checkin": (
        "Ingen återkommande avstämning är bokad.",
        "No recurring check-in is scheduled.",
    ),
    "record_evaluation_on": (
        "Utvärdering {date}. Påminnelser går ut 14 och 2 arbetsdagar före och på dagen.",
        "Evaluation on {date}. Reminders go out 14 and 2 working days ahead and on the day.",
    ),
    "record_no_evaluation": ("Inget datum för utvärdering är satt.", "No evaluation date is set."),
    "record_reminders_off": ("Påminnelserna är avstängda.", "Reminders are turned off."),
    "record_sent_heading": ("Utskickat", "Sent"),
    "record_none_sent": (
        "Inga avstämningar eller påminnelser har gått ut de senaste 30 dagarna.",
        "No check-ins or reminders have gone out in the last 30 days.",
    ),
    "record_sent_kept": (
        "Det som gått ut de senaste 30 dagarna (äldre utskick sparas inte).",
        "What went out in the last 30 days (older ones are not kept).",
    ),
    "record_page": ("Sida {page} av {pages}", "Page {page} of {pages}"),
    "record_credit": (
        "Modellen: Samverkansmodell – för offentliga aktörer och civilsamhället, MUCF, "
        "https://www.mucf.se/",
        "The model: Samverkansmodell – för offentliga aktörer och civilsamhället, MUCF, "
        "https://www.mucf.se/",
    ),
    "record_author": ("Samverkansboten", "Samverkansboten"),
    "case_number_set": (
        "Diarienumret är nu {number}. Det står på första sidan i `exportera`.",
        "The case number is now {number}. It is on the first page of `export`.",
    ),
    "case_number_cleared": ("Diarienumret är borttaget.", "The case number is removed."),
    "home_map": ("Kartan, omgång {cycle}", "The map, round {cycle}"),
    "map_round": ("Omgång {cycle}", "Round {cycle}"),
    "map_answered": ("{answered} av {questions} besvarade", "{answered} of {questions} answered"),
    "map_credit": (
        "Samverkansmodell – för offentliga aktörer och civilsamhället, MUCF, mucf.se",
        "Samverkansmodell – för offentliga aktörer och civilsamhället, MUCF, mucf.se",
    ),
    "map_alt_heading": (
        "Karta över ”{name}” enligt MUCF:s Samverkansmodell, {round}.",
        "Map of “{name}” following MUCF's Samverkansmodell, {round}.",
    ),
    "map_alt_step": (
        "{step}: {state}, {answered} av {questions} frågor besvarade",
        "{step}: {state}, {answered} of {questions} questions answered",
    ),
    "map_caption": ("Kartan över ”{name}”.", "The map of “{name}”."),
    "map_file_word": ("karta", "map"),
    "file_too_large": (
        "Filen {name} ({size} MB) är större än vad plattformen tar emot. Skriv `exportera md` "
        "för en mindre fil, eller exportera i terminalen.",
        "The file {name} ({size} MB) is larger than the platform takes. Write `export md` for "
        "a smaller file, or export in the terminal.",
    ),
    # -- home (the person's own overview) and platform hints -------------------------------------
    "home_title": ("Samverkan du är med i", "Collaborations you take part in"),
    "home_empty": (
        "Du är inte med i någon samverkan ännu. Skriv `/samverkan starta <namn>` i en kanal för "
        "att starta en, eller be en samordnare bjuda in dig till sin kanal och skriv "
        "`/samverkan gå med <organisation> <sektor>` där.",
        "You are not part of any collaboration yet. Write `/samverkan start <name>` in a "
        "channel to start one, or ask a coordinator to invite you to their channel and write "
        "`/samverkan join <organisation> <sector>` there.",
    ),
    "home_where": ("Fas: {phase} · Steg i fokus: {step}", "Phase: {phase} · Focus step: {step}"),
    "home_finished": ("Alla steg är klara.", "Every step is finished."),
    "home_you": ("Du: {role}", "You: {role}"),
    "home_coordinator": ("samordnare", "coordinator"),
    "home_partner": ("samverkanspart", "partner"),
    "home_open_questions": (
        "Frågor i steget som {who} inte har svarat på ({count})",
        "Questions of the step {who} has not answered ({count})",
    ),
    "home_you_short": ("du", "you"),
    "home_unconfirmed": (
        "Beslut som väntar på bekräftelse ({count})",
        "Decisions awaiting confirmation ({count})",
    ),
    "home_confirm_hint": (
        "Bekräfta i kanalen med `bekräfta <nr>`.",
        "Confirm in the channel with `confirm <no>`.",
    ),
    "home_nothing_open": (
        "Inget väntar på dig just nu. Skriv `nästa` i kanalen för att se vad som kommer.",
        "Nothing is waiting for you right now. Write `next` in the channel to see what comes.",
    ),
    "home_more": (
        "… och {count} till. Skriv `status` i respektive kanal.",
        "… and {count} more. Write `status` in each channel.",
    ),
    "invite_hint": (
        "Jag är inte med i den här kanalen, så jag kan inte följa trådarna här. Bjud in mig "
        "med `/invite @Samverkansboten`.",
        "I am not a member of this channel, so I cannot follow its threads. Invite me with "
        "`/invite @Samverkansboten`.",
    ),
    "modal_title": ("Svara", "Answer"),
    "modal_label": ("Ditt svar", "Your answer"),
    "modal_submit": ("Skicka", "Send"),
    "modal_close": ("Avbryt", "Cancel"),
    # -- invitations ----------------------------------------------------------------------------
    "usage_invite": (
        "Skriv `bjud in <organisation>`, gärna med sektor, till exempel `bjud in Föreningen "
        "Gemenskap civilsamhälle`.",
        "Write `invite <organisation>`, optionally with its sector, for example `invite "
        "Community Association civil society`.",
    ),
    "invite_created": (
        "Inbjudan för {organisation} är klar. Den gäller för en person, till {until}.",
        "The invitation for {organisation} is ready. It is for one person, until {until}.",
    ),
    "invite_manual": (
        "Den nya representanten skriver `gå med {code}` till mig.",
        "The new representative writes `join {code}` to me.",
    ),
    "invite_link_hint": (
        "Skicka länken till den nya representanten. Den öppnar ett privat samtal med mig, där "
        "hen går med och får en kort sammanfattning av läget.",
        "Send the link to the new representative. It opens a private chat with me, where they "
        "join and get a short digest of where things stand.",
    ),
    "invitation_unknown": (
        "Den inbjudan känner jag inte igen. Kontrollera att du fick med hela länken eller koden, "
        "eller be samordnaren om en ny inbjudan.",
        "I don't recognise that invitation. Check that you have the whole link or code, or ask "
        "the coordinator for a new invitation.",
    ),
    "invitation_expired": (
        "Inbjudan har tyvärr gått ut. Be samordnaren om en ny – det går snabbt.",
        "Sorry, this invitation has expired. Ask the coordinator for a new one – it only takes a "
        "moment.",
    ),
    "invitation_used": (
        "Den här inbjudan har redan använts; varje inbjudan gäller en person. Be samordnaren om "
        "en egen.",
        "This invitation has already been used; each invitation is for one person. Ask the "
        "coordinator for one of your own.",
    ),
    "digest_welcome": (
        "Välkommen till ”{collaboration}”, {name}! Du är med som representant för {organisation}.",
        "Welcome to “{collaboration}”, {name}! You have joined as a representative of "
        "{organisation}.",
    ),
    "digest_where": ("Var ni är", "Where things stand"),
    "digest_decisions": ("Senaste besluten", "Latest decisions"),
    "digest_next_heading": ("Så här gör du nu", "What to do now"),
    "digest_next": (
        "Samtalet förs i er gemensamma grupp. Där ställer jag frågorna som frågekort: svara på "
        "ett kort (på meddelandet eller i dess tråd) så sparas ditt svar. Skriv `nästa` i gruppen "
        "för att se vad som är på gång.",
        "The conversation happens in your shared group. I post the questions there as question "
        "cards: reply to a card (to the message or in its thread) and your answer is saved. "
        "Write `next` in the group to see what is going on.",
    ),
    "private_welcome": (
        "Hej! Jag är Samverkansboten. Jag hjälper offentliga aktörer och civilsamhället att "
        "samverka enligt MUCF:s samverkansmodell, i er gemensamma grupp. För att gå med behöver "
        "du en inbjudan: be samordnaren skriva `bjud in <din organisation>` i gruppen och skicka "
        "länken till dig.",
        "Hello! I am Samverkansboten. I help public bodies and civil society collaborate "
        "following MUCF's collaboration model, in your shared group. To join you need an "
        "invitation: ask the coordinator to write `invite <your organisation>` in the group and "
        "send you the link.",
    ),
    # -- help -----------------------------------------------------------------------------------
    "help": (
        "Jag hjälper er att samverka enligt MUCF:s samverkansmodell.\n"
        "`nästa` – vad som kommer härnäst\n"
        "`status` – var ni är i modellen\n"
        "`fråga` / `svara <text>` – ta frågorna en i taget\n"
        "`sammanfatta [steg]` – alla svar i ett steg\n"
        "`gå med <organisation> <sektor>` – säg vem du företräder\n"
        "`beslut <text>` – spara ett beslut\n"
        "`tips`, `metod`, `princip` – stöd ur modellen\n"
        "`påminnelser` – vad som är inplanerat; `paus till ÅÅÅÅ-MM-DD` – ta en paus\n"
        "Samordnare: `gå till <steg>`, `klar`, `hoppa över`, `roll @person <roll>`, "
        "`bjud in <organisation>`, "
        "`bekräfta <nr>`, `exportera`, `avstämning varje tisdag 09:00`, "
        "`utvärdering ÅÅÅÅ-MM-DD`, `påminnelser av|på`, `påminnelser svar av|på`, "
        "`påminnelser juli av|på`",
        "I help you collaborate following MUCF's collaboration model.\n"
        "`next` – what comes next\n"
        "`status` – where you are in the model\n"
        "`ask` / `answer <text>` – take the questions one at a time\n"
        "`summary [step]` – every answer of a step\n"
        "`join <organisation> <sector>` – say whom you represent\n"
        "`decision <text>` – record a decision\n"
        "`tips`, `methods`, `principles` – support from the model\n"
        "`reminders` – what is scheduled; `pause until YYYY-MM-DD` – take a break\n"
        "Coordinators: `goto <step>`, `done`, `skip`, `role @person <role>`, "
        "`invite <organisation>`, "
        "`confirm <no>`, `export`, `checkin every tuesday 09:00`, "
        "`evaluation YYYY-MM-DD`, `reminders off|on`, `reminders answers off|on`, "
        "`reminders july off|on`",
    ),
}

STATUS_NAMES: Final[dict[str, tuple[str, str]]] = {
    "not_started": ("ej påbörjat", "not started"),
    "active": ("pågår", "in progress"),
    "done": ("klart", "done"),
    "skipped": ("överhoppat", "skipped"),
}

NUDGE_NAMES: Final[dict[str, tuple[str, str]]] = {
    "checkin": ("avstämning", "check-in"),
    "review": ("påminnelse om uppföljning av beslut", "reminder to review a decision"),
    "evaluation": ("påminnelse om utvärderingen", "reminder of the evaluation"),
    "nonresponder": ("påminnelse till en part som inte svarat", "reminder to a partner"),
    "coordinator_note": ("notis till samordnarna", "note to the coordinators"),
}

TILE_STATE_NAMES: Final[dict[str, tuple[str, str]]] = {
    "done": ("klart", "done"),
    "skipped": ("överhoppat", "skipped"),
    "focus": ("i fokus", "in focus"),
    "started": ("påbörjat", "started"),
    "untouched": ("ej påbörjat", "not started"),
}

SECTOR_NAMES: Final[dict[str, tuple[str, str]]] = {
    "public": ("offentlig", "public"),
    "civil_society": ("civilsamhälle", "civil society"),
    "target_group": ("målgrupp", "target group"),
    "other": ("annan", "other"),
}


def text(key: str, language: str, /, **fields: object) -> str:
    """The text ``key`` in ``language`` (sv or en) with ``fields`` filled in."""
    sv, en = TEXTS[key]
    return (en if language == "en" else sv).format(**fields)


def pick(names: dict[str, tuple[str, str]], key: str, language: str) -> str:
    sv, en = names[key]
    return en if language == "en" else sv
