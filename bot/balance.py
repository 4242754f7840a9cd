"""Who is being heard: the share of answers by sector and by organisation, overall and per
step, and the quiet notes to the coordinators when the model's principles are at stake.

The model asks for dialogue on equal terms and for the target group's voice. When one sector
gives most of a step's answers, or nobody from the target group has answered in a step whose
questions ask about it, the coordinators are told, with the principle quoted from the model,
never naming a person (the counts are by sector and organisation only).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

from bot.context import Context
from bot.document import BalanceChart, Bar
from bot.domain import Answer, Collaboration, Sector
from bot.picture import file_stem
from bot.replies import Message, PictureReply, Reply, Section
from bot.texts import SECTOR_NAMES, pick
from model_content import Step

SECTORS = (Sector.PUBLIC, Sector.CIVIL_SOCIETY, Sector.TARGET_GROUP, Sector.OTHER)
# A step's answers are dominated when one sector gives more than this share of at least
# MIN_ANSWERS of them.
DOMINANT_SHARE = 2 / 3
MIN_ANSWERS = 4
FEW_VOICES_ANSWERS = 3  # all of at least this many answers from one person: one voice only
BAR = 10  # characters of a full bar in the text chart
TARGET_WORD = "målgrupp"  # the model's word, in the Swedish text of a question


@dataclass(frozen=True)
class Shares:
    """Answers and other messages counted by sector (``None``: the author has not said) and by
    organisation."""

    by_sector: Counter[Sector | None]
    by_organisation: Counter[str]
    messages_by_sector: Counter[Sector | None] = field(default_factory=Counter)
    messages_by_organisation: Counter[str] = field(default_factory=Counter)

    @property
    def answers(self) -> int:
        return sum(self.by_sector.values())

    @property
    def messages(self) -> int:
        return sum(self.messages_by_sector.values())

    @property
    def total(self) -> int:
        """Answers and messages together: everyone who was heard, as often as they were."""
        return self.answers + self.messages

    def heard(self, sector: Sector | None) -> int:
        return self.by_sector[sector] + self.messages_by_sector[sector]


def shares(
    collaboration: Collaboration,
    answers: list[Answer],
    no_org: str,
    messages: Mapping[str, int] | None = None,
) -> Shares:
    """``answers``, and ``messages`` (a count by author), counted by their authors' sectors and
    organisations, as they stand now."""
    sectors: Counter[Sector | None] = Counter()
    organisations: Counter[str] = Counter()
    for answer in answers:
        member = collaboration.members.get(answer.author_id)
        sectors[member.sector if member else None] += 1
        organisations[answer.organisation or no_org] += 1
    message_sectors: Counter[Sector | None] = Counter()
    message_organisations: Counter[str] = Counter()
    for user_id, count in (messages or {}).items():
        member = collaboration.members.get(user_id)
        message_sectors[member.sector if member else None] += count
        message_organisations[(member.organisation if member else None) or no_org] += count
    return Shares(sectors, organisations, message_sectors, message_organisations)


def messages_by_author(collaboration: Collaboration, step_id: str | None = None) -> Counter[str]:
    """The messages of the current round by author: in the step ``step_id``, or in all."""
    counted: Counter[str] = Counter()
    for key, count in collaboration.message_counts.items():
        if key.cycle == collaboration.cycle and step_id in (None, key.step_id):
            counted[key.user_id] += count
    return counted


def count_message(ctx: Context) -> list[Reply]:
    """Talk among the partners: one more message from its author, in the step in focus. Its
    text is neither kept nor read, and the bot answers nothing."""
    ctx.collab.count_message(ctx.person.user_id)
    return []


def _amount(ctx: Context, answers: int, messages: int) -> str:
    """``3 svar``, or ``3 svar, 2 meddelanden`` when there are messages too."""
    said = ctx.t("balance_answers", count=answers)
    if not messages:
        return said
    key = "balance_message" if messages == 1 else "balance_messages"
    return f"{said}, {ctx.t(key, count=messages)}"


def _bar(count: int, total: int) -> str:
    filled = round(BAR * count / total) if total else 0
    return "█" * filled + "░" * (BAR - filled)


def _sector_lines(ctx: Context, counted: Shares) -> tuple[str, ...]:
    total = counted.total
    lines = []
    for sector in SECTORS:
        count = counted.by_sector[sector]
        name = pick(SECTOR_NAMES, sector.value, ctx.language)
        heard = counted.heard(sector)
        percent = round(100 * heard / total) if total else 0
        amount = _amount(ctx, count, counted.messages_by_sector[sector])
        lines.append(f"{_bar(heard, total)} {name} {percent} % ({amount})")
    if counted.heard(None):
        amount = _amount(ctx, counted.by_sector[None], counted.messages_by_sector[None])
        lines.append(ctx.t("balance_no_sector", count=amount))
    return tuple(lines)


def show_balance(ctx: Context) -> list[Reply]:
    """The shares in this round as text with bars; to a coordinator also the quiet notes."""
    collab = ctx.collab
    answers = collab.answers.in_cycle(collab.cycle)
    no_org = ctx.t("no_organisation")
    overall = shares(collab, answers, no_org, messages_by_author(collab))
    amount = _amount(ctx, overall.answers, overall.messages)
    heading = ctx.t("balance_heading", cycle=collab.cycle, amount=amount)
    if not overall.total:
        return [Message((Section(heading, (ctx.t("balance_nothing"),)),))]
    sections = [Section(heading, _sector_lines(ctx, overall), verbatim=True)]
    names = sorted({*overall.by_organisation, *overall.messages_by_organisation})
    organisations = tuple(
        f"{org}: "
        + _amount(ctx, overall.by_organisation[org], overall.messages_by_organisation[org])
        for org in names
    )
    sections.append(Section(ctx.t("balance_organisations"), organisations, True, True))
    steps = []
    for step, counted in _by_step(ctx, answers, no_org):
        parts = [
            f"{pick(SECTOR_NAMES, s.value, ctx.language)} "
            + _amount(ctx, counted.by_sector[s], counted.messages_by_sector[s])
            for s in SECTORS
            if counted.heard(s)
        ]
        steps.append(f"{ctx.step_title(step)}: {'; '.join(parts)}")
    sections.append(Section(ctx.t("balance_steps"), tuple(steps), bullets=True, verbatim=True))
    replies: list[Reply] = [Message(tuple(sections)), _chart_reply(ctx, overall, answers)]
    notes = balance_notes(ctx)
    if notes and ctx.actor.is_coordinator:
        replies.append(quiet_notes(ctx, notes))
    return replies


def _by_step(ctx: Context, answers: list[Answer], no_org: str) -> list[tuple[Step, Shares]]:
    """Each step in which someone was heard in this round, with its shares."""
    found = []
    for step in ctx.model.steps:
        mine = [a for a in answers if a.step_id == step.id]
        counted = shares(ctx.collab, mine, no_org, messages_by_author(ctx.collab, step.id))
        if counted.total:
            found.append((step, counted))
    return found


def _chart_reply(ctx: Context, overall: Shares, answers: list[Answer]) -> PictureReply:
    """The shares as stacked bars (answers and messages together): all of the round, then each
    step in which someone was heard."""
    names = tuple(pick(SECTOR_NAMES, s.value, ctx.language) for s in SECTORS)
    bars = [Bar(ctx.t("balance_all"), tuple(overall.heard(s) for s in SECTORS))]
    for step, counted in _by_step(ctx, answers, ""):
        bars.append(Bar(ctx.step_title(step), tuple(counted.heard(s) for s in SECTORS)))
    alt = [ctx.t("balance_chart_alt", name=ctx.collab.name, cycle=ctx.collab.cycle)]
    alt += [
        f"{bar.label}: " + ", ".join(f"{n} {c}" for n, c in zip(names, bar.counts, strict=True))
        for bar in bars
    ]
    title = ctx.t("balance_chart_title", name=ctx.collab.name, cycle=ctx.collab.cycle)
    chart = BalanceChart(title, names, tuple(bars), "\n".join(alt))
    filename = file_stem(ctx, ctx.t("balance_file_word")) + ".png"
    return PictureReply(chart, filename)


def notes_for_coordinator(ctx: Context) -> list[Reply]:
    """The quiet notes, if the person asking is a coordinator and there are any."""
    if not ctx.actor.is_coordinator:
        return []
    with ctx.privately():
        notes = balance_notes(ctx)
        return [quiet_notes(ctx, notes)] if notes else []


def quiet_notes(ctx: Context, notes: list[str]) -> Message:
    """The notes for the coordinator who asked, and for nobody else."""
    return Message(
        (Section(ctx.t("balance_notes_heading"), tuple(notes), True, True),), private=True
    )


def balance_notes(ctx: Context) -> list[str]:
    """What the coordinators should know about who is heard in this round, each with the
    principle it concerns quoted from the model."""
    collab = ctx.collab
    answers = collab.answers.in_cycle(collab.cycle)
    notes = []
    if len({a.author_id for a in answers}) == 1 and len(answers) >= FEW_VOICES_ANSWERS:
        notes.append(ctx.t("few_voices"))
    for step, counted in _by_step(ctx, answers, ""):
        notes += _step_notes(ctx, step, counted)
    return notes


def _dominant(counted: Counter[Sector | None]) -> tuple[Sector, int] | None:
    """The sector that gives more than its fair share of at least ``MIN_ANSWERS``, if any,
    and that share in per cent."""
    total = sum(counted.values())
    if total < MIN_ANSWERS:
        return None
    sector, count = max(((s, counted[s]) for s in SECTORS), key=lambda item: item[1])
    return (sector, round(100 * count / total)) if count / total > DOMINANT_SHARE else None


def _step_notes(ctx: Context, step: Step, counted: Shares) -> list[str]:
    title = ctx.step_title(step)
    notes = []
    for key, by_sector in (
        ("balance_dominated", counted.by_sector),
        ("balance_dominated_messages", counted.messages_by_sector),
    ):
        dominant = _dominant(by_sector)
        if dominant is not None:
            name = pick(SECTOR_NAMES, dominant[0].value, ctx.language)
            said = ctx.t(key, step=title, share=dominant[1], sector=name)
            notes.append(f"{said} {_principle(ctx, 'dialogue')}")
    asks = any(TARGET_WORD in q.text.sv.casefold() for q in step.questions)
    if asks and counted.total and not counted.heard(Sector.TARGET_GROUP):
        said = ctx.t("balance_target_unheard", step=title)
        notes.append(f"{said} {_principle(ctx, 'diversity')}")
    return notes


def _principle(ctx: Context, principle_id: str) -> str:
    principle = next(p for p in ctx.model.model.principles if p.id == principle_id)
    return ctx.t(
        "balance_principle", title=ctx.loc(principle.title), text=ctx.loc(principle.description)
    )
