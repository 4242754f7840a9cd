"""``CollaborationRepository.by_member`` on the fake, SQLite and PostgreSQL alike."""

from __future__ import annotations

import copy

from bot.domain import ChannelRef, Member
from bot.ports import UnitOfWork
from tests.fakes import as_loaded
from tests.integration.builders import CHANNEL, collaboration


def test_a_member_finds_their_collaborations_of_that_workspace_only(uow: UnitOfWork) -> None:
    first = collaboration(name="Öppen förskola")
    second = collaboration(ChannelRef("slack", CHANNEL.workspace, "C-andra"), "Läxhjälp")
    second.members = {"U-omar": Member("U-omar", "Omar")}
    without_omar = collaboration(ChannelRef("slack", CHANNEL.workspace, "C-tredje"), "Körsång")
    del without_omar.members["U-omar"]
    other_workspace = collaboration(ChannelRef("slack", "T-annan", "C-laxhjalp"), "Annan")
    other_platform = collaboration(ChannelRef("telegram", CHANNEL.workspace, "-1"), "Telegram")
    expected = copy.deepcopy(first)
    with uow:
        for aggregate in (first, second, without_omar, other_workspace, other_platform):
            uow.collaborations.add(aggregate)
        uow.commit()

    with uow:
        found = uow.collaborations.by_member("slack", CHANNEL.workspace, "U-omar")
        nobody = uow.collaborations.by_member("slack", CHANNEL.workspace, "U-nobody")
        assert [c.name for c in found] == ["Läxhjälp", "Öppen förskola"]
        assert found[1] == as_loaded(expected)  # the whole aggregate, as get_by_channel reads it
        assert nobody == []


def test_the_aggregates_found_are_read_only_and_leave_no_trace(uow: UnitOfWork) -> None:
    with uow:
        uow.collaborations.add(collaboration())
        uow.commit()

    with uow:
        [found] = uow.collaborations.by_member("slack", CHANNEL.workspace, "U-anna")
        found.name = "Ändrat men aldrig sparat"
        uow.commit()

    with uow:
        stored = uow.collaborations.get_by_channel(CHANNEL)
    assert stored is not None and stored.name == "Läxhjälp i Gottsunda"
