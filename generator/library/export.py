"""``sitegen case export``: a case, its images and its figures' values, into one bundle.

The bundle (:mod:`generator.library.bundle`) carries the case file as written, the images it
shows, and the value of every figure it cites at the current data revision, because another
site cannot resolve this county's live figures. A case imported earlier is shared on with its
first county as the source: the numbers are still that county's.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from generator.build.checked import load_and_validate
from generator.compute.figures import CountyDates, compute_site, data_date
from generator.diagnostics import ConfigError, DataError
from generator.library.bundle import CASE, FORMAT, write_bundle
from generator.library.figures import figure_label, figure_value, is_rate
from generator.library.image_metadata import published_image
from generator.load.gitinfo import data_revision
from generator.load.ledger import Roster
from generator.project import Project
from generator.render.renderer import num, pct


@dataclass(frozen=True)
class Shared:
    """What an export wrote or an import did (``status``: added, updated or unchanged)."""

    case_id: str
    path: Path
    county_name: str
    revision: str
    status: str = "added"


def export_case(project: Project, case_id: str, out: Path | None, today: dt.date) -> Shared:
    checked = load_and_validate(project, today)
    if checked.report.errors:
        raise DataError(checked.report.diagnostics)
    case = next((c for c in checked.cases if c.id == case_id), None)
    if case is None:
        raise ConfigError(
            f"没有可导出的案例 “{case_id}”：content/cases/{case_id}.md 不存在，或其所属县不在本次数据中"
            f" / no case “{case_id}” to export (no such file, or its county is not in the data)"
        )
    ledger, settings = checked.ledger, checked.settings
    revision = data_revision(project.data_dir)
    dates = [CountyDates.of(c) for c in ledger.counties]
    as_of = data_date(dates, revision.date.date() if revision.date else None)
    sm = compute_site(ledger, settings, as_of)
    figures = {}
    for ref in case.figures:
        found, value = figure_value(ref, sm)
        text = "—" if not found else pct(value) if is_rate(ref) else num(value)
        label = figure_label(ref, Roster([c.view() for c in ledger.counties]), settings.codes)
        figures[ref.key] = {
            "county": ref.county,
            "metric": ref.metric,
            "grid": ref.grid,
            "label": label,
            "text": text,
        }
    origin = case.meta.origin
    if origin is not None:  # shared again: the numbers are still the first county's
        county_name = origin.county_name
        county: dict[str, str | None] = {"id": origin.county, "name": county_name}
        source_revision = {"commit": origin.revision, "as_of": origin.as_of}
        site = origin.site
    else:
        own = ledger.county(case.meta.county)
        assert own is not None  # the case was found among the data's counties' cases
        c = own.county
        county_name = c.name
        county = {"id": case.meta.county, "name": c.name, "province": c.province, "city": c.city}
        source_revision = {"commit": revision.commit, "as_of": as_of}
        site = settings.site.title
    meta = {
        "format": FORMAT,
        "id": case.id,
        "title": case.meta.title,
        "county": {k: v for k, v in county.items() if v is not None},
        "revision": source_revision,
        "exported_at": as_of,  # the data's date, never the clock: same data, same bytes
        "site": site,
        "attribution": case.meta.source or f"{county_name}供稿",
        "figures": [{k: v for k, v in f.items() if v is not None} for f in figures.values()],
    }
    files = {CASE: (project.content_dir / "cases" / f"{case.id}.md").read_bytes()}
    for image in [case.cover, *case.images]:
        if image is not None:
            files[image.src] = published_image(image.file)
    target = out or Path(f"{case.id}.case.zip")
    write_bundle(target, meta, files, as_of)
    return Shared(case.id, target, county_name, revision.commit or "")
