"""County reports: exported by a county, imported by a city, shown and rolled up there."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import zipfile
from html import unescape
from pathlib import Path

import pytest

from tests.test_build import ROOT, run_sitegen


def _project(base: Path, counties: list[str]) -> Path:
    """A site project (the repository's templates and config) with some sample counties."""
    base.mkdir(parents=True, exist_ok=True)
    for part in ("mkdocs.yml", "templates", "site_config"):
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, base / part)
        else:
            shutil.copy(source, base / part)
    shutil.copytree(ROOT / "content" / "assets", base / "content" / "assets")
    for county in counties:
        shutil.copytree(ROOT / "data" / county, base / "data" / county)
    return base


def _run(project: Path, *args: str) -> subprocess.CompletedProcess:
    import sys

    return subprocess.run(
        [sys.executable, "-m", "generator", "--project", str(project), *args],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=600,
    )


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
    )


def _page(site: Path, path: str) -> str:
    html = (site / path / "index.html").read_text(encoding="utf-8")
    main = html[html.index('<article class="md-content__inner') : html.index("</article>")]
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", main)).split())


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("exported") / "puxian.report.zip"
    done = run_sitegen("report", "export", "--county", "puxian", "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert "已导出蒲县（puxian）的报送包" in done.stdout
    return out


@pytest.fixture(scope="module")
def ledger_site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("ledger") / "site"
    done = run_sitegen("build", "--out", str(out))
    assert done.returncode == 0, done.stderr
    return out


@pytest.fixture(scope="module")
def city(tmp_path_factory, exported) -> Path:
    """A city site: 集贤县 from its ledger, 蒲县 from its exported report."""
    project = _project(tmp_path_factory.mktemp("city"), ["jixian"])
    done = _run(project, "report", "import", str(exported))
    assert done.returncode == 0, done.stderr
    assert "已导入蒲县的报送" in done.stdout
    built = _run(project, "build", "--out", str(project / "site"))
    assert built.returncode == 0, built.stderr
    return project


def _as_of(site: Path) -> str:
    """The data date the ledger's own site states (数据截至)."""
    return json.loads((site / "downloads" / "metrics.json").read_text(encoding="utf-8"))["as_of"]


def test_the_same_data_exports_the_same_bytes(exported, ledger_site, tmp_path):
    again = tmp_path / "again.zip"
    done = run_sitegen("report", "export", "--county", "puxian", "--out", str(again))
    assert done.returncode == 0, done.stderr
    assert again.read_bytes() == exported.read_bytes()
    with zipfile.ZipFile(exported) as bundle:
        assert sorted(bundle.namelist()) == ["bundle.yaml", "county.json", "figures.json"]
        meta = bundle.read("bundle.yaml").decode()
        assert (
            "format: sitegen-county-report/1" in meta and f"as_of: '{_as_of(ledger_site)}'" in meta
        )


def test_a_report_county_shows_the_same_figures_as_from_its_ledger(city, ledger_site):
    def county(site: Path, county_id: str) -> dict:
        doc = json.loads((site / "downloads" / "metrics.json").read_text(encoding="utf-8"))
        return next(c for c in doc["counties"] if c["id"] == county_id)

    # the same entry but for 台账体检, which needs the records: a report carries figures only
    own_entry = county(ledger_site, "puxian")
    assert "followups" in own_entry
    del own_entry["followups"]
    assert county(city / "site", "puxian") == own_entry
    page, own = _page(city / "site", "counties/puxian"), _page(ledger_site, "counties/puxian")
    assert "据蒲县报送，数据版本" in page and _as_of(ledger_site) in page
    figures = own[own.index("台账（一企一档）") : own.index("目标进展")]
    assert figures in page  # the same headline figures
    for grid in ("第一摸排责任区（蒲城镇城东片）", "93.3%"):
        assert grid in page
    assert (city / "site/counties/puxian/index.html").read_text().count("<img") >= 3  # charts


def test_regions_roll_up_report_and_ledger_counties(city, ledger_site):
    doc = json.loads((city / "site/downloads/metrics.json").read_text(encoding="utf-8"))
    own = json.loads((ledger_site / "downloads/metrics.json").read_text(encoding="utf-8"))
    assert doc["overall"] == own["overall"]
    regions = {r["id"]: r for r in doc["regions"]}
    assert regions["1410"]["counties"] == ["puxian"]
    assert regions["1410"]["metrics"] == county_metrics(own, "puxian")
    assert "蒲县" in _page(city / "site", "regions/14")


def county_metrics(doc: dict, county_id: str) -> dict:
    return next(c for c in doc["counties"] if c["id"] == county_id)["metrics"]


def test_importing_the_same_report_twice_changes_nothing(city, exported):
    target = city / "reports" / "puxian.report.zip"
    before = target.stat().st_mtime_ns
    done = _run(city, "report", "import", str(exported))
    assert done.returncode == 0 and "内容相同，没有改动" in done.stdout
    assert target.stat().st_mtime_ns == before and target.read_bytes() == exported.read_bytes()


def test_a_county_as_ledger_and_as_report_is_an_error(exported, tmp_path):
    project = _project(tmp_path, ["puxian"])
    done = _run(project, "report", "import", str(exported))
    assert done.returncode == 1
    assert "既有台账文件夹" in done.stdout + done.stderr
    assert not (project / "reports").exists()
    (project / "reports").mkdir()
    shutil.copy(exported, project / "reports" / "puxian.report.zip")
    built = _run(project, "build", "--out", str(project / "site"))
    assert built.returncode == 1
    assert "reports/puxian.report.zip" in built.stderr and "既有台账文件夹" in built.stderr
    assert not (project / "site").exists()


def _rewrite(source: Path, target: Path, change, checksums: bool = True) -> Path:
    """A copy of the bundle with ``change(files)`` applied (checksums updated if asked)."""
    import hashlib

    import yaml

    with zipfile.ZipFile(source) as bundle:
        files = {n: bundle.read(n) for n in bundle.namelist()}
    change(files)
    if checksums:
        meta = yaml.safe_load(files["bundle.yaml"])
        meta["files"] = [
            {"path": n, "sha256": hashlib.sha256(d).hexdigest(), "bytes": len(d)}
            for n, d in sorted(files.items())
            if n != "bundle.yaml" and not n.startswith("../")
        ]
        files["bundle.yaml"] = yaml.safe_dump(meta, allow_unicode=True).encode()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as bundle:
        for name, data in files.items():
            bundle.writestr(name, data)
    return target


def _figures(change):
    def apply(files):
        doc = json.loads(files["figures.json"])
        change(doc)
        files["figures.json"] = json.dumps(doc, ensure_ascii=False, indent=1).encode()

    return apply


BAD = {
    "traversal": (lambda f: f.update({"../evil.txt": b"x"}), True, "路径 “../evil.txt” 不安全"),
    "checksum": (
        lambda f: f.update(
            {"county.json": f["county.json"].replace("蒲县".encode(), "假县".encode())}
        ),
        False,
        "“county.json” 与 bundle.yaml 记录的校验值不符",
    ),
    "unknown-metric": (
        _figures(lambda d: d["metrics"].update({"made_up_rate": 0.5})),
        True,
        "figures.json:",
    ),
    "bad-rate": (
        _figures(lambda d: d["metrics"].update({"org_coverage_rate": 7})),
        True,
        "比率应为 0 到 1 之间的数或 null",
    ),
    "bomb": (lambda f: f.update({"figures.json": b" " * (21 * 1024 * 1024)}), True, "超过上限"),
    "schema": (
        lambda f: f.update({"county.json": f["county.json"].replace(b'"name"', b'"nmae"', 1)}),
        True,
        "county.json:",
    ),
    "not-a-zip": (None, False, "无法读取这个县级报送包"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_reports_are_refused_with_a_located_message_and_nothing_written(
    case, exported, tmp_path
):
    change, checksums, expected = BAD[case]
    project = _project(tmp_path / "p", [])
    bad = tmp_path / "bad.report.zip"
    if change is None:
        bad.write_bytes(b"not a zip")
    else:
        _rewrite(exported, bad, change, checksums)
    done = _run(project, "report", "import", str(bad))
    output = done.stdout + done.stderr
    assert done.returncode == 1, output
    assert expected in output, output
    assert "bad.report.zip" in output  # located: the bundle and, inside it, the file
    assert not (project / "reports").exists()
    if case == "unknown-metric":
        assert "未知的指标 “made_up_rate”" in output and re.search(r"figures\.json:\d+:\d+", output)


def _older_report(tmp_path: Path) -> Path:
    """蒲县's report a month earlier: one party organization fewer (49)."""
    county = tmp_path / "older" / "data"
    shutil.copytree(ROOT / "data" / "puxian", county / "puxian")
    (county / "puxian" / "party_orgs" / "assoc-minqi-branch.yaml").unlink()
    older = tmp_path / "older.report.zip"
    done = run_sitegen(
        "report", "export", "--county", "puxian", "--data", str(county), "--out", str(older)
    )
    assert done.returncode == 0, done.stderr
    return older


def test_a_newer_report_replaces_the_older_and_changes_show_between_reports(exported, tmp_path):
    older = _older_report(tmp_path)  # not in git
    project = _project(tmp_path / "city", ["jixian"])
    _git(project, "init", "-q")
    assert _run(project, "report", "import", str(older)).returncode == 0
    _git(project, "add", "-A")
    _git(project, "commit", "-qm", "reports of 2025-10")
    _git(project, "tag", "report-2025-10")
    done = _run(project, "report", "import", str(exported))
    assert done.returncode == 0 and "已用新的报送替换蒲县的旧报送" in done.stdout, done.stderr
    target = project / "reports" / "puxian.report.zip"
    assert target.read_bytes() == exported.read_bytes()
    refused = _run(project, "report", "import", str(older))
    assert refused.returncode == 1 and "较旧，没有导入" in refused.stdout + refused.stderr
    assert target.read_bytes() == exported.read_bytes()
    _git(project, "add", "-A")
    _git(project, "commit", "-qm", "reports of 2026-11")
    built = _run(project, "build", "--out", str(project / "site"))
    assert built.returncode == 0, built.stderr
    changes = _page(project / "site", "changes")
    section = changes[changes.index("蒲县") :]
    assert re.search(r"党组织数 49 50 \+1", section), section[:400]


def test_a_city_fills_the_form_from_report_and_ledger_counties(city, ledger_site, tmp_path):
    import openpyxl

    def puxian_row(path: Path) -> list:
        book = openpyxl.load_workbook(path)
        rows = [r for ws in book for r in ws.iter_rows(values_only=True)]
        return next(list(r) for r in rows if "蒲县" in r)

    own = puxian_row(ledger_site / "downloads" / "form.xlsx")
    assert puxian_row(city / "site" / "downloads" / "form.xlsx") == own
    out = tmp_path / "form.xlsx"
    template = city / "site_config" / "form-template.xlsx"
    done = _run(city, "form", str(template), "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert puxian_row(out) == own


def test_a_past_periods_brief_and_form_hold_the_report_counties_it_had(exported, tmp_path):
    """--period TAG: the reports as committed at the tag, not those of today, nor none."""
    import openpyxl
    from docx import Document

    project = _project(tmp_path / "city", ["jixian"])
    _git(project, "init", "-q")
    assert _run(project, "report", "import", str(_older_report(tmp_path))).returncode == 0
    _git(project, "add", "-A")
    _git(project, "commit", "-qm", "reports of 2025-10")
    _git(project, "tag", "report-2025-10")
    assert _run(project, "report", "import", str(exported)).returncode == 0
    _git(project, "add", "-A")
    _git(project, "commit", "-qm", "reports of 2026-11")
    _git(project, "tag", "report-2026-11")

    def form(*period: str) -> dict[str, list]:
        out = tmp_path / f"form{len(period)}.xlsx"
        template = project / "site_config" / "form-template.xlsx"
        done = _run(project, "form", str(template), "--out", str(out), *period)
        assert done.returncode == 0, done.stderr
        rows = openpyxl.load_workbook(out)["报表"].iter_rows(values_only=True)
        return {r[1]: list(r) for r in rows if r[1] in ("集贤县", "蒲县")}

    then, now = form("--period", "report-2025-10"), form()  # now: the newest tag
    assert then.keys() == now.keys() == {"集贤县", "蒲县"}
    assert then["蒲县"][3] == 49 and now["蒲县"][3] == 50  # 党组织（个）: that period's report
    assert then["集贤县"][2:] == now["集贤县"][2:]
    out = tmp_path / "brief.docx"
    done = _run(project, "brief", "--period", "report-2025-10", "--out", str(out))
    assert done.returncode == 0, done.stderr
    text = "\n".join(p.text for p in Document(str(out)).paragraphs)
    assert "蒲县" in text and "集贤县" in text


def test_a_report_series_extends_exactly_over_a_longer_time_line(exported, site_settings):
    import datetime as dt

    from generator.build.reports import fitted
    from generator.compute.figures import compute_county
    from generator.compute.history import months_between
    from generator.diagnostics import Report
    from generator.load.loader import load_county
    from generator.report.reading import read_report

    found = read_report(exported, exported.name, Report())
    assert found is not None
    months = months_between(dt.date(2015, 1, 1), dt.date(2027, 6, 30))  # a city's longer span
    as_of = dt.date(2027, 6, 30)
    ledger = load_county(ROOT / "data" / "puxian", Report())
    own = compute_county(ledger, site_settings, months, as_of)
    figures, _ = fitted(found, site_settings, months, as_of)
    assert figures.series == own.series
    assert figures.progress == own.progress


def test_a_rebuilt_city_site_is_the_same_as_a_clean_one(city, tmp_path):
    from tests.test_build import tree_digest

    again = _run(city, "build", "--out", str(city / "site"))
    assert again.returncode == 0, again.stderr
    clean = _run(city, "build", "--clean", "--out", str(tmp_path / "clean"))
    assert clean.returncode == 0, clean.stderr
    assert tree_digest(city / "site") == tree_digest(tmp_path / "clean")
