"""The answer modal: a button of kind "answer" opens it, its submission is the answer."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from adapters.slack.render import shorten
from bot.texts import text
from model_content import Language

CALLBACK_ID = "samverkan_answer"
BLOCK_ID = "answer"
INPUT_ID = "text"
_MAX_ANSWER = 3000  # plain_text_input's max_length
TITLE_LIMIT = 24  # a modal's title, submit and close
LABEL_LIMIT = 2000


@dataclass(frozen=True)
class AnswerTarget:
    """Which question the modal answers, and where the card was posted."""

    question_id: str
    team_id: str
    channel_id: str
    thread_ts: str | None

    def to_metadata(self) -> str:
        return json.dumps(
            {"q": self.question_id, "w": self.team_id, "c": self.channel_id, "t": self.thread_ts}
        )

    @classmethod
    def from_metadata(cls, metadata: str) -> AnswerTarget:
        data = json.loads(metadata)
        return cls(str(data["q"]), str(data["w"]), str(data["c"]), data.get("t"))


def answer_view(target: AnswerTarget, language: Language = "sv") -> dict[str, Any]:
    """A modal with one multi-line text input, in ``language`` (the collaboration's).

    Title, submit and close are kept within Slack's 24 characters.
    """
    return {
        "type": "modal",
        "callback_id": CALLBACK_ID,
        "private_metadata": target.to_metadata(),
        "title": _label("modal_title", language, TITLE_LIMIT),
        "submit": _label("modal_submit", language, TITLE_LIMIT),
        "close": _label("modal_close", language, TITLE_LIMIT),
        "blocks": [
            {
                "type": "input",
                "block_id": BLOCK_ID,
                "label": _label("modal_label", language, LABEL_LIMIT),
                "element": {
                    "type": "plain_text_input",
                    "action_id": INPUT_ID,
                    "multiline": True,
                    "max_length": _MAX_ANSWER,
                },
            }
        ],
    }


def _label(key: str, language: Language, limit: int) -> dict[str, str]:
    return {"type": "plain_text", "text": shorten(text(key, language), limit)}


def submitted_text(view: Mapping[str, Any]) -> str:
    """The text typed into the modal, or ``""``."""
    value = view.get("state", {}).get("values", {}).get(BLOCK_ID, {}).get(INPUT_ID, {})
    return str(value.get("value") or "")
