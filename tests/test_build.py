"""Integration: build the real sample site and check what a reader and the seed article expect."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import time
from collections import Counter
from html import unescape
from pathlib import Path

import pytest
import yaml

from tests.browser.sitefiles import pagefind_pages

ROOT = Path(__file__).resolve().parent.parent
SITEGEN = [sys.executable, "-m", "generator"]


def run_sitegen(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*SITEGEN, "--project", str(ROOT), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("built") / "site"
    done = run_sitegen("build", "--out", str(out))
    assert done.returncode == 0, done.stderr
    return out


@pytest.fixture(scope="module")
def metrics(site) -> dict:
    return json.loads((site / "downloads" / "metrics.json").read_text(encoding="utf-8"))


def county(metrics: dict, county_id: str) -> dict:
    return next(c for c in metrics["counties"] if c["id"] == county_id)


def page_text(site: Path, path: str) -> str:
    html = (site / path / "index.html").read_text(encoding="utf-8")
    main = html[html.index('<article class="md-content__inner') : html.index("</article>")]
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", main)).split())


def tree_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


# --- the seed article's figures -----------------------------------------------------------


def test_puxian_reproduces_the_seed_figures(metrics):
    px = county(metrics, "puxian")
    m = px["metrics"]
    assert m["grids_total"] == 6  # 6 screening zones
    assert m["orgs_total"] + m["orgs_closed"] == 103  # 103 ledgers
    assert (m["party_orgs_economic"], m["party_orgs_social"]) == (42, 8)
    assert m["instructors"] == 28
    assert m["outputs"]["hidden_members_identified"] == 33
    assert m["outputs"]["people_checked"] >= 2000
    assert m["outputs"]["records_compared"] >= 300
    assert m["activities_by_type"]["research_guidance"] >= 30
    assert len(px["grids"]) == 6


def test_jixian_reproduces_the_seed_figures(metrics):
    m = county(metrics, "jixian")["metrics"]
    assert (m["grids_total"], m["grid_workers"], m["merchants"], m["households"]) == (
        4,
        8,
        748,
        610,
    )
    figures = m["figures"]
    assert (figures["function_rooms"], figures["vanguard_posts"]) == (9, 7)
    assert (figures["volunteer_teams"], figures["duties_defined"]) == (2, 38)
    assert figures["excellent_merchants"] >= 40
    by_type, outputs = m["activities_by_type"], m["outputs"]
    assert by_type["job_fair"] == 4
    assert by_type["theory_lecture"] + by_type["micro_lesson"] >= 30
    assert by_type["publicity"] >= 20
    assert by_type["social_event"] + by_type["health_screening"] >= 30
    assert outputs["needs_collected"] >= 170
    assert outputs["recruitment_channels"] >= 100
    assert outputs["volunteer_opportunities"] >= 50
    assert m["needs_total"] >= 40
    assert m["needs_resolved"] == m["needs_total"]


def test_county_pages_show_the_seed_figures(site):
    px = page_text(site, "counties/puxian")
    for shown in ("103 份", "新经济组织 42", "新社会组织 8", "28 名", "6 个", "行业党委：6 个"):
        assert shown in px, shown
    assert "工作组（6 个）" in px
    assert re.search(r"成员单位（1\d 家）", px)
    assert '识别"口袋党员" 33 名' in px  # a count after its name, its unit after it
    jx = page_text(site, "counties/jixian")
    for shown in ("网格员 8 人", "功能室 9", "党员先锋岗 7", "志愿服务队 2", "细化职责 38", "5+2"):
        assert shown in jx, shown
    # 辐射商户748家: the clerk's summary says it, and the four grids' own figures add up to it.
    assert "辐射商户748家" in jx
    merchants = [
        int(re.search(r"商户 / 住户 (\d+) / \d+", page_text(site, f"counties/jixian/grids/{g}"))[1])
        for g in ("sida-trade", "sida-market", "sida-street", "sida-residential")
    ]
    assert sum(merchants) == 748 and all(str(n) in jx for n in merchants)


def test_county_task_force_is_a_role_not_a_person(site):
    assert "总召集人：县委副书记、组织部部长" in page_text(site, "counties/puxian")


# --- metrics against an independent computation -----------------------------------------


def independent_metrics(county_dir: Path) -> dict:
    """A second, deliberately plain implementation of PRODUCT.md's definitions."""

    def records(folder: str) -> list[dict]:
        out = []
        for path in sorted((county_dir / folder).glob("*.yaml")):
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            if isinstance(data, dict):
                data.setdefault("id", path.stem)
                out.append(data)
            else:
                out.extend(data)
        return out

    orgs, pos = records("orgs"), records("party_orgs")
    grids, acts, needs = records("grids"), records("activities"), records("needs")
    centers = records("service_centers") if (county_dir / "service_centers").exists() else []
    live = [o for o in orgs if o.get("status", "operating") != "closed"]
    covered = {oid for p in pos for oid in p["covers"]}
    standalone = {oid for p in pos if p["mode"] == "standalone" for oid in p["covers"]}
    kind_of = {o["id"]: o["kind"] for o in orgs}
    po_kind = [p.get("kind") or kind_of[p["covers"][0]] for p in pos]
    org_cov = sum(o["id"] in covered for o in live)
    work_cov = sum(o["id"] in covered or o.get("instructors", 0) >= 1 for o in live)
    outputs: Counter = Counter()
    for a in acts:
        outputs.update(a.get("outputs", {}))
    figures: Counter = Counter()
    for c in centers:
        figures.update(c.get("figures", {}))
    resolved = sum(n["status"] == "resolved" for n in needs)
    return {
        "orgs_total": len(live),
        "orgs_closed": len(orgs) - len(live),
        "orgs_visited": sum("visited_on" in o for o in live),
        "party_orgs_total": len(pos),
        "party_orgs_economic": po_kind.count("economic"),
        "party_orgs_social": po_kind.count("social"),
        "party_orgs_standalone": sum(p["mode"] == "standalone" for p in pos),
        "party_orgs_joint": sum(p["mode"] == "joint" for p in pos),
        "orgs_org_covered": org_cov,
        "orgs_work_covered": work_cov,
        "org_coverage_rate": org_cov / len(live) if live else None,
        "work_coverage_rate": work_cov / len(live) if live else None,
        "standalone_gap": sum(
            o.get("party_members", 0) >= 3 and o["id"] not in standalone for o in live
        ),
        "instructors": sum(o.get("instructors", 0) for o in live),
        "party_members": sum(o.get("party_members", 0) for o in live),
        "grids_total": len(grids),
        "grid_workers": sum(g.get("workers", 0) for g in grids),
        "merchants": sum(g.get("merchants", 0) for g in grids),
        "households": sum(g.get("households", 0) for g in grids),
        "activities_total": len(acts),
        "activities_by_type": dict(Counter(a["type"] for a in acts)),
        "outputs": dict(outputs),
        "needs_total": len(needs),
        "needs_resolved": resolved,
        "needs_resolution_rate": resolved / len(needs) if needs else None,
        "figures": dict(figures),
    }


@pytest.mark.parametrize("county_id", ["puxian", "jixian"])
def test_metrics_match_an_independent_computation(metrics, county_id):
    expected = independent_metrics(ROOT / "data" / county_id)
    assert county(metrics, county_id)["metrics"] == expected


def test_overall_is_the_sum_of_counties_with_rates_recomputed(metrics):
    overall = metrics["overall"]
    counties = [c["metrics"] for c in metrics["counties"]]
    assert overall["orgs_total"] == sum(c["orgs_total"] for c in counties)
    assert overall["org_coverage_rate"] == pytest.approx(
        sum(c["orgs_org_covered"] for c in counties) / sum(c["orgs_total"] for c in counties)
    )


# --- downloads -------------------------------------------------------------------------------


def test_csv_downloads_match_the_json(site, metrics):
    raw = (site / "downloads" / "counties.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel opens the Chinese names correctly
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert [r["county_id"] for r in rows] == [c["id"] for c in metrics["counties"]] + ["overall"]
    px = next(r for r in rows if r["county_id"] == "puxian")
    assert px["county_name"] == "蒲县"
    assert int(px["party_orgs_economic"]) == 42
    assert int(px["outputs.hidden_members_identified"]) == 33
    grid_rows = list(
        csv.DictReader(io.StringIO((site / "downloads" / "grids.csv").read_text("utf-8-sig")))
    )
    assert len(grid_rows) == sum(len(c["grids"]) for c in metrics["counties"])


def test_the_overview_leads_with_both_rates_their_targets_status_and_date(site, metrics):
    text = page_text(site, "")
    lead = text[: text.index("台账（一企一档）")].replace(" （", "（")
    for said in (
        "截至 ",
        "组织覆盖率 69.3%（目标 60.0%，已完成）",
        "工作覆盖率 85.0%（目标 90.0%，进度滞后）",
    ):
        assert said in lead, lead
    # The sample's newest record is dated 2026-11-20; the data date is the last commit's day.
    gap = re.search(r"(\d{4}-\d{2}) 起没有新的记录", lead)
    if metrics["as_of"][:7] > "2026-11":
        assert gap is not None and gap.group(1) == "2026-12", lead
    else:
        assert gap is None, lead
    script = (site / "assets" / "javascripts" / "revision.js").read_text(encoding="utf-8")
    assert "（北京时间），版本 " in script and "UTC" not in script


def test_grids_are_listed_in_the_order_of_their_names_not_their_ids(site):
    text = page_text(site, "counties/puxian")
    table = text[text.index("网格") :]
    places = ["城东片", "城西片", "薛关镇", "黑龙关镇", "克城镇", "古县乡"]  # 第一 … 第六
    positions = [table.index(p) for p in places]
    assert positions == sorted(positions), positions


def test_xlsx_has_the_csv_figures_with_chinese_headers_and_percentages(site, metrics):
    import openpyxl

    workbook = openpyxl.load_workbook(site / "downloads" / "figures.xlsx")
    assert workbook.sheetnames == ["各县", "网格", "各地区", "月度", "台账体检", "字段说明"]
    sheet = workbook["各县"]
    headers = [c.value for c in sheet[1]]
    assert headers[:2] == ["县", "在册组织数（个）"]
    assert "活动成果：聘才渠道（个）" in headers
    rows = {r[0].value: r for r in sheet.iter_rows(min_row=2)}
    assert list(rows) == [c["name"] for c in metrics["counties"]] + ["全部"]
    rate = rows["蒲县"][headers.index("组织覆盖率")]
    assert rate.value == county(metrics, "puxian")["metrics"]["org_coverage_rate"]
    assert rate.number_format == "0.0%"
    assert (
        rows["全部"][headers.index("组织覆盖率")].value == metrics["overall"]["org_coverage_rate"]
    )
    economic = rows["蒲县"][headers.index("新经济组织党组织数（个）")]
    assert economic.value == 42 and economic.number_format == "#,##0"
    fields = {r[1]: r[2] for r in workbook["字段说明"].iter_rows(min_row=2, values_only=True)}
    assert fields["组织覆盖率"] == "org_coverage_rate"  # the codes stay the interface
    assert workbook["网格"].max_row - 1 == sum(len(c["grids"]) for c in metrics["counties"])


# --- 台账体检: the ledger and the follow-ups ----------------------------------------------


FOLLOWUP_COLUMNS = ["county", "grid", "rule", "kind", "id", "name", "detail", "file", "line"]


@pytest.fixture(scope="module")
def followups(site) -> list[dict]:
    raw = (site / "downloads" / "followups.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))


def test_followups_csv_names_each_items_file_and_line(followups, metrics):
    from generator.compute.followups import RULES

    assert list(followups[0]) == FOLLOWUP_COLUMNS
    assert {r["rule"] for r in followups} == {r.code for r in RULES}  # every rule has items
    for c in metrics["counties"]:
        counts = Counter(r["rule"] for r in followups if r["county"] == c["id"])
        assert dict(counts) == {k: v for k, v in c["followups"]["by_rule"].items() if v}
    field_of = {
        "visit-overdue": "visited_on:",
        "should-build": "party_members:",
        "branch-too-small": "members:",
        "need-overdue": "status:",
    }
    for row in followups:
        lines = (ROOT / row["file"]).read_text(encoding="utf-8").splitlines()
        line = lines[int(row["line"]) - 1].strip()
        if row["rule"] in field_of and not row["detail"].startswith("没有"):
            assert line.startswith(field_of[row["rule"]]), row
        elif row["kind"] == "need":
            assert line == f"- id: {row['id']}", row
    late = next(r for r in followups if r["id"] == "need-2026-09-waimai-xiuxi")
    assert (late["grid"], late["kind"], late["file"]) == (
        "zone-chengxi",
        "need",
        "data/puxian/needs/2026.yaml",
    )


def test_the_stale_rule_reads_the_sample_history(followups, metrics):
    stale = sorted(r["id"] for r in followups if r["rule"] == "ledger-stale")
    assert stale == ["build-xinlu", "clinic-anxin", "truck-jiacheng"]
    done = subprocess.run(
        ["git", "log", "-1", "--format=%cs", "--", "data"], cwd=ROOT, capture_output=True, text=True
    )
    assert metrics["as_of"] == done.stdout.strip()


def test_followups_page_lists_the_csv_rows_in_order_with_ledger_links(site, followups):
    html = (site / "counties" / "puxian" / "followups" / "index.html").read_text(encoding="utf-8")
    shown = [unescape(m) for m in re.findall(r"<code>([^<]+:\d+)</code>", html)]
    rows = [r for r in followups if r["county"] == "puxian"]
    assert shown == [f"{r['file']}:{r['line']}" for r in rows]
    for row in rows:
        if row["kind"] == "org":
            assert f'href="../orgs/#org-{row["id"]}"' in html
    assert html.count('<section class="followups-grid"') == len({r["grid"] for r in rows})
    assert "未划分网格" in page_text(site, "counties/puxian/followups")


def test_the_ledger_page_lists_every_org_with_an_anchor(site):
    for county_id in ("puxian", "jixian"):
        html = (site / "counties" / county_id / "orgs" / "index.html").read_text(encoding="utf-8")
        for path in (ROOT / "data" / county_id / "orgs").glob("*.yaml"):
            assert f'id="org-{path.stem}"' in html, path
    text = page_text(site, "counties/puxian/orgs")
    assert "共 103 份台账" in text and "注销 3 个" in text
    assert "蒲县千城传媒工作室 新经济组织 互联网 未划分网格" in text  # an org without a grid
    # the search finds it there (Pagefind's text cuts Chinese words apart by zero-width spaces)
    ledger = [p for p in pagefind_pages(site) if p["url"] == "/counties/puxian/orgs/"]
    assert "蒲县千城传媒工作室" in ledger[0]["content"].replace("\u200b", "")


def test_the_search_finds_an_org_in_the_ledger_not_in_the_followup_lists(site, followups):
    """The follow-up lists are work lists: their names are in the ledger rows of the same
    pages, so the search index leaves them out (their headings stay in)."""
    row = next(r for r in followups if r["county"] == "puxian" and r["kind"] == "org")
    pages = {p["url"]: p["content"].replace("\u200b", "") for p in pagefind_pages(site)}
    grid = pages[f"/counties/puxian/grids/{row['grid']}/"]
    assert row["name"] in grid  # its ledger row
    assert row["detail"] not in grid and f"{row['file']}:{row['line']}" not in grid
    assert row["detail"] in page_text(site, f"counties/puxian/grids/{row['grid']}")  # shown
    listing = pages["/counties/puxian/followups/"]
    assert "台账体检" in listing and row["detail"] not in listing


def test_the_search_finds_an_activity_in_its_county_s_log_not_again_on_its_grid_page(site):
    """A grid page lists its grid's activities, every one of them in the county's activity
    log: the search index has them once, in the log."""
    activity = next(
        a
        for path in sorted((ROOT / "data" / "puxian" / "activities").glob("*.yaml"))
        for a in yaml.safe_load(path.read_text(encoding="utf-8"))
        if a.get("grid")
    )
    pages = {p["url"]: p["content"].replace("\u200b", "") for p in pagefind_pages(site)}
    assert activity["title"] in pages["/counties/puxian/activities/"]
    grid = f"counties/puxian/grids/{activity['grid']}"
    assert activity["title"] in page_text(site, grid)  # shown on the grid's page
    assert activity["title"] not in pages[f"/{grid}/"]


def test_county_overview_and_grid_pages_show_the_followups(site, metrics, followups):
    from generator.compute.followups import RULES_BY_CODE

    px = county(metrics, "puxian")["followups"]
    text = page_text(site, "counties/puxian")
    for code, n in px["by_rule"].items():
        assert f"{RULES_BY_CODE[code].label} {n}" in text
    grid = page_text(site, "counties/puxian/grids/zone-xueguan")
    own = [r for r in followups if r["grid"] == "zone-xueguan"]
    assert f"检查出 {len(own)} 项" in grid
    assert all(r["detail"] in grid for r in own)
    overview = (site / "index.html").read_text(encoding="utf-8")
    assert "<th" in overview and "台账完整率</th>" in overview
    assert f"{px['ledger_complete_rate'] * 100:.1f}%" in page_text(site, "")
    methodology = page_text(site, "methodology")
    for rule in RULES_BY_CODE.values():
        assert rule.label in methodology and rule.code in methodology


def test_xlsx_has_the_followups_sheet(site, followups):
    import openpyxl

    sheet = openpyxl.load_workbook(site / "downloads" / "figures.xlsx")["台账体检"]
    assert [c.value for c in sheet[1]][:3] == ["县", "网格", "规则"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [(r[4], r[7], r[8]) for r in rows] == [
        (f["id"], f["file"], int(f["line"])) for f in followups
    ]


def test_libreoffice_reads_the_workbook_cell_by_cell_as_the_csv_downloads(site, tmp_path):
    """The data rows carry no cell references (each county's rows of 台账体检 are written
    once, wherever they fall): LibreOffice places every cell where the CSV has it."""
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice Calc (libreoffice-calc-nogui) is needed")
    every_sheet = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"
    done = subprocess.run(
        ["soffice", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
         "--convert-to", every_sheet, "--outdir", str(tmp_path),
         str(site / "downloads" / "figures.xlsx")],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    sheets = {
        p.stem.split("-", 1)[1]: list(csv.reader(p.open(encoding="utf-8")))
        for p in tmp_path.glob("*.csv")
    }
    assert "台账体检" in sheets, f"LibreOffice read no workbook: {done.stderr}"
    with (site / "downloads" / "followups.csv").open(encoding="utf-8-sig") as f:
        listed = list(csv.reader(f))
    # 编号, 名称, 情况, 台账文件, 行号: as the CSV's id, name, detail, file, line
    assert [row[4:] for row in sheets["台账体检"][1:]] == [row[4:] for row in listed[1:]]
    with (site / "downloads" / "grids.csv").open(encoding="utf-8-sig") as f:
        grids = list(csv.reader(f))
    # 县, 网格, 在册组织数: as the CSV's county_name, grid_name, orgs_total
    assert [row[:3] for row in sheets["网格"][1:]] == [[r[1], r[3], r[4]] for r in grids[1:]]


def test_the_followups_command_prints_the_list_of_the_site(site, followups):
    done = run_sitegen("followups", "--format", "csv")
    assert done.returncode == 0, done.stderr
    assert done.stdout.encode("utf-8") == (site / "downloads" / "followups.csv").read_bytes()
    done = run_sitegen("followups", "--county", "puxian", "--grid", "zone-heilongguan")
    assert done.returncode == 0, done.stderr
    rows = [r for r in followups if r["grid"] == "zone-heilongguan"]
    assert done.stdout.splitlines() == [
        f"{r['file']}:{r['line']}: {r['rule']}: {r['detail']}（{r['name']}）" for r in rows
    ]
    assert f"共 {len(rows)} 项待跟进" in done.stderr


def test_the_followups_command_names_what_it_does_not_know():
    done = run_sitegen("followups", "--county", "puxain")
    assert (done.returncode, done.stdout) == (2, "")
    assert "没有县 “puxain”——可用的县：puxian、jixian" in done.stderr
    done = run_sitegen("--lang", "en", "followups", "--grid", "zone-nowhere")
    assert done.returncode == 2 and "there is no grid “zone-nowhere”" in done.stderr


# --- the site contract -----------------------------------------------------------------------


def test_contract_pages_exist_with_their_content(site):
    # The published paths, each with its heading and a figure or link only that page has.
    for path, heading, shown in (
        ("", "新兴领域“两个覆盖”工作进展", "组织覆盖率"),
        ("counties", "各县", "蒲县"),
        ("counties/puxian", "蒲县", "新经济组织 42"),
        ("counties/puxian/grids/zone-chengdong", "第一摸排责任区（蒲城镇城东片）", "网格员"),
        ("counties/jixian/grids/sida-trade", "四达商圈第一网格（中俄国际贸易中心）", "226 / 172"),
        ("activities", "工作活动", "最近的活动"),
        ("cases", "案例库", "部署、摸排、组建“三化”并进"),
        ("methodology", "方法说明", "org_coverage_rate"),
        ("downloads", "数据下载", "metrics.json"),
    ):
        html = (site / path / "index.html").read_text(encoding="utf-8")
        assert re.search(rf"<h1[^>]*>{re.escape(heading)}<", html), path
        assert shown in page_text(site, path), (path, shown)


def test_nothing_is_loaded_from_the_internet(site):
    remote = re.compile(r"""(?:src|href)\s*=\s*["'](?:https?:)?//""", re.I)
    offenders = [
        str(p.relative_to(site))
        for p in site.rglob("*.html")
        if remote.search(p.read_text(encoding="utf-8"))
    ]
    assert offenders == []
    css = "".join(p.read_text(encoding="utf-8") for p in site.rglob("*.css"))
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", css)
    assert "fonts.googleapis" not in css


def test_methodology_explains_every_metric_from_the_code(site):
    from generator.compute.metrics import METRICS

    text = page_text(site, "methodology")
    for m in METRICS:
        assert m.name in text and m.definition in text, m.name


def test_charts_are_svg_with_alt_text_and_a_data_table(site):
    html = (site / "counties" / "jixian" / "index.html").read_text(encoding="utf-8")
    images = re.findall(r'<img src="([^"]+\.svg)" alt="([^"]+)"', html)
    assert len(images) >= 2
    for src, alt in images:
        assert (site / "counties" / "jixian" / src).resolve().is_file()
        assert alt.startswith("图表：")
    assert html.count("图表数据：") == len(images)


def test_same_data_gives_the_same_bytes(site, tmp_path):
    again = tmp_path / "again"
    done = run_sitegen("build", "--out", str(again))
    assert done.returncode == 0, done.stderr
    assert tree_digest(again) == tree_digest(site)


# --- publishing ------------------------------------------------------------------------------


def test_invalid_data_leaves_the_published_site_untouched(site, tmp_path):
    out = tmp_path / "site"
    shutil.copytree(site, out)
    before = tree_digest(out)
    bad = tmp_path / "data"
    shutil.copytree(ROOT / "data", bad)
    (bad / "puxian" / "orgs" / "express-broken.yaml").write_text(
        "name: 坏记录\nkind: economic\nindustry: express_logistics\nemployees: -3\n",
        encoding="utf-8",
    )
    done = run_sitegen("build", "--data", str(bad), "--out", str(out))
    assert done.returncode == 1
    assert "express-broken.yaml:4:12: negative-count:" in done.stderr
    assert "网站没有更新" in done.stderr
    assert "Traceback" not in done.stderr
    assert tree_digest(out) == before
    assert not list(tmp_path.glob(".site.*"))


def test_a_killed_build_leaves_the_previous_site(site, tmp_path):
    out = tmp_path / "site"
    shutil.copytree(site, out)
    before = tree_digest(out)
    proc = subprocess.Popen(
        [*SITEGEN, "--project", str(ROOT), "build", "--out", str(out)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    # Wait until MkDocs is writing into the staging folder, then kill without warning.
    for _ in range(600):
        staging = list(tmp_path.glob(".site.new-*"))
        if staging and any(staging[0].rglob("*.html")):
            break
        if proc.poll() is not None:
            pytest.fail("the build finished before it could be killed")
        subprocess.run(["sleep", "0.05"], check=True)
    proc.kill()
    proc.wait()
    # Its helper processes die with it: nobody finishes the new site and swaps it in.
    time.sleep(3)
    assert list(tmp_path.glob(".site.new-*"))
    assert tree_digest(out) == before
    # The next build clears what the killed one left behind.
    done = run_sitegen("build", "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert not list(tmp_path.glob(".site.new-*"))
    # The site it replaced is deleted in the background, after the build has returned.
    for _ in range(300):
        if not list(tmp_path.glob(".site.*")):
            break
        time.sleep(0.1)
    assert not list(tmp_path.glob(".site.*"))


# --- command line ----------------------------------------------------------------------------


def test_usage_errors_exit_2():
    done = run_sitegen("build", "--no-such-option")
    assert done.returncode == 2
    assert "Traceback" not in done.stderr


def test_validate_reports_success_in_chinese():
    done = run_sitegen("validate")
    assert done.returncode == 0, done.stderr
    assert "数据检查通过：2 个县" in done.stdout


def test_readme_documents_every_command():
    from generator.cli.main import cli
    from generator.entry.newrecord import MODELS

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = []
    for path, command in _commands(cli, "sitegen"):
        parent, _, name = path.rpartition(" ")
        # ``sitegen new county|grid|org`` names several subcommands at once.
        named = rf"{re.escape(parent)} (?:[\w-]+\|)*{re.escape(name)}(?![\w-])"
        if parent and not re.search(named, readme):
            missing.append(path)
        # ``sitegen new <kind>`` has one option per field of the kind, as the README says.
        fields = MODELS[name.replace("-", "_")].model_fields if parent == "sitegen new" else {}
        for option in (o for p in command.params for o in p.opts if o.startswith("--")):
            if option[2:].replace("-", "_") in fields or option == "--help":
                continue
            if not re.search(rf"{re.escape(option)}(?![\w-])", readme):
                missing.append(f"{path} {option}")
    assert missing == [], "README.md does not mention: " + ", ".join(missing)
    assert "make site" in readme and "make test" in readme


def _commands(command, path: str):
    """(``sitegen case export``, its click command) for the command and every subcommand."""
    yield path, command
    for name, sub in getattr(command, "commands", {}).items():
        yield from _commands(sub, f"{path} {name}")


def test_refuses_to_replace_a_folder_it_did_not_build(tmp_path):
    precious = tmp_path / "notes"
    precious.mkdir()
    (precious / "keep.txt").write_text("重要文件", encoding="utf-8")
    done = run_sitegen("build", "--out", str(precious))
    assert done.returncode == 2
    assert "不是 sitegen 生成的网站" in done.stderr
    assert (precious / "keep.txt").read_text(encoding="utf-8") == "重要文件"


def test_the_brief_sent_upward_is_a_download_with_the_sites_figures(site, metrics):
    import docx

    assert 'href="brief.docx"' in (site / "downloads" / "index.html").read_text(encoding="utf-8")
    document = docx.Document(str(site / "downloads" / "brief.docx"))
    text = "\n".join(p.text for p in document.paragraphs)
    rows = {row.cells[0].text: [c.text for c in row.cells] for row in document.tables[0].rows}
    o = metrics["overall"]
    assert f"共有在册新兴领域组织{o['orgs_total']}个" in text
    assert f"组织覆盖率{o['org_coverage_rate'] * 100:.1f}%" in text
    assert f"工作覆盖率{o['work_coverage_rate'] * 100:.1f}%" in text
    for c in metrics["counties"]:
        m = c["metrics"]
        assert rows[c["name"]][1:4] == [
            str(m["orgs_total"]),
            str(m["party_orgs_total"]),
            f"{m['org_coverage_rate'] * 100:.1f}%",
        ]
        assert rows[c["name"]][5] == f"{m['work_coverage_rate'] * 100:.1f}%"
    assert rows["县"][4] == "组织覆盖目标" and rows["县"][6] == "工作覆盖目标"
    assert metrics.get("as_of", "")[:4] in document.paragraphs[-1].text or "数据版本" in (
        document.paragraphs[-1].text
    )


def test_the_downloads_sent_upward_are_what_the_commands_write(site, tmp_path):
    """The build's brief and form come from the figures the build has; `sitegen brief` and
    `sitegen form` compute them again from the data: the same bytes."""
    brief, form = tmp_path / "brief.docx", tmp_path / "form.xlsx"
    assert run_sitegen("brief", "--out", str(brief)).returncode == 0
    template = ROOT / "site_config" / "form-template.xlsx"
    assert run_sitegen("form", str(template), "--out", str(form)).returncode == 0
    assert 'href="form.xlsx"' in (site / "downloads" / "index.html").read_text(encoding="utf-8")
    assert (site / "downloads" / "brief.docx").read_bytes() == brief.read_bytes()
    assert (site / "downloads" / "form.xlsx").read_bytes() == form.read_bytes()


# --- the golden site: key pages as committed, so a change in content is a reviewed diff ------

GOLDEN = ROOT / "tests" / "golden"
GOLDEN_UPDATE = "SITEGEN_GOLDEN_UPDATE"  # =1 rewrites tests/golden/ from this build
GOLDEN_PAGES = {
    "overview.html": "",
    "county-puxian.html": "counties/puxian",
    "grid-sida-trade.html": "counties/jixian/grids/sida-trade",
    "methodology.html": "methodology",
    "downloads.html": "downloads",
}


def _golden_normalised(text: str) -> str:
    # Only the data revision varies: it is the commit of the repository the test runs in.
    text = re.sub(
        r"数据版本：[0-9a-f]{7,40}（[^）]*）(（含未提交的修改）)?", "数据版本：<revision>", text
    )
    return re.sub(
        r'"data_revision": *(null|\{[^}]*\}|"[^"]*")', '"data_revision": "<revision>"', text
    )


def _golden_outputs(site: Path) -> dict[str, str]:
    outputs = {}
    for name, path in GOLDEN_PAGES.items():
        html = (site / path / "index.html").read_text(encoding="utf-8")
        article = html[html.index('<article class="md-content__inner') : html.index("</article>")]
        outputs[name] = article + "\n"
    outputs["metrics.json"] = (site / "downloads" / "metrics.json").read_text(encoding="utf-8")
    return {name: _golden_normalised(text) for name, text in outputs.items()}


def test_key_pages_are_the_committed_golden_output(site):
    """The sample site's key pages as committed in tests/golden/ (pelican's golden-site test).

    After a deliberate change of what they show, regenerate and review the diff:
    ``SITEGEN_GOLDEN_UPDATE=1 .venv/bin/python -m pytest tests/test_build.py -k golden``.
    """
    outputs = _golden_outputs(site)
    if os.environ.get(GOLDEN_UPDATE) == "1":
        GOLDEN.mkdir(exist_ok=True)
        for name, text in outputs.items():
            (GOLDEN / name).write_text(text, encoding="utf-8", newline="\n")
    changed = [
        name
        for name, text in outputs.items()
        if not (GOLDEN / name).is_file() or (GOLDEN / name).read_text(encoding="utf-8") != text
    ]
    assert changed == [], (
        f"these outputs differ from tests/golden/: {', '.join(changed)}; if the change is "
        f"meant, run {GOLDEN_UPDATE}=1 .venv/bin/python -m pytest tests/test_build.py -k golden "
        "and review the diff before committing it"
    )


def test_a_web_server_running_as_another_user_can_read_the_site(site):
    """nginx's workers run as www-data: the site's folder is made as mkdir makes one (the
    staging folder it is renamed from was owner-only, 0700, and the whole site answered 404)."""
    mask = os.umask(0)
    os.umask(mask)
    assert stat.S_IMODE(site.stat().st_mode) == 0o777 & ~mask
    assert stat.S_IMODE((site / "counties").stat().st_mode) == 0o777 & ~mask
