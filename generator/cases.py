"""Case write-ups: ``content/cases/<id>.md``, Markdown with a YAML front matter block.

---
title: 蒲县“三化”协同推进新兴领域集中攻坚
county: puxian
date: 2025-11-01
themes: [摸排, 组建]
summary: 一两句话的摘要
source: 出处与署名
---
正文（Markdown）
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from generator.diagnostics import Location, Report
from generator.ledger import Ledger, RecordSource
from generator.loader import display_path
from generator.models import ID_RE, IsoDate, Text
from generator.schema_errors import report_validation_error
from generator.yamlsource import parse_yaml, read_text

# Case bodies may use Markdown and simple HTML, but nothing that runs or embeds in a browser.
UNSAFE_CONTENT = re.compile(
    r"<\s*(script|iframe|object|embed|form|style|link|meta|base)\b|\son[a-z]+\s*=|"
    r"(javascript|vbscript)\s*:|data\s*:\s*text/html",
    re.I,
)


class CaseMeta(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    title: Text = Field(title="标题")
    county: Text = Field(title="所属县编号")
    date: IsoDate = Field(title="日期")
    themes: list[Text] = Field(
        default_factory=list, title="主题", description="如 摸排、组建、商圈党建"
    )
    summary: Text | None = Field(None, title="摘要")
    source: Text | None = Field(None, title="来源与署名")


@dataclass(frozen=True)
class Case:
    id: str
    meta: CaseMeta
    body: str
    path: str
    county_at: Location


def load_cases(cases_dir: Path, ledger: Ledger, report: Report) -> list[Case]:
    if not cases_dir.is_dir():
        return []
    cases = []
    for path in sorted(cases_dir.glob("*.md")):
        case = _load_case(path, report)
        if case is None:
            continue
        if ledger.county(case.meta.county) is None:
            # The case library may hold cases of counties another data folder (--data) lacks:
            # say so and leave the case out, rather than fail or link to a missing page.
            ids = [c.id for c in ledger.counties]
            allowed = ("、".join(ids) or "—", ", ".join(ids) or "-")
            report.warning(
                case.county_at, "case-county-missing", value=case.meta.county, allowed=allowed
            )
            continue
        cases.append(case)
    return sorted(cases, key=lambda c: (c.meta.date, c.id), reverse=True)


def _load_case(path: Path, report: Report) -> Case | None:
    display = display_path(path)
    if not ID_RE.match(path.stem):
        report.error(Location(display), "invalid-id", value=path.stem)
        return None
    text = read_text(path, display, report)
    if text is None:
        return None
    match = re.match(r"^---[ \t]*\n(.*?\n)---[ \t]*\n", text, re.S)
    if not match:
        report.error(
            Location(display, 1, 1),
            "case-front-matter",
            detail=(
                "文件开头需要以 --- 包围的信息块",
                "it must start with a block between --- lines",
            ),
        )
        return None
    # Parse the front matter with line numbers as they are in the file (the block starts on line 2).
    parsed = parse_yaml("\n" + match.group(1), display, report)
    if parsed is None:
        return None
    if not isinstance(parsed.value, dict):
        report.error(
            Location(display, 2, 1),
            "case-front-matter",
            detail=("应为“字段: 值”的形式", "it must be field: value lines"),
        )
        return None
    source = RecordSource(display, parsed)
    try:
        meta = CaseMeta.model_validate(parsed.value)
    except ValidationError as exc:
        report_validation_error(exc, CaseMeta, source, report)
        return None
    body = text[match.end() :]
    body_start = text[: match.end()].count("\n") + 1
    for number, line in enumerate(body.splitlines(), start=body_start):
        unsafe = UNSAFE_CONTENT.search(line)
        if unsafe:
            report.error(
                Location(display, number, unsafe.start() + 1),
                "unsafe-markdown",
                snippet=unsafe.group(0).strip()[:40],
            )
    return Case(path.stem, meta, body, display, source.at("county"))
