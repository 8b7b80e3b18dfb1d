"""Privacy guard: personal identifiers must never be published.

Every data and content file is scanned as text (comments included: they live in the same
repository) for mainland resident ID numbers (18 characters with a valid check digit) and
mobile numbers. Public numbers, such as a service hotline, can be allowed in
``site_config/site.yaml`` under ``privacy.allowed_numbers``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from generator.diagnostics import Location, Report
from generator.load.loader import display_path
from generator.load.yamlsource import MAX_FILE_BYTES

_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(\d{17}[\dXx])(?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<![0-9])(?:\+?86[- ]?)?(1[3-9]\d)[- ]?(\d{4})[- ]?(\d{4})(?![0-9])")
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"


def is_resident_id(number: str) -> bool:
    """True for an 18-character mainland resident ID number with a plausible birth date."""
    if not re.fullmatch(r"\d{17}[\dXx]", number):
        return False
    year, month, day = int(number[6:10]), int(number[10:12]), int(number[12:14])
    if not (1900 <= year <= 2100 and 1 <= month <= 12 and 1 <= day <= 31):
        return False
    total = sum(int(d) * w for d, w in zip(number[:17], _WEIGHTS, strict=True))
    return _CHECK[total % 11] == number[17].upper()


def mask(number: str) -> str:
    return number[:3] + "*" * (len(number) - 7) + number[-4:]


def scan_text(text: str, display: str, allowed: set[str], report: Report) -> None:
    for number, line in enumerate(text.splitlines(), start=1):
        for match in _ID_NUMBER.finditer(line):
            if is_resident_id(match.group(1)) and match.group(1) not in allowed:
                report.error(
                    Location(display, number, match.start(1) + 1),
                    "personal-id-number",
                    masked=mask(match.group(1)),
                )
        for match in _MOBILE.finditer(line):
            digits = "".join(match.groups())
            if digits not in allowed and match.group(0) not in allowed:
                report.error(
                    Location(display, number, match.start() + 1),
                    "mobile-number",
                    masked=mask(digits),
                )


def scan_files(paths: Iterable[Path], allowed: Iterable[str], report: Report) -> None:
    """Scan readable UTF-8 text files; unreadable ones are reported by the loader already."""
    allowed_set = {re.sub(r"[^0-9Xx]", "", a) for a in allowed} | set(allowed)
    for path in paths:
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError):
            continue
        scan_text(text, display_path(path), allowed_set, report)


def published_sources(data_dir: Path, content_dir: Path, skip: Iterable[str] = ()) -> list[Path]:
    """Every file whose text can reach the site (hidden folders such as .git are not published;
    files over the loader's size limit are refused by the loader itself). ``skip``: top-level
    folders of ``data_dir`` scanned on their own (see county_sources)."""
    skipped = set(skip)
    files = []
    for entry in sorted(data_dir.iterdir()) if data_dir.is_dir() else []:
        if entry.name.startswith(".") or entry.name in skipped:
            continue
        if entry.is_dir():
            files += _visible(entry, (".yaml", ".yml"))
        elif entry.suffix in (".yaml", ".yml") and entry.stat().st_size <= MAX_FILE_BYTES:
            files.append(entry)
    if content_dir.is_dir():
        files += _visible(content_dir, (".md", ".yaml", ".yml"))
    return sorted(files)


def county_sources(folder: Path) -> list[Path]:
    """The data files of one county folder that the privacy scan reads."""
    return sorted(_visible(folder, (".yaml", ".yml")))


def _visible(root: Path, suffixes: tuple[str, ...]) -> list[Path]:
    return [
        p
        for p in root.rglob("*")
        if p.suffix in suffixes
        and not any(part.startswith(".") for part in p.relative_to(root).parts)
        and p.is_file()
        and p.stat().st_size <= MAX_FILE_BYTES
    ]
