"""The answer modal: a button of kind "answer" opens it, its submission is the answer."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

CALLBACK_ID = "samverkan_answer"
BLOCK_ID = "answer"
INPUT_ID = "text"
_MAX_ANSWER = 3000  # plain_text_input's max_length


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


def question_of(command: str) -> str:
    """The question id in an answer button's command ``svara <question_id>``."""
    parts = command.split(None, 1)
    return parts[1].strip() if len(parts) == 2 else ""


def answer_view(target: AnswerTarget) -> dict[str, Any]:
    """A modal with one multi-line text input; titles are within Slack's 24 characters."""
    return {
        "type": "modal",
        "callback_id": CALLBACK_ID,
        "private_metadata": target.to_metadata(),
        "title": {"type": "plain_text", "text": "Svara"},
        "submit": {"type": "plain_text", "text": "Skicka"},
        "close": {"type": "plain_text", "text": "Avbryt"},
        "blocks": [
            {
                "type": "input",
                "block_id": BLOCK_ID,
                "label": {"type": "plain_text", "text": "Ditt svar"},
                "element": {
                    "type": "plain_text_input",
                    "action_id": INPUT_ID,
                    "multiline": True,
                    "max_length": _MAX_ANSWER,
                },
            }
        ],
    }


def submitted_text(view: Mapping[str, Any]) -> str:
    """The text typed into the modal, or ``""``."""
    value = view.get("state", {}).get("values", {}).get(BLOCK_ID, {}).get(INPUT_ID, {})
    return str(value.get("value") or "")
