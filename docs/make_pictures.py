"""Draws the README's pictures from a real terminal session: the model's map and two pages of
the exported PDF.

    .venv/bin/python docs/make_pictures.py

It plays a short collaboration with ``samverkan console`` on a fresh SQLite file, then keeps
the map (``docs/karta.png``) and draws the PDF's first page and a page of answers
(``docs/pdf-sida-1.png``, ``docs/pdf-sida-3.png``) with pypdfium2 (a dev dependency).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pypdfium2

HERE = Path(__file__).resolve().parent
SESSION = [
    "starta Läxhjälp i Rosengård",
    "gå med Malmö stad offentlig",
    "diarienummer KS 2026/123",
    "/som Omar, Fritidsbanken, civilsamhälle",
    "fråga",
    "svara Vi kan erbjuda lokaler gratis två kvällar i veckan.",
    "fråga",
    "svara Volontärer och material till läxhjälpen.",
    "beslut Vi ses varje tisdag i biblioteket följ upp 2027-02-01",
    "/som Samordnare",
    "bekräfta 1",
    "roll @Omar kontaktperson",
    "avstämning varje tisdag 09:00",
    "utvärdering 2027-06-01",
    "klar",
    "gå till målgrupp",
    "fråga",
    "svara Barn och unga i årskurs 4–9 i Rosengård, och deras föräldrar.",
    "hoppa över",
    "exportera pdf",
    "karta",
    "/avsluta",
]


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{folder}/bild.db"}
        for name in ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_CLIENT_ID", "TELEGRAM_BOT_TOKEN"):
            env[name] = ""
        subprocess.run(
            [sys.executable, "-m", "runtime.cli", "console"],
            input="\n".join(SESSION) + "\n",
            text=True,
            cwd=folder,
            env={**env, "PYTHONPATH": str(HERE.parent)},
            check=True,
            capture_output=True,
        )
        exports = Path(folder) / "exports"
        [png] = exports.glob("*.png")
        [pdf] = exports.glob("*.pdf")
        shutil.copy(png, HERE / "karta.png")
        document = pypdfium2.PdfDocument(pdf)
        for number in (1, 3):
            page = document[number - 1].render(scale=1.4).to_pil()
            page.save(HERE / f"pdf-sida-{number}.png", optimize=True)
        document.close()


if __name__ == "__main__":
    main()
