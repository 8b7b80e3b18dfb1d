"""Issue 15, item 2: Markdown (cases, bundles, data summaries) is rendered as MkDocs renders
it and must pass an allow-list sanitiser (nh3) unchanged; what it would remove is a located
unsafe-markdown error."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from generator.diagnostics import Report
from generator.library.cases import parse_case
from generator.validate.markdown_guard import EXTENSIONS, first_unsafe
from tests.test_checks import check, coded

ROOT = Path(__file__).resolve().parent.parent

UNSAFE = [
    "<details/open/ontoggle=alert(1)>x</details>",
    "[点我](jav&#x61;script:alert(1))",
    "[点我](JaVaScRiPt:alert(1))",
    '<a href="x"\nonclick="alert(1)">y</a>',
    "<image/src/onerror=alert(1)>",
    "<img src=images/a.png onerror=alert(1)>",
    "<svg/onload=alert(1)>",
    "<script>alert(1)</script>",
    "<style>body{display:none}</style>",
    '<p style="background:url(http://x.example/a.png)">x</p>',
    '<div style="position:fixed;inset:0">x</div>',
    "段落\n{: onmouseover=alert(1) }",
    "段落\n{:onclick=alert(1)}",
    '段落\n{: style="position:fixed;top:0;left:0;width:100%;height:100%" }',
    "<iframe src=https://x.example></iframe>",
    "<object data=x></object>",
    "<form action=https://x.example><button>提交</button></form>",
    "[x](//evil.example/a)",
    "[x](data:text/html,<script>alert(1)</script>)",
    "[x](vbscript:msgbox)",
    "<a href='&#106;avascript:alert(1)'>x</a>",
    "<math><mi xlink:href='javascript:alert(1)'>x</mi></math>",
    '<meta http-equiv="refresh" content="0;url=https://x.example">',
]

SAFE = [
    "普通文字 **加粗** *强调* `代码` [链接](https://example.org) [回到顶部](#top)",
    "| 项目 | 数量 |\n|:-----|-----:|\n| 走访 | 12 |",
    '!!! note "提示"\n    内容',
    '??? tip "展开"\n    内容',
    "## 小标题 {: #part-2 }",
    "<b>粗体</b> <abbr title='说明'>缩写</abbr> <sup>1</sup>",
    "![现场](images/px/a.png)",
    "1 < 2 且 3 > 2，a & b",
]


@pytest.mark.parametrize("text", UNSAFE)
def test_what_a_browser_would_run_or_load_is_found(text):
    assert first_unsafe(text) is not None, text


@pytest.mark.parametrize("text", SAFE)
def test_ordinary_markdown_passes(text):
    assert first_unsafe(text) is None, text


def test_the_line_is_the_one_that_makes_it_unsafe():
    found = first_unsafe('第一段。\n\n第二段 <a href="#"\nonclick="x()">点</a>')
    assert found is not None and found.line == 3 and "onclick" in found.snippet


def test_the_extensions_are_those_of_mkdocs_yml():
    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("", lambda loader, suffix, node: None)
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader)
    names = [e if isinstance(e, str) else next(iter(e)) for e in config["markdown_extensions"]]
    assert names == EXTENSIONS


@pytest.mark.parametrize("text", UNSAFE)
def test_cases_and_bundles_are_refused_at_their_line(text, tmp_path):
    body = "第一行\n\n" + text + "\n"
    source = f"---\ntitle: 案例\ncounty: px\ndate: 2025-11-01\n---\n{body}"
    report = Report()
    parse_case(source, "c", "content/cases/c.md", tmp_path, report)
    unsafe = [d for d in report.diagnostics if d.code == "unsafe-markdown"]
    assert unsafe and unsafe[0].location.line >= 8, [d.format() for d in report.diagnostics]


@pytest.mark.parametrize("text", [t for t in UNSAFE if "[" in t or "{" in t])
def test_data_summaries_are_refused_at_their_line(text, tree, monkeypatch, site_settings):
    summary = "\n".join("    " + line for line in ("第一段。", "", *text.split("\n")))
    county = f"name: 蒲县\nsummary: |\n{summary}\n"
    found = coded(check(tree, monkeypatch, site_settings, {"data/px/county.yaml": county}))
    assert found and all(f.startswith("data/px/county.yaml:") for f in found), found
    # (an entity in data text stays text: the link is then only a dead relative one)
    assert found[0].endswith(("unsafe-markdown", "data-link-relative")), found
    assert int(found[0].split(":")[1]) >= 5, found


def test_data_text_links_must_be_full_addresses(tree, monkeypatch, site_settings):
    county = "name: 蒲县\nsummary: 见[通知](通知.pdf)和[官网](https://example.org)\n"
    found = coded(check(tree, monkeypatch, site_settings, {"data/px/county.yaml": county}))
    assert found == ["data/px/county.yaml:2:16: data-link-relative"]


def test_attribute_lists_never_apply_to_data_text():
    from generator.markdown_safe import md_block
    from generator.validate.markdown_guard import render

    html = render(str(md_block("段落\n{: onclick=alert(1) }")))
    assert "onclick=" not in html.replace("onclick=alert", "")  # shown as text only
    assert "<p onclick" not in html
