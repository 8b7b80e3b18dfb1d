"""Regions: counties grouped into cities and provinces, on generated data of several of each."""

from __future__ import annotations

import argparse
import csv
import io
import json
import random
import re
import sys
from html import unescape
from pathlib import Path
from urllib.parse import quote

import pytest

from generator.compute.regions import group_regions, place_counties
from generator.models import County

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "bench"))
from make_province import write_county  # noqa: E402

# (county folder, county.yaml): two provinces, three coded cities; one county without a code
# that names a coded city (it joins it), and two named only by province and city names.
COUNTIES = {
    "county-001": "name: 甲县\nprovince: 山西省\ncity: 临汾市\ndivision_code: '141021'\n",
    "county-002": "name: 乙县\nprovince: 山西省\ncity: 临汾市\ndivision_code: '141033'\n",
    "county-003": "name: 丙县\nprovince: 山西省\ncity: 吕梁市\ndivision_code: '141121'\n",
    "county-004": "name: 丁县\nprovince: 黑龙江省\ncity: 双鸭山市\ndivision_code: '230521'\n",
    "county-005": "name: 戊县\nprovince: 山西省\ncity: 临汾市\n",
    "county-006": "name: 己县\nprovince: 测试省\ncity: 测试市\n",
    "county-007": "name: 庚县\nprovince: 测试省\ncity: 测试市\n",
}


def test_counties_group_by_code_then_by_name():
    counties = [(cid, County(id=cid, **_fields(text))) for cid, text in COUNTIES.items()]
    regions = group_regions(counties)
    assert [(r.id, r.level, r.counties) for r in regions] == [
        ("14", "province", ("county-001", "county-002", "county-003", "county-005")),
        ("1410", "city", ("county-001", "county-002", "county-005")),
        ("1411", "city", ("county-003",)),
        ("23", "province", ("county-004",)),
        ("2305", "city", ("county-004",)),
        ("测试省", "province", ("county-006", "county-007")),
        ("测试省-测试市", "city", ("county-006", "county-007")),
    ]
    assert {r.id: r.parent for r in regions if r.level == "city"}["1411"] == "14"
    assert place_counties(counties)["county-005"].city == "1410"


def test_a_region_without_names_is_named_by_its_code_and_odd_names_make_safe_ids():
    counties = [
        ("a", County(id="a", name="甲县", division_code="530102")),
        ("b", County(id="b", name="乙县", province="省/../x", city="市 a")),
    ]
    regions = {r.id: r for r in group_regions(counties)}
    assert regions["53"].name == "行政区划 53"
    assert set(regions) == {"53", "5301", "省-x", "省-x-市-a"}
    assert regions["省-x-市-a"].name == "市 a"


def _fields(text: str) -> dict:
    import yaml

    return yaml.safe_load(text)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    from tests.test_build import run_sitegen

    base = tmp_path_factory.mktemp("regions")
    data = base / "data"
    rng = random.Random(7)
    for index, (folder, text) in enumerate(COUNTIES.items(), start=1):
        # counties of different sizes: an average of their rates differs from the true rate
        args = argparse.Namespace(grids=3, orgs=12 * index, activities=20, needs=6)
        write_county(data, index, args, rng)
        (data / folder / "county.yaml").write_text(text, encoding="utf-8")
    out = base / "site"
    done = run_sitegen("build", "--data", str(data), "--out", str(out))
    assert done.returncode == 0, done.stderr
    return out


def _page(site: Path, path: str) -> str:
    html = (site / path / "index.html").read_text(encoding="utf-8")
    main = html[html.index('<article class="md-content__inner') : html.index("</article>")]
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", main)).split())


def test_region_metrics_are_sums_with_rates_recomputed(built):
    doc = json.loads((built / "downloads" / "metrics.json").read_text(encoding="utf-8"))
    counties = {c["id"]: c["metrics"] for c in doc["counties"]}
    regions = {r["id"]: r for r in doc["regions"]}
    assert set(regions) == {"14", "1410", "1411", "23", "2305", "测试省", "测试省-测试市"}
    city = regions["1410"]
    assert (city["name"], city["level"], city["parent"]) == ("临汾市", "city", "14")
    assert city["counties"] == ["county-001", "county-002", "county-005"]
    members = [counties[c] for c in city["counties"]]
    m = city["metrics"]
    for name in ("orgs_total", "orgs_org_covered", "party_orgs_total", "needs_resolved"):
        assert m[name] == sum(x[name] for x in members)
    assert m["org_coverage_rate"] == m["orgs_org_covered"] / m["orgs_total"]
    averaged = sum(x["org_coverage_rate"] for x in members) / len(members)
    assert m["org_coverage_rate"] != pytest.approx(averaged, abs=1e-12)  # weighted, not averaged
    province = regions["14"]["metrics"]
    assert province["orgs_total"] == sum(
        counties[c]["orgs_total"] for c in regions["14"]["counties"]
    )
    rows = list(
        csv.DictReader(io.StringIO((built / "downloads" / "regions.csv").read_text("utf-8-sig")))
    )
    row = next(r for r in rows if r["region_id"] == "1410")
    assert int(row["orgs_total"]) == m["orgs_total"]
    assert float(row["work_coverage_rate"]) == pytest.approx(m["work_coverage_rate"])
    import openpyxl

    sheet = openpyxl.load_workbook(built / "downloads" / "figures.xlsx")["各地区"]
    rows = {r[0]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["临汾市"][1:4] == ("地级市", "山西省", 3)
    headers = [c.value for c in sheet[1]]
    assert rows["临汾市"][headers.index("组织覆盖率")] == pytest.approx(m["org_coverage_rate"])


def test_region_pages_show_figures_tables_charts_and_links(built):
    doc = json.loads((built / "downloads" / "metrics.json").read_text(encoding="utf-8"))
    m = next(r for r in doc["regions"] if r["id"] == "1410")["metrics"]
    text = _page(built, "regions/1410")
    assert "概览 › 各地区 › 山西省 › 临汾市" in text
    assert f"组织覆盖率 {m['org_coverage_rate'] * 100:.1f}%" in text
    assert "目标进展" in text and "工作覆盖目标" in text
    for name in ("甲县", "乙县", "戊县"):
        assert name in text
    assert "丙县" not in text
    html = (built / "regions/1410/index.html").read_text(encoding="utf-8")
    assert 'class="sortable"' in html and html.count('class="small-multiple"') == 3
    assert 'href="../../counties/county-005/"' in html
    province = _page(built, "regions/14")
    assert "各地级市" in province and "临汾市" in province and "吕梁市" in province
    county = _page(built, "counties/county-002")
    assert "概览 › 山西省 › 临汾市 › 乙县" in county
    named = (built / "counties/county-006/index.html").read_text(encoding="utf-8")
    assert f"../../regions/{quote('测试省-测试市')}/" in named
    assert (built / "regions/测试省-测试市/index.html").is_file()


def test_overview_and_counties_index_group_by_city(built):
    overview = _page(built, "")
    assert "各地级市进展" in overview and "各县进展（按地级市）" in overview
    grouped = overview[overview.index("各县进展（按地级市）") :]
    assert grouped.index("临汾市") < grouped.index("甲县") < grouped.index("吕梁市")
    assert grouped.index("吕梁市") < grouped.index("丙县") < grouped.index("双鸭山市")
    index = _page(built, "counties")
    assert index.index("双鸭山市") < index.index("丁县")
    regions = _page(built, "regions")
    assert "山西省" in regions and "测试省" in regions
