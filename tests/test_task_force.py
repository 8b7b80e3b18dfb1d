"""A county's task force: groups and member units as a count or as a list of names."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pydantic import ValidationError

from generator.diagnostics import Report
from generator.load.config import load_settings
from generator.models import County, TaskForce
from generator.render.renderer import Renderer

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def task_force_units(tmp_path_factory):
    settings = load_settings(ROOT / "site_config", Report())
    renderer = Renderer(ROOT / "templates", tmp_path_factory.mktemp("docs"), settings)
    macros = renderer.env.get_template("_macros.md.j2").make_module({"today": dt.date.today()})
    return lambda tf: str(macros.task_force_units(tf))


def test_a_count_alone_is_shown_as_a_count(task_force_units):
    shown = task_force_units(TaskForce(groups=6, member_units=12))
    assert shown == "- 工作组：6 个\n- 成员单位：12 家\n"


def test_names_are_shown_with_their_count(task_force_units):
    shown = task_force_units(
        TaskForce(groups=["综合协调组", "摸排组"], member_units=["县委组织部"])
    )
    assert shown == "- 工作组（2 个）：综合协调组、摸排组\n- 成员单位（1 家）：县委组织部\n"


def test_names_are_escaped_and_zero_is_a_count(task_force_units):
    shown = task_force_units(TaskForce(groups=0, member_units=["<b>局</b>"]))
    assert "- 工作组：0 个" in shown
    assert "<b>" not in shown


def test_nothing_given_shows_nothing(task_force_units):
    assert task_force_units(TaskForce(convener="县委副书记")).strip() == ""


def test_a_count_or_a_list_and_nothing_else():
    county = County.model_validate({"id": "px", "name": "蒲县", "task_force": {"groups": 6}})
    assert county.task_force.groups == 6
    for wrong in ("六", True, -1, 1.5, [""]):
        with pytest.raises(ValidationError) as caught:
            TaskForce.model_validate({"member_units": wrong})
        assert len(caught.value.errors()) == 1, wrong  # one clear message, not one per form
