"""Handlers of who takes part: joining, roles, leaving and removing, and the lists of them.

A far-reaching change (switching organisation, leaving, removing someone) is asked about
first: it happens when the same command comes again with a confirming word, which the reply's
button writes. A collaboration always keeps a coordinator.
"""

from __future__ import annotations

from bot import commands as c
from bot.context import Context
from bot.data_rights import keep_answers_note
from bot.domain import Member, Role, RoleAssignment, validate_text
from bot.errors import LastCoordinatorError, UnknownPersonError
from bot.map import fold
from bot.replies import Action, Message, Reply, Section
from bot.texts import SECTOR_NAMES, pick

COORDINATOR_TITLES = {"samordnare", "processledare", "coordinator", "process leader"}
PARTNER_TITLES = {"deltagare", "partner", "samverkanspart", "participant", "member", "medlem"}
MAX_NAME_LENGTH = 200


def _say(*lines: str, actions: tuple[Action, ...] = ()) -> list[Reply]:
    return [Message((Section(None, lines),), actions=actions)]


def _ask_first(ctx: Context, question: str, label: str, command: str) -> list[Reply]:
    """Nothing changes yet: the reply says what would happen, with a button that confirms."""
    confirm_word = "yes" if ctx.language == "en" else "ja"
    action = Action(label, f"{command} {confirm_word}", "danger")
    hint = ctx.t("confirm_hint", command=f"{command} {confirm_word}")
    return [Message((Section(None, (question, hint)),), actions=(action,))]


def resolve_person(ctx: Context, ref: str) -> Member:
    wanted = fold(ref.lstrip("@"))
    for person in ctx.incoming.mentions:
        if wanted in (fold(person.user_id), fold(person.display_name)):
            return ctx.collab.member(person, ctx.now)
    for member in ctx.collab.members.values():
        if wanted in (fold(member.user_id), fold(member.display_name)):
            return member
    if len(ctx.incoming.mentions) == 1:
        return ctx.collab.member(ctx.incoming.mentions[0], ctx.now)
    raise UnknownPersonError(ref)


def _keep_a_coordinator(ctx: Context, leaving: Member) -> None:
    others = [m for m in ctx.collab.coordinators if m.user_id != leaving.user_id]
    if leaving.is_coordinator and not others:
        raise LastCoordinatorError(leaving.display_name)


def assign_role(cmd: c.AssignRole, ctx: Context) -> list[Reply]:
    member = resolve_person(ctx, cmd.person)
    title = validate_text(cmd.title, MAX_NAME_LENGTH)
    collab = ctx.collab
    if fold(title) in PARTNER_TITLES:
        _keep_a_coordinator(ctx, member)
        member.role = Role.PARTNER
        collab.roles = [
            r
            for r in collab.roles
            if r.user_id != member.user_id or fold(r.title) not in COORDINATOR_TITLES
        ]
        collab.record(ctx.now, ctx.actor.user_id, "role", f"{member.user_id}: partner")
        return _say(ctx.t("partner_set", name=member.display_name))
    same = (member.user_id, title)
    collab.roles = [r for r in collab.roles if (r.user_id, r.title) != same]
    collab.roles.append(RoleAssignment(member.user_id, title, ctx.actor.user_id, ctx.now))
    collab.record(ctx.now, ctx.actor.user_id, "role", f"{member.user_id}: {title}")
    if fold(title) in COORDINATOR_TITLES:
        member.role = Role.COORDINATOR
        return _say(ctx.t("coordinator_set", name=member.display_name))
    return _say(ctx.t("role_set", name=member.display_name, title=title))


def join_organisation(cmd: c.JoinOrganisation, ctx: Context) -> list[Reply]:
    member = ctx.actor
    organisation = validate_text(cmd.organisation, MAX_NAME_LENGTH)
    sector = pick(SECTOR_NAMES, cmd.sector.value, ctx.language)
    before = member.organisation
    if before and fold(before) != fold(organisation) and not cmd.confirmed:
        question = ctx.t("switch_question", before=before, organisation=organisation)
        command = ctx.command("join", organisation, sector)
        return _ask_first(ctx, question, ctx.t("action_switch", organisation=organisation), command)
    member.organisation = organisation
    member.sector = cmd.sector
    ctx.collab.record(ctx.now, member.user_id, "join", f"{organisation} ({cmd.sector})")
    joined = ctx.t("joined", name=member.display_name, organisation=organisation, sector=sector)
    next_ = Action(ctx.t("action_next"), ctx.command("next"))
    return _say(joined, keep_answers_note(ctx, ctx.collab), actions=(next_,))


def leave_collaboration(cmd: c.LeaveCollaboration, ctx: Context) -> list[Reply]:
    member = ctx.actor
    _keep_a_coordinator(ctx, member)
    if not cmd.confirmed:
        question = ctx.t("leave_question", name=ctx.collab.name)
        return _ask_first(ctx, question, ctx.t("action_leave"), ctx.command("leave"))
    _drop(ctx, member)
    ctx.collab.record(ctx.now, member.user_id, "left", member.organisation or "")
    return _say(ctx.t("left", name=member.display_name, collaboration=ctx.collab.name))


def remove_member(cmd: c.RemoveMember, ctx: Context) -> list[Reply]:
    member = resolve_person(ctx, cmd.person)
    if member.user_id == ctx.actor.user_id:
        return leave_collaboration(c.LeaveCollaboration(cmd.confirmed), ctx)
    _keep_a_coordinator(ctx, member)
    if not cmd.confirmed:
        question = ctx.t("remove_question", name=member.display_name)
        label = ctx.t("action_remove", name=member.display_name)
        return _ask_first(ctx, question, label, ctx.command("remove", f"@{member.display_name}"))
    _drop(ctx, member)
    ctx.collab.record(ctx.now, ctx.actor.user_id, "removed", member.user_id)
    return _say(ctx.t("removed", name=member.display_name))


def _drop(ctx: Context, member: Member) -> None:
    """The member and their roles go; what they answered and decided stays in the record."""
    collab = ctx.collab
    collab.roles = [r for r in collab.roles if r.user_id != member.user_id]
    collab.members.pop(member.user_id, None)
    ctx.member = None if member is ctx.member else ctx.member


def list_roles(cmd: c.ListRoles, ctx: Context) -> list[Reply]:
    collab = ctx.collab
    lines = [
        ctx.t("coordinator_line", names=", ".join(m.display_name for m in collab.coordinators))
    ]
    for role in collab.roles:
        member = collab.members.get(role.user_id)
        if member is None or fold(role.title) in COORDINATOR_TITLES:
            continue
        lines.append(_person_line(ctx, member, role.title))
    if len(lines) == 1:
        lines.append(ctx.t("no_roles", command=ctx.command("role", "@person", "…")))
    return [Message((Section(ctx.t("roles_heading"), tuple(lines), bullets=True),))]


def _person_line(ctx: Context, member: Member, title: str) -> str:
    organisation = member.organisation or ctx.t("not_joined")
    return ctx.t("role_line", name=member.display_name, title=title, organisation=organisation)


def list_members(cmd: c.ListMembers, ctx: Context) -> list[Reply]:
    return [Message((members_section(ctx),))]


def members_section(ctx: Context) -> Section:
    """The members by sector and organisation; those who have written but not joined last."""
    by_org: dict[tuple[str, str], list[str]] = {}
    waiting = []
    for member in ctx.collab.members.values():
        if not member.organisation:
            waiting.append(member.display_name)
            continue
        sector = pick(SECTOR_NAMES, member.sector.value, ctx.language) if member.sector else "–"
        by_org.setdefault((sector, member.organisation), []).append(member.display_name)
    lines = [
        ctx.t("member_line", organisation=org, sector=sector, names=", ".join(names))
        for (sector, org), names in sorted(by_org.items())
    ]
    if waiting:
        lines.append(ctx.t("members_not_joined", names=", ".join(sorted(waiting))))
    return Section(ctx.t("members_heading"), tuple(lines), bullets=True, verbatim=True)
