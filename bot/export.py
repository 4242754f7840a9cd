"""The record as files to file and share: a PDF to archive and its Markdown twin, and the case
number (diarienummer) a registry files it under."""

from __future__ import annotations

from typing import Literal

from bot import commands as c
from bot.context import Context
from bot.picture import file_stem
from bot.record import record_document
from bot.replies import DocumentReply, Message, Reply, Section


def export_record(cmd: c.ExportRecord, ctx: Context) -> list[Reply]:
    """The record in each of ``cmd.formats``, under a name of its own: the collaboration,
    the time of the export and the language."""
    document = record_document(ctx)
    stem = f"{file_stem(ctx, ctx.t('record_file_word'))}-{ctx.language}"
    caption = ctx.t("export_caption", name=ctx.collab.name)
    replies: list[Reply] = []
    for name in cmd.formats:
        fmt: Literal["pdf", "md"] = "pdf" if name == "pdf" else "md"
        replies.append(DocumentReply(document, fmt, f"{stem}.{fmt}", caption))
        caption = ""  # one caption for the files of one export
    return replies


def set_case_number(cmd: c.SetCaseNumber, ctx: Context) -> list[Reply]:
    collab = ctx.collab
    collab.case_number = cmd.number or None
    collab.record(ctx.now, ctx.actor.user_id, "case_number", cmd.number)
    if cmd.number:
        line = ctx.t("case_number_set", number=cmd.number)
    else:
        line = ctx.t("case_number_cleared")
    return [Message((Section(None, (line,)),))]
