"""The message catalog: one place for every text, both languages, one suggestion helper."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from generator.messages import MESSAGES, listed, look_alikes, render_message, unknown_code
from generator.texts import TEXTS, YAML_PROBLEMS

GENERATOR = Path(__file__).resolve().parents[1] / "generator"


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("key", [*MESSAGES, *TEXTS])
def test_every_text_has_both_languages_and_the_english_needs_no_other_params(key):
    zh, en = MESSAGES.get(key) or TEXTS[key]
    assert zh and en and zh != en
    # The Chinese may say more (a field's Chinese title); the English never asks for more.
    assert _fields(en) <= _fields(zh), key


def test_codes_and_texts_do_not_overlap():
    assert not set(MESSAGES) & set(TEXTS)
    assert all(len(words) == 2 for _, words in YAML_PROBLEMS)


def test_every_code_the_generator_reports_is_in_the_catalog():
    code_literal = re.compile(
        r"""(?:\.error|\.warning|Error|Problem)\(\s*[^,()]*?,?\s*["']([a-z0-9]+(?:-[a-z0-9]+)+)["']"""
    )
    used = set()
    for path in GENERATOR.rglob("*.py"):
        used |= set(code_literal.findall(path.read_text(encoding="utf-8")))
    assert used, "the pattern must find the codes"
    assert sorted(used - set(MESSAGES)) == []


def test_no_module_keeps_its_own_did_you_mean():
    offenders = [
        path.relative_to(GENERATOR).as_posix()
        for path in GENERATOR.rglob("*.py")
        if path.name not in ("messages.py", "texts.py")
        and (
            "get_close_matches" in (text := path.read_text(encoding="utf-8")) or "是否想写" in text
        )
    ]
    assert offenders == []


def test_look_alikes_come_first_and_at_most_ten_are_listed():
    ids = [f"county-{i:03d}" for i in range(120)]
    zh, en = listed(ids, "county-077x")
    assert zh.startswith("county-077、") and zh.endswith("等共 120 个")
    assert len(en.split(", ")) == 10


def test_an_unknown_code_names_the_nearest_codes_and_their_labels(site_settings):
    industries = site_settings.codes.industry
    assert look_alikes("快递", list(industries), industries) == ["express_logistics"]
    params = unknown_code(("行业", "industry"), "delivery", industries)
    text = render_message("unknown-code", params)
    assert "是否想写 “food_delivery”（外卖配送）？" in text
    assert "可选：food_delivery（外卖配送）、" in text and "等共 16 个" in text
    english = render_message("unknown-code", params, "en")
    assert ", did you mean “food_delivery”? - choose one of: food_delivery, " in english
    assert look_alikes("zzzz", list(industries), industries) == []


def test_every_code_is_listed_in_the_data_standard():
    """DATA-STANDARD.md's diagnostics table names every code of the catalog, and no other."""
    text = (Path(__file__).resolve().parents[1] / "DATA-STANDARD.md").read_text("utf-8")
    diagnostics = text[text.index("## Diagnostics") :]
    listed = re.findall(r"^\| `([a-z0-9-]+)` \|", diagnostics, re.M)
    assert sorted(listed) == sorted(MESSAGES)
