"""The model's map as a picture's content: every step's state and answered questions, the round,
and a text alternative, in the collaboration's language. Rendering is the edge's work."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.context import Context
from bot.document import TILE_STATES, TILE_SYMBOLS, ModelPicture, Tile, TileRow, TileState
from bot.domain import Collaboration, StepStatus
from bot.map import ModelMap
from bot.replies import PictureReply, Reply
from bot.texts import TILE_STATE_NAMES, pick, text
from model_content import Language, Step

_STATE_OF: dict[StepStatus, TileState] = {
    StepStatus.DONE: "done",
    StepStatus.SKIPPED: "skipped",
    StepStatus.ACTIVE: "started",
    StepStatus.NOT_STARTED: "untouched",
}


def tile_state(collaboration: Collaboration, step_id: str) -> TileState:
    """How the map shows ``step_id``: in focus first, else by its status."""
    if collaboration.focus_step_id == step_id:
        return "focus"
    state = collaboration.steps.get(step_id)
    status = state.status if state else StepStatus.NOT_STARTED
    return _STATE_OF[status]


def answered_questions(collaboration: Collaboration) -> set[str]:
    """The ids of the questions with an answer in the current round, read in one go."""
    return {a.question_id for a in collaboration.answers.in_cycle(collaboration.cycle)}


def answered_in(step: Step, answered: set[str]) -> int:
    return sum(1 for q in step.questions if q.id in answered)


def _tile(collab: Collaboration, step: Step, answered_ids: set[str], language: Language) -> Tile:
    answered = answered_in(step, answered_ids)
    state = tile_state(collab, step.id)
    total = len(step.questions)
    note = text("map_answered", language, answered=answered, questions=total)
    return Tile(step.id, step.title.get(language), state, answered, total, note)


def model_picture(ctx: Context, collaboration: Collaboration | None = None) -> ModelPicture:
    """The map of ``collaboration`` (by default the one in context), as MUCF draws it, in the
    context's language."""
    return picture_of(collaboration or ctx.collab, ctx.model, ctx.language)


def picture_of(collab: Collaboration, model: ModelMap, language: Language) -> ModelPicture:
    """The map of ``collab`` as MUCF draws the model, in ``language``."""
    answered = answered_questions(collab)
    rows = tuple(
        TileRow(
            phase.title.get(language),
            tuple(_tile(collab, step, answered, language) for step in phase.steps),
        )
        for phase in model.phases
    )
    legend = tuple((state, pick(TILE_STATE_NAMES, state, language)) for state in TILE_STATES)
    subtitle = text("map_round", language, cycle=collab.cycle)
    return ModelPicture(
        title=collab.name,
        subtitle=subtitle,
        rows=rows,
        legend=legend,
        alt_text=_alt_text(language, collab.name, subtitle, rows),
        credit=text("map_credit", language),
    )


def _alt_text(language: Language, name: str, subtitle: str, rows: tuple[TileRow, ...]) -> str:
    """The picture in words: one line a phase, each step with its state and answers."""
    lines = [text("map_alt_heading", language, name=name, round=subtitle)]
    for row in rows:
        steps = "; ".join(
            text(
                "map_alt_step",
                language,
                step=tile.title,
                state=pick(TILE_STATE_NAMES, tile.state, language),
                answered=tile.answered,
                questions=tile.questions,
            )
            for tile in row.tiles
        )
        lines.append(f"{row.title}: {steps}.")
    return "\n".join(lines)


def local_now(ctx: Context, collaboration: Collaboration | None = None) -> datetime:
    """Now on the collaboration's clock."""
    return ctx.now.astimezone(ZoneInfo((collaboration or ctx.collab).timezone))


def file_stem(ctx: Context, word: str, collaboration: Collaboration | None = None) -> str:
    """``<collaboration>-<word>-<date and time>``: a new name for every file, in the
    collaboration's language and on its clock."""
    collab = collaboration or ctx.collab
    stamp = local_now(ctx, collab).strftime("%Y-%m-%d-%H%M%S")
    return f"{slug(collab.name)}-{word}-{stamp}"


def map_reply(ctx: Context, collaboration: Collaboration | None = None) -> PictureReply:
    """The map of ``collaboration`` (by default the one in context) as a picture to send."""
    collab = collaboration or ctx.collab
    caption = ctx.t("map_caption", name=collab.name)
    filename = file_stem(ctx, ctx.t("map_file_word"), collab) + ".png"
    return PictureReply(model_picture(ctx, collab), filename, caption)


def show_map(ctx: Context) -> list[Reply]:
    return [map_reply(ctx)]


def map_lines(collaboration: Collaboration, model: ModelMap, language: Language) -> tuple[str, ...]:
    """The map in text, one line a phase: each step's mark and name ("● Målgrupp")."""
    return tuple(
        f"{phase.title.get(language)}: "
        + " · ".join(
            f"{TILE_SYMBOLS[tile_state(collaboration, s.id)]} {s.title.get(language)}"
            for s in phase.steps
        )
        for phase in model.phases
    )


def slug(name: str) -> str:
    """A file-name-safe form of ``name`` that keeps å, ä and ö, of at most 60 characters (a
    file system allows 255 bytes, and the date, the kind and the language follow)."""
    folded = re.sub(r"\W+", "-", name.casefold()).strip("-_")
    return folded[:60].strip("-_") or "samverkan"
