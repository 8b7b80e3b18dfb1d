"""Issue 15, items 5 and 10: links are refused, never followed; records that would not be
read are errors saying where they belong; a whole file that is not a ledger is not echoed."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.diagnostics import Report
from generator.library.cases import load_cases
from generator.load.ledger import Roster
from tests.test_loader import COUNTY, ORG, load

SECRET = "ghp_0123456789abcdefSECRETTOKEN"


@pytest.mark.parametrize(
    "link",
    ["data/px/orgs/x.yaml", "data/px/orgs", "data/px/county.yaml", "data/qx", "data/px/orgs/l"],
)
def test_symlinks_are_refused_with_their_place(link, tree, monkeypatch, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "token.yaml").write_text(f"{SECRET}\n", encoding="utf-8")
    root = tree({"data/px/county.yaml": COUNTY, "data/px/orgs/a.yaml": ORG})
    target = root / link
    if target.exists():
        os.rename(target, root / "moved")
    os.symlink(outside / "token.yaml" if link.endswith(".yaml") else outside, target)
    ledger, diagnostics = load(tree, monkeypatch, {})
    assert f"{link}: symlink-refused:" in "\n".join(diagnostics), diagnostics
    assert SECRET not in "\n".join(diagnostics)


def test_links_looping_back_do_not_hang(tree, monkeypatch):
    root = tree({"data/px/county.yaml": COUNTY, "data/px/orgs/a.yaml": ORG})
    for name in ("l1", "l2", "l3"):
        os.symlink(".", root / "data" / "px" / "orgs" / name)
        os.symlink("..", root / "data" / "px" / name)
    ledger, diagnostics = load(tree, monkeypatch, {})
    assert sum("symlink-refused" in d for d in diagnostics) == 6
    assert list(ledger.counties[0].orgs) == ["a"]


def test_a_file_that_is_not_a_ledger_is_not_echoed(tree, monkeypatch):
    _, diagnostics = load(tree, monkeypatch, {"data/px/county.yaml": COUNTY,
                                              "data/px/orgs/x.yaml": f"{SECRET}\n"})  # fmt: skip
    assert diagnostics and SECRET not in "\n".join(diagnostics)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("orgs/x.YAML", "data/px/orgs/x.yaml"),
        ("orgs/x.Yml", "data/px/orgs/x.yaml"),
        ("orgs/x.yaml.txt", "data/px/orgs/x.yaml"),
        ("orgs/x.yaml ", "data/px/orgs/x.yaml"),
        ("orgs/2025/x.yaml", "data/px/orgs/"),
        ("x.yaml", "data/px/<文件夹>/x.yaml"),
        ("org/x.yaml", "data/px/orgs/"),
    ],
)
def test_records_that_would_not_be_read_are_errors(name, expected, tree, monkeypatch):
    _, diagnostics = load(
        tree, monkeypatch, {"data/px/county.yaml": COUNTY, f"data/px/{name}": ORG}
    )
    [line] = [d for d in diagnostics if "record-not-loaded" in d]
    assert expected in line, line


def test_a_record_folder_that_is_a_file_is_an_error(tree, monkeypatch):
    _, diagnostics = load(tree, monkeypatch, {"data/px/county.yaml": COUNTY, "data/px/orgs": ORG})
    assert [d.split(": ")[1] for d in diagnostics] == ["record-folder-is-file"]


def test_clearly_not_records_stay_warnings(tree, monkeypatch):
    files = {"data/px/county.yaml": COUNTY, "data/px/orgs/说明.docx": b"PK", "data/px/a.jpg": b""}
    _, diagnostics = load(tree, monkeypatch, files)
    assert diagnostics and all("警告" in d for d in diagnostics), diagnostics


CASE = "---\ntitle: 案例\ncounty: px\ndate: 2025-11-01\n---\n正文\n"


@pytest.mark.parametrize("name", ["x.MD", "x.markdown", "2025/x.md", "x.md ", "x.Markdown"])
def test_case_files_that_would_not_be_published_are_errors(name, tmp_path):
    cases = tmp_path / "cases"
    (cases / name).parent.mkdir(parents=True, exist_ok=True)
    (cases / name).write_text(CASE, encoding="utf-8")
    report = Report()
    load_cases(cases, Roster([]), report)
    [found] = report.diagnostics
    assert found.code == "case-not-loaded" and "x.md" in found.format()


def test_a_linked_case_is_refused(tmp_path):
    cases = tmp_path / "cases"
    cases.mkdir()
    (tmp_path / "real.md").write_text(CASE, encoding="utf-8")
    os.symlink(tmp_path / "real.md", cases / "x.md")
    report = Report()
    assert load_cases(cases, Roster([]), report) == []
    assert [d.code for d in report.diagnostics] == ["symlink-refused"]
    assert Path(report.diagnostics[0].location.path).name == "x.md"
