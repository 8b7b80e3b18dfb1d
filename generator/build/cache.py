"""The build cache under ``.cache/sitegen/`` in the project: rendered pages, charts, and what
was published where. ``sitegen build --clean`` ignores and replaces all of it.

The folder is sitegen's own (``.cache/`` also holds pip's or other tools' caches in CI): it is
marked with a ``CACHEDIR.TAG`` (backup tools skip it), and a folder that holds something but
no such mark is never emptied.

Nothing in it is needed for correctness: a missing or stale cache only costs time. A failed
build forgets which site the rendered pages belong to, so the next build is a full one.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import json
import os
import pickle
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from filelock import FileLock

from generator.diagnostics import ConfigError



def _optional(name: str) -> ModuleType | None:
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


FCNTL = _optional("fcntl")  # None on Windows

STATE = "state.json"
LOCK = "lock"
ENV_VAR = "SITEGEN_CACHE"  # another cache folder than <project>/.cache/sitegen (tests use their own)
# https://bford.info/cachedir/: the first line is fixed by the convention
TAG = "CACHEDIR.TAG"
TAG_TEXT = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This folder is sitegen's build cache: it may be deleted at any time.\n"
)
VERSION = 2  # bump when the cache layout or what goes into it changes


def cache_root(project_root: Path) -> Path:
    chosen = os.environ.get(ENV_VAR)
    # absolute: MkDocs reads relative folders from mkdocs.yml's, maybe the packaged defaults'
    root = (Path(chosen) if chosen else project_root / ".cache" / "sitegen").absolute()
    claim(root)
    return root


def claim(root: Path) -> None:
    """Mark ``root`` as sitegen's cache, or refuse a folder that holds other files."""
    root.mkdir(parents=True, exist_ok=True)
    if (root / TAG).is_file():
        return
    foreign = sorted(e.name for e in root.iterdir() if e.name != LOCK)
    if foreign:
        raise ConfigError(
            f"缓存文件夹 {root} 里已有不是 sitegen 写的文件（{'、'.join(foreign[:3])}…），"
            f"sitegen 不会清空它：请用一个空文件夹（{ENV_VAR}）/ the cache folder {root} holds "
            f"files sitegen did not write; it is never emptied: name an empty folder in {ENV_VAR}"
        )
    (root / TAG).write_text(TAG_TEXT, encoding="utf-8")


def store_pickle(path: Path, value: object) -> None:
    """Pickle ``value`` into ``path`` whole or not at all: written aside, then renamed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    with partial.open("wb") as handle:
        pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
    partial.replace(path)


# The locks are the operating system's, so a killed build never leaves one behind: flock on
# Linux and macOS, LockFileEx (msvcrt) on Windows. Lock files go through filelock, which its
# maintainers test on each of them (msvcrt's own lock gives up after 10 s; filelock waits on).


@contextlib.contextmanager
def exclusive_folder(folder: Path) -> Iterator[None]:
    """One build at a time publishing into ``folder`` (the output folder's parent, locked
    itself: builds of two project folders, with two caches, may name the same --out)."""
    folder.mkdir(parents=True, exist_ok=True)
    if FCNTL is None:  # a folder cannot be opened on Windows: a lock file stands for it
        with FileLock(folder_lock_file(folder)):
            yield
        return
    handle = os.open(folder, os.O_RDONLY)
    try:
        FCNTL.flock(handle, FCNTL.LOCK_EX)
        yield
    finally:
        os.close(handle)  # releases the lock


def folder_lock_file(folder: Path) -> Path:
    """The lock file of ``folder`` where there are no folder locks: in the user's own
    temporary folder (per user on Windows), named after the folder's full path."""
    name = hashlib.sha256(str(folder.resolve()).casefold().encode()).hexdigest()[:32]
    locks = Path(tempfile.gettempdir()) / "sitegen-locks"
    locks.mkdir(exist_ok=True)
    return locks / f"{name}.lock"


@contextlib.contextmanager
def exclusive(root: Path) -> Iterator[None]:
    """One build at a time per cache (a preview server and a build may run together)."""
    root.mkdir(parents=True, exist_ok=True)
    with FileLock(root / LOCK):
        yield


@dataclass
class BuildCache:
    root: Path

    @classmethod
    def open(cls, root: Path, clean: bool) -> BuildCache:
        cache = cls(root)
        if clean or cache._state().get("version") != VERSION:
            for entry in root.iterdir():  # but the lock the caller holds and the mark
                if entry.name not in (LOCK, TAG):
                    shutil.rmtree(entry) if entry.is_dir() else entry.unlink()
        return cache

    @property
    def docs_dir(self) -> Path:
        return self.root / "docs"

    @property
    def charts_dir(self) -> Path:
        return self.root / "charts"

    def previous_build(self, out_dir: Path, fingerprint: str) -> str | None:
        """The build id last published into ``out_dir`` from these rendered pages, if the
        theme, configuration and generator (``fingerprint``) are still the same."""
        state = self._state()
        same = state.get("out") == str(out_dir.resolve()) and state.get("site") == fingerprint
        return state.get("build") if same else None

    def trusted_files(self) -> dict[str, tuple[int, int]]:
        """Size and modification time of each docs file as the last published build left it.
        A file that no longer has them was written since (by a build that did not finish)."""
        files = self._state().get("files")
        if not isinstance(files, dict):
            return {}
        return {k: tuple(v) for k, v in files.items() if isinstance(v, list) and len(v) == 2}

    def published(self, out_dir: Path, build_id: str, fingerprint: str) -> None:
        """Re-mark the cache, once the new site is swapped in: these rendered pages (as they
        are now, see trusted_files) are the ones of the site in ``out_dir``."""
        self._write(
            {
                "version": VERSION,
                "out": str(out_dir.resolve()),
                "build": build_id,
                "site": fingerprint,
                "files": docs_manifest(self.docs_dir),
            }
        )

    def forget(self) -> None:
        """The rendered pages no longer match any published site: next build is a full one.
        A build calls it before it writes a page, so a build killed at any point leaves a
        cache the next build does not trust."""
        self._write({"version": VERSION})

    def _state(self) -> dict:
        try:
            state = json.loads((self.root / STATE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return state if isinstance(state, dict) else {}  # a damaged file is no state

    def _write(self, state: dict) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        temp = self.root / f"{STATE}.tmp"
        with temp.open("w", encoding="utf-8") as handle:
            json.dump(state, handle)
            handle.flush()
            os.fsync(handle.fileno())  # the mark must be on disk before the pages it vouches for
        temp.replace(self.root / STATE)


def docs_manifest(docs_dir: Path) -> dict[str, list[int]]:
    """``{path: [size, mtime_ns]}`` of every file under ``docs_dir``."""
    found = {}
    root = str(docs_dir)
    for folder, _, names in os.walk(root):
        for name in names:
            stat = os.stat(f"{folder}/{name}")
            found[f"{folder[len(root) + 1 :]}/{name}".lstrip("/")] = [stat.st_size, stat.st_mtime_ns]
    return found


def write_atomically(path: Path, data: bytes) -> None:
    """``data`` into ``path`` whole or not at all (a kill or a full disk leaves the old file)."""
    partial = path.with_name(f".{path.name}.partial-{os.getpid()}")
    try:
        partial.write_bytes(data)
        partial.replace(path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
