"""Stage 4, render: Jinja2 templates in ``templates/pages`` become Markdown pages, plus charts
and downloads, in a docs folder that MkDocs then builds.

Every page is ``<folder>/index.md``, so a relative link or image path means the same thing in
the Markdown and in the built site. Data strings are escaped by the templates' filters.
"""

from __future__ import annotations

import contextlib
import functools
import importlib.metadata
import json
import os
import posixpath
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Executor, Future
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

from generator.build.bytecode import SafeBytecodeCache
from generator.build.cache import write_atomically
from generator.build.memory import give_back
from generator.diagnostics import BuildError, DataError
from generator.load.config import Settings
from generator.markdown_safe import html_inline, md_block, md_inline, page_title
from generator.render import chartdata, chartlabels
from generator.validate.privacy import allowed_set, output_leaks
from generator.values import CHOICE_LABELS


@dataclass(frozen=True)
class ChartRef:
    """A chart written into the docs folder, with what the page needs to show it accessibly."""

    src: str  # path from the docs root
    alt: str
    spec: chartdata.ChartSpec


def pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def num(value: int | float | None) -> str:
    if value is None:
        return "—"
    return f"{value:,}" if isinstance(value, int) else f"{value:,.2f}"


_UNIT = re.compile(r"^(?P<name>.+?)\s*[(（](?P<unit>[^()（）]{1,4})[)）]$")


def unit_split(label: str) -> tuple[str, str]:
    """A code label with its unit at the end, as the code lists write it ("聘才渠道(个)"), as
    (name, unit); ("功能室", "") when it names none."""
    found = _UNIT.match(label)
    return (found["name"], found["unit"]) if found else (label, "")


def counted(value: int | float | None, label: str) -> str:
    """A count after its name and before its unit, the one way the pages write one:
    "聘才渠道 23 个" (from the label "聘才渠道(个)"); "—" for no data."""
    name, unit = unit_split(label)
    return f"{name} {num(value)}{' ' + unit if unit and value is not None else ''}"


class Renderer:
    """Writes pages, charts and files into ``docs_dir``, touching only what changed.

    A file whose bytes are already there is left alone, so its modification time tells MkDocs
    (and the incremental publish) that the page did not change. Charts are drawn once per
    distinct spec: from ``chart_cache`` when there, else in a pool of processes at ``finish``.
    """

    def __init__(
        self,
        templates_dir: Path,
        docs_dir: Path,
        settings: Settings,
        chart_cache: Path | None = None,
        compiled_cache: Path | None = None,
    ):
        self.docs_dir = docs_dir
        self.settings = settings
        self.chart_cache = chart_cache
        self.allowed_numbers = allowed_set(settings.site.privacy.allowed_numbers)
        self.env = Environment(
            loader=FileSystemLoader(templates_dir / "pages"),
            autoescape=True,
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        self.compiled_cache = compiled_cache
        if compiled_cache is not None:  # compiled templates, kept between builds
            compiled_cache.mkdir(parents=True, exist_ok=True)
            self.env.bytecode_cache = SafeBytecodeCache(str(compiled_cache))
        codes = settings.codes
        self.env.filters.update(
            md=md_inline,
            cell=html_inline,  # text in the HTML tables (see publish.html_blocks)
            mdtext=md_block,
            page_title=page_title,
            pct=pct,
            num=num,
            choice=lambda code: CHOICE_LABELS.get(code, code),
            industry=lambda code: codes.label("industry", code),
            activity_type=lambda code: codes.label("activity_type", code),
            output=lambda code: codes.label("output", code),
            # "聘才渠道 23 个": a code's count with the unit its label names, after the number
            output_count=lambda n, code: counted(n, codes.label("output", code)),
            output_name=lambda code: unit_split(codes.label("output", code))[0],
            output_unit=lambda code: unit_split(codes.label("output", code))[1],
            figure=lambda code: codes.label("figure", code),
        )
        self.env.globals.update(url=_url, site=settings.site)
        self.produced: set[str] = set()  # every docs path this run produced
        self.changed: set[str] = set()  # the ones whose bytes changed (or are new)
        self.removed: list[str] = []  # files of an earlier run this one no longer produces
        self._pending_charts: dict[str, chartdata.ChartSpec] = {}
        self._late: list[tuple[str, Future[bytes]]] = []  # files being made (write_later)
        self._tracking: list[set[str]] = []
        self.charts_drawn = 0
        # docs files as the last published build left them (see BuildCache.trusted_files)
        self.trusted: dict[str, tuple[int, int]] = {}
        # the build's processes, for drawing many charts (see build.workers; None: draw here)
        self.pool: Callable[[], Executor] | None = None

    @contextlib.contextmanager
    def track(self) -> Iterator[set[str]]:
        """Collect every docs path produced or kept inside the block (one county's files)."""
        paths: set[str] = set()
        self._tracking.append(paths)
        try:
            yield paths
        finally:
            self._tracking.remove(paths)

    def reset(self) -> None:
        """Forget what was produced (a worker's renderer, between counties)."""
        self.produced.clear()
        self.changed.clear()
        self._pending_charts.clear()

    def take_pending(self) -> dict[str, chartdata.ChartSpec]:
        """The charts still to draw, handed over to another renderer (see adopt)."""
        pending, self._pending_charts = self._pending_charts, {}
        return pending

    def adopt(
        self, paths: list[str], changed: set[str], pending: dict[str, chartdata.ChartSpec]
    ) -> None:
        """Take over what a worker's renderer wrote into the same docs folder."""
        for path in paths:
            if path in pending and path not in self.produced:
                self._pending_charts.setdefault(path, pending[path])
                for tracked in self._tracking:
                    tracked.add(path)
            else:
                self._produce(path)
        self.changed.update(changed)

    def _produce(self, path: str) -> None:
        self.produced.add(path)
        for paths in self._tracking:
            paths.add(path)

    def page(self, path: str, template: str, **context: object) -> None:
        try:
            text = self.env.get_template(template).render(page_path=path, **context)
        except TemplateError as exc:
            where = (
                f"{exc.filename}:{exc.lineno}" if isinstance(exc, TemplateSyntaxError) else template
            )
            raise BuildError(f"template {where} failed for page {path}: {exc}") from exc
        self.write_file(path, text.encode("utf-8"))

    def chart(self, spec: chartdata.ChartSpec) -> ChartRef:
        src = f"assets/charts/{chartdata.chart_id(spec)}.svg"
        for paths in self._tracking:
            paths.add(src)
        if src not in self.produced and src not in self._pending_charts:
            cached = self._cached_chart(Path(src).name)
            if cached is not None:
                self.write_file(src, cached)
            else:
                self._pending_charts[src] = spec
        return ChartRef(src, chartdata.alt_text(spec), spec)

    def _holds(self, target: Path, path: str, data: bytes) -> bool:
        """``target`` has these bytes, as the last published build left it (when known)."""
        try:
            stat = target.stat()
        except OSError:
            return False
        if stat.st_size != len(data):
            return False
        if self.trusted and self.trusted.get(path) != (stat.st_size, stat.st_mtime_ns):
            return False  # written by a build that did not finish: MkDocs must see it anew
        return target.read_bytes() == data

    def unchanged_since_published(self, path: str) -> bool:
        """True when ``path`` is in the docs folder as the last published build left it: only
        then may an earlier render of it be kept without writing it again."""
        try:
            stat = (self.docs_dir / path).stat()
        except OSError:
            return False
        return self.trusted.get(path) == (stat.st_size, stat.st_mtime_ns)

    def keep(self, path: str) -> None:
        """Mark a file produced by an earlier run as still wanted (it was not re-rendered)."""
        self._produce(path)

    def copy_tree(self, source: Path, dest: str) -> None:
        if source.is_dir():
            for path in sorted(p for p in source.rglob("*") if p.is_file()):
                self.write_file(f"{dest}/{path.relative_to(source).as_posix()}", path.read_bytes())

    def write_later(self, path: str, make: Callable[..., bytes], *args: object) -> None:
        """``make(*args)`` into ``path``, made by one of the build's processes while the site
        is built (``make`` and ``args`` must pickle): ``finish(draw_later=True)`` leaves it to
        ChartDrawing, as it leaves the charts. Without a pool it is made now."""
        if self.pool is None:
            self.write_file(path, make(*args))
            return
        self._late.append((path, self.pool().submit(_given_back, make, *args)))
        self.write_file(path, b"")  # MkDocs only needs the file to be there

    def write_file(self, path: str, data: bytes, scanned: Iterable[str] = ()) -> None:
        """``scanned``: parts of ``data``, in order, already found clean (privacy.is_clean)."""
        # Whatever its source, no file reaches the site with a personal number in it.
        leaks = output_leaks(path, data, self.allowed_numbers, scanned)
        if leaks:
            raise DataError(leaks)
        self._produce(path)
        target = self.docs_dir / path
        if self._holds(target, path, data):
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(target, data)
        self.changed.add(path)

    def finish(self, draw_later: bool = False) -> ChartDrawing | None:
        """Draw the pending charts; delete the files this run no longer produces.

        ``draw_later``: when there are many charts, start drawing them in two processes and
        return at once, with a placeholder in each chart's place (see ChartDrawing): MkDocs
        can build the pages meanwhile.
        """
        specs = list(self._pending_charts.items())
        self._pending_charts.clear()
        self.charts_drawn += len(specs)
        late, self._late = self._late, []
        drawing = None
        if draw_later and self.pool is not None:
            later = specs if len(specs) >= DRAW_LATER_MIN else []
            if later or late:
                drawing = ChartDrawing(self, later, self.pool(), late, self.chart_cache)
            specs = [] if later else specs
        else:
            for path, made in late:
                self.write_file(path, made.result())
        drawn = draw_charts([spec for _, spec in specs], self.pool, self.chart_cache)
        for (src, _), svg in zip(specs, drawn, strict=True):
            self.store_chart(src, svg)
        root = str(self.docs_dir)
        for folder, _, files in os.walk(root):
            for name in files:
                relative = f"{folder[len(root) + 1 :]}/{name}".lstrip("/")
                if relative not in self.produced:
                    os.unlink(f"{folder}/{name}")
                    self.removed.append(relative)
        self.removed.sort()
        return drawing

    def store_chart(self, src: str, svg: bytes) -> None:
        if self.chart_cache is not None:
            self.chart_cache.mkdir(parents=True, exist_ok=True)
            write_atomically(self.chart_cache / Path(src).name, svg)
        self.write_file(src, svg)

    def _cached_chart(self, name: str) -> bytes | None:
        """A chart drawn by an earlier build, if it is whole (else it is drawn again)."""
        if self.chart_cache is None:
            return None
        try:
            svg = (self.chart_cache / name).read_bytes()
        except OSError:
            return None
        return svg if complete_svg(svg) else None


def complete_svg(svg: bytes) -> bool:
    """A whole SVG file, not one cut short (by a kill or a full disk) nor a placeholder."""
    return svg.startswith((b"<?xml", b"<svg")) and svg.rstrip().endswith(b"</svg>")


DRAW_LATER_MIN = 16  # fewer charts than this are drawn before MkDocs runs
PLACEHOLDER_SVG = b'<svg xmlns="http://www.w3.org/2000/svg"/>\n'


class ChartDrawing:
    """Charts being drawn, and files being made (Renderer.write_later), by the build's
    processes while the site is built.

    Each chart's file holds a placeholder meanwhile (MkDocs only needs it to exist); ``finish``
    waits and writes the real charts and files, whose paths the publisher then copies into the
    new site before it is swapped in. A chart is the same file in the docs folder and in the
    site.
    """

    def __init__(
        self,
        renderer: Renderer,
        specs: list[tuple[str, chartdata.ChartSpec]],
        pool: Executor,
        late: Sequence[tuple[str, Future[bytes]]] = (),
        chart_cache: Path | None = None,
    ):
        self.renderer = renderer
        self.paths = [src for src, _ in specs]
        self._late = list(late)
        self._drawn: Iterator[bytes] = iter(())
        if specs:
            from generator.render import charts  # matplotlib: only when a chart must be drawn

            drawn = [spec for _, spec in specs]
            draw = functools.partial(charts.render_svg, words=label_words(drawn, chart_cache))
            self._drawn = pool.map(draw, drawn, chunksize=4)
        for src in self.paths:
            renderer.write_file(src, PLACEHOLDER_SVG)

    def finish(self) -> list[str]:
        """Wait for the charts and files and write them; their docs paths."""
        try:
            for src, svg in zip(self.paths, self._drawn, strict=True):
                self.renderer.store_chart(src, svg)
            for path, made in self._late:
                self.renderer.write_file(path, made.result())
        finally:
            self.cancel()
        return [*self.paths, *(path for path, _ in self._late)]

    def cancel(self) -> None:
        """The build failed: stop drawing (the charts not started are not drawn: the iterator
        of ``Executor.map`` is a generator, and closing it cancels them)."""
        close = getattr(self._drawn, "close", None)
        if close is not None:
            close()
        for _, made in self._late:
            made.cancel()


def _given_back(make: Callable[..., bytes], *args: object) -> bytes:
    """``make(*args)`` in a helper process, which then gives back the memory it took (the site
    workbook: 250 MiB at province scale) to the system while it draws charts beside MkDocs."""
    try:
        return make(*args)
    finally:
        give_back()


def draw_charts(
    specs: list[chartdata.ChartSpec],
    pool: Callable[[], Executor] | None = None,
    chart_cache: Path | None = None,
) -> list[bytes]:
    """SVG bytes for each spec, drawn by the build's processes when there are enough to share."""
    if not specs:
        return []
    from generator.render import charts  # matplotlib: imported only when a chart must be drawn

    draw = functools.partial(charts.render_svg, words=label_words(specs, chart_cache))
    if len(specs) < 4 or pool is None:
        return [draw(spec) for spec in specs]
    return list(pool().map(draw, specs, chunksize=4))


WORDS_FILE = "label-words.json"  # in the chart cache: {"jieba": version, "words": {part: [...]}}


def label_words(
    specs: Iterable[chartdata.ChartSpec], chart_cache: Path | None
) -> chartlabels.Words:
    """jieba's words for every part of the specs' category labels, so that the processes that
    draw them need not load jieba's dictionary (0.6 s and 70 MiB each): the parts cut by an
    earlier build are kept in the chart cache (for the installed jieba), the others are cut
    here, once, and the dictionary is let go again."""
    wanted = {
        part for spec in specs for label in spec.categories for part in chartlabels.parts(label)
    }
    store = None if chart_cache is None else chart_cache / WORDS_FILE
    version = importlib.metadata.version("jieba")
    known = _stored_words(store, version)
    missing = sorted(wanted - known.keys())
    if missing:
        known.update(chartlabels.cut(missing))
        chartlabels.forget_jieba()
        if store is not None:
            store.parent.mkdir(parents=True, exist_ok=True)
            data = {"jieba": version, "words": {k: list(v) for k, v in sorted(known.items())}}
            write_atomically(store, json.dumps(data, ensure_ascii=False).encode("utf-8"))
    return {part: known[part] for part in wanted}


def _stored_words(store: Path | None, version: str) -> dict[str, tuple[str, ...]]:
    """The words kept by an earlier build, if the file is whole and of this jieba (else none:
    they are cut again)."""
    if store is None:
        return {}
    try:
        data = json.loads(store.read_bytes())
        if data["jieba"] != version:
            return {}
        return {
            str(part): tuple(str(w) for w in words)
            for part, words in data["words"].items()
            if isinstance(words, list) and "".join(map(str, words)) == part
        }
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


@pass_context
def _url(context, target: str) -> str:
    """A relative link from the page being rendered to ``target`` (a path from the docs root)."""
    here = posixpath.dirname(context["page_path"])
    return posixpath.relpath(target, here or ".")
