"""Located diagnostics: every problem in the data is reported with its file, line and column.

A clerk fixes data in a text editor, so each message names the place
(``data/puxian/orgs/x.yaml:7:12``), a stable code, what is wrong and how to fix it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from generator.messages import render_message


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Location:
    """A place in a file; line and column count from 1 (0 means "the whole file")."""

    path: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if self.line:
            return f"{self.path}:{self.line}:{self.column}"
        return self.path


@dataclass(frozen=True)
class Diagnostic:
    """One problem found in the data. ``code`` is stable; the text is rendered per language."""

    location: Location
    code: str
    params: dict[str, object] = field(default_factory=dict, compare=False, hash=False)
    severity: Severity = Severity.ERROR

    def format(self, lang: str = "zh") -> str:
        text = render_message(self.code, self.params, lang)
        if self.severity is Severity.WARNING:
            text = ("警告：" if lang == "zh" else "warning: ") + text
        return f"{self.location}: {self.code}: {text}"

    def sort_key(self) -> tuple[bool, str, int, int, str]:
        """Root causes first: what only follows from another problem (a reference to a record
        that could not be read) comes after every other message, each group by place."""
        loc = self.location
        return (self.code in FOLLOW_ON_CODES, loc.path, loc.line, loc.column, self.code)


# Codes that report a consequence of another problem rather than one of their own.
FOLLOW_ON_CODES = frozenset({"unknown-reference"})


class SitegenError(Exception):
    """Base of every error the generator raises on purpose."""


class DataError(SitegenError):
    """The data has errors: nothing may be published."""

    def __init__(self, diagnostics: list[Diagnostic]):
        super().__init__(f"{len(diagnostics)} data error(s)")
        self.diagnostics = sorted(diagnostics, key=Diagnostic.sort_key)

    def __reduce__(self):  # raised in a worker process too: it crosses back whole
        return (type(self), (self.diagnostics,))


class ConfigError(SitegenError):
    """The site configuration or a command-line argument is unusable (exit code 2)."""


class BuildError(SitegenError):
    """Rendering or the MkDocs build failed after the data was valid."""


class Problem(SitegenError):
    """A problem found where it cannot be placed (a cell's value, a workbook, an option):
    raised with its catalog ``code`` and ``params``, reported by a caller that knows where."""

    def __init__(self, code: str, **params: object):
        super().__init__(code)
        self.code, self.params = code, params

    def report_at(self, report: Report, location: Location) -> None:
        report.error(location, self.code, **self.params)


@dataclass
class Report:
    """Collects diagnostics across all stages of a run, so every problem is listed at once."""

    diagnostics: list[Diagnostic] = field(default_factory=list)

    def error(self, location: Location, code: str, **params: object) -> None:
        self.diagnostics.append(Diagnostic(location, code, params, Severity.ERROR))

    def warning(self, location: Location, code: str, **params: object) -> None:
        self.diagnostics.append(Diagnostic(location, code, params, Severity.WARNING))

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.WARNING]

    def sorted(self) -> list[Diagnostic]:
        return sorted(self.diagnostics, key=Diagnostic.sort_key)
