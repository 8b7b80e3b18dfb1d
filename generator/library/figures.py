"""Live figures in case write-ups: ``{{ figure("puxian", "party_orgs_economic") }}``.

A case is text a clerk edits, never code. So nothing in it is evaluated: the only thing allowed
between ``{{`` and ``}}`` is a call of ``figure`` with two or three quoted arguments (county id,
metric name, optionally a grid id of that county), matched by a strict pattern. Metric names are
those of the methodology page; a breakdown names its category after a dot, as the CSV download
does (``outputs.hidden_members_identified``).

Checked in the validate stage: an unknown metric, category or grid is an error. A county the
data folder lacks is a warning (shown as "—") when the case library knows it, i.e. some case
belongs to it, because another ``--data`` folder may hold it; otherwise it is a typo: an error.
Values are filled in when the pages are rendered, from the computed metrics.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from generator.compute.figures import SiteMetrics
from generator.compute.metrics import METRICS, METRICS_BY_NAME, value_of
from generator.diagnostics import Location, Report
from generator.load.config import CodeLists, Settings
from generator.load.ledger import Roster
from generator.messages import listed, suggestion

# Breakdown metric -> the code list naming its categories.
BREAKDOWNS = {"activities_by_type": "activity_type", "outputs": "output", "figures": "figure"}
_OPENER = re.compile(r"\{\{|\{%|\{#")
_CALL = re.compile(
    r"""\s*figure\s*\(\s*(["'])([^"'\n]*)\1\s*,\s*(["'])([^"'\n]*)\3\s*"""
    r"""(?:,\s*(["'])([^"'\n]*)\5\s*)?\)\s*"""
)


@dataclass(frozen=True)
class FigureRef:
    """One ``figure(...)`` in a case: what it cites and where it is written."""

    county: str
    metric: str
    grid: str | None
    at: Location

    @property
    def key(self) -> tuple[str, str, str | None]:
        return (self.county, self.metric, self.grid)

    def parts(self) -> tuple[str, str]:
        """(metric name, breakdown category or "")."""
        name, _, code = self.metric.partition(".")
        return name, code


def _scan(body: str) -> Iterator[tuple[int, int, int, re.Match | None]]:
    """(line index, start, end, call match or None when malformed) for each ``{{ }}`` etc."""
    for index, line in enumerate(body.split("\n")):
        pos = 0
        while (opener := _OPENER.search(line, pos)) is not None:
            start = opener.start()
            end = line.find("}}", start + 2) if opener.group(0) == "{{" else -1
            if end < 0:
                yield index, start, min(len(line), start + 30), None
                pos = start + 2
                continue
            yield index, start, end + 2, _CALL.fullmatch(line, start + 2, end)
            pos = end + 2


def _ref(match: re.Match, at: Location) -> FigureRef:
    grid = match.group(6)
    return FigureRef(match.group(2).strip(), match.group(4).strip(), grid and grid.strip(), at)


def find_figures(body: str, first_line: int, path: str, report: Report) -> tuple[FigureRef, ...]:
    """The figure citations of a case body; anything else between braces is an error."""
    lines = body.split("\n")
    found = []
    for index, start, end, match in _scan(body):
        at = Location(path, first_line + index, start + 1)
        if match is None:
            report.error(at, "case-figure-syntax", snippet=lines[index][start:end])
        else:
            found.append(_ref(match, at))
    return tuple(found)


def check_figures(
    refs: tuple[FigureRef, ...],
    roster: Roster | None,
    library_counties: set[str],
    settings: Settings | None,
    report: Report,
) -> None:
    """Report citations that cannot resolve. ``roster`` None: the case is not published this
    time (its county is missing), so only the metric names are checked."""
    for ref in refs:
        _check_metric(ref, settings.codes if settings else None, report)
        if roster is None:
            continue
        county = roster.county(ref.county)
        if county is None:
            allowed = listed([c.id for c in roster.counties], ref.county)
            if ref.county in library_counties:
                report.warning(ref.at, "case-figure-county-missing", value=ref.county)
            else:
                report.error(ref.at, "case-figure-county", value=ref.county, allowed=allowed)
        elif ref.grid is not None and ref.grid not in county.grids:
            allowed = listed(list(county.grids), ref.grid)
            report.error(ref.at, "case-figure-grid", value=ref.grid, allowed=allowed)


def _check_metric(ref: FigureRef, codes: CodeLists | None, report: Report) -> None:
    name, code = ref.parts()
    metric = METRICS_BY_NAME.get(name)
    if metric is None or (code and not metric.is_breakdown):
        names = [m.name for m in METRICS]
        hint = suggestion(ref.metric, names)
        report.error(ref.at, "case-figure-metric", value=ref.metric, suggestion=hint)
        return
    if metric.is_breakdown:
        known = list(getattr(codes, BREAKDOWNS[name])) if codes else []
        if not code:
            example = f"{name}.{known[0] if known else 'code'}"
            report.error(ref.at, "case-figure-breakdown", value=name, example=example)
            return
        if codes is not None and code not in known:
            allowed = ("、".join(known), ", ".join(known))
            report.error(ref.at, "case-figure-code", value=code, metric=name, allowed=allowed)
            return
    if ref.grid is not None and "grid" not in metric.scopes:
        report.error(ref.at, "case-figure-scope", value=ref.metric)


def figure_value(ref: FigureRef, sm: SiteMetrics) -> tuple[bool, float | None]:
    """(found, value): found is False when the data folder lacks the county or grid."""
    metrics = sm.grids.get((ref.county, ref.grid)) if ref.grid else sm.counties.get(ref.county)
    if metrics is None:
        return False, None
    name, code = ref.parts()
    return True, value_of(metrics, name, code)


def figure_label(ref: FigureRef, roster: Roster, codes: CodeLists) -> str:
    """Whose figure and what it counts: 蒲县 · 新经济组织党组织数, 蒲县 第一网格 · 网格数."""
    county = roster.county(ref.county)
    where = county.county.name if county else ref.county
    if ref.grid:
        grid = county.grids.get(ref.grid) if county else None
        where += " " + (grid.name if grid else ref.grid)
    name, code = ref.parts()
    what = codes.label(BREAKDOWNS[name], code) if code else METRICS_BY_NAME[name].label
    return f"{where} · {what}"


def is_rate(ref: FigureRef) -> bool:
    return METRICS_BY_NAME[ref.parts()[0]].is_rate


def substitute(body: str, replace: Callable[[FigureRef], str]) -> str:
    """``body`` with every figure citation replaced by ``replace(ref)`` (a checked body)."""
    lines = body.split("\n")
    pieces: dict[int, list[tuple[int, int, str]]] = {}
    for index, start, end, match in _scan(body):
        if match is not None:
            text = replace(_ref(match, Location("", index + 1, start + 1)))
            pieces.setdefault(index, []).append((start, end, text))
    for index, spans in pieces.items():
        line = lines[index]
        for start, end, text in reversed(spans):
            line = line[:start] + text + line[end:]
        lines[index] = line
    return "\n".join(lines)
