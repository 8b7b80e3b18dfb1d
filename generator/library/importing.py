"""``sitegen case import``: a case exported by another site, checked and written into this one.

The bundle is untrusted input: :func:`generator.library.bundle.read_bundle` refuses unsafe entries,
then every file must match its checksum in bundle.yaml, and the case must pass the rules of the
site's own cases (front matter, unsafe content, images, personal data), as it will be written.
The source county's live figures cannot resolve here, so each citation is frozen to its value at
export, and ``origin`` in the front matter says whose numbers they are and as of when;
``source`` (the attribution) is kept. An existing case with the same id is replaced only by the
same case from the same county (a newer export); any other is refused (``--as`` imports under
another id).
"""

from __future__ import annotations

import posixpath
import tempfile
from pathlib import Path

import yaml

from generator.diagnostics import Location, Report
from generator.library.bundle import (
    CASE,
    FIGURE_TEXT,
    META,
    BundleMeta,
    Unpacked,
    check_listed,
    dump_yaml,
    read_bundle,
    read_meta,
)
from generator.library.cases import FRONT_MATTER, Case, parse_case
from generator.library.export import Shared
from generator.library.figures import substitute
from generator.library.images import MD_IMAGE, image_src
from generator.load.config import load_settings
from generator.load.loader import display_path
from generator.project import Project
from generator.validate.privacy import scan_text


def import_case(
    project: Project, bundle: Path, new_id: str | None, dry_run: bool, report: Report
) -> Shared | None:
    """Import ``bundle`` into the project's content/cases/; None (and ``report``) if refused."""
    unpacked = read_bundle(bundle, display_path(bundle), report)
    meta = _bundle_meta(unpacked, report) if unpacked else None
    if unpacked is None or meta is None:
        return None
    case_id = new_id or meta.id
    with tempfile.TemporaryDirectory(prefix="sitegen-bundle-") as work:
        cases_dir = Path(work) / "cases"
        for name, data in unpacked.files.items():
            if name not in (META, CASE):
                (cases_dir / name).parent.mkdir(parents=True, exist_ok=True)
                (cases_dir / name).write_bytes(data)
        text = _case_text(unpacked, report)
        if not text:
            return None
        case = parse_case(text, case_id, unpacked.at(CASE).path, cases_dir, report)
        if case is None or report.errors:
            return None
        _check_source(case, meta, report)
        final = _frozen(text, case, meta, report)
        # The case as it will be written passes the same checks as the site's own cases.
        if parse_case(final, case_id, unpacked.at(CASE).path, cases_dir, report) is None:
            return None
        settings = load_settings(project.config_dir, report)
        allowed = set(settings.site.privacy.allowed_numbers) if settings else set()
        scan_text(final, unpacked.at(CASE).path, allowed, report)
        if report.errors:
            return None
        images = {img.src: img.file.read_bytes() for img in [case.cover, *case.images] if img}
    target = project.content_dir / "cases" / f"{case_id}.md"
    status = _status(target, final, meta, images, report)
    if status is None:
        return None
    if not dry_run and status != "unchanged":
        for src, data in images.items():
            (target.parent / src).parent.mkdir(parents=True, exist_ok=True)
            (target.parent / src).write_bytes(data)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(final, encoding="utf-8")
    return Shared(case_id, target, meta.county.name, meta.revision.commit or "", status)


def _bundle_meta(unpacked: Unpacked, report: Report) -> BundleMeta | None:
    meta = read_meta(unpacked, BundleMeta, report)
    if meta is None or not check_listed(unpacked, meta.files, report):
        return None
    return None if report.errors else meta


def _case_text(unpacked: Unpacked, report: Report) -> str | None:
    try:
        return unpacked.files[CASE].decode("utf-8-sig")
    except UnicodeDecodeError:
        report.error(unpacked.at(CASE), "file-not-utf8", guess="")
        return None


def _check_source(case: Case, meta: BundleMeta, report: Report) -> None:
    """case.md must be the case bundle.yaml describes."""
    county = case.meta.origin.county if case.meta.origin else case.meta.county
    if county != meta.county.id:
        report.error(case.county_at, "bundle-mismatch", value=county, other=meta.county.id)


def _frozen(text: str, case: Case, meta: BundleMeta, report: Report) -> str:
    """The case with its figures frozen to their exported values and ``origin`` recorded."""
    values = {(f.county, f.metric, f.grid): f.text for f in meta.figures}
    for ref in case.figures:
        if ref.key not in values:
            report.error(ref.at, "bundle-figure-missing", value=f"{ref.county}/{ref.metric}")
        elif not FIGURE_TEXT.fullmatch(values[ref.key]):
            report.error(ref.at, "bundle-figure-value", value=values[ref.key])
    match = FRONT_MATTER.match(text)
    assert match is not None  # parse_case accepted it
    front, body = match.group(1), text[match.end() :]
    body = substitute(body, lambda ref: values.get(ref.key, "—"))
    extra: dict[str, object] = {}
    if case.meta.source is None:
        extra["source"] = meta.attribution
    if case.meta.origin is None:
        origin = {
            "county": meta.county.id,
            "county_name": meta.county.name,
            "revision": meta.revision.commit,
            "as_of": meta.revision.as_of,
            "site": meta.site,
        }
        extra["origin"] = {k: v for k, v in origin.items() if v is not None}
    if extra:
        front += dump_yaml(extra)
    return f"---\n{front}---\n{body}"


def _status(target: Path, final: str, meta: BundleMeta, images: dict[str, bytes], report: Report):
    """added, updated or unchanged; None when a different case or image would be overwritten.

    An image file that differs from the bundle's may be replaced only on an update, only when
    the case's own older version shows it, and only when no other case does.
    """
    changed = [src for src, data in images.items() if not _holds(target.parent / src, data)]
    existing = target.read_text(encoding="utf-8-sig") if target.is_file() else None
    if existing is not None and _origin_county(existing) != meta.county.id:
        if existing == final and not changed:
            return "unchanged"
        report.error(Location(display_path(target)), "case-import-conflict", id=target.stem)
        return None
    own = images_of(existing) if existing is not None else set()
    others = {
        src
        for other in sorted(target.parent.glob("*.md"))
        if other.name != target.name and other.is_file() and not other.is_symlink()
        for src in images_of(other.read_text(encoding="utf-8", errors="replace"))
    }
    clashes = [
        src
        for src in changed
        if (target.parent / src).exists() and (src not in own or src in others)
    ]
    for src in clashes:
        where = Location(display_path(target.parent / src))
        report.error(where, "case-import-image-conflict", value=src)
    if clashes:
        return None
    if existing is None:
        return "added"
    return "unchanged" if existing == final and not changed else "updated"


def images_of(text: str) -> set[str]:
    """The image paths a case file shows (its cover and its body's images), as published."""
    match = FRONT_MATTER.match(text)
    try:
        front = yaml.safe_load(match.group(1)) if match else None
    except yaml.YAMLError:
        front = None
    cover = front.get("cover") if isinstance(front, dict) else None
    raw = [cover] if isinstance(cover, str) else []
    raw += [m.group("src") for m in MD_IMAGE.finditer(text[match.end() :] if match else text)]
    return {posixpath.normpath(image_src(r.strip()).replace("\\", "/")) for r in raw}


def _holds(path: Path, data: bytes) -> bool:
    return path.is_file() and path.read_bytes() == data


def _origin_county(text: str) -> object:
    match = FRONT_MATTER.match(text)
    try:
        front = yaml.safe_load(match.group(1)) if match else None
    except yaml.YAMLError:
        return None
    origin = front.get("origin") if isinstance(front, dict) else None
    return origin.get("county") if isinstance(origin, dict) else None
