"""Metrics on small hand-made ledgers, each expected value computed by hand from PRODUCT.md."""

from __future__ import annotations

import pytest

from generator.compute.metrics import (
    METRICS,
    county_metrics,
    grid_metrics,
    org_breakdown,
    overall_metrics,
)
from generator.load.ledger import CountyLedger, RecordSource
from generator.load.yamlsource import Parsed
from generator.models import Activity, County, Grid, Need, Org, PartyOrg, ServiceCenter


def make_county(county_id: str = "demo", **records: list[dict]) -> CountyLedger:
    models = {
        "grids": Grid,
        "orgs": Org,
        "party_orgs": PartyOrg,
        "activities": Activity,
        "needs": Need,
        "service_centers": ServiceCenter,
    }
    ledger = CountyLedger(
        county_id, County(id=county_id, name="示例县"), RecordSource("x", Parsed(None))
    )
    for attr, items in records.items():
        target = getattr(ledger, attr)
        for item in items:
            record = models[attr].model_validate(item)
            target[record.id] = record
    return ledger


def org(oid: str, kind: str = "economic", **fields) -> dict:
    return {"id": oid, "name": oid, "kind": kind, "industry": "express_logistics", **fields}


def party_org(pid: str, covers: list[str], mode: str = "standalone", **fields) -> dict:
    return {
        "id": pid,
        "name": pid,
        "mode": mode,
        "established_on": "2025-05-01",
        "covers": covers,
        **fields,
    }


def test_closed_orgs_are_not_live_and_not_covered():
    c = make_county(
        orgs=[org("a"), org("b", status="closed"), org("c", status="suspended")],
        party_orgs=[party_org("p", ["a", "b"])],
    )
    m = county_metrics(c)
    assert m["orgs_total"] == 2  # suspended still counts, closed does not
    assert m["orgs_closed"] == 1
    assert m["orgs_org_covered"] == 1
    assert m["org_coverage_rate"] == pytest.approx(0.5)


def test_work_coverage_counts_instructors_without_party_org():
    c = make_county(
        orgs=[org("a"), org("b", instructors=1), org("c", instructors=0), org("d", instructors=2)],
        party_orgs=[party_org("p", ["a"])],
    )
    m = county_metrics(c)
    assert (m["orgs_org_covered"], m["orgs_work_covered"]) == (1, 3)
    assert m["work_coverage_rate"] == pytest.approx(0.75)
    assert m["instructors"] == 3


def test_instructors_and_members_of_closed_orgs_are_not_summed():
    c = make_county(
        orgs=[
            org("a", instructors=2, party_members=4),
            org("b", status="closed", instructors=5, party_members=9),
        ]
    )
    m = county_metrics(c)
    assert (m["instructors"], m["party_members"]) == (2, 4)


def test_standalone_gap_ignores_joint_coverage():
    c = make_county(
        orgs=[
            org("a", party_members=3),  # joint only: still a gap
            org("b", party_members=5),  # standalone: no gap
            org("c", party_members=2),  # too few members
            org("d", party_members=7, status="closed"),  # closed: not counted
            org("e", party_members=4),  # uncovered: gap
        ],
        party_orgs=[party_org("j", ["a", "c"], mode="joint"), party_org("s", ["b"])],
    )
    m = county_metrics(c)
    assert m["standalone_gap"] == 2
    assert (m["party_orgs_standalone"], m["party_orgs_joint"]) == (1, 1)


def test_party_org_kind_comes_from_covered_orgs_unless_given():
    c = make_county(
        orgs=[org("a"), org("b", kind="social"), org("c", kind="social")],
        party_orgs=[
            party_org("p1", ["a"]),
            party_org("p2", ["b", "c"], mode="joint"),
            party_org("p3", ["a", "b"], mode="joint", kind="social"),
        ],
    )
    m = county_metrics(c)
    assert (m["party_orgs_total"], m["party_orgs_economic"], m["party_orgs_social"]) == (3, 1, 2)


def test_rates_are_null_without_denominator():
    m = county_metrics(make_county())
    assert m["org_coverage_rate"] is None
    assert m["work_coverage_rate"] is None
    assert m["needs_resolution_rate"] is None
    assert m["orgs_total"] == 0


def test_grid_scope_counts_party_orgs_covering_its_orgs():
    c = make_county(
        grids=[
            {"id": "g1", "name": "一", "workers": 2, "merchants": 10, "households": 5},
            {"id": "g2", "name": "二", "workers": 3},
        ],
        orgs=[org("a", grid="g1"), org("b", grid="g2"), org("c", grid="g2", instructors=1)],
        party_orgs=[party_org("p", ["a", "b"], mode="joint"), party_org("q", ["b"])],
        activities=[
            {"id": "x", "date": "2025-05-01", "type": "field_visit", "title": "t", "grid": "g1"},
            {"id": "y", "date": "2025-05-02", "type": "training", "title": "t"},
        ],
        needs=[
            {"id": "n", "raised_on": "2025-05-01", "summary": "s", "status": "open", "grid": "g2"}
        ],
    )
    g1, g2 = grid_metrics(c, "g1"), grid_metrics(c, "g2")
    assert (g1["party_orgs_total"], g2["party_orgs_total"]) == (1, 2)
    assert (g1["orgs_total"], g2["orgs_total"]) == (1, 2)
    assert g2["orgs_work_covered"] == 2
    assert (g1["grids_total"], g1["grid_workers"], g1["merchants"], g1["households"]) == (
        1,
        2,
        10,
        5,
    )
    assert (g1["activities_total"], g2["activities_total"]) == (1, 0)
    assert (g1["needs_total"], g2["needs_total"]) == (0, 1)
    assert "figures" not in g1
    assert county_metrics(c)["activities_total"] == 2  # the activity without a grid counts too


def test_breakdowns_sum_per_code_and_list_only_codes_present():
    c = make_county(
        activities=[
            {
                "id": "a",
                "date": "2025-05-01",
                "type": "job_fair",
                "title": "t",
                "outputs": {"recruitment_channels": 30},
            },
            {
                "id": "b",
                "date": "2025-06-01",
                "type": "job_fair",
                "title": "t",
                "outputs": {"recruitment_channels": 12, "needs_collected": 4},
            },
            {"id": "c", "date": "2025-06-02", "type": "micro_lesson", "title": "t"},
        ],
        service_centers=[
            {"id": "s1", "name": "中心", "figures": {"function_rooms": 9, "vanguard_posts": 7}},
            {"id": "s2", "name": "中心2", "figures": {"function_rooms": 1}},
        ],
    )
    m = county_metrics(c)
    assert m["activities_by_type"] == {"job_fair": 2, "micro_lesson": 1}
    assert m["outputs"] == {"needs_collected": 4, "recruitment_channels": 42}
    assert m["figures"] == {"function_rooms": 10, "vanguard_posts": 7}


def test_needs_resolution():
    c = make_county(
        needs=[
            {
                "id": "a",
                "raised_on": "2025-05-01",
                "summary": "s",
                "status": "resolved",
                "resolved_on": "2025-05-03",
            },
            {"id": "b", "raised_on": "2025-05-01", "summary": "s", "status": "in_progress"},
            {"id": "c", "raised_on": "2025-05-01", "summary": "s", "status": "open"},
        ]
    )
    m = county_metrics(c)
    assert (m["needs_total"], m["needs_resolved"]) == (3, 1)
    assert m["needs_resolution_rate"] == pytest.approx(1 / 3)


def test_overall_rates_are_recomputed_from_sums_not_averaged():
    big = make_county(
        "big",
        orgs=[org(f"o{i}") for i in range(9)] + [org("x", instructors=1)],
        party_orgs=[party_org("p", [f"o{i}" for i in range(9)], mode="joint")],
    )
    small = make_county("small", orgs=[org("a")])
    overall = overall_metrics([county_metrics(big), county_metrics(small)])
    # 9 covered of 11 live orgs, not the mean of 90% and 0%.
    assert overall["orgs_total"] == 11
    assert overall["org_coverage_rate"] == pytest.approx(9 / 11)
    assert overall["work_coverage_rate"] == pytest.approx(10 / 11)
    assert overall["party_orgs_joint"] == 1


def test_every_metric_of_the_standard_is_computed_at_its_levels():
    standard = {
        "orgs_total", "orgs_closed", "orgs_visited", "party_orgs_total", "party_orgs_economic",
        "party_orgs_social", "party_orgs_standalone", "party_orgs_joint", "orgs_org_covered",
        "orgs_work_covered", "org_coverage_rate", "work_coverage_rate", "standalone_gap",
        "instructors", "party_members", "grids_total", "grid_workers", "merchants", "households",
        "activities_total", "activities_by_type", "outputs", "needs_total", "needs_resolved",
        "needs_resolution_rate", "figures",
    }  # fmt: skip
    assert {m.name for m in METRICS} == standard
    c = make_county(grids=[{"id": "g", "name": "g"}])
    assert set(county_metrics(c)) == standard
    assert set(overall_metrics([county_metrics(c)])) == standard
    assert set(grid_metrics(c, "g")) == standard - {"figures"}


def test_org_breakdown_by_industry():
    c = make_county(
        orgs=[
            org("a"),
            org("b", industry="construction", instructors=1),
            org("c", industry="construction"),
        ],
        party_orgs=[party_org("p", ["a"])],
    )
    by_industry = org_breakdown(c, "industry")
    assert list(by_industry) == ["construction", "express_logistics"]
    assert by_industry["construction"]["orgs_work_covered"] == 1
    assert by_industry["express_logistics"]["org_coverage_rate"] == 1.0
