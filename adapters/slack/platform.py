"""Slack as a platform of the house: slack-bolt apps behind ``POST /slack/events``, Socket
Mode, and the one sending path.

Over HTTP a request is read within a size limit, its signature checked on the raw bytes, and
only then parsed, kept in the inbox and acknowledged at once (:class:`EventsEndpoint`,
:mod:`adapters.slack.kept`); the inbox worker then replays it through the listeners of the
handling app (:meth:`SlackPlatform.handle`). A listener (:mod:`adapters.slack.listeners`) makes
an ``Incoming`` for the core and sends its replies through :class:`SlackSender`, which nudges
take too. Socket Mode dispatches straight to the listeners after its own ack.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import AsyncIterator, Iterator, Sequence

from slack_bolt.adapter.socket_mode.aiohttp import AsyncSocketModeHandler
from slack_bolt.adapter.starlette.async_handler import (
    AsyncSlackRequestHandler,
    to_async_bolt_request,
    to_starlette_response,
)
from slack_bolt.async_app import AsyncApp
from slack_bolt.request.internals import parse_body
from slack_sdk.signature import SignatureVerifier
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

from adapters.bodies import BodyTooLarge, MalformedBody, body_within
from adapters.slack.kept import FAILURE_KEY, KeepRequest, chat_of, keep_failure, replayed
from adapters.slack.listeners import Listeners
from adapters.slack.oauth import INSTALL_PATH, REDIRECT_PATH, SlackOAuthStores, oauth_settings
from adapters.slack.policy import raise_port_error, web_client
from adapters.slack.sender import SlackSender
from adapters.slack.settings import SlackSettings
from adapters.slack.shape import well_formed
from adapters.slack.translate import PLATFORM
from bot.replies import Reply
from engine import metrics
from engine.platform import Platform, Surroundings, Target
from engine.ports import KeptEvent

log = logging.getLogger(__name__)

# Slack documents no size for what it sends. A message's text is cut at 40,000 characters, and
# an interaction carries the message it came from, URL-encoded: a megabyte holds the largest
# of them several times over.
BODY_LIMIT = 1024 * 1024

# What slack-bolt and its OAuth settings read from the environment when they are not given a
# value (an empty SLACK_CLIENT_ID= line would switch on bolt's own OAuth). The house reads its
# settings in one place and hands bolt every value it needs.
BOLT_ENVIRONMENT = (
    "SLACK_BOT_TOKEN",
    "SLACK_SIGNING_SECRET",
    "SLACK_VERIFICATION_TOKEN",
    "SLACK_CLIENT_ID",
    "SLACK_CLIENT_SECRET",
    "SLACK_SCOPES",
    "SLACK_USER_SCOPES",
    "SLACK_REDIRECT_URI",
    "SLACK_INSTALL_PATH",
    "SLACK_REDIRECT_URI_PATH",
)


class EventsEndpoint:
    """``POST /slack/events``: refused cheaply unless it is a signed request of a size Slack
    sends; then dispatched to the receiving app.

    Too large: 413 before the body is read. Not UTF-8: 400. Unsigned, or signed more than
    five minutes ago: 401, before it is parsed. Signed but not a payload (not JSON, nested too
    deep, fields of another kind than Slack's: :mod:`adapters.slack.shape`): 400. Each 400
    leaves one line in the log.
    """

    def __init__(self, receiving: AsyncApp, signing_secret: str) -> None:
        self.receiving = receiving
        self.verifier = SignatureVerifier(signing_secret)

    async def events(self, request: Request) -> Response:
        try:
            body = await body_within(request, BODY_LIMIT)
        except BodyTooLarge:
            return PlainTextResponse("payload too large", status_code=413)
        except MalformedBody:
            return PlainTextResponse("bad request", status_code=400)
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            log.warning("Slack request refused, its body not UTF-8")
            return PlainTextResponse("bad request", status_code=400)
        timestamp = request.headers.get("x-slack-request-timestamp", "")
        signature = request.headers.get("x-slack-signature", "")
        # slack_sdk's check takes the timestamp for a number; it is only a header.
        if not (timestamp.isdigit() and self.verifier.is_valid(text, timestamp, signature)):
            metrics.event_refused(PLATFORM, "bad_signature")
            return PlainTextResponse("invalid request", status_code=401)
        try:
            payload = parse_body(text, request.headers.get("content-type"))
        except (ValueError, RecursionError) as error:  # not JSON, nested too deep
            log.warning("Slack request refused, its body unreadable: %s", type(error).__name__)
            return PlainTextResponse("bad request", status_code=400)
        if not well_formed(payload):
            log.warning("Slack request refused, its body not a payload Slack sends")
            return PlainTextResponse("bad request", status_code=400)
        bolt_request = to_async_bolt_request(request, body)
        return to_starlette_response(await self.receiving.async_dispatch(bolt_request))


@contextlib.contextmanager
def _environment_unseen() -> Iterator[None]:
    """Bolt's own environment variables, out of its sight while an app is made."""
    hidden = {name: os.environ.pop(name) for name in BOLT_ENVIRONMENT if name in os.environ}
    try:
        yield
    finally:
        os.environ.update(hidden)


def slack_platform(
    settings: SlackSettings, surroundings: Surroundings, oauth: SlackOAuthStores | None = None
) -> Platform:
    """Slack, for one workspace (``settings.bot_token``) or, with ``oauth``, for every
    workspace that installs the app.

    Raises ``ValueError`` when the settings ask for OAuth and no stores are given.
    """
    if settings.oauth and oauth is None:
        raise ValueError("Slack over OAuth needs stores for its installations and states")
    return SlackPlatform(settings, surroundings, oauth if settings.oauth else None)


class SlackPlatform:
    """The platform object: routes, Socket Mode, kept events handled, messages sent."""

    name = PLATFORM

    def __init__(
        self,
        settings: SlackSettings,
        surroundings: Surroundings,
        oauth: SlackOAuthStores | None,
    ) -> None:
        self.settings = settings
        self.surroundings = surroundings
        self.oauth = oauth  # given exactly when settings.oauth (slack_platform sees to it)
        installations = oauth.installations if oauth is not None else None
        self.sender = SlackSender(
            surroundings.core, settings.api_url, settings.bot_token, installations, settings.timeout
        )
        self.listeners = Listeners(surroundings.core, self.sender)
        # Verification off: a kept request was verified when received. process_before_response
        # on: handling is over (replies sent) when dispatch returns. What a listener raises is
        # kept for handle() to raise, not turned into a 500 answer.
        self.handling_app = self._bolt(verify=False, process_before_response=True)
        self.handling_app.error(keep_failure)

    def routes(self) -> Sequence[BaseRoute]:
        """``POST /slack/events``: events, slash commands and interactivity, all signed by
        Slack, kept in the inbox; with OAuth also ``GET /slack/install`` and
        ``GET /slack/oauth_redirect``. None without a signing secret (Socket Mode only)."""
        if not self.settings.over_http:
            return []
        assert self.settings.signing_secret  # over_http says so
        # Verified by the endpoint, on the raw bytes, before bolt parses anything.
        receiving = self._bolt(verify=False, listeners=False)
        receiving.use(KeepRequest(self.surroundings.keep))
        endpoint = EventsEndpoint(receiving, self.settings.signing_secret)
        routes: list[BaseRoute] = [Route("/slack/events", endpoint.events, methods=["POST"])]
        if self.oauth is not None:
            handler = AsyncSlackRequestHandler(receiving)
            paths = (INSTALL_PATH, REDIRECT_PATH)
            routes += [Route(path, handler.handle, methods=["GET"]) for path in paths]
        return routes

    @contextlib.asynccontextmanager
    async def receiving(self) -> AsyncIterator[None]:
        """Socket Mode, when an app token is set: connected on entry, closed on exit.

        Event ids are deduplicated by the core just as over HTTP: with several processes each
        payload reaches one connection, but a redelivery may reach another.
        """
        if not self.settings.app_token:
            yield
            return
        socket = self._bolt(verify=False, process_before_response=False)
        handler = AsyncSocketModeHandler(socket, self.settings.app_token)
        await handler.connect_async()  # type: ignore[no-untyped-call]
        try:
            yield
        finally:
            await handler.close_async()  # type: ignore[no-untyped-call]

    @contextlib.asynccontextmanager
    async def handling(self) -> AsyncIterator[None]:
        """The sender's pool of connections to the Web API, open while events are handled."""
        async with self.sender.connected():
            yield

    def chat_of(self, event: KeptEvent) -> str:
        return chat_of(event)

    async def handle(self, event: KeptEvent) -> None:
        """Replay the kept request through the listeners.

        Raises what a listener (or bolt's own call to Slack) raised: the port's errors as they
        are, a refusal or a Slack out of reach as the port's errors too (see
        :func:`~adapters.slack.policy.raise_port_error`), so that the inbox worker waits as
        Slack asked, or backs off.
        """
        request = replayed(event)
        await self.handling_app.async_dispatch(request)
        failure = request.context.get(FAILURE_KEY)
        if failure is not None:
            raise_port_error(failure, self.chat_of(event))

    async def send(self, target: Target, replies: Sequence[Reply]) -> None:
        await self.sender.send(target, replies)

    def _bolt(
        self, *, verify: bool, process_before_response: bool = False, listeners: bool = True
    ) -> AsyncApp:
        """A bolt app with the policy's client and, where ``listeners``, every listener.

        With OAuth the client carries no token: bolt copies it (retry handlers included) for
        each request and gives the copy the token of the workspace the request came from.
        """
        settings = self.settings
        with _environment_unseen():
            oauth = oauth_settings(settings, self.oauth) if self.oauth is not None else None
            bolt = AsyncApp(
                client=web_client(
                    None if oauth else settings.bot_token, settings.api_url, settings.timeout
                ),
                signing_secret=settings.signing_secret or "",
                verification_token="",
                request_verification_enabled=verify,
                process_before_response=process_before_response,
                oauth_settings=oauth,
            )
        if listeners:
            self.listeners.register(bolt)
            if oauth is not None:
                # app_uninstalled and tokens_revoked delete the workspace's rows.
                bolt.enable_token_revocation_listeners()
        return bolt
