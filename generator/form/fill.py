"""Fill a form template: ``{{ overall.orgs_total }}``, ``{{ puxian.org_coverage_rate }}``,
``{{ as_of }}``, ``{{ revision }}``, and rows repeated per entry (``{{ row.name }}``,
``{{ row.outputs.people_checked }}``...).

A cell that is one placeholder gets the value itself (a rate as a fraction, so the template's
percentage format shows 76.0%; the data date as a date); a placeholder inside text is
replaced by the value as the site writes it. Nothing in a cell is evaluated: anything else
between ``{{ }}`` is an error naming ``sheet!cell``, as is an unknown metric or county.

The rows are entries of (id, name, metrics): the counties in site order now; the same loop
fills a province's form from its cities, or a city's from its counties.
"""

from __future__ import annotations

import datetime as dt
import re

from openpyxl.workbook.workbook import Workbook

from generator.compute.metrics import METRICS, METRICS_BY_NAME, breakdown_of
from generator.diagnostics import Location, Report
from generator.form.figures import Entry, FormFigures
from generator.form.rows import repeat_row
from generator.library.figures import BREAKDOWNS
from generator.load.config import CodeLists
from generator.messages import listed, suggestion

_PLACEHOLDER = re.compile(r"\{\{(.*?)\}\}|\{%|\{#")
_EXPRESSION = re.compile(r"^\s*([a-z0-9][a-z0-9_-]*)(?:\.([a-z_]+))?(?:\.([a-z0-9_]+))?\s*$")
ROW = "row"
OVERALL = "overall"
ENTRY_FIELDS = ("name", "id")


def fill(book: Workbook, figures: FormFigures, display: str, report: Report) -> None:
    """Fill ``book`` in place; problems go to ``report`` located as ``display sheet!cell``."""
    for sheet in book.worksheets:
        template_rows = sorted(
            {
                c.row
                for cells in sheet.iter_rows()
                for c in cells
                if c.row is not None and _names_row(c.value)  # merged cells may have no row
            },
            reverse=True,  # bottom first: the rows above keep their numbers
        )
        spans: dict[int, int] = {}  # sheet row -> index of the repeated row it shows
        for row in template_rows:
            repeat_row(book, sheet, row, max(1, len(figures.rows)))
            spans = {(r + len(figures.rows) - 1 if r > row else r): n for r, n in spans.items()}
            for offset in range(len(figures.rows)):
                spans[row + offset] = offset
        for cells in sheet.iter_rows():
            for cell in cells:
                if isinstance(cell.value, str) and ("{{" in cell.value or "{%" in cell.value):
                    entry = (
                        figures.rows[spans[cell.row]]
                        if cell.row in spans and figures.rows
                        else None
                    )
                    at = Location(f"{display} {sheet.title}!{cell.coordinate}")
                    cell.value = _fill_cell(cell.value, figures, entry, at, report)


def _names_row(value: object) -> bool:
    return isinstance(value, str) and bool(re.search(r"\{\{\s*row\s*\.", value))


def _fill_cell(text: str, figures: FormFigures, row: Entry | None, at: Location, report: Report):
    matches = list(_PLACEHOLDER.finditer(text))
    whole = len(matches) == 1 and matches[0].group(0) == text.strip()
    values = []
    for match in matches:
        if match.group(1) is None:
            report.error(
                at, "form-placeholder-syntax", snippet=text[match.start() : match.start() + 30]
            )
            return text
        found, value = _resolve(match.group(1), figures, row, at, report)
        if not found:
            return text
        values.append(value)
    if whole:
        return values[0]
    formula = text.startswith("=")  # a number inside a formula is written plainly: 0.76, 1000
    parts, last = [], 0
    for match, value in zip(matches, values, strict=True):
        shown = _in_formula(value) if formula else _as_text(value, match.group(1))
        parts += [text[last : match.start()], shown]
        last = match.end()
    return "".join(parts) + text[last:]


def _in_formula(value: object) -> str:
    if value is None:
        return "0"
    if isinstance(value, int | float):
        return repr(value)
    return '"' + str(value).replace('"', '""') + '"'  # text as an Excel string literal


def _as_text(value: object, expression: str) -> str:
    if value is None:
        return "—"
    if isinstance(value, dt.date):
        return f"{value.year}年{value.month}月{value.day}日"
    metric = METRICS_BY_NAME.get(expression.strip().split(".")[1]) if "." in expression else None
    if metric is not None and metric.is_rate and isinstance(value, float):
        return f"{value * 100:.1f}%"
    return f"{value:,}" if isinstance(value, int) else str(value)


def _resolve(
    expression: str, figures: FormFigures, row: Entry | None, at: Location, report: Report
) -> tuple[bool, object]:
    match = _EXPRESSION.match(expression)
    if match is None:
        report.error(at, "form-placeholder-syntax", snippet="{{" + expression + "}}")
        return False, None
    scope, name, code = match.groups()
    if name is None:
        if scope == "as_of":
            return True, figures.as_of
        if scope == "revision":
            return True, figures.revision
        report.error(at, "form-placeholder-syntax", snippet="{{" + expression + "}}")
        return False, None
    if scope == ROW:
        entry = row
        if name == "number" and code is None and row is not None:
            return True, figures.rows.index(row) + 1
    elif scope == OVERALL:
        entry = figures.overall
    else:
        entry = figures.areas.get(scope)
        if entry is None:
            zh, en = listed(list(figures.areas), scope)
            report.error(at, "form-unknown-area", value=scope, allowed=(zh, en))
            return False, None
    assert entry is not None
    if name in ENTRY_FIELDS and code is None:
        return True, getattr(entry, name)
    return _metric(entry, name, code, figures.codes, at, report)


def _metric(
    entry: Entry, name: str, code: str | None, codes: CodeLists, at: Location, report: Report
) -> tuple[bool, object]:
    metric = METRICS_BY_NAME.get(name)
    if metric is None or (code is not None and not metric.is_breakdown):
        names = [m.name for m in METRICS]
        hint = suggestion(name, names)
        report.error(
            at,
            "form-unknown-metric",
            value=name if code is None else f"{name}.{code}",
            suggestion=hint,
        )
        return False, None
    if metric.is_breakdown:
        known = list(getattr(codes, BREAKDOWNS[name]))
        if code is None:
            report.error(at, "case-figure-breakdown", value=name, example=f"{name}.{known[0]}")
            return False, None
        if code not in known:
            report.error(
                at,
                "case-figure-code",
                value=code,
                metric=name,
                allowed=("、".join(known), ", ".join(known)),
            )
            return False, None
        return True, breakdown_of(entry.metrics, name).get(code, 0)
    return True, entry.metrics.get(name)
