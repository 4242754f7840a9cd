"""The bundled model content: it loads, has the model's shape and matches MUCF's text.

The source of truth is the text of MUCF's "Samverkansmodell – för offentliga aktörer och
civilsamhället" (seed 001). A copy lives in ``tests/fixtures``; the original sits outside the repo.
"""

from __future__ import annotations

import re
import shutil
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from pydantic import BaseModel

from model_content.loader import DATA_DIR, ContentError, load_model
from model_content.schema import Localized, Model, Phase, Step

_HERE = Path(__file__).resolve()
SEED_CANDIDATES = (
    _HERE.parents[1] / "fixtures" / "seed_001_samverkansmodell.txt",
    _HERE.parents[3] / "shared" / "seeds" / "001_6ed024d704ecf0f4.txt",
)

EXPECTED_STEPS = {
    "preconditions": ["status", "knowledge", "laws"],
    "identify": ["problem", "target_group", "partners"],
    "plan": ["shared_view", "method", "roles"],
    "implement": ["implement", "develop", "evaluate"],
}

# The order in which the sections appear in the seed. Phase-level questions and tips are keyed by
# the phase (the implement phase as "implement_phase", since a step is called "implement").
# Note that the seed presents Samverkanspartner before Målgrupp; the model follows the map instead.
SEED_SECTION_ORDER = [
    "preconditions",
    "status",
    "knowledge",
    "laws",
    "identify",
    "problem",
    "partners",
    "target_group",
    "plan",
    "shared_view",
    "method",
    "roles",
    "implement_phase",
    "implement",
    "develop",
    "evaluate",
]


# --- normalisation: the only repairs applied to the PDF-extracted seed text ---------------------


def normalise(text: str) -> str:
    """Undo PDF-extraction artefacts, the same way the data files were transcribed."""
    text = re.sub(r"<(https?://[^>\s]+)>", r"\1", text)  # <url> -> url
    text = re.sub(r"\[([^\]]*)\]\(#\)", r"\1", text)  # [text](#) -> text
    text = text.replace("*", "")  # **bold** and *italic* markers
    text = re.sub(r"[▶►•]", " ", text)  # layout arrows and bullets
    text = re.sub(r"\s+", " ", text).strip()  # stray line breaks and spaces
    # A word broken by a hyphen at a line end ("kunskaps- höja"), but not the Swedish
    # shared-suffix hyphen ("ungdoms- och", "konsekvens- eller").
    text = re.sub(r"(?<=\w)- (?!(?:och|eller|samt)\b)(?=\w)", "", text)
    # A line end after a slash ("resurser/ personella").
    return re.sub(r"(?<=\w)/ (?=\w)", "/", text)


# --- reading the seed ----------------------------------------------------------------------------


def _seed_text() -> str:
    for path in SEED_CANDIDATES:
        if path.exists():
            return path.read_text(encoding="utf-8")
    pytest.skip(
        "seed text of MUCF's Samverkansmodell not found (looked in "
        + ", ".join(str(p) for p in SEED_CANDIDATES)
        + "); it lives outside the repo"
    )


def seed_questions(text: str) -> list[str]:
    """Every list item under a "Frågor att diskutera" heading, up to "Tänk på!"/"Kom vidare"."""
    found: list[str] = []
    inside = False
    for raw in text.splitlines():
        line = raw.strip()
        if line == "Frågor att diskutera":
            inside = True
        elif line in ("Tänk på!", "Kom vidare"):
            inside = False
        elif inside and line.startswith("- "):
            found.append(normalise(line[2:]))
    return found


def seed_question_marks(text: str) -> list[str]:
    """Every list item that ends with a question mark, wherever it is."""
    return [
        normalise(line.strip()[2:])
        for line in text.splitlines()
        if line.strip().startswith("- ") and line.strip().endswith("?")
    ]


def seed_tips(text: str) -> list[str]:
    """Every list item directly under a "Tänk på!" heading."""
    found: list[str] = []
    inside = False
    for raw in text.splitlines():
        line = raw.strip()
        if line == "Tänk på!":
            inside = True
        elif inside and line.startswith("- "):
            found.append(normalise(line[2:]))
        elif inside and line:
            inside = False
    return found


# --- walking the model ---------------------------------------------------------------------------


def _section_key(phase_id: str) -> str:
    return "implement_phase" if phase_id == "implement" else phase_id


def _sections(model: Model) -> dict[str, tuple[list[str], list[str]]]:
    """Questions and tips (sv) of every phase and step, keyed as in SEED_SECTION_ORDER."""
    sections: dict[str, tuple[list[str], list[str]]] = {}
    for phase in model.phases:
        sections[_section_key(phase.id)] = (
            [q.text.sv for q in phase.questions],
            [t.sv for t in phase.tips],
        )
        for step in phase.steps:
            sections[step.id] = ([q.text.sv for q in step.questions], [t.sv for t in step.tips])
    return sections


def _localized(node: object, path: str) -> Iterator[tuple[str, Localized]]:
    """Every Localized anywhere in the model, with where it is."""
    if isinstance(node, Localized):
        yield path, node
    elif isinstance(node, BaseModel):
        for name in type(node).model_fields:
            yield from _localized(getattr(node, name), f"{path}.{name}")
    elif isinstance(node, (tuple, list)):
        for index, item in enumerate(node):
            yield from _localized(item, f"{path}[{index}]")


@pytest.fixture(scope="module")
def model() -> Model:
    return load_model()


# --- tests ---------------------------------------------------------------------------------------


def test_model_loads_with_four_phases_and_their_steps_in_order(model: Model) -> None:
    assert [p.id for p in model.phases] == list(EXPECTED_STEPS)
    assert [p.order for p in model.phases] == [0, 1, 2, 3]
    assert [p.is_preconditions for p in model.phases] == [True, False, False, False]
    for phase in model.phases:
        assert [s.id for s in phase.steps] == EXPECTED_STEPS[phase.id]
    assert [p.title.sv for p in model.phases] == [
        "Förutsättningar för offentliga aktörer",
        "Identifiera och involvera",
        "Planera och justera",
        "Implementera och polera",
    ]
    assert [p.id for p in model.principles] == [
        "independence",
        "dialogue",
        "quality",
        "long_term",
        "openness",
        "diversity",
    ]
    assert [p.id for p in model.participation] == [
        "information",
        "consultation",
        "dialogue",
        "partnership",
    ]


def test_question_ids_follow_the_numbering_scheme(model: Model) -> None:
    for phase in model.phases:
        prefix = _section_key(phase.id)
        assert [q.id for q in phase.questions] == [
            f"{prefix}.{n}" for n in range(1, len(phase.questions) + 1)
        ]
        for step in phase.steps:
            assert [q.id for q in step.questions] == [
                f"{step.id}.{n}" for n in range(1, len(step.questions) + 1)
            ]


def test_every_question_in_the_seed_is_in_the_model_exactly_once(model: Model) -> None:
    text = _seed_text()
    expected = seed_questions(text)
    actual = [q for questions, _ in _sections(model).values() for q in questions]

    assert len(expected) == 102, "the seed parser no longer finds the model's 102 questions"
    assert len(actual) == len(expected)
    assert Counter(actual) == Counter(expected)
    # Every list item ending in "?" is a question (three more end with an example sentence).
    missing = [q for q in seed_question_marks(text) if q not in actual]
    assert not missing


def test_questions_sit_where_the_seed_puts_them(model: Model) -> None:
    sections = _sections(model)
    in_seed_order = [q for key in SEED_SECTION_ORDER for q in sections[key][0]]
    assert in_seed_order == seed_questions(_seed_text())


def test_every_tip_in_the_model_is_the_seeds_and_none_is_missing(model: Model) -> None:
    sections = _sections(model)
    expected = seed_tips(_seed_text())
    in_seed_order = [t for key in SEED_SECTION_ORDER for t in sections[key][1]]
    assert len(expected) == 37
    assert in_seed_order == expected


def test_swedish_texts_are_quoted_from_the_seed(model: Model) -> None:
    """Intros, headings, methods, principle notes and descriptions are verbatim from the seed."""
    seed = normalise(_seed_text())
    quoted: list[tuple[str, str]] = []
    for phase in model.phases:
        quoted += [(f"{phase.id}.title", phase.title.sv), (f"{phase.id}.intro", phase.intro.sv)]
        quoted += [(f"{phase.id}.note", n.text.sv) for n in phase.principle_notes]
        containers: list[Phase | Step] = [phase, *phase.steps]
        for step in phase.steps:
            quoted += [(f"{step.id}.title", step.title.sv), (f"{step.id}.intro", step.intro.sv)]
        for where in containers:
            for group in where.question_groups:
                if group.heading is not None:
                    quoted.append((f"{where.id}.heading", group.heading.sv))
            for method in where.methods:
                quoted.append((f"{where.id}.method.title", method.title.sv))
                quoted.append((f"{where.id}.method.text", method.text.sv))
    quoted += [(f"principle.{p.id}", p.description.sv) for p in model.principles]
    quoted += [(f"principle.{p.id}.title", p.title.sv) for p in model.principles]

    not_in_seed = [(where, text) for where, text in quoted if normalise(text) not in seed]
    assert not not_in_seed


def test_method_links_are_in_their_text(model: Model) -> None:
    for phase in model.phases:
        containers: list[Phase | Step] = [phase, *phase.steps]
        for where in containers:
            for method in where.methods:
                for link in method.links:
                    bare = link.removeprefix("https://")
                    assert bare in method.text.sv, (where.id, link)
                    assert bare in method.text.en, (where.id, link)


def test_every_text_has_swedish_and_a_real_english_translation(model: Model) -> None:
    texts = list(_localized(model, "model"))
    assert len(texts) > 300
    for path, text in texts:
        assert text.sv.strip(), path
        assert text.en.strip(), path
        if len(text.sv) > 20:
            assert text.en != text.sv, f"{path} is not translated: {text.sv!r}"


def test_a_broken_file_is_reported_with_its_name_and_the_field(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    plan_file = data / "plan.yaml"
    plan = yaml.safe_load(plan_file.read_text(encoding="utf-8"))
    del plan["steps"][1]["question_groups"][0]["questions"][0]["text"]["en"]
    plan_file.write_text(yaml.safe_dump(plan, allow_unicode=True), encoding="utf-8")

    with pytest.raises(ContentError) as caught:
        load_model(data)

    message = str(caught.value)
    assert "plan.yaml" in message
    assert "steps.1.question_groups.0.questions.0.text.en" in message


def test_aliases_are_lowercase_name_their_step_and_are_unambiguous(model: Model) -> None:
    seen: dict[str, str] = {}
    for phase in model.phases:
        for step in phase.steps:
            assert step.title.sv.lower() in step.aliases, step.id
            assert step.title.en.lower() in step.aliases, step.id
            for alias in step.aliases:
                assert alias == alias.lower(), (step.id, alias)
                assert seen.setdefault(alias, step.id) == step.id, f"{alias!r} names two steps"
