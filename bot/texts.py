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
        "Texten är för lång ({length} tecken, högst {limit}). Inget sparades. Korta den, eller "
        "dela upp ett långt svar i flera.",
        "The text is too long ({length} characters, at most {limit}). Nothing was saved. Please "
        "shorten it, or split a long answer into several.",
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
        "Det finns inget gällande beslut nummer {number}. Skriv `besluten` för att se dem.",
        "There is no standing decision number {number}. Write `decisions` to see them.",
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
        "Skriv `beslut <text>`, gärna med `följ upp <datum>` sist, till exempel `följ upp 1 mars "
        "2027`.",
        "Write `decision <text>`, optionally ending with `review <date>`, for example `review "
        "March 1, 2027`.",
    ),
    "usage_date": (
        "”{unknown}” är inget datum jag kan läsa, så inget sparades. Skriv till exempel "
        "2027-03-01, 1/3 2027 eller 1 mars 2027.",
        "“{unknown}” is not a date I can read, so nothing was saved. Write for example "
        "2027-03-01, 1 March 2027 or March 1, 2027.",
    ),
    "past_date": (
        "{given} har redan varit (i dag är det {today}), så inget sparades. Välj ett datum "
        "framåt i tiden.",
        "{given} has already passed (today is {today}), so nothing was saved. Choose a date ahead.",
    ),
    "last_coordinator": (
        "{name} är den enda samordnaren. Gör först någon annan till samordnare med `roll @person "
        "samordnare`.",
        "{name} is the only coordinator. First make someone else a coordinator with `role "
        "@person coordinator`.",
    ),
    "not_joined_yet": (
        "Säg först vem du företräder med `gå med <organisation> <sektor>`, så vet alla vems "
        "beslut det är.",
        "First say whom you represent with `join <organisation> <sector>`, so everyone knows "
        "whose decision it is.",
    ),
    "confirm_hint": (
        "Inget är ändrat ännu. Tryck på knappen eller skriv `{command}` för att göra det.",
        "Nothing has changed yet. Press the button or write `{command}` to do it.",
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
        "Skriv `utvärdering <datum>`, till exempel `utvärdering 1 juni 2027`.",
        "Write `evaluation <date>`, for example `evaluation June 1, 2027`.",
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
    "usage_no_own_answer": (
        "Du har inget svar i den här omgången att ändra eller ta tillbaka.",
        "You have no answer in this round to change or withdraw.",
    ),
    "usage_amend": (
        "Skriv `ändra svar <ny text>`, eller `ändra svar 2: <ny text>` för fråga 2.",
        "Write `edit answer <new text>`, or `edit answer 2: <new text>` for question 2.",
    ),
    "usage_remove": (
        "Skriv `ta bort @person`.",
        "Write `remove @person`.",
    ),
    "usage_amend_decision": (
        "Skriv `ändra beslut <nr> <ny lydelse>`.",
        "Write `amend decision <no> <new wording>`.",
    ),
    "usage_withdraw_decision": (
        "Skriv `ta tillbaka beslut <nr> <skäl>`, till exempel `ta tillbaka beslut 2 lokalen "
        "finns inte längre`.",
        "Write `withdraw decision <no> <reason>`, for example `withdraw decision 2 the room is "
        "no longer available`.",
    ),
    "usage_pause": (
        "Skriv `paus till <datum>`, till exempel `paus till 10 januari 2027`.",
        "Write `pause until <date>`, for example `pause until January 10, 2027`.",
    ),
    "not_paused": ("Du har ingen paus just nu.", "You are not paused right now."),
    "pause_ended": (
        "Välkommen tillbaka, {name}! Din paus är slut.",
        "Welcome back, {name}! Your pause has ended.",
    ),
    "your_pause": (
        "Du pausar till och med {date}. Skriv `{command}` för att avsluta pausen.",
        "You are paused until {date} inclusive. Write `{command}` to end the pause.",
    ),
    # -- reminders ------------------------------------------------------------------------------
    "checkin_set": (
        "Avstämning bokad. Nästa avstämning: {when}.",
        "Check-in scheduled. Next check-in: {when}.",
    ),
    "checkin_moved": (
        "Den dagen är ingen arbetsdag, så avstämningen flyttas till nästa arbetsdag.",
        "That day is not a working day, so the check-in moves to the next working day.",
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
        "Svara med en knapp, eller skriv till exempel `svara {example}: …`.",
        "Answer with a button, or write for example `answer {example}: …`.",
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
    "nudge_missed_one": (
        "en påminnelse som inte kom fram i tid",
        "a reminder that was not delivered in time",
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
    # -- retention ------------------------------------------------------------------------------
    "nudge_retention": (
        "Till samordnarna: samverkan ”{name}” har inte använts sedan {since}. Den raderas med "
        "allt innehåll – svar, beslut, medlemmar och historik – den {date}. Vill ni behålla "
        "den räcker det att någon använder mig här före dess, till exempel skriver `status`. "
        "Vill ni spara dokumentationen först, skriv `exportera`.",
        "For the coordinators: the collaboration “{name}” has not been used since {since}. It "
        "will be deleted with everything in it – answers, decisions, members and history – on "
        "{date}. To keep it, anyone can simply use me here before then, for example by writing "
        "`status`. To save the record first, write `export`.",
    ),
    "nudge_action_keep": ("Behåll samverkan", "Keep the collaboration"),
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
    "partner_set": (
        "{name} är nu deltagare och inte längre samordnare.",
        "{name} is now a participant and no longer a coordinator.",
    ),
    "switch_question": (
        "Du företräder i dag {before}. Vill du byta till {organisation}?",
        "You represent {before} today. Do you want to switch to {organisation}?",
    ),
    "action_switch": ("Byt till {organisation}", "Switch to {organisation}"),
    "leave_question": (
        "Vill du lämna ”{name}”? Dina svar och beslut finns kvar i dokumentationen.",
        "Do you want to leave “{name}”? Your answers and decisions stay in the record.",
    ),
    "action_leave": ("Ja, lämna", "Yes, leave"),
    "left": (
        "{name} har lämnat ”{collaboration}”. Tack för din medverkan!",
        "{name} has left “{collaboration}”. Thank you for taking part!",
    ),
    "remove_question": (
        "Vill du ta bort {name} från samverkan? Hens svar och beslut finns kvar i dokumentationen.",
        "Do you want to remove {name} from the collaboration? Their answers and decisions stay "
        "in the record.",
    ),
    "action_remove": ("Ja, ta bort {name}", "Yes, remove {name}"),
    "removed": ("{name} är borttagen från samverkan.", "{name} is removed from the collaboration."),
    "roles_heading": ("Roller", "Roles"),
    "coordinator_line": ("Samordnare: {names}", "Coordinators: {names}"),
    "role_line": ("{name} ({organisation}): {title}", "{name} ({organisation}): {title}"),
    "no_roles": (
        "Inga andra roller ännu. En samordnare ger en roll med `{command}`.",
        "No other roles yet. A coordinator gives one with `{command}`.",
    ),
    "not_joined": ("har inte gått med", "has not joined"),
    "members_not_joined": (
        "Har skrivit här men inte sagt vem de företräder: {names}",
        "Have written here but not said whom they represent: {names}",
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
    "restart_nothing": (
        "Omgång {cycle} har knappt börjat: inget steg är klart och inget svar sparat, så det "
        "finns inget att börja om.",
        "Round {cycle} has barely begun: no step is finished and no answer saved, so there is "
        "nothing to start again.",
    ),
    "restart_question": (
        "Vill ni avsluta omgång {cycle} och börja omgång {next}? Alla steg blir ej påbörjade; "
        "svaren från omgång {cycle} finns kvar i exporten under sin omgång.",
        "Do you want to end round {cycle} and begin round {next}? Every step becomes not "
        "started; the answers of round {cycle} stay in the export under their round.",
    ),
    "action_restart": ("Ja, börja omgång {cycle}", "Yes, begin round {cycle}"),
    "restarted": (
        "Omgång {cycle} har börjat. Allt från tidigare omgångar finns kvar i `exportera`.",
        "Round {cycle} has begun. Everything from earlier rounds is kept in `export`.",
    ),
    # -- answers --------------------------------------------------------------------------------
    "answer_saved": (
        "Tack, {name}! Ditt svar är sparat under fråga {position} i {step}: {question}",
        "Thank you, {name}! Your answer is saved under question {position} of {step}: {question}",
    ),
    "answer_number_kept": (
        "Jag sparade hela texten, med {number} först, eftersom den frågan var öppen. Menade du "
        "fråga {number}? Skriv `{command}` och sedan `svara {number}: …` med kolon.",
        "I saved the whole text, {number} first, as that question was open. Did you mean "
        "question {number}? Write `{command}` and then `answer {number}: …` with a colon.",
    ),
    "own_answer_revised": (
        "Ditt svar på fråga {position} i {step} är ändrat; den tidigare versionen finns kvar i "
        "exporten.",
        "Your answer to question {position} of {step} is changed; the earlier version is kept in "
        "the export.",
    ),
    "own_answer_withdrawn": (
        "Ditt svar på fråga {position} i {step} är tillbakataget: ”{text}”. Det räknas inte "
        "längre men syns i exporten.",
        "Your answer to question {position} of {step} is withdrawn: “{text}”. It no longer "
        "counts but shows in the export.",
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
    "decision_withdrawn": (
        "Beslut {number} är tillbakataget ({reason}). Det finns kvar i dokumentationen.",
        "Decision {number} is withdrawn ({reason}). It stays in the record.",
    ),
    "decision_amended_reason": ("ersatt av beslut {number}", "replaced by decision {number}"),
    "decision_amended": (
        "Beslut {old} är ändrat: den nya lydelsen är beslut {number}, och {old} finns kvar som "
        "tillbakataget.",
        "Decision {old} is amended: the new wording is decision {number}, and {old} stays as "
        "withdrawn.",
    ),
    "decisions_heading": ("Beslut", "Decisions"),
    "no_decisions": (
        "Inga beslut ännu. Spara ett med `beslut <text>`.",
        "No decisions yet. Record one with `decision <text>`.",
    ),
    "decision_state_open": ("väntar på bekräftelse", "awaiting confirmation"),
    "decision_state_confirmed": ("bekräftat", "confirmed"),
    "decision_state_withdrawn": ("tillbakataget", "withdrawn"),
    "decision_confirmed": (
        "Beslut {number} är bekräftat av {name}.",
        "Decision {number} is confirmed by {name}.",
    ),
    # -- guidance -------------------------------------------------------------------------------
    "now_heading": (
        "Nu: {phase} · {step} · omgång {cycle}",
        "Now: {phase} · {step} · round {cycle}",
    ),
    "open_questions": ("Öppna frågor ({count} av {total})", "Open questions ({count} of {total})"),
    "phase_questions": (
        "Frågor för hela fasen",
        "Questions for the whole phase",
    ),
    "phase_questions_count": (
        "Dessutom {count} frågor för hela fasen – `{command}` tar dem i tur och ordning.",
        "Also {count} questions for the whole phase – `{command}` takes them in turn.",
    ),
    "more_questions": ("… och {count} till.", "… and {count} more."),
    "decisions_waiting": (
        "Väntar på din bekräftelse: beslut {numbers} (`{command}`).",
        "Waiting for your confirmation: decision {numbers} (`{command}`).",
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
        "Vilka hörs? Omgång {cycle}, {amount}",
        "Who is heard? Round {cycle}, {amount}",
    ),
    "balance_nothing": (
        "Inga svar eller meddelanden i den här omgången ännu. Skriv `fråga` för att börja.",
        "No answers or messages in this round yet. Write `ask` to begin.",
    ),
    "balance_no_sector": (
        "{count} från personer som inte har sagt sin sektor (`gå med <organisation> <sektor>`)",
        "{count} from people who have not given their sector (`join <organisation> <sector>`)",
    ),
    "balance_organisations": ("Per organisation", "By organisation"),
    "balance_steps": ("Per steg och sektor", "By step and sector"),
    "balance_all": ("Alla steg", "All steps"),
    "balance_chart_title": (
        "Vilka hörs i ”{name}”, omgång {cycle}",
        "Who is heard in “{name}”, round {cycle}",
    ),
    "balance_chart_alt": (
        "Stapeldiagram: svar och meddelanden per sektor i ”{name}”, omgång {cycle}.",
        "Bar chart: answers and messages by sector in “{name}”, round {cycle}.",
    ),
    "balance_file_word": ("balans", "balance"),
    "balance_notes_heading": ("Bara för samordnare", "For coordinators only"),
    "balance_dominated": (
        "I steget {step} kommer {share} % av svaren från {sector}.",
        "In the step {step}, {share} % of the answers come from {sector}.",
    ),
    "balance_target_unheard": (
        "Steget {step} frågar om målgruppen, men ingen från målgruppen har svarat eller skrivit "
        "där.",
        "The step {step} asks about the target group, but nobody from the target group has "
        "answered or written there.",
    ),
    # Who is heard: messages in the channel, counted beside the answers.
    "balance_answers": ("{count} svar", "{count} answers"),
    "balance_message": ("{count} meddelande", "{count} message"),
    "balance_messages": ("{count} meddelanden", "{count} messages"),
    "balance_dominated_messages": (
        "I steget {step} kommer {share} % av meddelandena i kanalen från {sector}.",
        "In the step {step}, {share} % of the messages in the channel come from {sector}.",
    ),
    "balance_principle": ("Principen {title}: ”{text}”", "The principle {title}: “{text}”"),
    # -- summaries ------------------------------------------------------------------------------
    "summary_heading": (
        "Sammanfattning: {step} · omgång {cycle}",
        "Summary: {step} · round {cycle}",
    ),
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
    "card_hint_typed": (
        "Svara med `{command} <text>`.",
        "Answer with `{command} <text>`.",
    ),
    "card_answer": ("Svara", "Answer"),
    "card_skip": ("Nästa fråga", "Next question"),
    "card_tips": ("Tips", "Tips"),
    "action_next": ("Vad händer nu?", "What's next?"),
    "action_ask": ("Ställ en fråga", "Ask a question"),
    "action_done": ("Steget är klart", "Step is done"),
    "action_confirm": ("Bekräfta", "Confirm"),
    "action_tips": ("Tips", "Tips"),
    "action_principles": ("Principer", "Principles"),
    "action_methods": ("Metoder", "Methods"),
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
    "export_withdrawn": ("tillbakataget {date}: {reason}", "withdrawn {date}: {reason}"),
    "export_answer_withdrawn": ("tillbakataget {date}", "withdrawn {date}"),
    "export_round": ("Omgång {cycle}", "Round {cycle}"),
    "export_status_now": ("läget nu", "state now"),
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
        "skulle följas upp {date}; det står kvar, varken ändrat eller tillbakataget sedan dess",
        "was to be reviewed on {date}; it stands, neither amended nor withdrawn since",
    ),
    "record_review_withdrawn": (
        "skulle följas upp {date}",
        "was to be reviewed on {date}",
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
    "help_intro": (
        "Jag hjälper er att samverka enligt MUCF:s samverkansmodell.",
        "I help you collaborate following MUCF's collaboration model.",
    ),
    "help_everyone": ("Alla:", "Everyone:"),
    "help_coordinators": ("Samordnare:", "Coordinators:"),
    # -- the partners' data rights (mina uppgifter, radera mig, spara svar) ----------------------
    "usage_keep_answers": (
        "Skriv `spara svar ja` eller `spara svar nej`.",
        "Write `keep answers yes` or `keep answers no`.",
    ),
    "my_data_file_word": ("mina-uppgifter", "my-data"),
    "my_data_sent": (
        "Jag har skickat allt jag har sparat om dig som en fil, bara till dig.",
        "I have sent you everything I have stored about you as a file, for you alone.",
    ),
    "my_data_caption": ("Dina sparade uppgifter", "Your stored data"),
    "my_data_title": ("Mina uppgifter hos Samverkansboten", "My data at Samverkansboten"),
    "my_data_intro": (
        "Allt som Samverkansboten har sparat om dig i den här arbetsytan den {date}: per "
        "samverkan, det som står under ditt namn eller ditt id. Varje rad är ett sparat fält.",
        "Everything Samverkansboten has stored about you in this workspace on {date}: by "
        "collaboration, what is stored under your name or your id. Each line is a stored field.",
    ),
    "my_data_platform": ("Plattform", "Platform"),
    "my_data_workspace": ("Arbetsyta", "Workspace"),
    "my_data_id": ("Ditt id", "Your id"),
    "my_data_name": ("Ditt namn", "Your name"),
    "my_data_nothing": (
        "Inget är sparat om dig här.",
        "Nothing is stored about you here.",
    ),
    "my_data_kind_collaboration": ("Samverkan du startade", "Collaboration you started"),
    "my_data_kind_membership": ("Medlemskap och paus", "Membership and pause"),
    "my_data_kind_role": ("Roller", "Roles"),
    "my_data_kind_answer": ("Svar", "Answers"),
    "my_data_kind_earlier_wording": ("Tidigare lydelser av svar", "Earlier wordings of answers"),
    "my_data_kind_decision": ("Beslut", "Decisions"),
    "my_data_kind_step": ("Steg du ändrade", "Steps you changed"),
    "my_data_kind_invitation": ("Inbjudningar", "Invitations"),
    "my_data_kind_message_count": (
        "Antal andra meddelanden i kanalen (texten sparas inte)",
        "Number of other messages in the channel (their text is not kept)",
    ),
    "my_data_kind_audit": ("Händelser i loggen", "Events in the audit trail"),
    "my_data_outro": (
        "Vill du att jag glömmer dig? Skriv `{command}`: ditt namn och id byts mot en pseudonym.",
        "Do you want me to forget you? Write `{command}`: your name and id become a pseudonym.",
    ),
    "forget_question": (
        "Ska jag glömma dig i alla samverkan i den här arbetsytan? Ditt namn och id byts mot en "
        "pseudonym och du lämnar varje samverkan. Dina svar tas bort, utom där samordnarna har "
        "valt att spara svaren som organisationens dokumentation. Det går inte att ångra.",
        "Shall I forget you in every collaboration of this workspace? Your name and id become a "
        "pseudonym and you leave each collaboration. Your answers are removed, except where the "
        "coordinators chose to keep answers as the organisation's record. It cannot be undone.",
    ),
    "action_forget": ("Ja, glöm mig", "Yes, forget me"),
    "forget_not_yours": (
        "Den knappen är till den som bad att bli glömd, så inget har hänt. Vill du själv bli "
        "glömd, skriv `{command}`.",
        "That button is for the person who asked to be forgotten, so nothing happened. To be "
        "forgotten yourself, write `{command}`.",
    ),
    "erased_name": ("Raderad person {tag}", "Erased person {tag}"),
    "erased_text": ("(svaret är raderat)", "(the answer is erased)"),
    "forgotten": (
        "Klart: du är glömd. Ditt namn och id är utbytta i {count} samverkan. Skriver du här "
        "igen blir du en ny deltagare.",
        "Done: you are forgotten. Your name and id are replaced in {count} collaboration(s). If "
        "you write here again, you are a new participant.",
    ),
    "keep_answers_on": (
        "Svaren sparas nu som organisationens dokumentation: den som ber mig glömma dem blir en "
        "pseudonym, men svaren står kvar.",
        "Answers are now kept as the organisation's record: someone who asks me to forget them "
        "becomes a pseudonym, but their answers stay.",
    ),
    "keep_answers_off": (
        "Svaren sparas inte: den som ber mig glömma dem får även sina svar borttagna.",
        "Answers are not kept: someone who asks me to forget them has their answers removed too.",
    ),
    "join_keeps_answers": (
        "Här sparas svaren som organisationens dokumentation: ber du mig glömma dig "
        "(`radera mig`) står dina svar kvar under en pseudonym.",
        "Here answers are kept as the organisation's record: if you ask me to forget you "
        "(`forget me`), your answers stay under a pseudonym.",
    ),
    "join_removes_answers": (
        "Ber du mig glömma dig (`radera mig`) tas även dina svar bort.",
        "If you ask me to forget you (`forget me`), your answers are removed too.",
    ),
    "private_file_failed": (
        "Jag kunde inte skicka filen till dig privat: Slack lät mig inte öppna ett "
        "direktmeddelande. Be den som installerade appen att installera om den, och försök igen.",
        "I could not send you the file privately: Slack did not let me open a direct message. "
        "Ask whoever installed the app to reinstall it, then try again.",
    ),
    "private_file_refused": (
        "Jag kan inte skicka filen till dig privat förrän du har skrivit till mig: öppna en "
        "privat chatt med mig, skriv /start och be sedan om den igen.",
        "I cannot send you the file privately until you have written to me: open a private "
        "chat with me, write /start, then ask for it again.",
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


# A sector as a sentence names it: "Ingen från civilsamhället har gått med ännu."
SECTOR_PHRASES: Final[dict[str, tuple[str, str]]] = {
    "public": ("offentlig sektor", "the public sector"),
    "civil_society": ("civilsamhället", "civil society"),
    "target_group": ("målgruppen", "the target group"),
    "other": ("annat håll", "elsewhere"),
}


def text(key: str, language: str, /, **fields: object) -> str:
    """The text ``key`` in ``language`` (sv or en) with ``fields`` filled in."""
    sv, en = TEXTS[key]
    return (en if language == "en" else sv).format(**fields)


def pick(names: dict[str, tuple[str, str]], key: str, language: str) -> str:
    sv, en = names[key]
    return en if language == "en" else sv
