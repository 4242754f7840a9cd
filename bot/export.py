"""The collaboration's record as a Markdown file: answers per step, decisions, roles, partners.

Markdown is the one format every partner can open; user text is escaped so that it reads as
written and cannot restructure the document.
"""

from __future__ import annotations

import re

from bot.context import Context
from bot.domain import Answer
from bot.replies import FileReply, Reply
from bot.texts import SECTOR_NAMES, STATUS_NAMES, pick
from model_content import Question

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+\-.!|~])")


def escape_markdown(text: str) -> str:
    """Backslash-escape Markdown's special characters, keeping line breaks as line breaks."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text).replace("\n", "  \n")


# A file name of at most this many characters before ".md": file systems allow 255 bytes.
MAX_SLUG_LENGTH = 60


def export_record(ctx: Context) -> list[Reply]:
    """The record, round by round (the latest with each step's state now), then decisions,
    roles and partners."""
    collab = ctx.collab
    by_round: dict[int, list[Answer]] = {}
    for answer in collab.answers:
        by_round.setdefault(answer.cycle, []).append(answer)
    lines = [f"# {escape_markdown(collab.name)}", ""]
    for cycle in range(1, collab.cycle + 1):
        lines += [f"## {ctx.t('export_round', cycle=cycle)}", ""]
        lines += _round_lines(ctx, by_round.get(cycle, []), current=cycle == collab.cycle)
    lines += _decision_lines(ctx) + _role_lines(ctx) + _member_lines(ctx)
    lines += ["---", ctx.t("source", source=ctx.loc(ctx.model.model.source)), ""]
    caption = ctx.t("export_caption", name=collab.name)
    return [FileReply(f"{file_slug(collab.name)}.md", "\n".join(lines), caption=caption)]


def file_slug(name: str) -> str:
    """A short, safe file name for ``name``: word characters joined by dashes."""
    slug = re.sub(r"\W+", "-", name.casefold()).strip("-")[:MAX_SLUG_LENGTH].strip("-")
    return slug or "samverkan"


def _round_lines(ctx: Context, answers: list[Answer], *, current: bool) -> list[str]:
    """One round: every phase and step with the answers given in it. Only the current round
    shows each step's state; an earlier round's states were reset when the next began."""
    lines: list[str] = []
    for phase in ctx.model.phases:
        lines += [f"### {ctx.loc(phase.title)}", ""]
        lines += _answer_lines(ctx, phase.questions, answers)
        for step in phase.steps:
            title = ctx.loc(step.title)
            if current:
                state = ctx.collab.steps.get(step.id)
                value = state.status.value if state else "not_started"
                title += f" ({ctx.t('export_status_now')}: "
                title += f"{pick(STATUS_NAMES, value, ctx.language)})"
            lines += [f"#### {title}", "", *_answer_lines(ctx, step.questions, answers)]
    return lines


def _answer_lines(ctx: Context, questions: tuple[Question, ...], given: list[Answer]) -> list[str]:
    """Every answer in ``given`` to ``questions``, each with its earlier versions."""
    lines: list[str] = []
    for question in questions:
        answers = [a for a in given if a.question_id == question.id]
        if not answers:
            continue
        lines.append(f"**{ctx.loc(question.text)}**")
        lines.append("")
        for answer in answers:
            who = escape_markdown(f"{answer.author_name}, {answer.organisation or '–'}")
            when = answer.updated_at.date().isoformat()
            note = ""
            if answer.withdrawn_at is not None:
                withdrawn = ctx.t("export_answer_withdrawn", date=answer.withdrawn_at.date())
                note = f" ({withdrawn})"
            lines.append(f"- {who} ({when}){note}: {escape_markdown(answer.text)}")
            for version in answer.history:
                earlier = ctx.t("export_history")
                lines.append(f"  - {earlier} {version.at.date()}: {escape_markdown(version.text)}")
        lines.append("")
    return lines


def _decision_lines(ctx: Context) -> list[str]:
    decisions = ctx.collab.decisions
    if not decisions:
        return []
    lines = [f"## {ctx.t('export_decisions')}", ""]
    for d in decisions:
        notes = [d.created_at.date().isoformat(), escape_markdown(d.author_name)]
        if d.review_on:
            notes.append(ctx.t("export_review", date=d.review_on.isoformat()))
        if d.withdrawn_at is not None:
            reason = escape_markdown(d.withdrawn_reason or "")
            notes.append(ctx.t("export_withdrawn", date=d.withdrawn_at.date(), reason=reason))
        elif not d.confirmed:
            notes.append(ctx.t("export_unconfirmed"))
        lines.append(f"{d.number}\\. {escape_markdown(d.text)} ({', '.join(notes)})")
    return [*lines, ""]


def _role_lines(ctx: Context) -> list[str]:
    roles = ctx.collab.roles
    if not roles:
        return []
    members = ctx.collab.members
    lines = [f"## {ctx.t('export_roles')}", ""]
    for role in roles:
        name = members[role.user_id].display_name if role.user_id in members else role.user_id
        lines.append(f"- {escape_markdown(name)}: {escape_markdown(role.title)}")
    return [*lines, ""]


def _member_lines(ctx: Context) -> list[str]:
    lines = [f"## {ctx.t('export_members')}", ""]
    for m in ctx.collab.members.values():
        sector = pick(SECTOR_NAMES, m.sector.value, ctx.language) if m.sector else "–"
        org = escape_markdown(m.organisation or ctx.t("no_organisation"))
        lines.append(f"- {escape_markdown(m.display_name)}: {org} ({sector})")
    return [*lines, ""]
