"""The big tables (HTML from the templates, see generator/publish/html_blocks.py) in a browser:
they sort by a click on their header, and their links open the rows they name."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser

COLUMN = """(th) => {
  const table = th.closest("table");
  const column = [...th.parentElement.children].indexOf(th);
  return [...table.tBodies[0].rows].map(row => row.cells[column].textContent.trim());
}"""


def numbers(cells: list[str]) -> list[float]:
    return [float(c.replace(",", "")) for c in cells if c != "—"]


def test_the_ledger_sorts_by_a_click_on_a_header(visit):
    v = visit("counties/puxian/orgs/")
    header = v.page.locator(".sortable table thead th", has_text="从业人员")
    header.click()
    assert header.get_attribute("aria-sort") == "ascending"
    shown = header.evaluate(COLUMN)
    assert numbers(shown) == sorted(numbers(shown)) and len(numbers(shown)) > 50
    assert shown[-1] == "—" or "—" not in shown  # no data sorts last
    header.press("Enter")  # by keyboard too
    assert header.get_attribute("aria-sort") == "descending"
    again = numbers(header.evaluate(COLUMN))
    assert again == sorted(again, reverse=True)
    assert v.problems() == []


def test_the_overview_s_tables_sort_by_a_rate(visit):
    v = visit("")  # the overview: cities, then the counties of each city
    tables = v.page.locator(".sortable table")
    assert tables.count() >= 2
    header = tables.first.locator("thead th", has_text="组织覆盖率")
    header.click()
    rates = [float(c.rstrip("%")) for c in header.evaluate(COLUMN)]
    assert rates == sorted(rates) and len(rates) >= 2
    header.click()
    rates = [float(c.rstrip("%")) for c in header.evaluate(COLUMN)]
    assert rates == sorted(rates, reverse=True)


def test_a_follow_up_opens_its_row_in_the_ledger(visit):
    v = visit("counties/puxian/followups/")
    link = v.page.locator("section.followups-grid table a[href*='#org-']").first
    anchor = link.get_attribute("href").split("#")[1]
    link.click()
    v.page.wait_for_load_state()
    assert re.search(rf"/counties/puxian/orgs/#{anchor}$", v.page.url), v.page.url
    row = v.page.locator(f"[id='{anchor}']")
    assert row.count() == 1 and row.evaluate("e => e.closest('tr') !== null")
    assert v.problems() == []


def test_an_activity_s_grid_opens_the_grid_page(visit):
    v = visit("counties/puxian/activities/")
    link = v.page.locator("article table a[href*='grids/']").first
    name = link.inner_text()
    link.click()
    v.page.wait_for_load_state()
    assert "/counties/puxian/grids/" in v.page.url
    assert v.page.locator("article h1").inner_text() == name
    assert v.problems() == []
