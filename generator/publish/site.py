"""Stage 5, publish: MkDocs builds the rendered pages aside, then the site is swapped in whole.

A failed or interrupted build never touches the published site: the new site is built in a
sibling folder and only renamed into place once complete.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from unittest import mock

import yaml
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import MkDocsException
from mkdocs.structure.files import File, Files

from generator.build.bytecode import SafeBytecodeCache
from generator.build.memory import give_back
from generator.diagnostics import BuildError, ConfigError
from generator.publish.html_blocks import HtmlBlocks
from generator.publish.incremental import (
    drop_rebuilt,
    known_changes,
    link_tree,
    page_dest,
    quiet_dirty_notice,
    unlink_before_write,
)
from generator.publish.not_found import NotFoundPage
from generator.publish.pagefind_index import index_site
from generator.publish.precompress import precompress

MARKER = ".sitegen-site"
SEARCH_WORDS = "search-words.txt"  # render.search_words.FILE
OFFLINE_SHIM = "assets/vendor/iframe-worker/shim.js"
MARKER_TEXT = "Built by sitegen. This folder is replaced on every build."

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Prepared:
    """MkDocs' configuration for building ``docs_dir``, and the theme's files, made ahead."""

    docs_dir: Path
    config: MkDocsConfig
    theme_files: list[File]


@dataclass(frozen=True)
class Staged:
    """A new site's folder made ahead of the build, next to the published one."""

    path: Path
    previous_build: str | None  # the published build hard-linked into it (None: empty)
    prepared: Prepared | None = None


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def stage_ahead(
    mkdocs_yml: Path, out_dir: Path, previous_build: str | None, docs_dir: Path | None = None
) -> Staged:
    """The new site's folder, with the published site hard-linked into it when that is
    ``previous_build`` (an incremental build starts from it): done while pages render.
    With ``docs_dir``, MkDocs' configuration and the theme's file list are made too."""
    out_dir = out_dir.resolve()
    check_output_folder(out_dir, protected=[mkdocs_yml.parent.resolve()])
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    _remove_leftovers(out_dir)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.new-", dir=out_dir.parent))
    # mkdtemp makes the folder for its owner only (0700), which a web server running as its
    # own user (nginx's www-data) cannot enter: the site's folder is made as mkdir makes one.
    staging.chmod(0o777 & ~_umask())
    linked = None
    if previous_build is not None and built_by(out_dir) == previous_build:
        link_tree(out_dir, staging)
        linked = previous_build
    prepared = _prepare(mkdocs_yml, docs_dir, staging) if docs_dir is not None else None
    return Staged(staging, linked, prepared)


def _prepare(mkdocs_yml: Path, docs_dir: Path, staging: Path) -> Prepared | None:
    """MkDocs' configuration and the theme's files (listing Material's thousands of icons
    takes a rebuild a third of a second). A problem is left to the build to report."""
    logging.disable(logging.CRITICAL)
    try:
        cfg = load_config(
            config_file=str(mkdocs_yml), docs_dir=str(docs_dir), site_dir=str(staging), strict=True
        )
        theme = Files([])
        theme.add_files_from_theme(cfg.theme.get_env(), cfg)
    except Exception:
        return None
    finally:
        logging.disable(logging.NOTSET)
    return Prepared(docs_dir, cfg, list(theme))


@contextlib.contextmanager
def _theme_files(prepared: Prepared | None) -> Iterator[None]:
    """Have the build add the theme's files listed ahead instead of listing them again."""
    if prepared is None:
        yield
        return

    def add_files_from_theme(self: Files, env: object, config: object) -> None:
        for file in prepared.theme_files:
            if self.get_file_from_path(file.src_uri) is None:  # docs files come first
                self.append(file)

    with mock.patch.object(Files, "add_files_from_theme", add_files_from_theme):
        yield


def build_site(
    mkdocs_yml: Path,
    docs_dir: Path,
    out_dir: Path,
    *,
    extra: dict,
    source_date_epoch: int | None,
    changed: set[str] | None = None,
    removed: Sequence[str] = (),
    previous_build: str | None = None,
    cache_dir: Path | None = None,
    before_swap: Callable[[Path], None] | None = None,
    staged: Staged | None = None,
) -> str:
    """Build ``docs_dir`` with MkDocs (strict) and atomically replace ``out_dir`` with it.

    With ``changed`` (the docs files written since ``previous_build`` was published into
    ``out_dir``), only those pages are rebuilt (see :mod:`generator.publish.incremental`); otherwise,
    or when ``out_dir`` is not that build, everything is. ``cache_dir``: where to keep the
    theme's compiled templates and the search index entries between builds. ``before_swap``:
    called with the new site's folder once it is complete, before it is swapped in.
    ``staged``: the new site's folder, made ahead by ``stage_ahead``. Returns the new build's
    id.
    """
    out_dir = out_dir.resolve()
    if staged is None:
        staged = stage_ahead(mkdocs_yml, out_dir, None)
    staging = staged.path
    usable = (
        changed is not None and previous_build is not None and built_by(out_dir) == previous_build
    )
    previous = out_dir if usable else None
    rebuilt = changed if usable and changed is not None else set()  # the pages built again
    try:
        if previous is not None and staged.previous_build != previous_build:
            link_tree(previous, staging)
        elif previous is None and staged.previous_build is not None:  # linked in vain
            shutil.rmtree(staging)
            staging.mkdir()
        if previous is not None:
            drop_rebuilt(staging, rebuilt, list(removed))
        epoch = None if source_date_epoch is None else str(source_date_epoch)
        prepared = staged.prepared
        if prepared is not None and prepared.docs_dir != docs_dir:
            prepared = None
        if prepared is not None:
            cfg = prepared.config
        else:
            cfg = load_config(
                config_file=str(mkdocs_yml),
                docs_dir=str(docs_dir),
                site_dir=str(staging),
                strict=True,
            )
        with (
            _env("SOURCE_DATE_EPOCH", epoch),
            unlink_before_write(),
            quiet_dirty_notice(),
            _theme_files(prepared),
            known_changes(cfg["docs_dir"], changed or set())  # the docs_dir its files name
            if previous is not None
            else contextlib.nullcontext(),
        ):
            cfg["extra"] = {**dict(cfg["extra"] or {}), **extra}
            if cache_dir is not None:
                _compiled_templates(cfg, cache_dir / "theme-templates")
            _settings_only_search(cfg)
            cfg.plugins["sitegen-404"] = NotFoundPage()
            cfg.plugins["sitegen-html"] = HtmlBlocks()
            cfg.plugins.on_startup(command="build", dirty=previous is not None)
            try:
                mkdocs_build(cfg, dirty=previous is not None)
            finally:
                cfg.plugins.on_shutdown()
            if previous is not None:
                _remove_empty_folders(staging, list(removed))
        # MkDocs' pages are written: Pagefind and the chart processes want the memory (the
        # collection frees MkDocs' page tree, which holds cycles: 0.26 s at 120 counties).
        give_back()
        # Pagefind's index of the pages, for the served site's search: of the shards holding
        # a page written or removed, when the published site's index was hard-linked in
        written = [page_dest(doc) for doc in [*rebuilt, *removed] if doc.endswith(".md")]
        index_site(staging, written if previous is not None else None)
        if before_swap is not None:
            before_swap(staging)
        precompress(staging)  # after the charts are in place
    except (MkDocsException, SystemExit) as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise BuildError(f"MkDocs build failed: {exc}") from exc
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    (staging / MARKER).unlink(missing_ok=True)
    (staging / MARKER).write_text(MARKER_TEXT + "\n", encoding="utf-8")
    _swap_in(staging, out_dir)
    return built_by(out_dir) or ""


def _settings_only_search(cfg) -> None:
    """The served site searches with Pagefind (publish.pagefind_index), so Material's search
    plugin indexes no page: it still writes ``search/search_index.json``, the settings its
    search box reads, with no documents. Indexing was half of MkDocs' time on the generated
    pages (an HTML parse and a jieba segmentation of every page), and a dirty build's partial
    lunr index had to be merged back. The offline zip keeps the plugin whole (file:// cannot
    run Pagefind)."""
    search = cfg.plugins.get("material/search")
    if search is None:
        return
    handlers = cfg.plugins.events["page_context"]
    handlers[:] = [h for h in handlers if getattr(h, "__self__", None) is not search]


def _search_words(cfg) -> None:
    """Material's search loads the data's names (search_words.FILE, which the pages stage writes
    into the docs folder) as jieba user words, so 蒲城镇 is one word, not 蒲/城镇."""
    words = Path(cfg["docs_dir"]) / SEARCH_WORDS
    for plugin in cfg.plugins.values():
        options = getattr(plugin, "config", None)
        if words.is_file() and options is not None and "jieba_dict_user" in options:
            options["jieba_dict_user"] = str(words)


def quiet_jieba():  # -> the jieba module
    """jieba (the search plugin's Chinese segmentation) sets its own logger to DEBUG on import:
    import it quietly before MkDocs does. Raises ImportError without it."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    return jieba


def _compiled_templates(cfg, folder: Path) -> None:
    """Keep the theme's compiled Jinja templates on disk: compiling them costs a rebuild of one
    page more than rendering it."""
    get_env = cfg.theme.get_env

    def env_with_cache():
        env = get_env()
        folder.mkdir(parents=True, exist_ok=True)
        env.bytecode_cache = SafeBytecodeCache(str(folder))
        return env

    cfg.theme.get_env = env_with_cache


def built_by(out_dir: Path) -> str | None:
    """Which build produced ``out_dir``: its marker file's identity (a copy is another site).
    The marker's content is the same for every build, so the same data gives the same bytes."""
    try:
        stat = (out_dir / MARKER).stat()
    except OSError:
        return None
    return f"{stat.st_dev}:{stat.st_ino}:{stat.st_mtime_ns}"


def _remove_empty_folders(root: Path, removed: list[str]) -> None:
    """Remove the folders that removed files leave empty (a clean build has none)."""
    folders = {parent for doc in removed for parent in Path(page_dest(doc)).parents}
    for folder in sorted(folders, key=lambda f: len(f.parts), reverse=True):
        path = root / folder
        if folder.parts and path.is_dir() and not any(path.iterdir()):
            path.rmdir()


def check_output_folder(out_dir: Path, protected: list[Path]) -> None:
    """Refuse to replace a folder that is not a site we built: it is deleted by the swap."""
    for folder in protected:
        if out_dir == folder or out_dir in folder.parents:
            raise ConfigError(
                f"输出文件夹 {out_dir} 包含项目本身，不能作为网站输出位置 / "
                f"the output folder {out_dir} contains the project"
            )
    if out_dir.is_dir() and any(out_dir.iterdir()) and not (out_dir / MARKER).is_file():
        raise ConfigError(
            f"输出文件夹 {out_dir} 已有其他内容，不是 sitegen 生成的网站，为免误删拒绝覆盖——"
            f"请换一个空文件夹或先手动清空 / {out_dir} is not empty and was not built by "
            "sitegen; refusing to replace it"
        )


def _swap_in(staging: Path, out_dir: Path) -> None:
    old = None
    if out_dir.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.old-", dir=out_dir.parent))
        old.rmdir()
        os.replace(out_dir, old)
    os.replace(staging, out_dir)
    if old is not None:
        _remove_in_background(old)


def _remove_in_background(folder: Path) -> None:
    """Delete the replaced site without waiting: the new one is already published. A removal
    cut short is finished by the next build (see _remove_leftovers)."""
    try:
        subprocess.Popen(
            [sys.executable, "-c", "import shutil, sys; shutil.rmtree(sys.argv[1], True)", folder],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # not stopped by a Ctrl-C meant for the build
        )
    except OSError:
        shutil.rmtree(folder, ignore_errors=True)


def _remove_leftovers(out_dir: Path) -> None:
    """Clean up after a build that was killed: never leave the site missing or half-written."""
    olds = sorted(out_dir.parent.glob(f".{out_dir.name}.old-*"), key=lambda p: p.stat().st_mtime)
    if not out_dir.exists() and olds:
        # Killed between the two renames of _swap_in: put the last published site back.
        os.replace(olds.pop(), out_dir)
        log.warning("restored the previous site from an interrupted publish")
    for leftover in [*olds, *out_dir.parent.glob(f".{out_dir.name}.new-*")]:
        shutil.rmtree(leftover, ignore_errors=True)


@contextlib.contextmanager
def _env(name: str, value: str | None) -> Iterator[None]:
    before = os.environ.get(name)
    if value is not None:
        os.environ[name] = value
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = before


def build_offline_zip(
    mkdocs_yml: Path, docs_dir: Path, zip_path: Path, *, extra: dict, source_date_epoch: int
) -> None:
    """A copy of the site that works opened from disk (file://), as one zip for a USB stick.

    Material's offline plugin switches to page.html URLs and inlines the search index; the
    iframe-worker shim it needs is the vendored copy under assets/vendor, never the CDN one.
    """
    raw = yaml.safe_load(mkdocs_yml.read_text(encoding="utf-8"))
    plugins = [p for p in raw.get("plugins", []) if p != "offline"] + ["offline"]
    with contextlib.suppress(ImportError):
        quiet_jieba()
    with tempfile.TemporaryDirectory(prefix="sitegen-offline-") as work:
        site = Path(work) / "site"
        with _env("SOURCE_DATE_EPOCH", str(source_date_epoch)), quiet_dirty_notice():
            cfg = load_config(
                config_file=str(mkdocs_yml),
                docs_dir=str(docs_dir),
                site_dir=str(site),
                strict=True,
                plugins=plugins,
            )
            cfg["extra"] = {**dict(cfg["extra"] or {}), **extra, "polyfills": [OFFLINE_SHIM]}
            _search_words(cfg)
            cfg.plugins["sitegen-404"] = NotFoundPage()
            cfg.plugins["sitegen-html"] = HtmlBlocks()
            cfg.plugins.on_startup(command="build", dirty=False)
            try:
                mkdocs_build(cfg)
            except (MkDocsException, SystemExit) as exc:
                raise BuildError(f"MkDocs offline build failed: {exc}") from exc
            finally:
                cfg.plugins.on_shutdown()
        _write_zip(site, zip_path, source_date_epoch)


def _write_zip(folder: Path, zip_path: Path, epoch: int) -> None:
    """Deterministic zip (sorted names, fixed times), written aside and renamed into place."""
    stamp = time.gmtime(max(epoch, 315532800))[:6]  # zip dates start in 1980
    zip_path.parent.mkdir(parents=True, exist_ok=True)
    partial = zip_path.with_name(f".{zip_path.name}.partial")
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            info = zipfile.ZipInfo(f"site/{path.relative_to(folder).as_posix()}", stamp)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, path.read_bytes())
    os.replace(partial, zip_path)
