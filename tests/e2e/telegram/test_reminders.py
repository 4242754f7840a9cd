"""Check-ins and reminders planned from a Telegram group: commands, a button, `/reminders`."""

from __future__ import annotations

from standins.telegram_api import BotApiStandIn
from tests.e2e.telegram.conftest import Telegram, button_press


def _last_text(standin: BotApiStandIn) -> str:
    return str(standin.called("sendMessage")[-1].params["text"])


def test_a_coordinator_plans_a_check_in_by_button_and_an_evaluation_and_sees_both(
    telegram: Telegram, standin: BotApiStandIn
) -> None:
    commands = {
        c["command"] for call in standin.called("setMyCommands") for c in call.params["commands"]
    }
    assert {"checkin", "evaluation", "reminders", "pause"} <= commands
    telegram.say("/start Läxhjälp")
    telegram.say("/evaluation 2027-06-01")
    telegram.say("/reminders")
    plan = standin.called("sendMessage")[-1]
    keyboard = plan.params["reply_markup"]["inline_keyboard"]
    [weekly] = [b for row in keyboard for b in row if b["text"] == "Avstämning tisdagar 09:00"]
    telegram.next_update += 1
    press = button_press(telegram.next_update, weekly["callback_data"], str(plan.params["text"]))
    assert telegram.post(press).status_code == 200
    telegram.settle()
    assert "09:00" in _last_text(standin)
    telegram.say("/reminders")
    shown = _last_text(standin)
    assert "2027-06-01" in shown and "09:00 (Europe/Stockholm)" in shown
    telegram.say("/pause 2027-01-10")
    assert "2027-01-10" in _last_text(standin)
