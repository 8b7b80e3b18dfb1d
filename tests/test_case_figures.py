"""Live figures in case text: the strict ``figure()`` syntax, its checks and what a page shows."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from generator.compute.figures import compute_site
from generator.diagnostics import Report
from generator.library.cases import load_cases
from generator.library.figures import check_figures, figure_value, find_figures, substitute
from generator.library.pages import case_body
from generator.load.gitinfo import Revision
from generator.load.loader import load_ledger

COUNTY = "name: 蒲县\n"
GRID = "name: 第一摸排责任区\nworkers: 3\n"
ORG = "name: 蒲县顺达快递\nkind: economic\nindustry: express_logistics\ngrid: zone-a\n"
PARTY_ORG = "name: 顺达快递党支部\nmode: standalone\nestablished_on: 2025-05-01\ncovers: [sd]\n"
ACTIVITY = (
    "date: 2025-06-01\ntype: member_verification\ntitle: 比对\noutputs:\n  people_checked: 2046\n"
)


def case(body: str, county: str = "px") -> str:
    return f"---\ntitle: 案例\ncounty: {county}\ndate: 2025-11-01\n---\n{body}\n"


@pytest.fixture
def project(tree, monkeypatch):
    monkeypatch.chdir(tree({}))  # diagnostics name files relative to the working folder
    return tree(
        {
            "data/px/county.yaml": COUNTY,
            "data/px/grids/zone-a.yaml": GRID,
            "data/px/orgs/sd.yaml": ORG,
            "data/px/party_orgs/sd-branch.yaml": PARTY_ORG,
            "data/px/activities/a1.yaml": ACTIVITY,
        }
    )


def diagnostics(report: Report) -> list[str]:
    return [f"{d.location}: {d.code}: {d.severity}" for d in report.sorted()]


def test_the_citations_of_a_body_with_their_places():
    report = Report()
    body = (
        '共 {{ figure("px", "party_orgs_economic") }} 个，'
        "{{figure('px','orgs_total','zone-a')}} 个\n"
        '第二行 {{   figure( "px" ,  "org_coverage_rate" )   }}'
    )
    refs = find_figures(body, 6, "content/cases/x.md", report)
    assert report.diagnostics == []
    assert [(r.county, r.metric, r.grid) for r in refs] == [
        ("px", "party_orgs_economic", None),
        ("px", "orgs_total", "zone-a"),
        ("px", "org_coverage_rate", None),
    ]
    # Columns count characters, as a clerk's editor does: "共 " is two.
    assert [str(r.at) for r in refs] == [
        "content/cases/x.md:6:3",
        "content/cases/x.md:6:47",
        "content/cases/x.md:7:5",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "{{ px.orgs_total }}",
        '{{ figure("px") }}',
        '{{ figure("px", "orgs_total", "zone-a", "x") }}',
        "{{ figure(“px”, “orgs_total”) }}",  # a Chinese input method's quotes
        '{{ figure("px", "orgs_total") | upper }}',
        '{{ figure("px", "orgs_total")',  # never closed on its line
        "{% for x in range(10**9) %}",
        "{# 注释 #}",
        "{{ ''.__class__.__mro__ }}",
    ],
)
def test_anything_else_between_braces_is_an_error_not_evaluated(text):
    report = Report()
    assert find_figures(f"前文 {text} 后文", 9, "c.md", report) == ()
    assert [(str(d.location), d.code) for d in report.diagnostics] == [
        ("c.md:9:4", "case-figure-syntax")
    ]


def test_substitute_replaces_each_citation_in_place():
    body = 'a {{ figure("px", "grids_total") }} b {{ figure("px", "orgs_total") }}\nc'
    assert substitute(body, lambda ref: f"<{ref.metric}>") == "a <grids_total> b <orgs_total>\nc"


def test_checks_name_metric_category_scope_grid_and_county(project, site_settings):
    body = "\n".join(
        [
            '{{ figure("px", "party_orgs_economic") }}',
            '{{ figure("px", "party_org_economic") }}',
            '{{ figure("px", "outputs") }}',
            '{{ figure("px", "outputs.people_checked") }}',
            '{{ figure("px", "outputs.pocket") }}',
            '{{ figure("px", "org_coverage_rate.x") }}',
            '{{ figure("px", "figures.function_rooms", "zone-a") }}',
            '{{ figure("px", "orgs_total", "zone-z") }}',
            '{{ figure("pxx", "orgs_total") }}',
            '{{ figure("jx", "orgs_total") }}',
        ]
    )
    (project / "content/cases").mkdir(parents=True)
    (project / "content/cases/px-case.md").write_text(case(body), encoding="utf-8")
    (project / "content/cases/jx-case.md").write_text(case("", "jx"), encoding="utf-8")
    report = Report()
    ledger = load_ledger(project / "data", report)
    cases = load_cases(project / "content/cases", ledger, report, site_settings)
    assert [c.id for c in cases] == ["px-case"]  # jx-case: its county is not in this data
    path = "content/cases/px-case.md"
    codes = [(d.location.path, d.location.line, d.code, d.severity.value) for d in report.sorted()]
    assert codes == [
        ("content/cases/jx-case.md", 3, "case-county-missing", "warning"),
        (path, 7, "case-figure-metric", "error"),
        (path, 8, "case-figure-breakdown", "error"),
        (path, 10, "case-figure-code", "error"),
        (path, 11, "case-figure-metric", "error"),
        (path, 12, "case-figure-scope", "error"),
        (path, 13, "case-figure-grid", "error"),
        (path, 14, "case-figure-county", "error"),  # no such county anywhere: a typo
        (path, 15, "case-figure-county-missing", "warning"),  # a county of the case library
    ]
    assert "party_orgs_economic" in report.sorted()[1].format("en")  # the suggestion


def test_a_case_left_out_still_has_its_metric_names_checked(project):
    (project / "content/cases").mkdir(parents=True)
    body = '{{ figure("jx", "merchant") }}'
    (project / "content/cases/jx-case.md").write_text(case(body, "jx"), encoding="utf-8")
    report = Report()
    load_cases(project / "content/cases", load_ledger(project / "data", report), report)
    assert [d.code for d in report.sorted()] == ["case-county-missing", "case-figure-metric"]


def test_values_rates_breakdowns_grids_and_missing_counties(project, site_settings):
    report = Report()
    ledger = load_ledger(project / "data", report)
    check_figures((), ledger, set(), site_settings, report)
    sm = compute_site(ledger, site_settings, dt.date(2025, 11, 1))
    refs = find_figures(
        '{{ figure("px", "outputs.people_checked") }} {{ figure("px", "outputs.needs_collected") }}'
        ' {{ figure("px", "org_coverage_rate") }} {{ figure("px", "grid_workers", "zone-a") }}'
        ' {{ figure("jx", "orgs_total") }}',
        1,
        "c.md",
        report,
    )
    assert [figure_value(r, sm) for r in refs] == [
        (True, 2046),
        (True, 0),  # a category no activity produced yet counts 0
        (True, 1.0),
        (True, 3),
        (False, None),
    ]


def test_a_page_shows_the_value_with_its_revision_on_hover(project, site_settings):
    report = Report()
    ledger = load_ledger(project / "data", report)
    (project / "content/cases").mkdir(parents=True)
    body = (
        '覆盖率 {{ figure("px", "org_coverage_rate") }}，比对 {{ figure("px", "outputs.people_checked") }}'
        ' 人次，外县 {{ figure("jx", "orgs_total") }}'
    )
    (project / "content/cases/px-case.md").write_text(case(body), encoding="utf-8")
    (project / "content/cases/jx-case.md").write_text(case("", "jx"), encoding="utf-8")
    cases = load_cases(project / "content/cases", ledger, report, site_settings)
    sm = compute_site(ledger, site_settings, dt.date(2025, 11, 1))
    revision = Revision("1a2b3c4", dt.datetime(2025, 11, 1, tzinfo=dt.UTC))
    text = case_body(cases[0], {"px-case"}, sm, site_settings, ledger, revision)
    assert text.strip() == (
        '覆盖率 <abbr class="live-figure" title="蒲县 · 组织覆盖率：100.0%（数据截至 2025-11-01，'
        '版本 1a2b3c4）">100.0%</abbr>，比对 <abbr class="live-figure" title="蒲县 · 跨区域比对(人次)：'
        '2,046（数据截至 2025-11-01，版本 1a2b3c4）">2,046</abbr> 人次，外县 <abbr class="live-figure '
        'is-missing" title="jx · 在册组织数：本次数据中没有这个县或网格">—</abbr>'
    )


def test_an_unknown_metric_fails_the_build_and_leaves_the_site_untouched(project, monkeypatch):
    from click.testing import CliRunner

    from generator.cli.main import cli

    root = Path(__file__).resolve().parents[1]
    shutil.copytree(root / "site_config", project / "site_config")
    (project / "content/cases").mkdir(parents=True)
    body = "\n\n建立 {{ figure('px', 'party_orgs_economics') }} 个"
    (project / "content/cases/px-case.md").write_text(case(body), encoding="utf-8")
    site = project / "site"
    site.mkdir()
    (site / "index.html").write_text("上次发布的网站", encoding="utf-8")
    done = CliRunner().invoke(cli, ["--project", ".", "build"])
    assert done.exit_code == 1
    assert done.stderr.startswith(
        "content/cases/px-case.md:8:4: case-figure-metric: 没有指标 “party_orgs_economics”，"
        "是否想写 “party_orgs_economic”？"
    )
    assert [p.name for p in site.iterdir()] == ["index.html"]


def test_a_province_s_counties_are_not_all_listed_in_one_message():
    from generator.messages import listed

    counties = [f"county-{n:03d}" for n in range(1, 121)]
    zh, en = listed(counties, "county-1200")
    assert zh.startswith("county-120、") and zh.endswith(" 等共 120 个")  # the look-alike first
    assert zh.count("、") == 9 and en.endswith("(120 in all)")
    assert listed(["puxian", "jixian"]) == ("puxian、jixian", "puxian, jixian")
    assert listed([]) == ("—", "-")
