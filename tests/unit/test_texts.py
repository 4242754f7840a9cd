import string

import pytest

from bot.texts import SECTOR_NAMES, STATUS_NAMES, TEXTS


def fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("key", sorted(TEXTS))
def test_every_text_exists_in_both_languages_with_the_same_fields(key: str) -> None:
    sv, en = TEXTS[key]
    assert sv.strip() and en.strip()
    assert fields(sv) == fields(en)


@pytest.mark.parametrize("names", [STATUS_NAMES, SECTOR_NAMES])
def test_names_exist_in_both_languages(names: dict[str, tuple[str, str]]) -> None:
    assert all(sv and en for sv, en in names.values())
