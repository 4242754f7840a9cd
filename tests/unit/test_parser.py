from datetime import date

import pytest

from bot import commands as c
from bot.domain import Sector
from bot.errors import UnknownCommandError, UsageError
from bot.parser import parse


@pytest.mark.parametrize(
    ("text", "command", "language"),
    [
        ("nästa", c.ShowNext(), "sv"),
        ("next", c.ShowNext(), "en"),
        ("/next", c.ShowNext(), "en"),
        ("Vad händer nu?", c.ShowNext(), "sv"),
        ("what's next?", c.ShowNext(), "en"),
        ("var är vi?", c.ShowStatus(), "sv"),
        ("gå till Målgrupp", c.FocusStep("Målgrupp"), "sv"),
        ("goto target group", c.FocusStep("target group"), "en"),
        ("hoppa över", c.SkipStep(), "sv"),
        ("klar", c.CompleteStep(), "sv"),
        ("fråga", c.AskQuestion(None), "sv"),
        ("fråga 3", c.AskQuestion("3"), "sv"),
        ("svara 2: Vi behöver lokaler", c.SubmitAnswer("Vi behöver lokaler", "2"), "sv"),
        ("svara Vi behöver lokaler", c.SubmitAnswer("Vi behöver lokaler"), "sv"),
        ("sammanfatta målgrupp", c.Summarize("målgrupp"), "sv"),
        ("bekräfta 2", c.ConfirmDecision(2), "sv"),
        ("roll @Omar kontaktperson", c.AssignRole("@Omar", "kontaktperson"), "sv"),
        ("språk engelska", c.SetLanguage("en"), "sv"),
        ("börja om", c.RestartCycle(), "sv"),
        ("starta Fritid för alla", c.StartCollaboration("Fritid för alla"), "sv"),
    ],
)
def test_commands_in_both_languages(text: str, command: c.Command, language: str) -> None:
    parsed = parse(text)
    assert parsed.command == command
    assert parsed.language == language


def test_decision_with_review_date() -> None:
    parsed = parse("beslut Vi hyr lokalen varannan vecka, följ upp 2027-03-01")
    assert parsed.command == c.RecordDecision("Vi hyr lokalen varannan vecka", date(2027, 3, 1))


def test_decision_with_impossible_date_is_a_usage_error() -> None:
    with pytest.raises(UsageError) as caught:
        parse("beslut Vi ses, review 2027-02-30")
    assert caught.value.usage_key == "date"
    assert caught.value.unknown == "2027-02-30"


@pytest.mark.parametrize(
    ("text", "organisation", "sector"),
    [
        ("gå med Fritidsbanken civilsamhälle", "Fritidsbanken", Sector.CIVIL_SOCIETY),
        ("gå med Malmö stad, offentlig", "Malmö stad", Sector.PUBLIC),
        ("join Youth Council target group", "Youth Council", Sector.TARGET_GROUP),
    ],
)
def test_join_takes_the_sector_from_the_end(text: str, organisation: str, sector: Sector) -> None:
    assert parse(text).command == c.JoinOrganisation(organisation, sector)


def test_join_without_a_sector_says_how() -> None:
    with pytest.raises(UsageError) as caught:
        parse("gå med Fritidsbanken")
    assert caught.value.usage_key == "join"


def test_unknown_word_suggests_the_closest_commands() -> None:
    with pytest.raises(UnknownCommandError) as caught:
        parse("nästta")
    assert "next" in caught.value.suggestions  # the command; a refusal names it in its language


def test_chatter_is_unknown_without_suggestions() -> None:
    with pytest.raises(UnknownCommandError) as caught:
        parse("bananer är gula")
    assert caught.value.suggestions == []
