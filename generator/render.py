"""Stage 4, render: Jinja2 templates in ``templates/pages`` become Markdown pages, plus charts
and downloads, in a docs folder that MkDocs then builds.

Every page is ``<folder>/index.md``, so a relative link or image path means the same thing in
the Markdown and in the built site. Data strings are escaped by the templates' filters.
"""

from __future__ import annotations

import posixpath
import shutil
from dataclasses import dataclass
from pathlib import Path

from jinja2 import (
    Environment,
    FileSystemLoader,
    StrictUndefined,
    TemplateError,
    TemplateSyntaxError,
    pass_context,
)

from generator import charts
from generator.config import Settings
from generator.diagnostics import BuildError
from generator.markdown_safe import md_block, md_inline, page_title
from generator.models import CHOICE_LABELS


@dataclass(frozen=True)
class ChartRef:
    """A chart written into the docs folder, with what the page needs to show it accessibly."""

    src: str  # path from the docs root
    alt: str
    spec: charts.ChartSpec


def pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def num(value: int | float | None) -> str:
    if value is None:
        return "—"
    return f"{value:,}" if isinstance(value, int) else f"{value:,.2f}"


class Renderer:
    """Writes pages and charts into ``docs_dir``."""

    def __init__(self, templates_dir: Path, docs_dir: Path, settings: Settings):
        self.docs_dir = docs_dir
        self.settings = settings
        self.env = Environment(
            loader=FileSystemLoader(templates_dir / "pages"),
            autoescape=True,
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        codes = settings.codes
        self.env.filters.update(
            md=md_inline,
            mdtext=md_block,
            page_title=page_title,
            pct=pct,
            num=num,
            choice=lambda code: CHOICE_LABELS.get(code, code),
            industry=lambda code: codes.label("industry", code),
            activity_type=lambda code: codes.label("activity_type", code),
            output=lambda code: codes.label("output", code),
            figure=lambda code: codes.label("figure", code),
        )
        self.env.globals.update(url=_url, site=settings.site)
        self.charts_written: set[str] = set()

    def page(self, path: str, template: str, **context: object) -> None:
        try:
            text = self.env.get_template(template).render(page_path=path, **context)
        except TemplateError as exc:
            where = (
                f"{exc.filename}:{exc.lineno}" if isinstance(exc, TemplateSyntaxError) else template
            )
            raise BuildError(f"template {where} failed for page {path}: {exc}") from exc
        target = self.docs_dir / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")

    def chart(self, spec: charts.ChartSpec) -> ChartRef:
        src = f"assets/charts/{charts.chart_id(spec)}.svg"
        if src not in self.charts_written:
            target = self.docs_dir / src
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(charts.render_svg(spec))
            self.charts_written.add(src)
        return ChartRef(src, charts.alt_text(spec), spec)

    def copy_tree(self, source: Path, dest: str) -> None:
        if source.is_dir():
            shutil.copytree(source, self.docs_dir / dest, dirs_exist_ok=True)

    def write_file(self, path: str, data: bytes) -> None:
        target = self.docs_dir / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


@pass_context
def _url(context, target: str) -> str:
    """A relative link from the page being rendered to ``target`` (a path from the docs root)."""
    here = posixpath.dirname(context["page_path"])
    return posixpath.relpath(target, here or ".")
