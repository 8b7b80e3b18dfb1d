"""``sitegen report import``: a county's report bundle, checked, placed under ``reports/``.

The bundle is checked as untrusted input (generator.report.reading.read_report) before anything
is written; then it is copied as it came to ``reports/<county>.report.zip``, where every build
checks it again. A county with its own ledger folder here cannot also come as a report. A newer
report of a county replaces the older one; the same one again changes nothing; an older one
is refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from generator.diagnostics import Location, Report
from generator.load.config import load_settings
from generator.load.loader import display_path
from generator.report.bundle import SUFFIX, CountyReport
from generator.report.reading import read_report

if TYPE_CHECKING:
    from generator.project import Project


def report_path(project: Project, county_id: str) -> Path:
    return project.reports_dir / f"{county_id}{SUFFIX}"


@dataclass(frozen=True)
class Imported:
    report: CountyReport
    path: Path
    status: str  # "added" | "updated" | "unchanged"


def import_report(project: Project, bundle: Path, dry_run: bool, report: Report) -> Imported | None:
    """Check ``bundle`` and place it under reports/; None (with ``report``) when refused."""
    settings = load_settings(project.config_dir, report)
    allowed = settings.site.privacy.allowed_numbers if settings else ()
    found = read_report(bundle, display_path(bundle), report, allowed)
    if found is None or report.errors:
        return None
    folder = project.data_dir / found.id
    if folder.is_dir():
        report.error(
            Location(display_path(bundle)),
            "report-ledger-clash",
            id=found.id,
            folder=display_path(folder),
        )
        return None
    target = report_path(project, found.id)
    status = "added"
    if target.is_file():
        existing = read_report(target, display_path(target), Report())
        if target.read_bytes() == bundle.read_bytes():
            return Imported(found, target, "unchanged")
        if existing is not None and _when(existing) > _when(found):
            report.error(
                Location(display_path(bundle)),
                "report-older",
                id=found.meta.county.name,
                current=existing.meta.revision.as_of.isoformat(),
                value=found.meta.revision.as_of.isoformat(),
            )
            return None
        status = "updated"
    if not dry_run:
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".partial")
        partial.write_bytes(bundle.read_bytes())
        partial.replace(target)
    return Imported(found, target, status)


def _when(found: CountyReport) -> tuple:
    revision = found.meta.revision
    return (revision.as_of, revision.date or revision.as_of)
