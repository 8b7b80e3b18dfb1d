"""Issue 15, item 6: a link in a case write-up that MkDocs' strict build would stop on (a file
that is not on the site, a missing anchor, a case that is not published) is a located error in
validate, with the nearest case named; links that work pass."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.diagnostics import Report
from generator.library.cases import load_cases
from generator.load.ledger import Roster
from tests.conftest import write_tree
from tests.test_loader import COUNTY, load

HEAD = "---\ntitle: {title}\ncounty: px\ndate: 2025-11-01\n---\n"
BODY = "## 背景\n\n正文\n\n## 做法\n\n{line}\n"


def check(tmp_path: Path, monkeypatch, line: str, other: str = "") -> list[str]:
    """The diagnostics of a library with ``px-a`` (whose body has ``line`` on line 12) and
    ``px-other`` (the file ``other``, by default a case of two headings)."""
    cases = tmp_path / "content" / "cases"
    cases.mkdir(parents=True)
    (cases / "px-a.md").write_text(HEAD.format(title="甲") + BODY.format(line=line), "utf-8")
    (cases / "px-other.md").write_text(
        other or HEAD.format(title="乙") + BODY.format(line=""), "utf-8"
    )
    ledger, _ = load(
        lambda files: write_tree(tmp_path, files), monkeypatch, {"data/px/county.yaml": COUNTY}
    )
    report = Report()
    load_cases(Path("content/cases"), Roster([c.view() for c in ledger.counties]), report)
    return [d.format() for d in report.diagnostics]


@pytest.mark.parametrize(
    "line",
    [
        "[背景](#_2)，[做法](#_3)，[相同主题](#_4)",
        "[另一篇](px-other.md)，[它的做法](px-other.md#_3)",
        "[外链](https://example.org/通知.pdf)，[信箱](mailto:a@example.org)",
        '<a href="#_2">背景</a>',
    ],
)
def test_links_that_work_pass(line, tmp_path, monkeypatch):
    assert check(tmp_path, monkeypatch, line) == []


@pytest.mark.parametrize(
    ("line", "code", "at", "named"),
    [
        ("见[详见通知](通知.pdf)。", "case-link-file", "通知.pdf", "“通知.pdf”"),
        ("[站内页面](../../counties/px/)", "case-link-file", "../../", "counties"),
        ("[绝对路径](/counties/px/)", "case-link-file", "/counties", "/counties/px/"),
        ("[图片文件](images/px/a.png)", "case-link-file", "images", "images/px/a.png"),
        ("[回到顶部](#top)", "case-link-anchor", "#top", "可用的有：_1、_2、_3、_4"),
        ("[做法](#做法)", "case-link-anchor", "#做法", "本页"),
        ("[它的做法](px-other.md#_9)", "case-link-anchor", "px-other.md#_9", "“乙”"),
        ("[另一篇](px-othr.md)", "case-link-case", "px-othr", "是否想写 “px-other.md”"),
        ("[另一篇](./px-other.md)", "case-link-case", "./px", "是否想写 “px-other.md”"),
        ("[没有的](nothing-like-it.md)", "case-link-case", "nothing", "nothing-like-it.md"),
        ('<a href="通知.pdf">通知</a>', "case-link-file", "通知.pdf", "通知.pdf"),
        ("[通知][1]\n\n[1]: 附件/通知.docx", "case-link-file", "附件", "附件/通知.docx"),
    ],
)
def test_broken_links_are_located_errors(line, code, at, named, tmp_path, monkeypatch):
    [found] = check(tmp_path, monkeypatch, line)
    place, found_code, text = found.split(": ", 2)
    assert found_code == code and named in text, found
    number, text_line = next((12 + n, t) for n, t in enumerate(line.split("\n")) if at in t)
    assert place == f"content/cases/px-a.md:{number}:{text_line.index(at) + 1}", found


def test_a_link_to_a_case_left_out_is_an_error(tmp_path, monkeypatch):
    other = "---\ntitle: 乙\ncounty: qx\ndate: 2025-11-01\n---\n正文\n"  # no such county
    found = check(tmp_path, monkeypatch, "[另一篇](px-other.md)", other)
    assert [f.split(": ")[1] for f in found] == ["case-county-missing", "case-link-case"], found
