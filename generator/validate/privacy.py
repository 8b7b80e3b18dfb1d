"""Privacy guard: personal identifiers must never be published.

Every data and content file is scanned as text (comments included: they live in the same
repository) for mainland resident ID numbers (18 characters with a valid check digit, or the
old 15 digits with a valid date) and mobile numbers, however they were typed: text is
NFKC-normalised first (full-width digits from a Chinese IME, NBSP and full-width spaces from a
pasted Word table) and digits may be grouped by spaces, hyphens, dots or dashes, after a
``+86``/``0086`` prefix or next to letters. Public numbers, such as a service hotline, can be
allowed in ``site_config/site.yaml`` under ``privacy.allowed_numbers``.

The same finder masks the data of an older revision (see ``redact_tree``: 本期变化 shows old
values) and checks every page the renderer writes (see ``output_leaks``), so a number that
reaches the site by any other road still stops the build.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from generator.diagnostics import Location, Report
from generator.load.loader import display_path
from generator.load.yamlsource import MAX_FILE_BYTES

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_PROVINCES = frozenset(  # the first two digits of an area code
    [
        "11",
        "12",
        "13",
        "14",
        "15",
        "21",
        "22",
        "23",
        "31",
        "32",
        "33",
        "34",
        "35",
        "36",
        "37",
        "41",
        "42",
        "43",
        "44",
        "45",
        "46",
        "50",
        "51",
        "52",
        "53",
        "54",
        "61",
        "62",
        "63",
        "64",
        "65",
        "71",
        "81",
        "82",
    ]  # noqa: SIM905
)
# Before normalising: anything that may be a digit or a separator, to skip lines quickly.
_DIGITISH = r"[\d\u00b2\u00b3\u00b9\u2070-\u2089\u2460-\u249b\u24ea-\u24ff\u2776-\u2793]"
_SEPISH = r"[\s\-.\u2010-\u2015\u2212\u200b-\u200d\ufeff_\uff0d\uff0e\uff3f]"
_MAYBE = re.compile(rf"{_DIGITISH}(?:{_SEPISH}{{0,3}}{_DIGITISH}){{10}}")
# After normalising: digit groups joined by at most three separator characters.
_SEP = r"[ \t\-.\u2010-\u2015\u2212\u200b-\u200d\ufeff_]"
_RUN = re.compile(rf"[0-9]+[Xx]?(?:{_SEP}{{1,3}}[0-9]+[Xx]?)*")
_GROUP = re.compile(r"[0-9]+[Xx]?")
_MOBILE = re.compile(r"(?:0086|86)?(1[3-9][0-9]{9})")
_SHORTEST = 11  # digits of a mobile number; an ID number has 15 or 18
# A git commit or a checksum, or a chart's file name (12 hex digits, see chartdata.chart_id):
# not numbers, though their digits may spell one ("b15096981928.svg").
_HASH = re.compile(r"[0-9a-f]{32,}|\b[0-9a-f]{12}(?=\.svg\b)")
# A figure as the JSON and CSV downloads write it (a rate, a mean: 12.329146551853666): its
# fraction's digits spell a 15-digit ID number about once in eighty, by chance.
_DECIMAL = re.compile(r"[0-9]{1,4}\.[0-9]+")
FIGURE_OUTPUT = (".json", ".csv")


@dataclass(frozen=True)
class Found:
    """A personal number in one line: its kind (a message code), columns and canonical digits."""

    code: str  # personal-id-number / mobile-number
    start: int  # 0-based, in the original line
    end: int
    number: str


def is_resident_id(number: str) -> bool:
    """True for an 18-character mainland resident ID number with a plausible birth date."""
    if not re.fullmatch(r"\d{17}[\dXx]", number):
        return False
    year, month, day = int(number[6:10]), int(number[10:12]), int(number[12:14])
    if not (1900 <= year <= 2100 and 1 <= month <= 12 and 1 <= day <= 31):
        return False
    total = sum(int(d) * w for d, w in zip(number[:17], _WEIGHTS, strict=True))
    return _CHECK[total % 11] == number[17].upper()


def is_old_resident_id(number: str) -> bool:
    """True for a 15-digit resident ID number (issued before 1999): area, yymmdd, sequence."""
    if not re.fullmatch(r"\d{15}", number) or number[:2] not in _PROVINCES:
        return False
    return 1 <= int(number[8:10]) <= 12 and 1 <= int(number[10:12]) <= 31


def mask(number: str) -> str:
    return number[:3] + "*" * (len(number) - 7) + number[-4:]


def canonical(number: str) -> str:
    """A number as the guard compares it: normalised, digits (and a final X) only."""
    text = unicodedata.normalize("NFKC", number)
    return re.sub(r"[^0-9Xx]", "", text).upper()


def allowed_set(allowed: Iterable[str]) -> set[str]:
    found = set()
    for number in allowed:
        digits = canonical(number)
        mobile = _MOBILE.fullmatch(digits)
        found.add(mobile.group(1) if mobile else digits)
    return found


def find_in_line(line: str, allowed: set[str], figures: bool = False) -> Iterator[Found]:
    """Every personal number in ``line`` that is not allowed, left to right. ``figures``: the
    line is of a file the build wrote its figures into, where a decimal number is a figure."""
    if not _MAYBE.search(line):
        return
    text, origin = _normalised(line)
    hashes = [m.span() for m in _HASH.finditer(text)]
    for run in _RUN.finditer(text):
        if run.end() - run.start() < _SHORTEST:
            continue  # fewer characters than the shortest number has digits (most of a table's)
        if any(a <= run.start() and run.end() <= b for a, b in hashes):
            continue
        if figures and _DECIMAL.fullmatch(run[0]) and not _glued(text, run.start(), run.end()):
            continue
        groups = [(m.start() + run.start(), m.end() + run.start()) for m in _GROUP.finditer(run[0])]
        i = 0
        while i < len(groups):
            hit = _first_number(text, groups, i)
            if hit is None:
                i += 1
                continue
            j, code, number = hit
            start = groups[i][0] - (1 if groups[i][0] and text[groups[i][0] - 1] == "+" else 0)
            if number not in allowed:
                yield Found(code, origin[start], origin[groups[j][1] - 1] + 1, number)
            i = j + 1


def _glued(text: str, start: int, end: int) -> bool:
    """The run is part of a word or longer token (x12.3456, 12.3456abc), not a number alone."""
    return bool(start and text[start - 1].isalnum()) or bool(
        end < len(text) and text[end].isalnum()
    )


def _first_number(text: str, groups: list[tuple[int, int]], i: int):
    """The shortest run of groups from ``i`` that spells an ID or a mobile number."""
    digits = ""
    for j in range(i, len(groups)):
        digits += text[groups[j][0] : groups[j][1]].upper()
        if len(digits) > 22:
            return None
        if "X" in digits[:-1]:
            return None
        if len(digits) == 18 and is_resident_id(digits):
            return j, "personal-id-number", digits
        if len(digits) == 15 and is_old_resident_id(digits):
            return j, "personal-id-number", digits
        mobile = _MOBILE.fullmatch(digits)
        if mobile:
            return j, "mobile-number", mobile.group(1)
    return None


def _normalised(line: str) -> tuple[str, Sequence[int]]:
    """``line`` in NFKC, with the index in ``line`` of every character of the result."""
    if line.isascii() or unicodedata.is_normalized("NFKC", line):
        return line, range(len(line))
    chars, origin = [], []
    for index, char in enumerate(line):
        folded = unicodedata.normalize("NFKC", char) if ord(char) > 127 else char
        chars.append(folded)
        origin += [index] * len(folded)
    return "".join(chars), origin


def scan_text(
    text: str,
    display: str,
    allowed: Iterable[str],
    report: Report,
    figures: bool = False,
    scanned: Sequence[tuple[int, int]] = (),
) -> None:
    """Report every personal number of ``text``. ``scanned``: spans of ``text`` (start, end),
    in order, already found clean on their own (see ``is_clean``): a line wholly inside one is
    not scanned again; a line that runs into or out of one is."""
    allowed = allowed_set(allowed)
    for number, line in _lines(text, scanned):
        for found in find_in_line(line, allowed, figures):
            where = Location(display, number, found.start + 1)
            report.error(where, found.code, masked=mask(found.number))


def _lines(text: str, scanned: Sequence[tuple[int, int]]) -> Iterator[tuple[int, str]]:
    """(number, line) of the lines of ``text`` not wholly inside a ``scanned`` span."""
    if not scanned:
        yield from enumerate(text.splitlines(), start=1)
        return
    spans, at, start = list(scanned), 0, 0
    for number, (line, whole) in enumerate(
        zip(text.splitlines(), text.splitlines(keepends=True), strict=True), start=1
    ):
        end = start + len(line)
        while at < len(spans) and spans[at][1] < end:
            at += 1
        if not (at < len(spans) and spans[at][0] <= start):
            yield number, line
        start += len(whole)


def is_clean(text: str, name: str, allowed: set[str]) -> bool:
    """True when ``text``, a part of the published file ``name``, holds no personal number
    (``allowed``: see allowed_set): the file's own scan may then skip its lines."""
    figures = name.endswith(FIGURE_OUTPUT)
    return not any(next(find_in_line(line, allowed, figures), None) for line in text.splitlines())


def spans_of(text: str, parts: Iterable[str]) -> list[tuple[int, int]]:
    """Where ``parts`` lie in ``text``, each found after the one before (a part not found
    is left out: its lines are scanned)."""
    spans, at = [], 0
    for part in parts:
        found = text.find(part, at) if part else -1
        if found >= 0:
            spans.append((found, found + len(part)))
            at = found + len(part)
    return spans


def redact_text(text: str, allowed: Iterable[str] = ()) -> str:
    """``text`` with every personal number's digits masked (``110***********002X``)."""
    allowed = allowed_set(allowed)
    lines = text.split("\n")
    for n, line in enumerate(lines):
        chars = list(line)
        for found in find_in_line(line, allowed):
            digit_places = [k for k in range(found.start, found.end) if canonical(chars[k])]
            for k in digit_places[3:-4]:
                chars[k] = "*"
        lines[n] = "".join(chars)
    return "\n".join(lines)


def redact_tree(root: Path, allowed: Iterable[str] = ()) -> None:
    """Mask personal numbers in every text file under ``root`` (a checkout of an old revision:
    it cannot be corrected any more, but what the site shows of it passes the same guard)."""
    for path in sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink()):
        try:
            text = path.read_bytes().decode("utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        masked = redact_text(text, allowed)
        if masked != text:
            path.write_text(masked, encoding="utf-8")


TEXT_OUTPUT = (".md", ".csv", ".json", ".js", ".xml", ".html", ".txt", ".yaml", ".yml", ".tsv")


def output_leaks(path: str, data: bytes, allowed: set[str], scanned: Iterable[str] = ()) -> list:
    """Diagnostics for personal numbers in a file about to be published (``path`` from the
    docs root); allowed numbers in ``allowed`` (see ``allowed_set``). ``scanned``: parts of
    the file, in their order, that ``is_clean`` passed (a county's rows of a site download)."""
    if not path.endswith(TEXT_OUTPUT):
        return []
    report = Report()
    text = data.decode("utf-8", "replace")
    figures = path.endswith(FIGURE_OUTPUT)
    scan_text(text, f"(site) {path}", allowed, report, figures, spans_of(text, scanned))
    kinds = {
        "personal-id-number": ("居民身份证号", "resident ID number"),
        "mobile-number": ("手机号码", "mobile number"),
    }
    return [
        replace(d, code="published-personal-number", params={**d.params, "kind": kinds[d.code]})
        for d in report.diagnostics
    ]


def scan_files(paths: Iterable[Path], allowed: Iterable[str], report: Report) -> None:
    """Scan readable UTF-8 text files; unreadable ones are reported by the loader already."""
    allowed = allowed_set(allowed)
    for path in paths:
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError):
            continue
        scan_text(text, display_path(path), allowed, report)


def published_sources(data_dir: Path, content_dir: Path, skip: Iterable[str] = ()) -> list[Path]:
    """Every file whose text can reach the site (hidden folders such as .git are not published;
    files over the loader's size limit are refused by the loader itself). ``skip``: top-level
    folders of ``data_dir`` scanned on their own (see county_sources)."""
    skipped = set(skip)
    files = []
    for entry in sorted(data_dir.iterdir()) if data_dir.is_dir() else []:
        if entry.name.startswith(".") or entry.name in skipped or entry.is_symlink():
            continue
        if entry.is_dir():
            files += _visible(entry, (".yaml", ".yml"))
        elif entry.suffix in (".yaml", ".yml") and entry.stat().st_size <= MAX_FILE_BYTES:
            files.append(entry)
    if content_dir.is_dir():
        files += _visible(content_dir, (".md", ".yaml", ".yml", ".markdown"))
    return sorted(files)


def county_sources(folder: Path) -> list[Path]:
    """The data files of one county folder that the privacy scan reads."""
    return sorted(_visible(folder, (".yaml", ".yml")))


def _visible(root: Path, suffixes: tuple[str, ...]) -> list[Path]:
    return [
        p
        for p in root.rglob("*")
        if p.suffix.lower() in suffixes
        and not any(part.startswith(".") for part in p.relative_to(root).parts)
        and not p.is_symlink()
        and p.is_file()
        and p.stat().st_size <= MAX_FILE_BYTES
    ]
