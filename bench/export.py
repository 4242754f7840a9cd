"""How long the record of a large collaboration takes to export, and how much memory it needs.

    python -m bench.export [--answers 500] [--database-url URL] [--rounds 5]

A collaboration with ``--answers`` answers (each about 220 characters, every tenth edited once,
spread over every question of the model), ten decisions and five roles is stored in the
database (a fresh SQLite file by default); then, in a process of its own that has imported
what the serving process imports, ``exportera`` is handled by the core on the SQL storage and
the PDF and the Markdown are rendered, as a platform's sender does before it uploads them. It
prints the first export's time, the median of ``--rounds`` more, and the process's peak
resident memory. Targets: under 3 s and under 200 MB. A missed target is printed as MISS.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

CHANNEL = ("console", "bench", "export")
SECONDS_TARGET = 3.0
MEGABYTES_TARGET = 200.0
TEXT = (
    "Vi erbjuder lokaler på kvällarna och hjälper till med läxor i matematik och svenska. "
    "Föreningen har tolv volontärer som turas om, och vi vill gärna att kommunen står för fika "
    "och material. Svar nummer {n}."
)


def seed(url: str, answers: int) -> None:
    """The collaboration, stored through the repository as the bot stores it."""
    from bot.domain import (
        Answer,
        ChannelRef,
        Collaboration,
        Decision,
        Member,
        Role,
        RoleAssignment,
        Sector,
        new_id,
    )
    from bot.map import ModelMap
    from model_content.loader import default_model
    from storage.database import make_engine, make_session_factory, upgrade
    from storage.uow import SqlUnitOfWork

    engine = make_engine(url)
    upgrade(engine)
    model = ModelMap(default_model())
    start = datetime(2026, 1, 12, 9, 0, tzinfo=UTC)
    channel = ChannelRef(*CHANNEL)
    collab = Collaboration(
        new_id(), channel, "Läxhjälp i Rosengård", "sv", "Europe/Stockholm", start, "U0"
    )
    collab.case_number = "KS 2026/123"
    orgs = [
        ("Malmö stad", Sector.PUBLIC),
        ("Fritidsbanken", Sector.CIVIL_SOCIETY),
        ("Unga i Rosengård", Sector.TARGET_GROUP),
    ]
    for i, (org, sector) in enumerate(orgs):
        role = Role.COORDINATOR if i == 0 else Role.PARTNER
        collab.members[f"U{i}"] = Member(f"U{i}", f"Person {i}", role, org, sector, start)
    questions = [(q, s) for s in model.steps for q in s.questions]
    for n in range(answers):
        question, step = questions[n % len(questions)]
        member = collab.members[f"U{n % len(orgs)}"]
        at = start + timedelta(hours=n)
        answer = Answer(
            new_id(),
            question.id,
            step.id,
            member.user_id,
            member.display_name,
            member.organisation,
            TEXT.format(n=n),
            at,
            at,
        )
        if n % 10 == 0:
            answer.revise(TEXT.format(n=n) + " Ändrat efter mötet.", at + timedelta(days=1))
        collab.answers.append(answer)
    for n in range(1, 11):
        collab.decisions.append(
            Decision(
                new_id(),
                n,
                f"Beslut nummer {n} om läxhjälpen",
                "U1",
                "Person 1",
                start,
                review_on=None,
                confirmed_by="U0",
                confirmed_at=start,
            )
        )
    for n in range(5):
        collab.roles.append(RoleAssignment(f"U{n % 3}", f"roll {n}", "U0", start))
    with SqlUnitOfWork(make_session_factory(engine)) as uow:
        uow.collaborations.add(collab)
        uow.commit()
    engine.dispose()


def measure(url: str, rounds: int) -> dict[str, object]:
    """In this process: import what a worker imports, then export ``rounds + 1`` times (the
    first export imports the renderers, as a worker's first file does)."""
    import documents
    from bot.domain import ChannelRef, Person
    from bot.incoming import Incoming
    from bot.map import ModelMap
    from bot.replies import DocumentReply
    from bot.service import Samverkansbot
    from engine.clock import SystemClock
    from model_content.loader import default_model
    from storage.database import make_engine, make_session_factory
    from storage.uow import SqlUnitOfWork

    sessions = make_session_factory(make_engine(url))
    bot = Samverkansbot(lambda: SqlUnitOfWork(sessions), SystemClock(), ModelMap(default_model()))
    channel = ChannelRef(*CHANNEL)
    times, sizes = [], {}
    for _ in range(rounds + 1):
        began = time.perf_counter()
        replies = bot.handle(Incoming(channel, Person("U0", "Person 0"), "exportera"))
        for reply in replies:
            assert isinstance(reply, DocumentReply), reply
            sizes[reply.format] = len(documents.attachment(reply).data)
        times.append(time.perf_counter() - began)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "first": times[0],
        "median": statistics.median(times[1:]),
        "peak_mb": peak,
        "sizes": sizes,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--answers", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--measure", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure, args.rounds)))
        return
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{Path(folder) / 'export.db'}"
        seed(url, args.answers)
        done = subprocess.run(
            [sys.executable, "-m", "bench.export", "--measure", url, "--rounds", str(args.rounds)],
            capture_output=True,
            text=True,
            check=True,
        )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    first, median, peak = result["first"], result["median"], result["peak_mb"]
    print(f"export of {args.answers} answers (PDF and Markdown, rendered):")
    print(
        f"  first export {first:.2f} s, median of {args.rounds} more {median:.2f} s "
        f"({'ok' if max(first, median) < SECONDS_TARGET else 'MISS'}: < {SECONDS_TARGET} s)"
    )
    print(
        f"  peak memory of the process {peak:.0f} MB "
        f"({'ok' if peak < MEGABYTES_TARGET else 'MISS'}: < {MEGABYTES_TARGET:.0f} MB)"
    )
    sizes = result["sizes"]
    print(f"  PDF {sizes['pdf'] / 1000:.0f} kB, Markdown {sizes['md'] / 1000:.0f} kB")


if __name__ == "__main__":
    main()
