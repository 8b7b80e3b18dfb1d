"""Checks across records: references, code lists, need dates, targets, unsafe text, warnings."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from generator.diagnostics import Report
from generator.load.loader import load_ledger
from generator.validate.checks import check_ledger

TODAY = dt.date(2026, 1, 15)
ORG = "name: 蒲县顺达快递\nkind: economic\nindustry: express_logistics\n"


def check(tree, monkeypatch, site_settings, files, today=TODAY, lang="zh") -> list[str]:
    """The diagnostics of loading and checking ``files`` (a county ``px`` is added)."""
    root = tree({"data/px/county.yaml": "name: 蒲县\n", **files})
    monkeypatch.chdir(root)
    report = Report()
    ledger = load_ledger(Path("data"), report)
    assert not report.errors, [d.format() for d in report.errors]
    check_ledger(ledger, site_settings, report, today)
    return [d.format(lang) for d in report.sorted()]


def coded(lines: list[str]) -> list[str]:
    """``path:line:col: code`` of each diagnostic line."""
    return [": ".join(line.split(": ")[:2]) for line in lines]


def test_every_reference_is_checked_where_it_is_written(tree, monkeypatch, site_settings):
    files = {
        "data/px/grids/zone-1.yaml": "name: 城东\nservice_center: center-9\n",
        "data/px/orgs/a.yaml": ORG + "grid: zone-1\n",
        "data/px/orgs/b.yaml": ORG + "grid: zone-2\n",
        "data/px/party_orgs/p.yaml": (
            "name: 联合党支部\nmode: joint\nestablished_on: 2025-05-20\ncovers: [a, c, b]\n"
        ),
        "data/px/activities/2025.yaml": (
            "- id: v\n  date: 2025-06-12\n  type: field_visit\n  title: 走访\n"
            "  grid: zone-3\n  orgs:\n    - a\n    - d\n"
        ),
        "data/px/needs/2025.yaml": (
            "- id: n\n  raised_on: 2025-06-12\n  summary: 停车\n  status: open\n  grid: zone-4\n"
        ),
    }
    assert coded(check(tree, monkeypatch, site_settings, files)) == [
        "data/px/activities/2025.yaml:5:9: unknown-reference",
        "data/px/activities/2025.yaml:8:7: unknown-reference",
        "data/px/grids/zone-1.yaml:2:17: unknown-reference",
        "data/px/needs/2025.yaml:5:9: unknown-reference",
        "data/px/orgs/b.yaml:4:7: unknown-reference",
        "data/px/party_orgs/p.yaml:4:13: unknown-reference",
    ]


def test_reference_message_names_the_kind_and_the_file_to_create(tree, monkeypatch, site_settings):
    files = {"data/px/orgs/a.yaml": ORG + "grid: zone-9\n"}
    assert check(tree, monkeypatch, site_settings, files, lang="en") == [
        "data/px/orgs/a.yaml:4:7: unknown-reference: there is no grid with id “zone-9” - check "
        "the spelling or create data/px/grids/zone-9.yaml"
    ]


def test_code_list_values_are_checked_and_output_codes_located_at_the_key(
    tree, monkeypatch, site_settings
):
    files = {
        "data/px/activities/2025.yaml": (
            "- id: v\n  date: 2025-06-12\n  type: visit\n  title: 走访\n"
            "  outputs:\n    needs_collected: 2\n    leads: 3\n"
        ),
        "data/px/service_centers/c.yaml": "name: 中心\nfigures:\n  rooms: 3\n",
    }
    lines = check(tree, monkeypatch, site_settings, files, lang="en")
    assert coded(lines) == [
        "data/px/activities/2025.yaml:3:9: unknown-code",
        "data/px/activities/2025.yaml:7:5: unknown-code",
        "data/px/service_centers/c.yaml:3:3: unknown-code",
    ]
    assert lines[1].startswith(
        "data/px/activities/2025.yaml:7:5: unknown-code: output code “leads” is not in the code "
        "list - choose one of: records_compared, people_checked, hidden_members_identified,"
    )


def test_code_lists_added_in_site_config_are_accepted(tree, monkeypatch, site_settings):
    extended = site_settings.model_copy(
        update={
            "codes": site_settings.codes.model_copy(
                update={"industry": {**site_settings.codes.industry, "livestreaming": "直播电商"}}
            )
        }
    )
    files = {"data/px/orgs/a.yaml": "name: 甲\nkind: economic\nindustry: livestreaming\n"}
    assert check(tree, monkeypatch, extended, files) == []
    assert coded(check(tree, monkeypatch, site_settings, files)) == [
        "data/px/orgs/a.yaml:3:11: unknown-code"
    ]


def test_party_org_over_both_kinds_needs_a_kind(tree, monkeypatch, site_settings):
    files = {
        "data/px/orgs/a.yaml": ORG,
        "data/px/orgs/b.yaml": "name: 协会\nkind: social\nindustry: industry_association\n",
        "data/px/party_orgs/p.yaml": (
            "name: 联合党支部\nmode: joint\nestablished_on: 2025-05-20\ncovers: [a, b]\n"
        ),
        "data/px/party_orgs/q.yaml": (
            "name: 联合党支部\nmode: joint\nestablished_on: 2025-05-20\ncovers: [a, b]\n"
            "kind: economic\n"
        ),
    }
    assert check(tree, monkeypatch, site_settings, files, lang="en") == [
        "data/px/party_orgs/p.yaml:4:9: mixed-party-org-kind: the party organization covers both "
        "economic and social organizations (a: economic, b: social) - set `kind` (economic or "
        "social)"
    ]


@pytest.mark.parametrize(
    ("need", "expected"),
    [
        ("status: resolved\nresolved_on: 2025-06-20\n", []),
        ("status: in_progress\n", []),
        ("status: resolved\n", ["data/px/needs/n.yaml:3:9: resolved-on-required"]),
        ("status: open\nresolved_on: 2025-06-20\n", ["data/px/needs/n.yaml:4:1: resolved-on-not-allowed"]),
        ("status: resolved\nresolved_on: 2025-06-11\n", ["data/px/needs/n.yaml:4:14: resolved-before-raised"]),
        ("status: resolved\nresolved_on: 2025-06-12\n", []),  # solved the same day
    ],
)  # fmt: skip
def test_need_dates_follow_the_status(tree, monkeypatch, site_settings, need, expected):
    files = {"data/px/needs/n.yaml": "raised_on: 2025-06-12\nsummary: 停车\n" + need}
    assert coded(check(tree, monkeypatch, site_settings, files)) == expected


def test_future_dates_are_warnings_and_today_is_not_the_future(tree, monkeypatch, site_settings):
    files = {
        "data/px/orgs/a.yaml": ORG + "visited_on: 2026-01-15\n",
        "data/px/orgs/b.yaml": ORG + "visited_on: 2026-01-16\n",
        "data/px/service_centers/c.yaml": "name: 中心\nopened_on: 2030-01-01\n",
    }
    assert check(tree, monkeypatch, site_settings, files) == [
        "data/px/orgs/b.yaml:4:13: date-in-future: 警告：日期 2026-01-16 晚于今天（2026-01-15）——请确认是否填错",
        "data/px/service_centers/c.yaml:2:12: date-in-future: 警告：日期 2030-01-01 晚于今天（2026-01-15）——请确认是否填错",
    ]


def test_suspicious_but_possible_orgs_are_warnings(tree, monkeypatch, site_settings):
    files = {
        "data/px/orgs/a.yaml": ORG + "employees: 3\nparty_members: 3\n",  # equal is fine
        "data/px/orgs/b.yaml": ORG + "employees: 2\nparty_members: 3\nstatus: closed\n",
        "data/px/party_orgs/p.yaml": "name: 支部\nmode: standalone\nestablished_on: 2025-05-20\ncovers: [b]\n",
        "data/px/party_orgs/q.yaml": "name: 支部\nmode: joint\nestablished_on: 2025-05-20\ncovers: [a, b]\n",
    }  # fmt: skip
    assert coded(check(tree, monkeypatch, site_settings, files)) == [
        "data/px/orgs/b.yaml:5:16: members-exceed-employees",
        "data/px/party_orgs/p.yaml:4:9: covers-only-closed",
    ]


def test_targets_name_real_non_breakdown_metrics_and_rates_stay_within_one(
    tree, monkeypatch, site_settings
):
    county = """
        name: 蒲县
        targets:
          org_coverage_rate: {value: 1, due: 2026-12-31}
          work_coverage_rate: {value: 1.5, due: 2026-12-31}
          orgs_total: {value: 120, due: 2026-12-31}
          activities_by_type: {value: 3, due: 2026-12-31}
          org_coverge_rate: {value: 0.5, due: 2026-12-31}
        """
    lines = check(tree, monkeypatch, site_settings, {"data/px/county.yaml": county})
    assert lines == [
        "data/px/county.yaml:4:31: rate-out-of-range: 比率类目标 “work_coverage_rate” 的值应在 0 到 1 "
        "之间（例如 0.6 表示 60%），这里是 1.5",
        "data/px/county.yaml:6:3: target-breakdown-metric: 指标 “activities_by_type” 是按类别分列的明细，"
        "不能设目标——请选一个单个数字的指标，例如 activities_total、org_coverage_rate",
        "data/px/county.yaml:7:3: unknown-metric: 目标指标 “org_coverge_rate” 不存在，"
        "是否想写 “org_coverage_rate”？——可用指标见方法说明页",
    ]


def test_unsafe_text_is_pointed_at_inside_a_block_summary(tree, monkeypatch, site_settings):
    county = """
        name: 蒲县
        summary: |
          第一段。

          第二段 <img src=x onerror=alert(1)> 结束。
        """
    activity = (
        "- id: v\n  date: 2025-06-12\n  type: field_visit\n  title: 走访\n"
        "  summary: '[点这里](JavaScript:alert(1))'\n"
    )
    files = {"data/px/county.yaml": county, "data/px/activities/a.yaml": activity}
    assert coded(check(tree, monkeypatch, site_settings, files)) == [
        "data/px/activities/a.yaml:5:19: unsafe-markdown",
        "data/px/county.yaml:5:7: unsafe-markdown",
    ]


@pytest.mark.parametrize(
    "summary",
    ["**加粗** 和 [链接](https://example.org/)", "比较 3 < 5 且 7 > 2", "数据：2025 年"],
)
def test_plain_markdown_is_fine(tree, monkeypatch, site_settings, summary):
    county = f"name: 蒲县\nsummary: '{summary}'\n"
    assert check(tree, monkeypatch, site_settings, {"data/px/county.yaml": county}) == []


def test_division_code_must_be_six_digits(tree, monkeypatch, site_settings):
    county = "name: 蒲县\ndivision_code: '14103'\n"
    assert check(tree, monkeypatch, site_settings, {"data/px/county.yaml": county}) == [
        "data/px/county.yaml:2:16: invalid-division-code: 行政区划代码 “14103” 必须是 6 位数字，"
        "并加引号，例如 '141033'"
    ]
