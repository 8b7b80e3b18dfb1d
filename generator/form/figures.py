"""What a form is filled from: the areas it can name and the rows it repeats (see fill).
Kept apart from fill, which needs openpyxl: a build whose form is cached never imports it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from generator.compute.metrics import Metrics
from generator.load.config import CodeLists


@dataclass(frozen=True)
class Entry:
    """One area the form can name: overall, a county (later a city or province)."""

    id: str
    name: str
    metrics: Metrics


@dataclass(frozen=True)
class FormFigures:
    overall: Entry
    areas: dict[str, Entry]  # by id: what ``{{ <id>.metric }}`` may name
    rows: list[Entry]  # what a ``{{ row.* }}`` row repeats over, in order
    as_of: dt.date
    revision: str
    codes: CodeLists
