"""axe-core finds no serious or critical WCAG 2.1 A/AA violation on the pages people read.

axe-core comes from the npm registry (tests/browser/package.json, pinned in package-lock.json;
`make browser-deps` installs it into tests/browser/node_modules). Nothing is excluded: the
violations Material's defaults gave this site are fixed in content/assets/stylesheets/site.css
(contrast of the red palette, underlined links) and templates/theme/main.html (focusable table
scrollers). Should one appear that only Material's own markup can fix, exclude it narrowly with
axe's `exclude` (one selector, one rule) and say why next to it.
"""

from __future__ import annotations

import json

import pytest
from browsing import DESKTOP, PAGES, PHONE, search

pytestmark = pytest.mark.browser

WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = ("serious", "critical")

_RUN_AXE = """async tags => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags}});
  return result.violations.map(v => ({
    rule: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ") + " :: " + n.failureSummary),
  }));
}"""


def _violations(page, axe_source: str) -> list[dict]:
    page.add_script_tag(content=axe_source)
    found = page.evaluate(_RUN_AXE, WCAG_21_AA)
    return [v for v in found if v["impact"] in BLOCKING]


def _report(violations: list[dict]) -> str:
    return json.dumps(violations, ensure_ascii=False, indent=1)


@pytest.mark.parametrize("width", [DESKTOP, PHONE])
@pytest.mark.parametrize("name", PAGES)
def test_no_serious_wcag_violations(visit, axe_source: str, name: str, width: int) -> None:
    v = visit(PAGES[name], width)
    # The chart data tables are checked too: open every "图表数据" block first.
    v.page.evaluate("() => document.querySelectorAll('details').forEach(d => { d.open = true })")
    v.settle()
    violations = _violations(v.page, axe_source)
    assert violations == [], _report(violations)
    assert v.problems() == []


def test_no_serious_wcag_violations_in_search_results(visit, axe_source: str) -> None:
    v = visit("", DESKTOP)
    assert search(v.page, "蒲县")
    v.settle()
    violations = _violations(v.page, axe_source)
    assert violations == [], _report(violations)
