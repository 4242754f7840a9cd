"""Handlers of invitations: a coordinator invites a representative, the invited one redeems the
code and gets a digest of where the collaboration stands. See :mod:`bot.invitations`."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot import commands as c
from bot import guidance
from bot.context import Context
from bot.data_rights import keep_answers_note
from bot.domain import Collaboration, Decision, validate_text
from bot.errors import InvitationNotUsableError
from bot.invitations import VALID_FOR, Invitation, key_of, new_code
from bot.map import fold
from bot.nudge_plan import plan_nudges
from bot.picture import map_reply
from bot.replies import Action, Invite, Message, Reply, Section
from bot.schedule import next_checkin
from bot.texts import SECTOR_NAMES, pick

MAX_ORGANISATION_LENGTH = 200
MAX_DIGEST_ITEMS = 3


def invite_representative(cmd: c.InviteRepresentative, ctx: Context) -> list[Reply]:
    collab, actor = ctx.collab, ctx.actor
    organisation = validate_text(cmd.organisation, MAX_ORGANISATION_LENGTH)
    code = new_code()
    invitation = Invitation(
        key=key_of(code),
        collaboration_id=collab.id,
        platform=collab.channel.platform,
        workspace=collab.channel.workspace,
        organisation=organisation,
        sector=cmd.sector,
        created_by=actor.user_id,
        created_at=ctx.now,
        expires_at=ctx.now + VALID_FOR,
    )
    ctx.uow.invitations.add(invitation)
    collab.record(ctx.now, actor.user_id, "invited", organisation)
    until = invitation.expires_at.astimezone(ZoneInfo(collab.timezone)).strftime("%Y-%m-%d %H:%M")
    intro = ctx.t("invite_created", organisation=organisation, until=until)
    manual = Section(None, (ctx.t("invite_manual", code=code),))
    invite = Invite(code=code, manual=manual, link_hint=ctx.t("invite_link_hint"))
    return [Message((Section(None, (intro,)), manual), private=True, invite=invite)]


def redeem_invitation(cmd: c.RedeemInvitation, ctx: Context) -> list[Reply]:
    """Join the person to the invitation's collaboration and show them where it stands.

    Raises :class:`InvitationNotUsableError`, changing nothing, for a code that is unknown (or
    made on another platform or workspace), expired or used by someone else. The person who
    used it may use it again (a link tapped twice): they get the digest once more.
    """
    key = key_of(cmd.code)
    found = ctx.uow.invitations.get(key)
    where = ctx.incoming.channel
    if found is None or (found.platform, found.workspace) != (where.platform, where.workspace):
        raise InvitationNotUsableError("unknown")
    # The collaboration is locked before the invitation, in the order every message of its
    # channel takes them, so that two transactions never wait for each other in a circle.
    collab = ctx.uow.collaborations.get(found.collaboration_id)
    if collab is None:
        raise InvitationNotUsableError("unknown")
    switching = _switches_from(collab, ctx, found.organisation)
    if switching is not None and not cmd.confirmed:
        ctx.language = "en" if collab.language == "en" else "sv"
        with ctx.privately():
            return [_switch_question(ctx, switching, found.organisation, cmd.code)]
    if found.redeemed_by != ctx.person.user_id:
        redeemed = ctx.uow.invitations.redeem(
            key, where.platform, where.workspace, ctx.person.user_id, ctx.now
        )
        if redeemed is None:
            raise InvitationNotUsableError(_why_not(ctx.uow.invitations.get(key)))
        _join(ctx, collab, redeemed)
    ctx.language = "en" if collab.language == "en" else "sv"
    return [digest(ctx, collab, found.organisation), map_reply(ctx, collab)]


def _switches_from(collab: Collaboration, ctx: Context, organisation: str) -> str | None:
    """The other organisation the person represents in ``collab`` already, if any."""
    member = collab.members.get(ctx.person.user_id)
    before = member.organisation if member is not None else None
    if before and fold(before) != fold(organisation):
        return before
    return None


def _switch_question(ctx: Context, before: str, organisation: str, code: str) -> Message:
    """Asked privately (the code is the person's own): switch organisation, or leave it be."""
    confirm = ctx.command("join", code, "yes" if ctx.language == "en" else "ja")
    question = ctx.t("switch_question", before=before, organisation=organisation)
    hint = ctx.t("confirm_hint", command=confirm)
    action = Action(ctx.t("action_switch", organisation=organisation), confirm, "danger")
    return Message((Section(None, (question, hint)),), actions=(action,), private=True)


def _why_not(invitation: Invitation | None) -> str:
    if invitation is None:
        return "unknown"
    return "expired" if invitation.redeemed_by is None else "used"


def _join(ctx: Context, collab: Collaboration, invitation: Invitation) -> None:
    member = collab.member(ctx.person, ctx.now)
    member.organisation = invitation.organisation
    if invitation.sector is not None:
        member.sector = invitation.sector
    collab.record(ctx.now, ctx.person.user_id, "join_invited", invitation.organisation)
    plan_nudges(collab, ctx.now, ctx.calendar)
    ctx.uow.collaborations.save(collab)


def digest(ctx: Context, collab: Collaboration, organisation: str) -> Message:
    """Where the collaboration stands, for a newcomer: in the collaboration's language."""
    member = collab.members.get(ctx.person.user_id)
    known = member.sector if member is not None else None
    sector = pick(SECTOR_NAMES, known.value, ctx.language) if known else None
    welcome = ctx.t(
        "digest_welcome",
        name=ctx.person.display_name,
        collaboration=collab.name,
        organisation=organisation if sector is None else f"{organisation} ({sector})",
    )
    sections = [Section(None, (welcome,)), _where_section(ctx, collab)]
    decisions = sorted(collab.decisions, key=lambda d: d.number)[-MAX_DIGEST_ITEMS:]
    if decisions:
        lines = tuple(_decision_line(ctx, d) for d in reversed(decisions))
        sections.append(Section(ctx.t("digest_decisions"), lines, bullets=True, verbatim=True))
    if collab.checkin is not None and not collab.reminders_paused:
        when = next_checkin(collab.checkin, ctx.now, ctx.calendar)
        local = when.astimezone(ZoneInfo(collab.timezone)).strftime("%Y-%m-%d %H:%M")
        when_text = f"{local} ({collab.timezone})"
        sections.append(Section(None, (ctx.t("reminders_next_checkin", when=when_text),)))
    sections.append(Section(None, (keep_answers_note(ctx, collab),)))
    # No buttons: the private chat has no collaboration, so "what's next?" belongs in the group.
    sections.append(Section(ctx.t("digest_next_heading"), (ctx.t("digest_next"),)))
    return Message(tuple(sections))


def _decision_line(ctx: Context, decision: Decision) -> str:
    line = f"{decision.number}. {decision.text}"
    return line if decision.confirmed else f"{line} ({ctx.t('export_unconfirmed')})"


def _where_section(ctx: Context, collab: Collaboration) -> Section:
    if collab.focus_step_id is None:
        return Section(ctx.t("digest_where"), (ctx.t("all_finished"),))
    step = ctx.model.step(collab.focus_step_id)
    phase = ctx.model.phase_of(step.id)
    heading = ctx.t(
        "now_heading", phase=ctx.loc(phase.title), step=ctx.step_title(step), cycle=collab.cycle
    )
    lines = [ctx.loc(step.key_question)]
    open_questions = guidance.open_questions(collab, step)
    if open_questions:
        count = ctx.t("open_questions", count=len(open_questions), total=len(step.questions))
        lines.append(count + ":")
        lines += [f"– {ctx.loc(q.text)}" for q in open_questions[:MAX_DIGEST_ITEMS]]
    else:
        lines.append(ctx.t("no_open_questions"))
    return Section(heading, tuple(lines))


def show_welcome(cmd: c.ShowWelcome, ctx: Context) -> list[Reply]:
    return [Message((Section(None, (ctx.t("private_welcome"),)),))]
