"""A document as Markdown (CommonMark): the PDF's twin, for wikis, mail and version control.

Text is written as it reads. A character is escaped only where CommonMark would otherwise read
it as markup (an emphasis star, a ``#`` opening a line, a ``1.`` that would start a list), so
ordinary punctuation stays clean and what a person wrote can still never restructure the file.
"""

from __future__ import annotations

import re

from bot.document import (
    AnswerBlock,
    Block,
    Document,
    Facts,
    Figure,
    Heading,
    Items,
    PageBreak,
    Paragraph,
    QuestionBlock,
)

# Inline markup: code, emphasis, strikethrough, links and images, HTML and autolinks, entities.
# An underscore inside a word ("a_b") is no emphasis and stays as it is.
_INLINE = re.compile(r"([\\`*~\[\]<]|(?<![^\W_])_|_(?![^\W_])|&(?=#?\w+;))")
# What opens a block at the start of a line: headings, quotes, list items, fences, rules.
_LINE_START = re.compile(
    r"^(\s*)(#{1,6}(?=\s|$)|>|[-+*](?=\s|$)|\d{1,9}(?=[.)](?:\s|$))|=+\s*$|`{3,}|~{3,})"
)


def literal(text: str) -> str:
    """``text`` as Markdown that renders exactly ``text`` (one line of it)."""
    escaped = _INLINE.sub(r"\\\1", text.strip())
    return _LINE_START.sub(_escape_opening, escaped, count=1)


def _escape_opening(match: re.Match[str]) -> str:
    opening = match.group(2)
    if opening[0].isdigit():
        return f"{opening}\\"  # "1\\. " reads as text, not as an ordered list
    return f"\\{opening}"


def _lines(text: str) -> list[str]:
    """Each line of ``text`` made literal."""
    return [literal(line) for line in text.splitlines() or [""]]


def _quoted(text: str) -> list[str]:
    return [f"> {line}".rstrip() for line in _lines(text)]


def _block(block: Block) -> list[str]:
    match block:
        case Heading(text=text, level=level):
            return [f"{'#' * level} {' '.join(_lines(text))}"]
        case Paragraph(text=text, quiet=quiet):
            lines = _lines(text)
            return [f"*{lines[0]}*" if quiet and len(lines) == 1 else "  \n".join(lines)]
        case Facts(rows=rows):
            return [f"- **{literal(r.label)}:** {literal(r.value)}" for r in rows]
        case Items(items=items):
            return [f"- {' '.join(_lines(item))}" for item in items]
        case QuestionBlock(text=text):
            return [f"**{' '.join(_lines(text))}**"]
        case AnswerBlock():
            return _answer(block)
        case Figure(picture=picture):
            return [
                f"*{literal(picture.title)} · {literal(picture.subtitle)}*",
                *_quoted(picture.alt_text),
            ]
        case PageBreak():
            return []
    raise TypeError(f"not a block: {block!r}")


def _answer(block: AnswerBlock) -> list[str]:
    lines = [f"*{literal(block.byline)}*", "", *_quoted(block.text)]
    if block.earlier:
        lines += ["", f"*{literal(block.earlier_label)}:*"]
        for version in block.earlier:
            lines += ["", f"> *{literal(version.byline)}*", ">", *_quoted(version.text)]
    return lines


def render_markdown(document: Document) -> str:
    """The whole document, blocks separated by blank lines, the credit at the end."""
    parts: list[str] = []
    for block in document.blocks:
        rendered = _block(block)
        if rendered:
            parts.append("\n".join(rendered))
    parts += ["---", literal(document.credit)]
    return "\n\n".join(parts) + "\n"
