"""The core's replies as JSON, kept with an event's claim so that lost replies can be sent again.

Each reply is stored with the name of its class; pydantic turns the frozen dataclasses (and
the ones nested in them) into JSON values and back.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import TypeAdapter

from bot import replies as r
from bot.replies import Reply

_KINDS: dict[str, type[Any]] = {
    kind.__name__: kind
    for kind in (r.Message, r.QuestionCard, r.DocumentReply, r.PictureReply, r.Reaction)
}


_ADAPTERS: dict[str, TypeAdapter[Any]] = {name: TypeAdapter(kind) for name, kind in _KINDS.items()}


def encode_replies(replies: list[Reply]) -> str:
    values = [
        {
            "kind": type(reply).__name__,
            "reply": _ADAPTERS[type(reply).__name__].dump_python(reply, mode="json"),
        }
        for reply in replies
    ]
    return json.dumps(values, ensure_ascii=False)


def decode_replies(text: str) -> list[Reply]:
    return [_ADAPTERS[value["kind"]].validate_python(value["reply"]) for value in json.loads(text)]
