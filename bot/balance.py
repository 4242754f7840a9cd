"""Who is being heard: the share of answers by sector and by organisation, overall and per
step, and the quiet notes to the coordinators when the model's principles are at stake.

The model asks for dialogue on equal terms and for the target group's voice. When one sector
gives most of a step's answers, or nobody from the target group has answered in a step whose
questions ask about it, the coordinators are told, with the principle quoted from the model,
never naming a person (the counts are by sector and organisation only).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

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
    """Answers counted by sector (``None``: the author has not said) and by organisation."""

    by_sector: Counter[Sector | None]
    by_organisation: Counter[str]

    @property
    def total(self) -> int:
        return sum(self.by_sector.values())


def shares(collaboration: Collaboration, answers: list[Answer], no_org: str) -> Shares:
    """``answers`` counted by their authors' sectors and organisations, as they stand now."""
    sectors: Counter[Sector | None] = Counter()
    organisations: Counter[str] = Counter()
    for answer in answers:
        member = collaboration.members.get(answer.author_id)
        sectors[member.sector if member else None] += 1
        organisations[answer.organisation or no_org] += 1
    return Shares(sectors, organisations)


def _bar(count: int, total: int) -> str:
    filled = round(BAR * count / total) if total else 0
    return "█" * filled + "░" * (BAR - filled)


def _sector_lines(ctx: Context, counted: Shares) -> tuple[str, ...]:
    total = counted.total
    lines = []
    for sector in SECTORS:
        count = counted.by_sector[sector]
        name = pick(SECTOR_NAMES, sector.value, ctx.language)
        percent = round(100 * count / total) if total else 0
        lines.append(f"{_bar(count, total)} {name} {percent} % ({count})")
    if counted.by_sector[None]:
        lines.append(ctx.t("balance_no_sector", count=counted.by_sector[None]))
    return tuple(lines)


def show_balance(ctx: Context) -> list[Reply]:
    """The shares in this round as text with bars; to a coordinator also the quiet notes."""
    collab = ctx.collab
    answers = collab.answers.in_cycle(collab.cycle)
    no_org = ctx.t("no_organisation")
    overall = shares(collab, answers, no_org)
    heading = ctx.t("balance_heading", cycle=collab.cycle, count=overall.total)
    if not answers:
        return [Message((Section(heading, (ctx.t("balance_nothing"),)),))]
    sections = [Section(heading, _sector_lines(ctx, overall), verbatim=True)]
    organisations = tuple(
        f"{org}: {count}" for org, count in sorted(overall.by_organisation.items())
    )
    sections.append(Section(ctx.t("balance_organisations"), organisations, True, True))
    steps = []
    for step in ctx.model.steps:
        counted = shares(collab, [a for a in answers if a.step_id == step.id], no_org)
        if counted.total:
            parts = [
                f"{pick(SECTOR_NAMES, s.value, ctx.language)} {counted.by_sector[s]}"
                for s in SECTORS
                if counted.by_sector[s]
            ]
            steps.append(f"{ctx.step_title(step)}: {', '.join(parts)}")
    sections.append(Section(ctx.t("balance_steps"), tuple(steps), bullets=True, verbatim=True))
    replies: list[Reply] = [Message(tuple(sections)), _chart_reply(ctx, overall, answers)]
    notes = balance_notes(ctx)
    if notes and ctx.actor.is_coordinator:
        replies.append(quiet_notes(ctx, notes))
    return replies


def _chart_reply(ctx: Context, overall: Shares, answers: list[Answer]) -> PictureReply:
    """The shares as stacked bars: all answers of the round, then each step that has any."""
    names = tuple(pick(SECTOR_NAMES, s.value, ctx.language) for s in SECTORS)
    bars = [Bar(ctx.t("balance_all"), tuple(overall.by_sector[s] for s in SECTORS))]
    for step in ctx.model.steps:
        counted = shares(ctx.collab, [a for a in answers if a.step_id == step.id], "")
        if counted.total:
            bars.append(Bar(ctx.step_title(step), tuple(counted.by_sector[s] for s in SECTORS)))
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
    for step in ctx.model.steps:
        mine = [a for a in answers if a.step_id == step.id]
        note = _step_note(ctx, step, shares(collab, mine, ""))
        if note:
            notes.append(note)
    return notes


def _step_note(ctx: Context, step: Step, counted: Shares) -> str | None:
    title = ctx.step_title(step)
    if counted.total >= MIN_ANSWERS:
        sector, count = max(((s, counted.by_sector[s]) for s in SECTORS), key=lambda item: item[1])
        if count / counted.total > DOMINANT_SHARE:
            name = pick(SECTOR_NAMES, sector.value, ctx.language)
            share = round(100 * count / counted.total)
            said = ctx.t("balance_dominated", step=title, share=share, sector=name)
            return f"{said} {_principle(ctx, 'dialogue')}"
    asks = any(TARGET_WORD in q.text.sv.casefold() for q in step.questions)
    if asks and counted.total and not counted.by_sector[Sector.TARGET_GROUP]:
        said = ctx.t("balance_target_unheard", step=title)
        return f"{said} {_principle(ctx, 'diversity')}"
    return None


def _principle(ctx: Context, principle_id: str) -> str:
    principle = next(p for p in ctx.model.model.principles if p.id == principle_id)
    return ctx.t(
        "balance_principle", title=ctx.loc(principle.title), text=ctx.loc(principle.description)
    )
