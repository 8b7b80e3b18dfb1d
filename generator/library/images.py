"""Images in case write-ups: local files under ``content/cases/images/``, each with a caption.

Written in Markdown, ``![说明](images/puxian/cover.png)``, the text in brackets being the caption
(and the alt text a screen reader reads). Remote images would load from the internet and break
on intranets; paths leaving the content folder would publish files that are not meant to be;
raw ``<img>`` tags escape these checks: all three are errors with their place. Images over
:data:`MAX_BYTES` or :data:`MAX_PIXELS` are reported as warnings: they make pages slow on
county networks and phones (the build does not resize them, so the bytes stay the clerk's).
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from generator.diagnostics import Location, Report
from generator.library.image_metadata import metadata_keys

IMAGES = "images"  # the folder of case images, inside content/cases/
SUFFIXES = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".gif": "GIF", ".webp": "WEBP"}
MAX_BYTES = 1024 * 1024  # 1 MB
MAX_PIXELS = 2000  # width or height

# ![caption](src) or ![caption](src "title"); src may be written <in angle brackets>.
MD_IMAGE = re.compile(
    r"!\[(?P<alt>(?:\\.|[^\]\\])*)\]\(\s*(?P<src><[^>\n]*>|[^)\s]+)"
    r"""(?P<title>\s+(?:"[^"\n]*"|'[^'\n]*'))?\s*\)"""
)
# Images any other way: raw HTML media tags, or reference-style ![caption][ref].
_OTHER_IMAGE = re.compile(r"<\s*(img|picture|source|video|audio|svg)\b|!\[[^\]\n]*\]\[", re.I)
_REMOTE = re.compile(r"^(?:[a-z][a-z0-9+.-]+:|//|\\\\)", re.I)  # a URL; C:\\ is a path


@dataclass(frozen=True)
class CaseImage:
    src: str  # normalized path relative to content/cases/, e.g. images/puxian/cover.png
    file: Path
    caption: str
    at: Location


def image_src(raw: str) -> str:
    """The path as written, without the optional angle brackets."""
    return raw[1:-1].strip() if raw.startswith("<") and raw.endswith(">") else raw


def check_body_images(
    body: str, first_line: int, path: str, cases_dir: Path, report: Report
) -> tuple[CaseImage, ...]:
    images = []
    for number, line in enumerate(body.split("\n"), start=first_line):
        for other in _OTHER_IMAGE.finditer(line):
            report.error(Location(path, number, other.start() + 1), "case-image-syntax")
        for match in MD_IMAGE.finditer(line):
            at = Location(path, number, match.start() + 1)
            image = check_image(
                image_src(match.group("src")), match.group("alt"), at, cases_dir, report
            )
            if image is not None:
                images.append(image)
    return tuple(images)


def check_image(
    src: str, caption: str, at: Location, cases_dir: Path, report: Report
) -> CaseImage | None:
    """The image at ``src`` (relative to content/cases/), or None after reporting why not."""
    if not caption.strip():
        report.error(at, "case-image-caption", value=src)
    if _REMOTE.match(src):
        report.error(at, "case-image-remote", value=src)
        return None
    normalized = posixpath.normpath(src.replace("\\", "/"))
    if src.startswith(("/", "\\")) or not normalized.startswith(IMAGES + "/"):
        report.error(at, "case-image-path", value=src)
        return None
    file = cases_dir / normalized
    images_dir = (cases_dir / IMAGES).resolve()
    if not file.resolve().is_relative_to(images_dir):  # a symlink pointing elsewhere
        report.error(at, "case-image-path", value=src)
        return None
    suffix = file.suffix.lower()
    if suffix not in SUFFIXES:
        report.error(at, "case-image-type", value=src, suffix=suffix or "—")
        return None
    if not file.is_file():
        report.error(at, "case-image-missing", value=src)
        return None
    try:
        with Image.open(file) as image:
            kind, (width, height) = image.format, image.size
            metadata = metadata_keys(image)
    except (OSError, UnidentifiedImageError, ValueError, Image.DecompressionBombError):
        kind, width, height, metadata = None, 0, 0, []
    if kind != SUFFIXES[suffix]:
        report.error(at, "case-image-invalid", value=src, suffix=suffix)
        return None
    if metadata and kind not in ("JPEG", "PNG"):  # JPEG and PNG are published without it
        report.error(at, "case-image-metadata", value=src, found="、".join(metadata))
        return None
    size = file.stat().st_size
    if size > MAX_BYTES or max(width, height) > MAX_PIXELS:
        report.warning(
            at,
            "case-image-large",
            value=src,
            size=f"{size / 1024 / 1024:.1f} MB" if size >= 1024 * 1024 else f"{size // 1024} KB",
            pixels=f"{width}×{height}",
        )
    return CaseImage(normalized, file, caption.strip(), at)
