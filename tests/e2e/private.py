"""What a conversation in the e2e tests says that is personal: none of it may reach a log line
at INFO or above."""

from __future__ import annotations

NAME = "Hemlighetsföreningen"  # an organisation
TITLE = "Samverkan kring Storgatan"  # a collaboration
ANSWER = "Vi ses på Storgatan 12"
EDITED = "Vi ses på Storgatan 14"
LINES = (
    f"starta {TITLE}",
    f"gå med {NAME} civilsamhälle",
    f"svara 1: {ANSWER}",
    "beslut Vi ses på Storgatan varje tisdag",
    "sammanfatta",
    "exportera",
)


def assert_private(log: str, *names: str) -> None:
    """``log`` names none of ``names`` (the people), and holds nothing of what they wrote."""
    for personal in (*names, NAME, "Storgatan"):
        assert personal not in log, personal
