"""Invitations: a code that lets one new representative join a collaboration from a private chat.

A coordinator writes ``bjud in <organisation>``; the reply carries a code that a platform may
turn into a link (Telegram's ``t.me/<bot>?start=<code>``). Whoever redeems the code becomes a
member of the collaboration for that organisation and gets a short digest of where it stands.

A code is good for one person and 14 days. One person per code because the link is easily
forwarded: a code that anyone holding it can use would let a forwarded link into the
collaboration, while a single-use one lets in only the person it was meant for, and the record
says who came in on which invitation. Only a hash of the code is stored, so a copy of the
database holds no usable codes.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.domain import Sector

VALID_FOR = timedelta(days=14)
CODE_BYTES = 16  # 128 random bits; token_urlsafe makes 22 characters of A-Z a-z 0-9 _ -
# Telegram's start parameter allows A-Z a-z 0-9 _ - and at most 64 characters. At least 20, so
# that `gå med Fritidsbanken` (a join without its sector) is not taken for a code.
_CODE = re.compile(r"[A-Za-z0-9_-]{20,64}")


@dataclass
class Invitation:
    """One invitation as stored: the hash of its code, never the code itself."""

    key: str
    collaboration_id: str
    platform: str
    workspace: str
    organisation: str
    sector: Sector | None
    created_by: str
    created_at: datetime
    expires_at: datetime
    redeemed_by: str | None = None
    redeemed_at: datetime | None = None


def new_code() -> str:
    """A fresh, unguessable code that fits Telegram's deep-link start parameter."""
    return secrets.token_urlsafe(CODE_BYTES)


def looks_like_code(text: str) -> bool:
    return _CODE.fullmatch(text) is not None


def key_of(code: str) -> str:
    """What is stored for ``code``: its SHA-256, in hex."""
    return hashlib.sha256(code.encode("utf-8")).hexdigest()
