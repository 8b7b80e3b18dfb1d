"""The publishing helper: stage 5 (see :mod:`generator.publish.site`) in a second process.

It starts with the build and prepares while the pages render: it imports MkDocs, loads the
search plugin's Chinese word list and stages the new site's folder. The build process itself
never imports MkDocs (a fifth of a second of every rebuild).
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import shutil
from collections.abc import Callable
from pathlib import Path

from generator.build.workers import die_with
from generator.diagnostics import BuildError, SitegenError
from generator.render.renderer import ChartDrawing


class Publisher:
    """Runs ``build_site`` in a helper process started at the beginning of a build.

    While the pages are rendered, the helper imports MkDocs and stages the new site (see stage_ahead): on a two-core machine that time is no
    longer part of a rebuild. Use as a context manager; ``build_site`` may be called once.
    """

    def __init__(self) -> None:
        context = multiprocessing.get_context("spawn")
        self._conn, child = context.Pipe()
        self._process = context.Process(target=_publisher, args=(child, os.getpid()), daemon=True)
        self._process.start()
        child.close()

    def build_site(
        self,
        mkdocs_yml: Path,
        docs_dir: Path,
        out_dir: Path,
        *,
        charts: ChartDrawing | None = None,
        then: Callable[[], None] = lambda: None,
        **options: object,
    ) -> str:
        """``publish.build_site`` in the helper. ``charts``: charts still being drawn (and files
        being made); they are written into the docs folder and copied into the new site before
        it is swapped in. ``then`` is called once they are (at once without them), while the
        helper goes on building."""
        late = charts is not None
        self._conn.send(("build", (mkdocs_yml, docs_dir, out_dir), options, late))
        if charts is not None:
            try:
                paths = charts.finish()
            except BaseException:
                with contextlib.suppress(OSError):
                    self._conn.send(None)  # the helper gives up the new site
                raise
            with contextlib.suppress(OSError):  # gone: it failed, its answer is waiting
                self._conn.send(paths)
        then()
        try:
            ok, value = self._conn.recv()
        except EOFError:
            raise BuildError("the publishing process stopped unexpectedly") from None
        if not ok:
            raise value
        return value

    def stage(
        self, mkdocs_yml: Path, out_dir: Path, previous_build: str | None, docs_dir: Path
    ) -> None:
        """Have the helper make the new site's folder now (see stage_ahead)."""
        self._conn.send(("stage", mkdocs_yml, out_dir, previous_build, docs_dir))

    def __enter__(self) -> Publisher:
        return self

    def __exit__(self, *exc: object) -> None:
        # It has answered (the site is published), or it was never asked: nothing of its work
        # is left, so it need not be waited for.
        self._conn.close()
        self._process.terminate()
        self._process.join()


def _publisher(conn, parent: int) -> None:
    """The helper process of Publisher: warm up, then build once."""
    _die_with(parent)
    from generator.publish.site import build_site, stage_ahead

    logging.basicConfig(format="%(message)s", level=logging.WARNING)
    staged = None
    try:
        message = conn.recv()
        if message[0] == "stage":
            with contextlib.suppress(Exception):  # if it fails, so does build_site: it tells
                staged = stage_ahead(*message[1:])
            message = conn.recv()
    except (EOFError, KeyboardInterrupt):
        return  # the build stopped before publishing
    _, (mkdocs_yml, docs_dir, out_dir), options, late = message

    def late_files(staging: Path) -> None:
        """Files of the docs folder finished while MkDocs ran (charts, the site workbook):
        into the new site."""
        paths = conn.recv()
        if paths is None:
            raise BuildError("charts or the workbook could not be made")
        for path in paths:
            target = staging / path
            target.unlink(missing_ok=True)
            shutil.copyfile(docs_dir / path, target)

    if late:
        options["before_swap"] = late_files
    result: tuple[bool, str | SitegenError]
    try:
        result = (True, build_site(mkdocs_yml, docs_dir, out_dir, staged=staged, **options))
    except BaseException as exc:  # handed to the build process, which raises it
        result = (False, exc if isinstance(exc, SitegenError) else BuildError(repr(exc)))
    conn.send(result)


_die_with = die_with  # see generator.build.workers
