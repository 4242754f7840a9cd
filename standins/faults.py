"""Random faults of a stand-in API: a seeded share of some methods' calls failing."""

from __future__ import annotations

import random
import threading

KINDS = ("500", "503", "429", "hang")


class RandomFaults:
    """A ``share`` of the calls of ``methods`` fail, one of :data:`KINDS` each in equal parts:
    a 500, a 503, a 429 asking to wait a second, or a hang (the call done, but answered only
    after the caller's timeout). Drawn from a generator seeded with ``seed``, so a run can be
    repeated; what was drawn is counted by kind."""

    def __init__(self, methods: set[str], share: float, seed: int) -> None:
        self.methods = methods
        self.share = share
        self.generator = random.Random(seed)
        self.counts: dict[str, int] = dict.fromkeys(KINDS, 0)
        self.lock = threading.Lock()

    def draw(self, method: str) -> str | None:
        """How this call of ``method`` fails (one of :data:`KINDS`), or ``None``."""
        if method not in self.methods:
            return None
        with self.lock:
            if self.generator.random() >= self.share:
                return None
            kind = KINDS[self.generator.randrange(len(KINDS))]
            self.counts[kind] += 1
            return kind
