"""Case write-ups: ``content/cases/<id>.md``, Markdown with a YAML front matter block.

---
title: 蒲县“三化”协同推进新兴领域集中攻坚
county: puxian
date: 2025-11-01
themes: [摸排, 组建]
summary: 一两句话的摘要
source: 出处与署名
cover: images/puxian/cover.png          # optional, under content/cases/images/
cover_caption: 图片说明（有封面时必填）
---
正文（Markdown）；数字可引用台账：{{ figure("puxian", "party_orgs_economic") }}

The case id is the file name. Images and live figures are checked here, in the validate stage
(:mod:`generator.library.images`, :mod:`generator.library.figures`); a case imported from another
site (:mod:`generator.library.bundle`) carries ``origin`` and may belong to a county this data
folder does not hold.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from generator.diagnostics import Location, Report
from generator.library.figures import FigureRef, check_figures, find_figures
from generator.library.images import IMAGES, CaseImage, check_body_images, check_image
from generator.library.links import check_case_links
from generator.load.config import Settings
from generator.load.ledger import RecordSource, Roster
from generator.load.loader import display_path
from generator.load.schema_errors import report_validation_error
from generator.load.yamlsource import parse_yaml, read_text
from generator.messages import listed
from generator.validate.markdown_guard import first_unsafe, snippet_column
from generator.values import ID_RE, IsoDate, Text

FRONT_MATTER = re.compile(r"^---[ \t]*\n(.*?\n)---[ \t]*\n", re.S)


class CaseOrigin(BaseModel):
    """Where a case imported from another site comes from (written by ``sitegen case import``)."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    county: Text = Field(title="来源县编号")
    county_name: Text = Field(title="来源县名称")
    revision: Text | None = Field(None, title="来源数据版本", description="git 提交号")
    as_of: IsoDate = Field(title="数据截至", description="文中数字取自来源县这一天的台账")
    site: Text | None = Field(None, title="来源网站")


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
    cover: Text | None = Field(
        None,
        title="封面图片",
        description="放在 content/cases/images/ 下（可按县分文件夹），如 images/puxian/cover.jpg",
    )
    cover_caption: Text | None = Field(None, title="封面图片说明", description="有封面时必填")
    origin: CaseOrigin | None = Field(
        None, title="外县来源", description="由 sitegen case import 填写，请勿修改"
    )


@dataclass(frozen=True)
class Case:
    id: str
    meta: CaseMeta
    body: str
    path: str
    county_at: Location
    body_line: int = 1  # the line of the file the body starts on
    cover: CaseImage | None = None
    images: tuple[CaseImage, ...] = ()  # in the body, in order
    figures: tuple[FigureRef, ...] = ()


def load_cases(
    cases_dir: Path, roster: Roster, report: Report, settings: Settings | None = None
) -> list[Case]:
    """Every valid case of ``cases_dir``, newest first; problems go to ``report``.

    A case of a county the data folder lacks is left out with a warning (another ``--data``
    folder may hold it), unless it was imported from another site (``origin``).
    """
    if not cases_dir.is_dir():
        return []
    found = [_load_case(path, cases_dir, report) for path in _case_files(cases_dir, report)]
    loaded = [case for case in found if case is not None]
    library_counties = {c.meta.county for c in loaded} | {
        c.meta.origin.county for c in loaded if c.meta.origin
    }
    cases = []
    for case in loaded:
        if roster.county(case.meta.county) is None and case.meta.origin is None:
            # The case library may hold cases of counties another data folder (--data) lacks:
            # say so and leave the case out, rather than fail or link to a missing page.
            allowed = listed([c.id for c in roster.counties], case.meta.county)
            report.warning(
                case.county_at, "case-county-missing", value=case.meta.county, allowed=allowed
            )
            check_figures(case.figures, None, library_counties, settings, report)
            continue
        check_figures(case.figures, roster, library_counties, settings, report)
        cases.append(case)
    check_case_links(cases, report)
    return sorted(cases, key=lambda c: (c.meta.date, c.id), reverse=True)


def _case_files(cases_dir: Path, report: Report | None = None) -> list[Path]:
    """The case files (``<id>.md`` next to each other); a file that looks like a case and
    would not be published (another extension, a subfolder, a link) is an error."""
    found = []
    for path in sorted(cases_dir.rglob("*")):
        relative = path.relative_to(cases_dir)
        if relative.parts[0] == IMAGES or any(p.startswith(".") for p in relative.parts):
            continue
        looks_like_case = path.name.strip().lower().endswith((".md", ".markdown"))
        if path.is_symlink():
            if looks_like_case and report is not None:
                report.error(Location(display_path(path)), "symlink-refused")
        elif path.is_file() and len(relative.parts) == 1 and path.name.endswith(".md"):
            found.append(path)
        elif path.is_file() and looks_like_case and report is not None:
            stem = path.name.strip().split(".")[0]
            report.error(Location(display_path(path)), "case-not-loaded", expected=f"{stem}.md")
    return found


def _load_case(path: Path, cases_dir: Path, report: Report) -> Case | None:
    display = display_path(path)
    if not ID_RE.match(path.stem):
        report.error(Location(display), "invalid-id", value=path.stem)
        return None
    text = read_text(path, display, report)
    return None if text is None else parse_case(text, path.stem, display, cases_dir, report)


def parse_case(text: str, case_id: str, display: str, cases_dir: Path, report: Report):
    """A case from its file text; None when the front matter is unusable. Also used to check
    an incoming bundle (``cases_dir`` is then where its images were unpacked)."""
    match = FRONT_MATTER.match(text)
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
    # Case bodies may use Markdown and simple HTML, but nothing that runs or loads from outside:
    # the rendered HTML must pass the allow-list unchanged (see validate.markdown_guard).
    unsafe = first_unsafe(body, ignore=('src="',))  # image paths: see check_body_images
    if unsafe is not None:
        line = body.split("\n")[unsafe.line]
        where = Location(display, body_start + unsafe.line, snippet_column(line, unsafe.snippet))
        report.error(where, "unsafe-markdown", snippet=unsafe.snippet)
    return Case(
        case_id,
        meta,
        body,
        display,
        source.at("county"),
        body_start,
        _cover(meta, source, cases_dir, report),
        check_body_images(body, body_start, display, cases_dir, report),
        find_figures(body, body_start, display, report),
    )


def _cover(
    meta: CaseMeta, source: RecordSource, cases_dir: Path, report: Report
) -> CaseImage | None:
    if meta.cover is None:
        return None
    if meta.cover_caption is None:
        report.error(source.key_at("cover"), "case-cover-caption")
        return None
    return check_image(meta.cover, meta.cover_caption, source.at("cover"), cases_dir, report)
