"""Inviting a representative and joining by the invitation, on in-memory fakes."""

from __future__ import annotations

import re

import pytest

from bot import commands as c
from bot.document import ModelPicture
from bot.domain import ChannelRef, Person, Role, Sector
from bot.errors import UsageError
from bot.invitations import key_of
from bot.parser import parse
from bot.replies import Message, PictureReply
from tests.chat import ANNA, LINA, OMAR, Chat, make_bot
from tests.fakes import FakeClock, FakeUnitOfWork

GROUP = ChannelRef("test", "W1", "C1")
TELEGRAM_START_PARAMETER = re.compile(r"[A-Za-z0-9_-]{1,64}")


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def group(clock: FakeClock) -> Chat:
    uow = FakeUnitOfWork()
    chat = Chat(make_bot(uow, clock), uow, channel=GROUP)
    chat.say(ANNA, "starta Läxhjälp i Rosengård")
    chat.say(ANNA, "gå med Malmö stad offentlig")
    return chat


def private(group: Chat, person: Person) -> Chat:
    """A private chat of ``person`` with the bot: same platform and workspace, no collaboration."""
    return Chat(group.bot, group.uow, channel=ChannelRef("test", "W1", f"D-{person.user_id}"))


def invite(group: Chat, text: str = "bjud in Föreningen Gemenskap civilsamhälle") -> str:
    """The code of a new invitation, as the coordinator's reply carries it."""
    reply = group.message(ANNA, text)
    assert reply.invite is not None
    return reply.invite.code


def test_a_coordinator_gets_a_private_reply_with_a_code_to_pass_on(group: Chat) -> None:
    reply = group.message(ANNA, "bjud in Föreningen Gemenskap civilsamhälle")
    assert reply.private and reply.invite is not None
    code = reply.invite.code
    assert TELEGRAM_START_PARAMETER.fullmatch(code) and len(code) >= 20
    # Where no link can be made the message itself says how to use the code.
    assert reply.invite.manual in reply.sections
    assert f"gå med {code}" in reply.plain_text
    assert "Föreningen Gemenskap" in reply.plain_text
    assert "2026-12-07" in reply.plain_text  # 14 days after the fake clock's start
    stored = group.uow.invitations.committed
    assert list(stored) == [key_of(code)] and code not in stored  # only the hash is kept
    assert stored[key_of(code)].sector is Sector.CIVIL_SOCIETY
    assert group.stored.audit[-1].action == "invited"


def test_two_invitations_have_different_codes(group: Chat) -> None:
    assert invite(group) != invite(group)


def test_only_a_coordinator_may_invite(group: Chat) -> None:
    group.say(OMAR, "gå med Fritidsbanken civilsamhälle")
    reply = group.message(OMAR, "bjud in Föreningen Gemenskap")
    assert reply.private and reply.invite is None
    assert "samordnare" in reply.plain_text and "Anna" in reply.plain_text
    assert group.uow.invitations.committed == {}


def test_an_invitation_needs_an_organisation(group: Chat) -> None:
    assert "bjud in <organisation>" in group.message(ANNA, "bjud in").plain_text
    assert group.uow.invitations.committed == {}


def test_redeeming_in_a_private_chat_joins_the_group_and_gives_a_digest(group: Chat) -> None:
    group.say(ANNA, "svara status.1 Vi har lokaler")
    for n in range(1, 5):
        group.say(ANNA, f"beslut Beslut nummer {n}")
    group.say(ANNA, "avstämning varje tisdag 09:00")
    code = invite(group)
    dm = private(group, OMAR)

    digest, pictured = dm.say(OMAR, f"gå med {code}")
    assert isinstance(digest, Message) and isinstance(pictured, PictureReply)
    # The newcomer sees the map too: the group's collaboration, where it stands.
    assert isinstance(pictured.picture, ModelPicture)
    tiles = {t.step_id: t for row in pictured.picture.rows for t in row.tiles}
    assert tiles["status"].state == "focus" and tiles["status"].answered == 1
    assert pictured.filename.startswith("läxhjälp-i-rosengård-karta-")

    member = group.stored.members[OMAR.user_id]
    assert (member.organisation, member.sector, member.role) == (
        "Föreningen Gemenskap",
        Sector.CIVIL_SOCIETY,
        Role.PARTNER,
    )
    assert group.stored.channel == GROUP  # the group stays the collaboration's channel
    assert group.uow.collaborations.committed.keys() == {GROUP}
    text = digest.plain_text
    assert "Läxhjälp i Rosengård" in text and "Omar" in text
    assert "Förutsättningar" in text  # the phase of the focus step
    open_lines = [line for line in text.splitlines() if line.startswith("– ")]
    assert len(open_lines) == 3 and "Vi har lokaler" not in text
    assert "Beslut nummer 4" in text and "Beslut nummer 2" in text
    assert "Beslut nummer 1" not in text  # the last three decisions only
    assert "Nästa avstämning: 2026-11-24 09:00" in text
    assert "svara på ett kort" in text  # what to do next: answer in the group
    assert digest.actions == ()  # a button would send its command to the private chat


def test_the_invitation_is_used_once_and_the_collaboration_records_the_join(group: Chat) -> None:
    code = invite(group)
    private(group, OMAR).say(OMAR, f"gå med {code}")
    invitation = group.uow.invitations.committed[key_of(code)]
    assert invitation.redeemed_by == OMAR.user_id
    assert group.stored.audit[-1].action == "join_invited"

    refused = private(group, LINA).message(LINA, f"gå med {code}")

    assert refused.private and "redan använts" in refused.plain_text
    assert LINA.user_id not in group.stored.members
    assert "Läxhjälp" not in refused.plain_text


def test_the_same_person_using_the_link_again_sees_the_digest_again(group: Chat) -> None:
    code = invite(group)
    dm = private(group, OMAR)
    dm.say(OMAR, f"gå med {code}")
    audit = len(group.stored.audit)
    again, _ = dm.say(OMAR, f"gå med {code}")
    assert "Välkommen till ”Läxhjälp i Rosengård”" in again.plain_text
    assert len(group.stored.audit) == audit  # nothing new happened


def test_an_expired_invitation_is_refused_and_changes_nothing(
    group: Chat, clock: FakeClock
) -> None:
    code = invite(group)
    before = group.stored
    clock.advance(days=14, seconds=1)

    refused = private(group, OMAR).message(OMAR, f"gå med {code}")

    assert refused.private and "gått ut" in refused.plain_text
    assert "Läxhjälp" not in refused.plain_text
    assert group.stored == before
    assert group.uow.invitations.committed[key_of(code)].redeemed_by is None


def test_an_unknown_code_is_refused_in_the_persons_language(group: Chat) -> None:
    dm = private(group, OMAR)
    swedish = dm.message(OMAR, "gå med " + "A" * 22)
    english = dm.message(OMAR, "join " + "B" * 22)
    assert swedish.private and "känner jag inte igen" in swedish.plain_text
    assert english.private and "don't recognise" in english.plain_text
    assert OMAR.user_id not in group.stored.members


def test_a_code_of_another_workspace_is_unknown_there(group: Chat) -> None:
    code = invite(group)
    elsewhere = Chat(group.bot, group.uow, channel=ChannelRef("test", "W2", "D-omar"))
    refused = elsewhere.message(OMAR, f"gå med {code}")
    assert "känner jag inte igen" in refused.plain_text
    assert group.uow.invitations.committed[key_of(code)].redeemed_by is None
    # It still works where it was made.
    private(group, OMAR).say(OMAR, f"gå med {code}")
    assert OMAR.user_id in group.stored.members


def test_the_digest_is_in_the_collaborations_language(group: Chat) -> None:
    group.say(ANNA, "språk en")
    code = invite(group, "bjud in Community Association")
    digest, pictured = private(group, OMAR).say(OMAR, f"gå med {code}")
    assert "Welcome to “Läxhjälp i Rosengård”" in digest.plain_text
    assert pictured.plain_text.startswith("The map of “Läxhjälp i Rosengård”.")
    assert "What to do now" in digest.plain_text
    assert group.stored.members[OMAR.user_id].sector is None  # none was given


def test_redeeming_in_the_group_itself_works_too(group: Chat) -> None:
    code = invite(group)
    reply, _ = group.say(OMAR, f"gå med {code}")
    assert "Välkommen till" in reply.plain_text
    assert group.stored.members[OMAR.user_id].organisation == "Föreningen Gemenskap"


def test_a_private_chat_greets_and_says_how_to_be_invited(group: Chat) -> None:
    dm = private(group, OMAR)
    assert "bjud in <din organisation>" in dm.message(OMAR, "välkommen").plain_text
    assert "invite <your organisation>" in dm.message(OMAR, "welcome").plain_text


def test_inviting_in_english(clock: FakeClock) -> None:
    uow = FakeUnitOfWork()
    chat = Chat(make_bot(uow, clock, language="en"), uow, channel=GROUP)
    chat.say(ANNA, "start Homework help")
    reply = chat.message(ANNA, "invite Community Association civil society")
    assert isinstance(reply, Message) and reply.invite is not None
    assert f"join {reply.invite.code}" in reply.plain_text


@pytest.mark.parametrize(
    ("text", "command"),
    [
        ("bjud in Föreningen X", c.InviteRepresentative("Föreningen X")),
        (
            "bjud in Föreningen X, civilsamhälle",
            c.InviteRepresentative("Föreningen X", Sector.CIVIL_SOCIETY),
        ),
        ("invite Club Y other", c.InviteRepresentative("Club Y", Sector.OTHER)),
        (
            "gå med Fritidsbanken civilsamhälle",
            c.JoinOrganisation("Fritidsbanken", Sector.CIVIL_SOCIETY),
        ),
        ("gå med Abc_def-123456789012345", c.RedeemInvitation("Abc_def-123456789012345")),
        ("join Abc_def-123456789012345", c.RedeemInvitation("Abc_def-123456789012345")),
        ("välkommen", c.ShowWelcome()),
    ],
)
def test_parsing(text: str, command: c.Command) -> None:
    assert parse(text).command == command


def test_a_join_without_sector_is_still_a_usage_error_not_a_code() -> None:
    with pytest.raises(UsageError):
        parse("gå med Fritidsbanken")


def test_another_organisations_invitation_asks_before_it_switches(group: Chat) -> None:
    group.say(OMAR, "gå med Fritidsbanken civilsamhälle")
    code = invite(group)
    asked = private(group, OMAR).message(OMAR, f"gå med {code}")
    assert asked.private and "Fritidsbanken" in asked.plain_text
    assert group.stored.members[OMAR.user_id].organisation == "Fritidsbanken"
    assert group.uow.invitations.committed[key_of(code)].redeemed_by is None  # still usable
    [button] = asked.actions
    assert button.command == f"gå med {code} ja"
    private(group, OMAR).say(OMAR, button.command)
    assert group.stored.members[OMAR.user_id].organisation == "Föreningen Gemenskap"
