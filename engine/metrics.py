"""Every metric the bot exposes at ``/metrics``, defined in one place, and the one-line calls
that the engine and the platforms make to count what happens.

Two kinds of figures:

- **What happens in a process** (events received, refused and handled, nudges sent, 429s,
  clock ticks): counters and histograms of ``prometheus_client``. ``samverkan serve`` runs
  its worker processes in prometheus-client's multiprocess mode (each process writes its
  figures to files in ``PROMETHEUS_MULTIPROC_DIR``; the serving process adds them up at a
  scrape), because the events are handled, and the nudges sent, in processes that have no
  HTTP server of their own. Without that directory (one process, the tests) they are kept in
  memory.
- **What the database holds** (inbox and outbox depth and age, collaborations, members): read
  from the database at scrape time (:class:`FiguresCollector`). The database is the one truth
  every process shares, so there is nothing to add up and nothing goes stale when a process
  dies; the queries are counts over indexed columns.

Labels hold only the platform's name and fixed words (outcomes, reasons): never a person, a
channel, a text or a token.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

# Our own registry: what the libraries we use may register elsewhere is none of ours.
REGISTRY = CollectorRegistry(auto_describe=True)

_LATENCY_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 300.0)
_WAIT_BUCKETS = (1.0, 2.0, 5.0, 10.0, 30.0, 60.0, 300.0, 900.0, 3600.0)
_TICK_BUCKETS = (0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)

EVENTS_RECEIVED = Counter(
    "samverkan_events_received",
    "Platform events verified and kept in the inbox; repeat: a redelivery already kept.",
    ["platform", "kept"],
    registry=REGISTRY,
)
EVENTS_REFUSED = Counter(
    "samverkan_events_refused",
    "Requests refused before keeping: a bad Slack signature or Telegram webhook secret.",
    ["platform", "reason"],
    registry=REGISTRY,
)
EVENTS_HANDLED = Counter(
    "samverkan_events_handled",
    "Kept events the inbox worker finished with, by outcome: handled, retry (given back), "
    "failed (given up after the last attempt).",
    ["platform", "outcome"],
    registry=REGISTRY,
)
HANDLING_SECONDS = Histogram(
    "samverkan_event_handling_seconds",
    "From an event's receipt to its replies sent.",
    ["platform"],
    buckets=_LATENCY_BUCKETS,
    registry=REGISTRY,
)
NUDGES = Counter(
    "samverkan_nudges",
    "Nudges delivery tried, by outcome: sent, retry (given back after a failure or a 429), "
    "undeliverable (the channel is out of reach; given up).",
    ["platform", "outcome"],
    registry=REGISTRY,
)
RATE_LIMITED = Counter(
    "samverkan_rate_limited",
    "429 answers (Slack ratelimited, Telegram flood control) from a platform's API.",
    ["platform"],
    registry=REGISTRY,
)
RETRY_AFTER_SECONDS = Histogram(
    "samverkan_retry_after_seconds",
    "The Retry-After a platform asked for with a 429.",
    ["platform"],
    buckets=_WAIT_BUCKETS,
    registry=REGISTRY,
)
POSSIBLY_SENT = Counter(
    "samverkan_messages_possibly_sent",
    "Messages whose request timed out and was tried again: the platform may have posted them "
    "all the same (neither Slack nor Telegram takes an idempotency key), so they may show twice.",
    ["platform"],
    registry=REGISTRY,
)
TICK_SECONDS = Histogram(
    "samverkan_clock_tick_seconds",
    "How long the nudge clock's ticks took (the leading process only).",
    buckets=_TICK_BUCKETS,
    registry=REGISTRY,
)
ENQUEUED = Counter(
    "samverkan_nudges_enqueued",
    "Outbox rows the nudge clock wrote.",
    registry=REGISTRY,
)
LEADING = Gauge(
    "samverkan_clock_leading",
    "1 in the process that runs the nudge clock, 0 in the others (label pid in multiprocess mode).",
    multiprocess_mode="liveall",
    registry=REGISTRY,
)


def event_received(platform: str, *, new: bool) -> None:
    EVENTS_RECEIVED.labels(platform, "new" if new else "repeat").inc()


def event_refused(platform: str, reason: str) -> None:
    EVENTS_REFUSED.labels(platform, reason).inc()


def event_done(platform: str, outcome: str, seconds: float | None = None) -> None:
    """An event finished with ``outcome``; ``seconds`` since its receipt when it was handled."""
    EVENTS_HANDLED.labels(platform, outcome).inc()
    if seconds is not None:
        HANDLING_SECONDS.labels(platform).observe(max(seconds, 0.0))


def nudge_done(platform: str, outcome: str) -> None:
    NUDGES.labels(platform, outcome).inc()


def rate_limited(platform: str, retry_after: float) -> None:
    RATE_LIMITED.labels(platform).inc()
    RETRY_AFTER_SECONDS.labels(platform).observe(retry_after)


def possibly_sent(platform: str) -> None:
    POSSIBLY_SENT.labels(platform).inc()


def ticked(seconds: float, enqueued: int) -> None:
    TICK_SECONDS.observe(seconds)
    ENQUEUED.inc(enqueued)


def leading(held: bool) -> None:
    LEADING.set(1 if held else 0)


@dataclass(frozen=True)
class Figures:
    """What the database holds, read at a scrape: per platform where it applies. Ages are in
    seconds, 0 when nothing waits."""

    inbox_depth: dict[str, int]
    oldest_event_seconds: dict[str, float]
    outbox_depth: dict[str, int]
    oldest_nudge_seconds: dict[str, float]
    collaborations: dict[str, int]
    members: dict[str, int]


_FIGURES: tuple[tuple[str, str, str], ...] = (
    ("inbox_depth", "samverkan_inbox_depth", "Kept events not handled yet."),
    (
        "oldest_event_seconds",
        "samverkan_inbox_oldest_seconds",
        "Age of the oldest kept event not handled yet.",
    ),
    ("outbox_depth", "samverkan_outbox_depth", "Nudges due (or waiting out a back-off), unsent."),
    (
        "oldest_nudge_seconds",
        "samverkan_outbox_oldest_due_seconds",
        "How long the oldest due, unsent nudge has been due.",
    ),
    ("collaborations", "samverkan_collaborations", "Collaborations, by platform."),
    ("members", "samverkan_members", "Members of collaborations, by platform."),
)


class FiguresCollector(Collector):
    """Reads :class:`Figures` at every scrape with ``read`` and exposes them as gauges, with
    the build's version as ``samverkan_build_info``."""

    def __init__(self, read: Callable[[], Figures], version: str, python: str) -> None:
        self.read = read
        self.version = version
        self.python = python

    def collect(self) -> Iterator[Metric]:
        info = GaugeMetricFamily(
            "samverkan_build_info", "The running version.", labels=["version", "python"]
        )
        info.add_metric([self.version, self.python], 1)
        yield info
        figures = self.read()
        for field, name, documentation in _FIGURES:
            family = GaugeMetricFamily(name, documentation, labels=["platform"])
            for platform, value in sorted(getattr(figures, field).items()):
                family.add_metric([platform], value)
            yield family
