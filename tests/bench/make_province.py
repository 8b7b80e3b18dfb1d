"""Generate province-scale sample data, valid per the data standard v1, for benchmarks.

    python tests/bench/make_province.py OUT_DIR [--counties 120] [--grids 20] [--orgs 500]
        [--activities 1000] [--needs 100] [--seed 1]

Orgs are one file each (一企一档); activities and needs are monthly list files, as counties
keep them. The same arguments always give the same files.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
from pathlib import Path

INDUSTRIES = ["express_logistics", "ride_hailing", "food_delivery", "internet", "e_commerce",
              "construction", "coal_mining", "trucking", "business_district",
              "property_management", "industry_association", "private_education"]  # fmt: skip
SOCIAL = {"industry_association", "private_education"}
TYPES = ["field_visit", "research_guidance", "policy_outreach", "theory_lecture", "micro_lesson",
         "training", "consultation", "volunteer_service", "publicity", "job_fair"]  # fmt: skip
START = dt.date(2025, 1, 1)


def day(rng: random.Random, span: int = 300) -> dt.date:
    return START + dt.timedelta(days=rng.randrange(span))


def write_county(root: Path, index: int, args: argparse.Namespace, rng: random.Random) -> None:
    county = root / f"county-{index:03d}"
    for folder in ("grids", "orgs", "party_orgs", "activities", "needs"):
        (county / folder).mkdir(parents=True, exist_ok=True)
    (county / "county.yaml").write_text(
        f"name: 测试县{index:03d}\nprovince: 测试省\ndivision_code: '{100000 + index}'\n"
        f"industry_committees: {rng.randrange(3, 8)}\n",
        encoding="utf-8",
    )
    grids = [f"g{g:02d}" for g in range(args.grids)]
    for g, grid in enumerate(grids):
        (county / "grids" / f"{grid}.yaml").write_text(
            f"name: 第{g + 1}网格\nworkers: {rng.randrange(1, 6)}\n"
            f"merchants: {rng.randrange(20, 300)}\nhouseholds: {rng.randrange(50, 500)}\n",
            encoding="utf-8",
        )
    orgs = []
    for o in range(args.orgs):
        oid, industry = f"org-{o:04d}", rng.choice(INDUSTRIES)
        kind = "social" if industry in SOCIAL else "economic"
        members = rng.choice([0, 0, 1, 2, 3, 4, 6])
        lines = [f"name: 测试县{index:03d}第{o + 1}号组织", f"kind: {kind}", f"industry: {industry}",
                 f"grid: {rng.choice(grids)}", f"employees: {members + rng.randrange(1, 80)}",
                 f"party_members: {members}"]  # fmt: skip
        if rng.random() < 0.9:
            lines.append(f"visited_on: {day(rng)}")
        if rng.random() < 0.1:
            lines.append("instructors: 1")
        if rng.random() < 0.02:
            lines.append("status: closed")
        (county / "orgs" / f"{oid}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
        orgs.append((oid, kind, members))
    for p, (oid, _, members) in enumerate(o for o in orgs if o[2] >= 3):
        (county / "party_orgs" / f"po-{p:04d}.yaml").write_text(
            f"name: {oid}党支部\nmode: standalone\nestablished_on: {day(rng)}\ncovers: [{oid}]\n"
            f"members: {members}\n",
            encoding="utf-8",
        )
    by_month: dict[str, list[str]] = {}
    for a in range(args.activities):
        when = day(rng)
        by_month.setdefault(when.strftime("%Y-%m"), []).append(
            f"- id: act-{a:05d}\n  date: {when}\n  type: {rng.choice(TYPES)}\n"
            f"  title: 第{a + 1}次活动\n  grid: {rng.choice(grids)}\n"
            f"  participants: {rng.randrange(5, 80)}\n  outputs: {{needs_collected: {rng.randrange(0, 5)}}}\n"
        )
    for month, items in by_month.items():
        (county / "activities" / f"{month}.yaml").write_text("".join(items), encoding="utf-8")
    by_month = {}
    for n in range(args.needs):
        raised = day(rng)
        resolved = rng.random() < 0.7
        text = f"- id: need-{n:04d}\n  raised_on: {raised}\n  summary: 第{n + 1}项诉求\n"
        text += f"  grid: {rng.choice(grids)}\n  status: {'resolved' if resolved else 'open'}\n"
        if resolved:
            text += f"  resolved_on: {raised + dt.timedelta(days=rng.randrange(1, 30))}\n"
        by_month.setdefault(raised.strftime("%Y-%m"), []).append(text)
    for month, items in by_month.items():
        (county / "needs" / f"{month}.yaml").write_text("".join(items), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--counties", type=int, default=120)
    parser.add_argument("--grids", type=int, default=20)
    parser.add_argument("--orgs", type=int, default=500)
    parser.add_argument("--activities", type=int, default=1000)
    parser.add_argument("--needs", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    for index in range(1, args.counties + 1):
        write_county(args.out, index, args, rng)


if __name__ == "__main__":
    main()
