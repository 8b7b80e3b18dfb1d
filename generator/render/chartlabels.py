"""Chart label text: how wide it is and where it may break (pure).

A category label breaks before an opening bracket or after a closing one when that is enough,
else between words (jieba's segmentation, loaded only for such a label), never after an opening
bracket, before closing punctuation or inside a word shorter than a line.

jieba's dictionary takes 0.6 s and 70 MiB to load. The processes that draw many charts are
handed the words of their labels' parts instead (``Words``, from ``cut`` in one process and
kept between builds), so they never load it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from functools import cache

Words = Mapping[str, tuple[str, ...]]  # a part of a label -> jieba's words for it


def em(text: str) -> float:
    """Width in em: CJK characters are square, others about half as wide."""
    return sum(1.0 if unicodedata.east_asian_width(c) in "WF" else 0.6 for c in text)


_OPENING, _CLOSING = "（《「『【([", "）》」』】，。、：；！？)]"


def wrap(label: str, width_em: float, words: Words | None = None) -> str:
    """Break a label into lines of at most width_em: before an opening bracket or after a
    closing one if that is enough, else between words, never inside one (unless it is longer
    than a line), never after an opening bracket or before closing punctuation.

    ``words``: the words of the label's parts (see ``parts``) where known; jieba cuts the rest."""
    label = " ".join(label.split())
    if em(label) <= width_em:
        return label
    lines: list[list[str]] = [[]]
    for token in _tokens(label, width_em, words or {}):
        if lines[-1] and em("".join(lines[-1]) + token) > width_em:
            lines.append([])
        lines[-1].append(token)
    # no orphan: a last line of one character (区）) takes the word before it along
    while len(lines) > 1 and len(lines[-2]) > 1 and em("".join(lines[-1]).strip(_CLOSING)) < 2:
        moved = [lines[-2].pop(), *lines[-1]]
        if em("".join(moved)) > width_em:
            lines[-2].append(moved.pop(0))
            break
        lines[-1] = moved
    return "\n".join("".join(line).strip() for line in lines)


def parts(label: str) -> list[str]:
    """The parts of a label that ``wrap`` may have to cut into words (the text between
    brackets, closing punctuation and spaces; not a month or a number)."""
    return [p for p in _chunks(" ".join(label.split())) if not _NUMBERS.fullmatch(p)]


def cut(texts: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """jieba's words for each text (it loads jieba's dictionary; ``forget_jieba`` lets go)."""
    return {text: tuple(_words(text, {})) for text in texts}


def forget_jieba() -> None:
    """Drop the loaded dictionary (its memory is freed at the next garbage collection)."""
    _segmenter.cache_clear()


def _chunks(label: str) -> list[str]:
    chunks, chunk = [], ""
    for ch in label:
        if ch in _OPENING and chunk:
            chunks.append(chunk)
            chunk = ""
        chunk += ch
        if ch in _CLOSING or ch == " ":
            chunks.append(chunk)
            chunk = ""
    chunks.append(chunk)
    return list(filter(None, chunks))


def _tokens(label: str, width_em: float, words: Words) -> list[str]:
    """Unbreakable pieces: bracketed parts whole when they fit a line, else words."""
    tokens: list[str] = []
    for piece in _chunks(label):
        if em(piece) <= width_em:
            tokens.append(piece)
            continue
        for word in _words(piece, words):
            long = em(word) > width_em
            if tokens and (word in _CLOSING or tokens[-1][-1:] in _OPENING):
                tokens[-1] += word  # keep brackets and punctuation with their word
            else:
                tokens.extend(list(word) if long else [word])
    return tokens


@cache
def _segmenter():  # -> jieba.Tokenizer, loaded only when a label needs a break inside a part
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    return jieba.Tokenizer()


# A month or a number run ("2025-10"): cut at its hyphens, as jieba cuts it, without loading
# jieba's dictionary (0.6 s in every process that draws charts) for the labels of a time axis.
_NUMBERS = re.compile(r"[0-9]+(?:-[0-9]+)*")


def _words(text: str, words: Words) -> list[str]:
    if _NUMBERS.fullmatch(text):
        return re.findall(r"[0-9]+|-", text)
    known = words.get(text)
    if known is not None:
        return list(known)
    return list(_segmenter().cut(text, HMM=True))
