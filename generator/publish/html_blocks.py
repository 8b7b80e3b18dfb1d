"""Finished HTML in the generated pages, which Python-Markdown never parses.

A page's big tables (a county's thousand activities, its follow-ups, its ledger) are written
by the templates as HTML between two marker comments, on lines of their own::

    <!-- sitegen:html -->
    <table>...</table>
    <!-- /sitegen:html -->

Python-Markdown spends most of a build in its inline processing of every table cell; this
plugin takes each block out of the page's Markdown before it is converted (leaving a
placeholder paragraph) and puts it back into the HTML after. Without the plugin (a bare
``mkdocs build`` of the same docs folder) the markers are HTML comments and the block is raw
HTML, so the page is still valid Markdown.

MkDocs rewrites the links of Markdown only, so the plugin does it for the blocks, as MkDocs
does it: every relative ``href`` names a docs file ("../orgs/index.md#org-x") and becomes
that file's URL relative to the page ("../orgs/#org-x" served, "../orgs/index.html#org-x" in
the offline zip's page.html URLs). A link to a file that is not there stops the strict build
with the page and the link. The blocks' ``id`` attributes and the links' anchors go into
MkDocs' anchor check like those of the Markdown.

Plain regular expressions, not an HTML parser: the point is speed. The templates write the
blocks, with every attribute value in double quotes and every data string escaped, so a data
string can never open a block (its ``<`` is ``&lt;``) nor end an attribute.
"""

from __future__ import annotations

import hashlib
import logging
import posixpath
import re
from html import escape, unescape
from urllib.parse import unquote, urlsplit, urlunsplit

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

OPEN = "<!-- sitegen:html -->"
CLOSE = "<!-- /sitegen:html -->"

# Python-Markdown leaves a line of letters, digits and hyphens alone: a paragraph of its own.
_PLACEHOLDER = re.compile(r"<p>sitegen-html-(?P<key>[0-9a-f]{16})-(?P<n>\d+)</p>")
# The templates write every attribute as ` name="value"` (a literal space is much faster to
# search for than \s).
_HREF = re.compile(r' href="([^"]*)"')
_ID = re.compile(r' id="([^"]*)"')

log = logging.getLogger(__name__)


class HtmlBlocks(BasePlugin):
    """Keeps the pages' HTML blocks out of Python-Markdown and resolves their links."""

    def __init__(self) -> None:
        self._blocks: dict[str, tuple[str, list[str]]] = {}  # page's src_uri -> (key, blocks)

    def on_page_markdown(
        self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        if OPEN not in markdown:
            return markdown
        # The key is the page's own digest: no data string can write a placeholder.
        key = hashlib.sha256(markdown.encode("utf-8")).hexdigest()[:16]
        try:
            markdown, blocks = _take_out(markdown, key)
        except _Unclosed as exc:
            raise PluginError(
                f"{page.file.src_uri}:{exc.line}: HTML 块的开始标记 {OPEN} 没有对应的结束标记 "
                f"{CLOSE}（须单独成行、缩进相同）/ the HTML block opened here has no {CLOSE} on "
                "a line of its own at the same indentation"
            ) from None
        self._blocks[page.file.src_uri] = (key, blocks)
        return markdown

    @event_priority(100)  # before any other plugin reads the page's HTML
    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        taken = self._blocks.pop(page.file.src_uri, None)
        if taken is None:
            return html
        key, blocks = taken
        links = _Links(page, files)
        blocks = [links.resolve(block) for block in blocks]
        if links.broken:
            problem = "；".join(links.broken)
            message = (
                f"页面 {page.file.src_uri} 的表格链接到不存在的文件 / the page "
                f"{page.file.src_uri} has links to files that are not there: {problem}"
            )
            if config.strict:
                raise PluginError(message)
            log.warning(message)
        if page.present_anchor_ids is not None:
            for block in blocks:
                page.present_anchor_ids.update(_ID.findall(block))
        if page.links_to_anchors is not None:
            for target, anchors in links.anchors.items():
                known = page.links_to_anchors.setdefault(target, {})
                for anchor, link in anchors.items():
                    known.setdefault(anchor, link)
        put_back = 0

        def put_in(found: re.Match[str]) -> str:
            nonlocal put_back
            if found["key"] != key:
                return found[0]
            put_back += 1
            return _deferred(blocks[int(found["n"])])

        html = _PLACEHOLDER.sub(put_in, html)
        if put_back != len(blocks):
            raise PluginError(
                f"页面 {page.file.src_uri} 的 HTML 块有 {len(blocks) - put_back} 个没能放回"
                f"（标记须各占一行，块前后须有空行）/ {len(blocks) - put_back} HTML blocks of "
                f"{page.file.src_uri} could not be put back: each marker on a line of its own, "
                "a blank line before and after the block"
            )
        return html


DEFERRED_ROWS = 20  # a table of more rows is laid out only when it nears the screen
ROW_REM = 2.1  # a row's height in a scroller before it was first laid out (one line of text)


def _deferred(block: str) -> str:
    """A long table in a box the browser lays out only when it comes near the screen
    (``content-visibility: auto``, site.css): a county page's party organisations and needs,
    the thousand rows of its activities, are most of the page's elements, and laying them all
    out before the first paint cost a phone a second of blocked main thread (Lighthouse). Its
    height meanwhile is estimated from its rows, then the browser remembers the real one. The
    text stays in the page: find in page, screen readers and printing see all of it."""
    rows = block.count("<tr")
    if rows <= DEFERRED_ROWS:
        return block
    height = f"{rows * ROW_REM + 2:.0f}rem"  # + the header's wrapped line and the margins
    return (
        f'<div class="table-deferred" style="contain-intrinsic-block-size: auto {height}">\n'
        f"{block}\n</div>"
    )


def _take_out(markdown: str, key: str) -> tuple[str, list[str]]:
    """``markdown`` with each block replaced by its placeholder, and the blocks.

    A block is the two markers on lines of their own at the same indentation (inside a
    "??? info" block the placeholder keeps the indentation to stay inside it), and its lines
    lose that indentation. Found with
    str.find: a lazy regular expression over a 150 KB page is ten times slower."""
    pieces: list[str] = []
    blocks: list[str] = []
    done = 0  # markdown[:done] is in pieces
    start = 0
    while (opened := markdown.find(OPEN, start)) != -1:
        line = markdown.rfind("\n", 0, opened) + 1
        indent = markdown[line:opened]
        body = opened + len(OPEN)
        start = body
        if indent.strip(" \t") or not markdown.startswith("\n", body):
            continue  # the marker is not on a line of its own: text, left to Markdown
        closed = markdown.find(f"\n{indent}{CLOSE}", body)
        end = closed + 1 + len(indent) + len(CLOSE)
        if closed == -1 or markdown[end : end + 1] not in ("", "\n"):
            raise _Unclosed(markdown.count("\n", 0, opened) + 1)
        pieces += [markdown[done:line], f"{indent}sitegen-html-{key}-{len(blocks)}"]
        block = markdown[body + 1 : closed]
        if indent:  # the block is at its markers' indentation
            block = "\n".join(line.removeprefix(indent) for line in block.split("\n"))
        blocks.append(block)
        done = start = end
    pieces.append(markdown[done:])
    return "".join(pieces), blocks


class _Unclosed(ValueError):
    """A block's opening marker (on this line) has no closing marker on a line of its own."""

    def __init__(self, line: int):
        super().__init__(line)
        self.line = line


class _Links:
    """A page's links in its blocks, resolved as MkDocs resolves Markdown links: the part
    before "#" once per page (a ledger's links differ in their anchors only)."""

    def __init__(self, page: Page, files: Files):
        self.page = page
        self.files = files
        self.targets: dict[str, tuple[File | None, str]] = {}
        self.broken: list[str] = []
        self.anchors: dict[File, dict[str, str]] = {}  # as Page.links_to_anchors

    def resolve(self, block: str) -> str:
        return _HREF.sub(self._href, block)

    def _href(self, found: re.Match[str]) -> str:
        written = found[1]
        before, hashmark, fragment = written.partition("#")
        known = self.targets.get(before)
        if known is None:
            known = self.targets[before] = self._target(before)
        target, url = known
        if fragment and target is not None:
            self.anchors.setdefault(target, {}).setdefault(unescape(fragment), unescape(written))
        return f' href="{url}{hashmark}{fragment}"'

    def _target(self, before: str) -> tuple[File | None, str]:
        """The docs file the part of a link before "#" names, and its address from the page
        (as written when it names none: external, absolute or broken)."""
        link = unescape(before)
        scheme, netloc, path, query, _ = urlsplit(link)
        if scheme or netloc or link.startswith(("/", "\\")):
            return None, before  # external, or absolute (MkDocs leaves those too)
        if not path:  # "#x": the page itself
            return self.page.file, before
        source = self.page.file.src_uri
        target_uri = posixpath.normpath(
            posixpath.join(posixpath.dirname(source), unquote(path)).lstrip("/")
        )
        target = self.files.get_file_from_path(target_uri)
        if target is None:
            self.broken.append(f"“{link}”（{target_uri}）")
            return None, before
        relative = target.url_relative_to(self.page.file)
        return target, escape(urlunsplit(("", "", relative, query, "")))
