"""Every chart loads, says what it shows in its alt text, and is followed by its numbers."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from browsing import DESKTOP, PHONE

pytestmark = pytest.mark.browser

# Each chart's figure, its alt text and the table of the "图表数据" block right after it.
_CHARTS = """() => [...document.querySelectorAll("article figure.chart")].map(figure => {
  const img = figure.querySelector("img");
  const details = figure.nextElementSibling;
  const table = details && details.tagName === "DETAILS" ? details.querySelector("table") : null;
  const cells = row => [...row.cells].map(cell => cell.textContent.trim());
  return {
    src: img.getAttribute("src"),
    alt: img.getAttribute("alt") || "",
    width: img.naturalWidth,
    caption: (figure.querySelector("figcaption") || {}).textContent || "",
    summary: details && details.tagName === "DETAILS"
      ? details.querySelector("summary").textContent.trim() : null,
    head: table && table.tHead ? cells(table.tHead.rows[0]) : [],
    rows: table ? [...table.tBodies[0].rows].map(cells) : [],
  };
})"""


def _chart_pages(site_dir: Path) -> list[str]:
    return sorted(
        str(p.parent.relative_to(site_dir)).removeprefix(".") + "/"
        for p in site_dir.rglob("index.html")
        if '<figure class="chart"' in p.read_text(encoding="utf-8")
    )


def _value(text: str) -> tuple[Decimal, bool] | None:
    """A cell or alt value as (number, is_percent): "1,234", "42个", "62.5%"; None for no data."""
    text = text.strip()
    if text in ("—", "无数据"):
        return None
    match = re.match(r"-?[\d,]*\.?\d+%?", text)
    assert match, f"not a number: {text!r}"
    number = match.group(0)
    return Decimal(number.rstrip("%").replace(",", "")), number.endswith("%")


def _alt_data(alt: str) -> tuple[str, dict[str, dict[str, str]]]:
    """Alt text "图表：标题。类别：系列 值，系列 值；…。目标 60%。" as (title, {category: {series: value}})."""
    assert alt.startswith("图表："), alt
    title, _, rest = alt.removeprefix("图表：").partition("。")
    body = rest.split("。")[0]
    rows: dict[str, dict[str, str]] = {}
    if body == "暂无数据":
        return title, rows
    for row in body.split("；"):
        category, _, cells = row.rpartition("：")
        rows[category] = dict(cell.rpartition(" ")[::2] for cell in cells.split("，"))
    return title, rows


def _has_table(chart: dict) -> bool:
    return chart["summary"] is not None and chart["summary"].startswith("图表数据")


def _mismatches(chart: dict) -> list[str]:
    """Where the chart's 图表数据 table and its alt text disagree."""
    title, alt_rows = _alt_data(chart["alt"])
    problems = []
    if title not in chart["summary"] or title not in chart["caption"]:
        problems.append(f"{title}: caption {chart['caption']!r} / block {chart['summary']!r}")
    series = chart["head"][1:]
    table_rows = {row[0]: dict(zip(series, row[1:], strict=True)) for row in chart["rows"]}
    if list(table_rows) != list(alt_rows):
        problems.append(f"{title}: table rows {list(table_rows)} but alt text {list(alt_rows)}")
    for category, values in table_rows.items():
        said = alt_rows.get(category, {})
        for name, cell in values.items():
            if name not in said or _value(cell) != _value(said[name]):
                problems.append(
                    f"{title} / {category} / {name}: table {cell}, alt {said.get(name)}"
                )
    return problems


def test_charts_load_with_alt_text_and_the_same_numbers_in_a_table(visit, site_dir: Path):
    """Every chart on every page. A chart repeated without its table (the printable brief shows
    county charts as they are) must have its 图表数据 table where it first appears."""
    pages = _chart_pages(site_dir)
    assert {"/", "counties/puxian/", "counties/jixian/"} <= set(pages), pages
    v = visit(None, DESKTOP)
    problems = []
    tabled: set[str] = set()  # chart files shown with their table somewhere
    untabled: list[tuple[str, str]] = []
    for path in pages:
        v.goto(path.removeprefix("/"))
        images = v.page.locator("article figure.chart img")
        for i in range(images.count()):
            # Scrolled to, as a reader would: the charts load lazily.
            images.nth(i).scroll_into_view_if_needed()
            images.nth(i).evaluate(
                "img => img.complete || new Promise(done => { img.onload = img.onerror = done })"
            )
        for chart in v.page.evaluate(_CHARTS):
            where = f"{path} {chart['src']}"
            chart_file = chart["src"].rsplit("/", 1)[-1]
            if chart["width"] <= 0:
                problems.append(f"{where}: the image did not load")
            if not chart["alt"].strip():
                problems.append(f"{where}: no alt text")
            elif _has_table(chart):
                tabled.add(chart_file)
                problems += [f"{where}: {p}" for p in _mismatches(chart)]
            else:
                untabled.append((chart_file, f"{where}: no 图表数据 table after it, nor elsewhere"))
    problems += [message for chart_file, message in untabled if chart_file not in tabled]
    assert len(tabled) >= 5, f"only {len(tabled)} charts with tables on {pages}"
    assert not problems, "\n".join(problems)
    assert v.problems() == []


def test_each_coverage_chart_states_both_rates_own_targets(visit):
    """集贤县's 66.7% work coverage must not look on target against organizational coverage's
    60%: every coverage chart names each rate's own target (drawn as its own mark)."""
    v = visit("counties/jixian/", DESKTOP)
    alts = v.page.eval_on_selector_all("article figure.chart img", "imgs => imgs.map(i => i.alt)")
    coverage = [a for a in alts if "覆盖率" in a.split("。")[0]]
    assert coverage, alts
    for alt in coverage:
        assert "组织覆盖率目标 60.0%" in alt and "工作覆盖率目标 90.0%" in alt, alt


@pytest.mark.parametrize("width", [DESKTOP, PHONE])
def test_an_enlarged_chart_is_larger_and_closes_back_to_the_page(visit, width):
    v = visit("counties/puxian/", width)
    link = v.page.locator("article figure.chart a.chart-zoom").first
    link.scroll_into_view_if_needed()
    v.load_images()
    small = link.locator("img").bounding_box()["width"]
    scrolled = v.page.evaluate("window.scrollY")
    link.click()
    big = v.page.locator("dialog.is-chart img")
    big.wait_for(state="visible")
    assert big.bounding_box()["width"] >= 1.5 * small, (small, big.bounding_box())
    v.page.keyboard.press("Escape")
    assert not v.page.evaluate("document.querySelector('dialog').open")
    assert v.page.url.endswith("/counties/puxian/")  # the page, not the bare SVG
    assert v.page.evaluate("window.scrollY") == scrolled
    v.page.locator("article figure.chart a.chart-zoom").first.click()
    v.page.locator("dialog.is-chart .case-lightbox-close").click()
    assert not v.page.evaluate("document.querySelector('dialog').open")
    assert v.problems() == []
