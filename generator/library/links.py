"""Links in case write-ups: pointed from the case's page when published, checked in validate.

A case may link to another case as ``[另一个案例](other.md)`` (next to it in content/cases/,
optionally ``other.md#小标题``), to a heading of its own page (``#…``) and to full addresses
(``https://…``, ``mailto:``). Anything else is not part of the site and MkDocs' strict build
would stop on it with an English line and no place (a file such as ``通知.pdf``, a missing
anchor, a case that is not published): here each is a located error in validate. The page's
anchors come from rendering its title and body with mkdocs.yml's Markdown extensions, as MkDocs
numbers them (the ``toc`` extension).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from html.parser import HTMLParser
from typing import Protocol
from urllib.parse import unquote

from generator.diagnostics import Location, Report
from generator.markdown_safe import md_inline
from generator.messages import listed, look_alikes, pair
from generator.validate.markdown_guard import render


class _Title(Protocol):
    @property
    def title(self) -> str: ...


class Case(Protocol):
    """What the checks read of a case (generator.library.cases.Case, which calls them)."""

    @property
    def id(self) -> str: ...
    @property
    def meta(self) -> _Title: ...
    @property
    def body(self) -> str: ...
    @property
    def body_line(self) -> int: ...
    @property
    def path(self) -> str: ...


CASE_LINK = re.compile(r"\]\(\s*(?P<id>[a-z0-9][a-z0-9-]*)\.md(?P<anchor>#[^)\s]*)?\s*\)")
_PUBLISHED = re.compile(r"\.\./(?P<id>[a-z0-9][a-z0-9-]*)/index\.md(?:#(?P<anchor>.*))?")
_CASE_FILE = re.compile(r"(?:\./)*(?P<id>[^/#?]+?)\.(?:md|markdown)(?:#.*)?", re.I)
_FULL_URL = re.compile(r"(https?|mailto|tel):", re.I)
# The headings the case page adds after the body (templates/case.md.j2).
_PAGE_END = "\n\n## 相同主题的案例\n"


def link_cases(body: str, case_ids: set[str]) -> str:
    """``[另一个案例](other.md)`` (next to this one in content/cases/) -> its page."""

    def link(m: re.Match) -> str:
        if m.group("id") not in case_ids:
            return m.group(0)
        return f"](../{m.group('id')}/index.md{m.group('anchor') or ''})"

    return CASE_LINK.sub(link, body)


class _Page(HTMLParser):
    """The ids (anchors) and link targets (entities decoded) of rendered HTML."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.ids.update(value for name, value in attrs if name == "id" and value)
        self.links.extend(value for name, value in attrs if tag == "a" and name == "href" and value)


def _page(case: Case, case_ids: set[str]) -> _Page:
    """The case's page as MkDocs renders it: title, body with links pointed, closing heading."""
    body = link_cases(case.body, case_ids)
    return _Page(render(f"# {md_inline(case.meta.title)}\n\n{body}{_PAGE_END}"))


def check_case_links(cases: Sequence[Case], report: Report) -> None:
    """Every link of the published ``cases`` goes somewhere on the site, or is an error."""
    by_id = {case.id: case for case in cases}
    pages = {c.id: _page(c, set(by_id)) for c in cases if "[" in c.body or "<" in c.body}

    def anchors_of(case_id: str) -> set[str]:
        if case_id not in pages:
            pages[case_id] = _page(by_id[case_id], set(by_id))
        return pages[case_id].ids

    for case in cases:
        page = pages.get(case.id)
        for target in page.links if page else []:
            if not _FULL_URL.match(target.strip()):
                _check_target(case, target, by_id, anchors_of, report)


def _check_target(case: Case, target: str, by_id: dict, anchors_of, report: Report) -> None:
    published = _PUBLISHED.fullmatch(target)
    if published and published["id"] not in by_id:
        published = None
    if target.startswith("#") or published:
        page = published["id"] if published else case.id
        anchor = unquote((published["anchor"] if published else target[1:]) or "")
        if anchor and anchor not in anchors_of(page):
            written = f"{page}.md#{anchor}" if published else target
            other = ("“" + by_id[page].meta.title + "”", f"“{by_id[page].meta.title}”")
            report.error(
                _place(case, written),
                "case-link-anchor",
                value=written,
                page=other if published else pair("phrase.this-page"),
                allowed=listed(sorted(anchors_of(page), key=_anchor_order), anchor),
            )
        return
    named = _CASE_FILE.fullmatch(unquote(target))
    if named:
        close = look_alikes(named["id"], sorted(by_id))
        report.error(
            _place(case, target),
            "case-link-case",
            value=target,
            suggestion=pair("phrase.did-you-mean", value=f"{close[0]}.md") if close else ("", ""),
        )
        return
    report.error(_place(case, target), "case-link-file", value=target)


def _anchor_order(anchor: str) -> tuple[int, str]:
    number = anchor[1:]
    return (int(number), "") if anchor.startswith("_") and number.isdigit() else (1 << 30, anchor)


def _place(case: Case, snippet: str) -> Location:
    """Where ``snippet`` is written in the case's body (its first line if not found as typed)."""
    for number, line in enumerate(case.body.split("\n"), start=case.body_line):
        for written in (snippet, unquote(snippet)):
            column = line.find(written)
            if column >= 0:
                return Location(case.path, number, column + 1)
    return Location(case.path, case.body_line, 1)
