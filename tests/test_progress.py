"""The target status rule on hand-computed cases, and monthly snapshots of the ledger."""

from __future__ import annotations

import datetime as dt

import pytest

from generator.compute.history import Month, months_between, snapshot
from generator.compute.metrics import county_metrics
from generator.compute.progress import Status, assess
from tests.test_metrics import make_county, org, party_org

DUE = dt.date(2026, 12, 31)


@pytest.mark.parametrize(
    ("history", "as_of", "status"),
    [
        # Worked example of the methodology page: pace (0.48-0.39)/3 = 0.03 a month,
        # needed (0.60-0.48)/4 = 0.03 a month -> on track.
        ([0.39, 0.42, 0.45, 0.48], dt.date(2026, 8, 31), Status.ON_TRACK),
        ([0.39, 0.40, 0.41, 0.42], dt.date(2026, 8, 31), Status.BEHIND),  # 0.01 < 0.045
        ([0.50, 0.61], dt.date(2026, 3, 31), Status.ACHIEVED),
        ([0.60], dt.date(2026, 3, 31), Status.ACHIEVED),  # exactly the target
        ([0.59], dt.date(2026, 3, 31), Status.NO_DATA),  # one month: pace unknown
        ([0.30, 0.59], dt.date(2027, 1, 15), Status.BEHIND),  # due date passed
        ([None, None], dt.date(2026, 3, 31), Status.NO_DATA),
        ([], dt.date(2026, 3, 31), Status.NO_DATA),
    ],
)
def test_status_rule(history, as_of, status):
    assert assess(history, 0.6, DUE, as_of).status is status


def test_pace_and_need_are_reported():
    p = assess([0.39, 0.42, 0.45, 0.48], 0.6, DUE, dt.date(2026, 8, 31))
    assert p.pace == pytest.approx(0.03)
    assert p.needed == pytest.approx(0.03)
    assert (p.status.label, p.value) == ("按期推进", 0.48)


def test_only_the_last_three_months_set_the_pace():
    # A fast start long ago does not hide a recent stall.
    p = assess([0.0, 0.3, 0.5, 0.5, 0.5, 0.5], 0.6, DUE, dt.date(2026, 10, 31))
    assert p.pace == 0
    assert p.status is Status.BEHIND


def test_counts_can_have_targets_too():
    assert assess([40, 45, 50], 60, DUE, dt.date(2026, 10, 31)).status is Status.ON_TRACK


def test_months_run_across_year_ends():
    months = months_between(dt.date(2025, 11, 20), dt.date(2026, 2, 1))
    assert [m.label() for m in months] == ["2025-11", "2025-12", "2026-01", "2026-02"]
    assert Month(2025, 12).end() == dt.date(2025, 12, 31)


def test_snapshot_counts_only_what_had_happened():
    county = make_county(
        orgs=[
            org("a", visited_on="2025-03-10"),
            org("b", visited_on="2025-06-10", instructors=1),
            org("c", instructors=2),  # no visit date: counted from the start
        ],
        party_orgs=[party_org("p", ["a"], established_on="2025-05-20")],
        activities=[
            {"id": "x", "date": "2025-04-01", "type": "field_visit", "title": "t"},
            {"id": "y", "date": "2025-07-01", "type": "field_visit", "title": "t"},
        ],
        needs=[
            {
                "id": "n",
                "raised_on": "2025-04-02",
                "summary": "s",
                "status": "resolved",
                "resolved_on": "2025-06-30",
            }
        ],
    )
    april = county_metrics(snapshot(county, dt.date(2025, 4, 30)))
    assert (april["orgs_total"], april["orgs_org_covered"], april["orgs_work_covered"]) == (3, 0, 1)
    assert (april["instructors"], april["activities_total"]) == (2, 1)
    assert (april["needs_total"], april["needs_resolved"]) == (1, 0)
    june = county_metrics(snapshot(county, dt.date(2025, 6, 30)))
    assert (june["orgs_org_covered"], june["orgs_work_covered"], june["instructors"]) == (1, 3, 3)
    assert june["needs_resolved"] == 1
    assert county_metrics(snapshot(county, dt.date(2025, 12, 31))) == county_metrics(county)


def test_months_without_any_record_do_not_count_as_a_stall():
    # Records stop in 2025-10 (the sample's gap): the 13 empty months after it read as "not
    # recorded since", so the pace is that of Aug-Oct, not 0.0% a month.
    from generator.compute.figures import Series, target_progress
    from generator.models import Target

    months = months_between(dt.date(2025, 8, 1), dt.date(2026, 11, 27))
    rates = [0.30, 0.40, 0.50] + [0.50] * (len(months) - 3)
    series = Series(
        months,
        [{"org_coverage_rate": r} for r in rates],
        [{"field_visit": 1}] * 3 + [{}] * (len(months) - 3),
        [(0, 0)] * len(months),
        dt.date(2025, 10, 14),
    )
    target = {"org_coverage_rate": Target(value=0.6, due=DUE)}
    p = target_progress(target, series, dt.date(2026, 11, 27))["org_coverage_rate"]
    assert p.pace == pytest.approx(0.10)
    assert p.status is Status.ON_TRACK  # 10 points a month; 10 points in 1.1 months needed
    # One month of records after the gap with no change: that is a stall, and it counts.
    active = Series(
        series.months,
        series.metrics,
        series.activities[:-1] + [{"field_visit": 1}],
        series.needs,
    )
    p = target_progress(target, active, dt.date(2026, 11, 27))["org_coverage_rate"]
    assert p.pace == 0 and p.status is Status.BEHIND
