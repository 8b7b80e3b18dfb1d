"""Fingerprints and signatures: what tells a build that something it cached is still good.

A cache key is a digest of declared inputs (see :mod:`generator.build.inputs`) together with
the generator's own code; a county folder's *signature* stands for every file in it (from git
when the data is in a git work tree, else from each file's size, inode and times).
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import os
from pathlib import Path

from generator import __version__
from generator.defaults import DEFAULTS
from generator.gitrun import run_git
from generator.load.loader import display_path

VERSION = 1


@functools.cache
def code_fingerprint() -> str:
    """The generator's own code: a cached result from other code is never reused."""
    root = Path(__file__).parent.parent  # the whole generator package, not only build/
    digest = hashlib.sha256(__version__.encode())
    for path in sorted(root.rglob("*.py")):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def tree_fingerprint(*folders: Path) -> str:
    """Every file under ``folders`` (names and bytes): site_config, the page templates."""
    digest = hashlib.sha256()
    for folder in folders:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else []:
            digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def key_of(*parts: object) -> str:
    """A cache key from plain values (str, int, dates, tuples)."""
    return hashlib.sha256(repr((VERSION, code_fingerprint(), parts)).encode()).hexdigest()


def folder_signature(folder: Path) -> str:
    """Every entry under ``folder`` (hidden ones aside) with its size, inode and times, and the
    folder as messages name it: any edit, addition, removal or rename changes it."""
    entries: list[object] = [display_path(folder)]

    def walk(path: str, prefix: str) -> None:
        try:
            found = sorted(os.scandir(path), key=lambda e: e.name)
        except OSError as exc:
            entries.append((prefix, "unreadable", exc.errno))
            return
        for entry in found:
            if entry.name[0] == ".":
                continue
            try:
                if entry.is_dir():
                    entries.append((prefix + entry.name, "folder"))
                    walk(entry.path, f"{prefix}{entry.name}/")
                    continue
                st = entry.stat()
            except OSError:
                entries.append((prefix + entry.name, "gone"))
                continue
            entries.append((entry.name, st.st_size, st.st_ino, st.st_mtime_ns, st.st_ctime_ns))

    walk(str(folder), "")
    return hashlib.sha256(repr(entries).encode()).hexdigest()


def git_signatures(data_dir: Path) -> tuple[dict[str, str], bool | None]:
    """Signatures of the county folders from git, for a data folder in a git work tree: each
    folder's tree id at HEAD plus every file that differs from it (modified, new, deleted or
    ignored, with its size and times). Git compares the files with HEAD quickly (its index
    remembers them), and a fresh clone of the same commit gets the same signatures, so a
    cache restored in CI still applies. Empty when git cannot tell: then folder_signature.

    Also returns whether the data has uncommitted changes (None: not in git).
    """
    prefix = run_git(data_dir, "rev-parse", "--show-prefix")
    status = run_git(
        data_dir,
        "status",
        "--porcelain=v1",
        "-z",
        "--untracked-files=all",
        "--ignored=matching",
        "--no-renames",
        "--",
        ".",
    )
    if prefix.returncode != 0 or status.returncode != 0:
        return {}, None
    listed = run_git(data_dir, "ls-tree", "-z", "HEAD", "--", ".")  # fails before a first commit
    trees = {}
    for line in listed.stdout.split("\0") if listed.returncode == 0 else []:
        meta, _, name = line.partition("\t")
        if name and meta.split()[1:2] == ["tree"]:
            trees[name] = meta.split()[2]
    base = prefix.stdout.strip()
    changed: dict[str, list[tuple]] = {}
    dirty = False
    for entry in status.stdout.split("\0"):
        if len(entry) < 4 or not entry[3:].startswith(base):
            continue
        code, path = entry[:2], entry[3 + len(base) :]
        dirty = dirty or code != "!!"
        county, _, rest = path.partition("/")
        if not county:  # the data folder itself is ignored by git: walk its folders
            return {}, dirty
        where = data_dir / path
        if path.endswith("/"):  # an ignored folder: what is in it
            state: object = folder_signature(where)
        else:
            try:
                st = where.stat()
                state = (st.st_size, st.st_ino, st.st_mtime_ns, st.st_ctime_ns)
            except OSError:
                state = "gone"
        changed.setdefault(county, []).append((code, rest, state))
    signatures = {
        county: hashlib.sha256(
            repr(
                ("git", display_path(data_dir / county), trees.get(county), sorted(found))
            ).encode()
        ).hexdigest()
        for county in trees.keys() | changed.keys()
        for found in [changed.get(county, [])]
    }
    return signatures, dirty


def tool_versions() -> list[str | None]:
    """MkDocs' and Material's versions: an upgrade changes every page's HTML."""
    return [_installed("mkdocs"), _installed("mkdocs-material")]


def files_digest(paths: list[Path], root: Path) -> str:
    """The names (relative to ``root``, or to the packaged defaults) and bytes of ``paths``."""
    digest = hashlib.sha256()
    for path in paths:
        digest.update(_named(path, root).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _named(path: Path, root: Path) -> str:
    """A file's name in a fingerprint: relative to the project, or to the packaged defaults."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return "<defaults>/" + path.relative_to(DEFAULTS).as_posix()


def _installed(package: str) -> str | None:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return None
