"""What the library pages and the feed show of a case, beyond its front matter."""

from __future__ import annotations

from dataclasses import dataclass

from generator.library.cases import Case, CaseMeta


@dataclass(frozen=True)
class CaseView:
    """What the library pages show of a case, beyond its front matter."""

    case: Case
    county_name: str
    county_id: str | None  # None: the county has no page on this site (an imported case)
    themes: list[tuple[str, str]]  # (theme, anchor on the themes page)

    @property
    def id(self) -> str:
        return self.case.id

    @property
    def meta(self) -> CaseMeta:
        return self.case.meta
