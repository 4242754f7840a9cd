"""The collaboration's record as a Markdown file: answers per step, decisions, roles, partners.

Markdown is the one format every partner can open; user text is escaped so that it reads as
written and cannot restructure the document.
"""

from __future__ import annotations

import re

from bot.context import Context
from bot.replies import FileReply, Reply
from bot.texts import SECTOR_NAMES, STATUS_NAMES, pick
from model_content import Question

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+\-.!|~])")


def escape_markdown(text: str) -> str:
    """Backslash-escape Markdown's special characters, keeping line breaks as line breaks."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text).replace("\n", "  \n")


def export_record(ctx: Context) -> list[Reply]:
    collab = ctx.collab
    lines = [f"# {escape_markdown(collab.name)}", ""]
    for phase in ctx.model.phases:
        lines += [f"## {ctx.loc(phase.title)}", ""]
        lines += _answer_lines(ctx, phase.questions)
        for step in phase.steps:
            lines += _step_lines(ctx, step.id)
    lines += _decision_lines(ctx) + _role_lines(ctx) + _member_lines(ctx)
    lines += ["---", ctx.t("source", source=ctx.loc(ctx.model.model.source)), ""]
    slug = re.sub(r"\W+", "-", collab.name.casefold()).strip("-") or "samverkan"
    caption = ctx.t("export_caption", name=collab.name)
    return [FileReply(f"{slug}.md", "\n".join(lines), caption=caption)]


def _step_lines(ctx: Context, step_id: str) -> list[str]:
    step = ctx.model.step(step_id)
    state = ctx.collab.steps.get(step_id)
    status = pick(STATUS_NAMES, state.status.value if state else "not_started", ctx.language)
    return [f"### {ctx.loc(step.title)} ({status})", "", *_answer_lines(ctx, step.questions)]


def _answer_lines(ctx: Context, questions: tuple[Question, ...]) -> list[str]:
    """Every answer of every round to ``questions``, each with its earlier versions."""
    lines: list[str] = []
    for question in questions:
        answers = [a for a in ctx.collab.answers if a.question_id == question.id]
        if not answers:
            continue
        lines.append(f"**{ctx.loc(question.text)}**")
        lines.append("")
        for answer in answers:
            who = escape_markdown(f"{answer.author_name}, {answer.organisation or '–'}")
            when = answer.updated_at.date().isoformat()
            lines.append(f"- {who} ({when}): {escape_markdown(answer.text)}")
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
        if not d.confirmed:
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
