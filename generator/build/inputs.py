"""What each cached result depends on, declared in one place.

Each class names one cached result; its fields are everything that result is made from besides
the generator's code, and its key is made of all of its fields. A result that needs a new input
gets a new field here, so no page can forget one (a forgotten input gives silently stale
pages). The values are plain (strings, dates, tuples, dataclasses): their ``repr`` is the key.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from generator.build.fingerprints import files_digest, key_of, tool_versions
from generator.compute.history import Month
from generator.compute.regions import Place
from generator.load.config import Followups
from generator.project import Project


class Inputs:
    """A cached result's inputs; ``key()`` is a digest of every field (and the code)."""

    name: ClassVar[str]  # the cached result's name (its file in the per-county cache)

    def key(self) -> str:
        fields = dataclasses.fields(self)  # type: ignore[arg-type]  # every subclass is a dataclass
        return key_of(type(self).__name__, *(getattr(self, f.name) for f in fields))


@dataclass(frozen=True)
class CheckInputs(Inputs):
    """A county's load and check (which dates were in the future is kept with the outcome,
    see CheckedCounty.valid_on)."""

    name = "checked"
    signature: str  # the county folder's files (see fingerprints.folder_signature)
    settings: str  # site_config and the defaults it falls back on (tree_fingerprint)


@dataclass(frozen=True)
class CountyInputs(Inputs):
    """A county's figures, follow-up items and pages (charts are cached by what they show)."""

    name = "rendered"
    signature: str
    settings: str
    templates: str  # the page templates (tree_fingerprint)
    as_of: dt.date  # the data date
    first_month: Month | None  # the site's series start there
    cases: tuple  # the county's own cases: (id, meta) each
    place: Place | None  # its province and city (its pages link to them)
    data_root: str  # the data folder as follow-ups name files (its path in git)


@dataclass(frozen=True)
class ChangeInputs(Inputs):
    """A county's 本期变化 since the last report, with the report's items followed up since."""

    name = "changes"
    signature: str
    base_commit: str
    as_of: dt.date
    limits: Followups  # the follow-up thresholds, for the last report's items
    data_root: str
    in_git: bool  # whether the last report's items could tell a stale ledger


@dataclass(frozen=True)
class PeriodInputs(Inputs):
    """A county's activities, outputs and needs of the brief's period."""

    name = "brief-period"
    signature: str
    since: dt.date | None  # the last report's date (None: from the start)
    as_of: dt.date


@dataclass(frozen=True)
class SiteInputs(Inputs):
    """What every page depends on besides its own content: when it changes, all pages are
    built again by MkDocs (no incremental build)."""

    name = "site"
    version: str  # the generator's
    tools: tuple  # MkDocs' and Material's versions: an upgrade changes every page's HTML
    extra: str  # the theme's extra values (the sample-data notice), as JSON
    theme: str  # mkdocs.yml and the theme's files (names and bytes)

    @classmethod
    def of(cls, project: Project, extra: dict[str, Any]) -> SiteInputs:
        from generator import __version__

        theme = project.templates_dir / "theme"
        files: list[Path] = [project.mkdocs_yml]
        files += sorted(p for p in theme.rglob("*") if p.is_file())
        return cls(
            __version__,
            tuple(tool_versions()),
            json.dumps(extra, sort_keys=True, ensure_ascii=False),
            files_digest(files, project.root),
        )
