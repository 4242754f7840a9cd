"""Whether a signed payload has the shape slack-bolt and the listeners read.

Slack sends objects whose fields have fixed kinds: an ``event`` is an object, a ``team`` an
object or an id, ``actions`` a list of objects, a ``ts`` a string. Bolt reads them without
checking, so a payload with a field of another kind would fail inside it; such a payload is
refused (400) instead. Only the kinds of the fields read are checked, wherever they appear;
any other field may hold anything.
"""

from __future__ import annotations

from typing import Any

OBJECTS = frozenset(
    {
        "event",
        "message",
        "previous_message",
        "view",
        "container",
        "item",
        "assistant_thread",
        "function_data",
        "state",
        "values",
        "authed_user",
    }
)
OBJECTS_OR_IDS = frozenset({"enterprise", "team", "user", "channel"})
LISTS_OF_OBJECTS = frozenset({"authorizations", "actions"})
STRINGS = frozenset(
    {
        "type",
        "subtype",
        "team_id",
        "enterprise_id",
        "user_id",
        "channel_id",
        "event_id",
        "trigger_id",
        "command",
        "text",
        "ts",
        "thread_ts",
        "message_ts",
        "deleted_ts",
        "bot_id",
        "callback_id",
        "action_id",
        "block_id",
        "value",
        "challenge",
        "response_url",
        "api_app_id",
        "context_team_id",
        "context_enterprise_id",
        "function_execution_id",
        "bot_access_token",
        "bot_user_id",
        "token",
        "id",
        "name",
        "username",
        "private_metadata",
        "tab",
    }
)
FLAGS = frozenset({"is_ext_shared_channel", "is_enterprise_install"})


def well_formed(payload: object) -> bool:
    """Whether ``payload`` is an object whose known fields are of their kind: at the top, and
    inside the objects and lists of objects named above (not inside blocks or attachments,
    whose fields bolt does not read); and which has the fields Slack always sends with a
    command or an event the listeners handle (:func:`_complete`)."""
    try:
        return isinstance(payload, dict) and _fields_fit(payload, "") and _complete(payload)
    except RecursionError:  # nested past what any Slack payload is
        return False


def _complete(payload: dict[str, Any]) -> bool:
    """A command names its workspace, channel and person; an event its workspace, and a
    message or mention its channel, its time stamp and (unless a bot or a change wrote it)
    its author."""

    def named(where: dict[str, Any], *keys: str) -> bool:
        return all(isinstance(where.get(key), str) for key in keys)

    if "command" in payload:
        return named(payload, "team_id", "channel_id", "user_id")
    event = payload.get("event")
    if event is None:
        return True
    if not named(payload, "team_id"):
        return False
    kind = event.get("type")
    if kind in ("message", "app_mention"):
        written_by_slack = kind == "message" and (event.get("subtype") or event.get("bot_id"))
        return named(event, "channel", "ts") and (written_by_slack or named(event, "user"))
    if kind == "app_home_opened":
        return named(event, "user")
    return True


def _fields_fit(value: dict[str, Any], place: str) -> bool:
    for key, field in value.items():
        if key in OBJECTS and not isinstance(field, dict):  # bolt reads a missing one as {}
            return False
        if key in LISTS_OF_OBJECTS and not (
            isinstance(field, list) and all(isinstance(item, dict) for item in field)
        ):
            return False
        if field is None:
            continue
        # A button's text is an object (plain_text with its own text).
        button_text = key == "text" and place == "actions" and isinstance(field, dict)
        if key in STRINGS and not isinstance(field, str) and not button_text:
            return False
        if key in FLAGS and not isinstance(field, bool | str):
            return False
        if key in OBJECTS_OR_IDS and not isinstance(field, dict | str):
            return False
        inside = key in OBJECTS or key in OBJECTS_OR_IDS
        if inside and isinstance(field, dict) and not _fields_fit(field, key):
            return False
        if key in LISTS_OF_OBJECTS and not all(_fields_fit(item, key) for item in field):
            return False
    return True
