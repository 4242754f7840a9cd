"""The partners' data rights: what is stored about me (`mina uppgifter`), forget me (`radera
mig`), and whether a collaboration keeps the answers of someone forgotten (`spara svar`).

Both of a person's commands work in a collaboration's channel and in a private chat with the
bot, and reach every collaboration of the workspace. What is stored comes as a Markdown file
for the person alone: a heading for each collaboration and each kind of thing, and each stored
row as ``- **column:** value`` lines, readable and easy to process.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot import commands as c
from bot.context import Context
from bot.document import Block, Document, Fact, Facts, Heading, Paragraph
from bot.domain import Collaboration, new_id
from bot.errors import LastCoordinatorError
from bot.ports import Erasure, StoredAbout
from bot.replies import Action, DocumentReply, Message, Reply, Section
from bot.texts import text

# The kinds of stored things, in the order the file shows them.
KINDS = (
    "collaboration",
    "membership",
    "role",
    "answer",
    "earlier_wording",
    "decision",
    "step",
    "invitation",
    "message_count",
    "audit",
)


def show_my_data(cmd: c.ShowMyData, ctx: Context) -> list[Reply]:
    if ctx.collaboration is not None:  # a first message here makes a member: that is stored too
        ctx.uow.collaborations.save(ctx.collaboration)
    channel = ctx.incoming.channel
    items = ctx.uow.people.about(channel.platform, channel.workspace, ctx.person.user_id)
    with ctx.privately():
        document = _document(ctx, items)
        zone = ctx.collaboration.timezone if ctx.collaboration else ctx.default_timezone
        stamp = ctx.now.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d-%H%M%S")
        filename = f"{ctx.t('my_data_file_word')}-{stamp}-{ctx.language}.md"
        note = Message((Section(None, (ctx.t("my_data_sent"),)),), private=True)
        caption = ctx.t("my_data_caption")
        return [note, DocumentReply(document, "md", filename, caption, private=True)]


def _document(ctx: Context, items: list[StoredAbout]) -> Document:
    person = ctx.person
    blocks: list[Block] = [
        Heading(ctx.t("my_data_title")),
        Paragraph(ctx.t("my_data_intro", date=ctx.today.isoformat())),
        Facts(
            (
                Fact(ctx.t("my_data_platform"), ctx.incoming.channel.platform),
                Fact(ctx.t("my_data_workspace"), ctx.incoming.channel.workspace),
                Fact(ctx.t("my_data_id"), person.user_id),
                Fact(ctx.t("my_data_name"), person.display_name),
            )
        ),
    ]
    if not items:
        blocks.append(Paragraph(ctx.t("my_data_nothing"), quiet=True))
    by_collaboration: dict[str, list[StoredAbout]] = {}
    for item in items:
        by_collaboration.setdefault(item.collaboration, []).append(item)
    for name, found in by_collaboration.items():
        blocks.append(Heading(name, 2))
        for kind in KINDS:
            of_kind = [i for i in found if i.kind == kind]
            if of_kind:
                blocks.append(Heading(ctx.t(f"my_data_kind_{kind}"), 3))
                blocks += [Facts(tuple(Fact(k, v) for k, v in i.fields)) for i in of_kind]
    blocks.append(Paragraph(ctx.t("my_data_outro", command=ctx.command("forget_me"))))
    return Document(
        title=ctx.t("my_data_title"),
        language=ctx.language,
        subject=ctx.t("my_data_title"),
        author=ctx.t("record_author"),
        credit=ctx.t("record_author"),
        page_label=ctx.t("record_page", page="{page}", pages="{pages}"),
        blocks=tuple(blocks),
    )


def forget_me(cmd: c.ForgetMe, ctx: Context) -> list[Reply]:
    channel, person = ctx.incoming.channel, ctx.person
    if cmd.asked_by is not None and cmd.asked_by != person.user_id:
        with ctx.privately():  # someone else's button: nothing happens to anyone
            said = ctx.t("forget_not_yours", command=ctx.command("forget_me"))
            return [Message((Section(None, (said,)),), private=True)]
    mine = ctx.uow.collaborations.by_member(channel.platform, channel.workspace, person.user_id)
    for collab in mine:
        coordinators = [m for m in collab.coordinators if m.user_id != person.user_id]
        others = [m for m in collab.members if m != person.user_id]
        if others and not coordinators:
            raise LastCoordinatorError(person.display_name)
    with ctx.privately():
        if not cmd.confirmed:
            command = f"{ctx.command('forget_me')} {'yes' if ctx.language == 'en' else 'ja'}"
            lines = (ctx.t("forget_question"), ctx.t("confirm_hint", command=command))
            pressed = f"{command} #{person.user_id}"  # only the person who asked can press it
            action = Action(ctx.t("action_forget"), pressed, "danger")
            return [Message((Section(None, lines),), actions=(action,), private=True)]
        tag = new_id()[:8]
        erasure = Erasure(
            platform=channel.platform,
            workspace=channel.workspace,
            user_id=person.user_id,
            names=(person.display_name,),
            pseudonym_id=f"erased-{tag}",
            pseudonym_name={lang: text("erased_name", lang, tag=tag) for lang in ("sv", "en")},
            removed_text={lang: text("erased_text", lang) for lang in ("sv", "en")},
            language=ctx.language,
            at=ctx.now,
        )
        count = ctx.uow.people.erase(erasure)
        # The erasure wrote around this message's aggregate, which still holds the person:
        # it is not saved.
        ctx.collaboration, ctx.member = None, None
        return [Message((Section(None, (ctx.t("forgotten", count=count),)),), private=True)]


def set_keep_answers(cmd: c.SetKeepAnswers, ctx: Context) -> list[Reply]:
    collab = ctx.collab
    collab.keep_answers = cmd.keep
    collab.record(ctx.now, ctx.actor.user_id, "keep_answers", "yes" if cmd.keep else "no")
    said = ctx.t("keep_answers_on" if cmd.keep else "keep_answers_off")
    return [Message((Section(None, (said,)),))]


def keep_answers_note(ctx: Context, collab: Collaboration) -> str:
    """What becomes of a member's answers if they ask to be forgotten, for the join reply."""
    return ctx.t("join_keeps_answers" if collab.keep_answers else "join_removes_answers")
