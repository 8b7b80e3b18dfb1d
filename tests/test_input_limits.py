"""Issue 15, items 7 and 8: what used to exit 3 or take the machine is a located error (exit 1).

Tags a value cannot hold (``!!bool maybe``), unreadable record files, implausible years, a
huge (sparse) file, each where a clerk writes them: data files and case front matter (bundles:
tests/test_case_bundle.py). The huge file is refused by its size, never read or hashed.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from generator.build.record_cache import RecordCache
from generator.compute.figures import MAX_SERIES_MONTHS, CountyDates, site_months
from generator.diagnostics import Report
from generator.library.cases import load_cases
from generator.load.ledger import Roster
from generator.load.loader import load_ledger
from tests.conftest import write_tree
from tests.test_loader import COUNTY, ORG, load

ACTIVITY = "date: {date}\ntype: training\ntitle: 业务培训\n"


@pytest.mark.parametrize(
    ("value", "column"),
    [
        ("!!bool maybe", 9),
        ("!!timestamp hello", 9),
        ("!!int abc", 9),
        ("!!float 多", 9),
        ("!!null x", 9),
        ('!!bool "maybe"', 9),
        ("!<tag:yaml.org,2002:bool> maybe", 9),
    ],
)
def test_a_tag_its_value_cannot_have_is_a_located_error(value, column, tree, monkeypatch):
    files = {"data/px/county.yaml": COUNTY, "data/px/orgs/a.yaml": f"{ORG}status: {value}\n"}
    _, diagnostics = load(tree, monkeypatch, files)
    assert [d.split(": ")[:2] for d in diagnostics] == [
        [f"data/px/orgs/a.yaml:4:{column}", "yaml-tag-value"]
    ], diagnostics
    assert value.split()[0].replace("!<tag:yaml.org,2002:", "!!").rstrip(">") in diagnostics[0]


@pytest.mark.parametrize("value", ["!!int 12", "!!float 1", "!!bool true", "!!str 12"])
def test_a_tag_its_value_can_have_passes(value, tree, monkeypatch):
    files = {"data/px/county.yaml": COUNTY, "data/px/orgs/a.yaml": f"{ORG}employees: {value}\n"}
    _, diagnostics = load(tree, monkeypatch, files)
    assert all("yaml-tag" not in d for d in diagnostics), diagnostics


def test_a_tag_in_a_case_front_matter_is_located(tmp_path, monkeypatch):
    case = "---\ntitle: 甲\ncounty: px\ndate: !!timestamp hello\n---\n正文\n"
    write_tree(tmp_path, {"data/px/county.yaml": COUNTY, "content/cases/px-a.md": case})
    monkeypatch.chdir(tmp_path)
    report = Report()
    ledger = load_ledger(Path("data"), report)
    load_cases(Path("content/cases"), Roster([c.view() for c in ledger.counties]), report)
    assert [d.format().split(": ")[:2] for d in report.diagnostics] == [
        ["content/cases/px-a.md:4:7", "yaml-tag-value"]
    ]


@pytest.mark.parametrize(
    ("make", "code"),
    [
        (lambda p: p.mkdir(), "record-not-loaded"),  # a folder named x.yaml
        (lambda p: p.write_bytes("name: 蒲县\n".encode("gbk")), "file-not-utf8"),
        (lambda p: p.write_bytes(b"name: \xff\xfe\x00\x00"), "file-binary"),
        (lambda p: os.mkfifo(p), "record-not-loaded"),  # would block a reader forever
    ],
)
def test_a_record_file_that_cannot_be_read_is_located(make, code, tree, monkeypatch):
    root = tree({"data/px/county.yaml": COUNTY})
    (root / "data/px/orgs").mkdir()
    make(root / "data/px/orgs/x.yaml")
    _, diagnostics = load(tree, monkeypatch, {})
    [(place, found)] = [d.split(": ")[:2] for d in diagnostics]
    assert found == code and place.startswith("data/px/orgs/x.yaml"), diagnostics


def test_a_record_file_without_read_permission_is_located(tree, monkeypatch):
    root = tree({"data/px/county.yaml": COUNTY, "data/px/orgs/x.yaml": ORG})
    unreadable = (root / "data/px/orgs/x.yaml").resolve()
    real = Path.read_bytes

    def read_bytes(path: Path) -> bytes:  # as for a file chmod 000 (root may read anything)
        if path.resolve() == unreadable:
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    _, diagnostics = load(tree, monkeypatch, {})
    assert [d.split(": ")[:2] for d in diagnostics] == [["data/px/orgs/x.yaml", "file-unreadable"]]
    assert "Permission denied" in diagnostics[0]


@pytest.mark.parametrize("date", ["0225-06-12", "2925-01-01", "1925-06-01", "'0225-06-12'"])
def test_an_implausible_year_is_a_located_error(date, tree, monkeypatch):
    files = {"data/px/county.yaml": COUNTY, "data/px/activities/a.yaml": ACTIVITY.format(date=date)}
    _, diagnostics = load(tree, monkeypatch, files)
    assert [d.split(": ")[:2] for d in diagnostics] == [
        ["data/px/activities/a.yaml:1:7", "date-year"]
    ]
    assert "1949" in diagnostics[0] and "2100" in diagnostics[0]


def test_the_series_is_bounded_whatever_the_oldest_date():
    old = CountyDates(dt.date(1949, 10, 1), dt.date(1949, 10, 1), dt.date(2026, 5, 3))
    months = site_months([old], dt.date(2026, 5, 3))
    assert len(months) == MAX_SERIES_MONTHS and months[-1].label().startswith("2026")


def test_a_huge_sparse_file_is_refused_by_its_size_without_reading_it(tree, monkeypatch, tmp_path):
    root = tree({"data/px/county.yaml": COUNTY, "data/px/orgs/a.yaml": ORG})
    huge = root / "data/px/orgs/huge.yaml"
    with huge.open("wb") as f:
        f.truncate(3 * 1024**3)  # 3 GB that take no disk
    real = Path.read_bytes

    def read_bytes(path: Path) -> bytes:
        assert path.name != "huge.yaml", "the 3 GB file was read"
        return real(path)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    monkeypatch.chdir(root)
    for _ in range(2):  # the second time through the record cache
        report = Report()
        cache = RecordCache(tmp_path / "records.pickle", "salt")
        load_ledger(Path("data"), report, cache)
        cache.save()
        found = [d.format() for d in report.diagnostics]
        assert [d.split(": ")[:2] for d in found] == [["data/px/orgs/huge.yaml", "file-too-large"]]
        assert "3072.00 MB" in found[0]
