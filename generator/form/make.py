"""A filled form's bytes from a template and a revision's figures (see fill)."""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

from generator.brief.sources import SiteFigures
from generator.brief.stamp import fixed_zip
from generator.build.fingerprints import key_of
from generator.diagnostics import DataError, Report
from generator.form.figures import Entry, FormFigures

OVERALL_NAME = "合计"


class TemplateUnreadable(Exception):
    """The template is not an .xlsx workbook openpyxl can read."""


def form_figures(site: SiteFigures) -> FormFigures:
    sm = site.sm
    counties = [Entry(c.id, c.county.name, sm.counties[c.id]) for c in site.roster.counties]
    revision = site.revision.describe(site.settings.site.timezone)
    return FormFigures(
        overall=Entry("overall", OVERALL_NAME, sm.overall),
        areas={e.id: e for e in counties},
        rows=counties,
        as_of=sm.as_of,
        revision=revision,
        codes=site.settings.codes,
    )


def fill_form(template: bytes, display: str, site: SiteFigures) -> bytes:
    """The filled workbook; DataError (located ``display sheet!cell``) for bad placeholders,
    TemplateUnreadable when it is not a workbook."""
    from openpyxl import load_workbook  # openpyxl: loaded when needed
    from openpyxl.utils.exceptions import InvalidFileException

    from generator.form.fill import fill

    try:
        book = load_workbook(io.BytesIO(template))
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise TemplateUnreadable(str(exc)) from exc
    report = Report()
    fill(book, form_figures(site), display, report)
    if report.errors:
        raise DataError(report.diagnostics)
    book.properties.lastModifiedBy = site.settings.site.brief.issuer or site.settings.site.title
    out = io.BytesIO()
    book.save(out)
    return fixed_zip(out.getvalue(), site.when)


def cached_form(template: Path, display: str, site: SiteFigures, cache_dir: Path) -> bytes:
    """``fill_form``, kept under ``cache_dir`` by the template and the figures (only the
    newest is kept): an unchanged build does not load openpyxl."""
    content = template.read_bytes()
    figures = form_figures(site)
    key = key_of("form", hashlib.sha256(content).hexdigest(), repr(figures), site.when)[:32]
    path = cache_dir / f"{key}.xlsx"
    if path.is_file():
        return path.read_bytes()
    data = fill_form(content, display, site)
    cache_dir.mkdir(parents=True, exist_ok=True)
    for old in cache_dir.glob("*.xlsx"):
        old.unlink(missing_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    partial.write_bytes(data)
    partial.replace(path)
    return data
