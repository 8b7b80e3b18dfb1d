"""Reading the built site without a browser: what each HTML, CSS and SVG file refers to."""

from __future__ import annotations

import gzip
import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

# Attributes whose URL the browser fetches by itself when it meets the element.
LOADING_ATTRS = {
    "script": ("src",),
    "img": ("src", "srcset"),
    "source": ("src", "srcset"),
    "iframe": ("src",),
    "frame": ("src",),
    "video": ("src", "poster"),
    "audio": ("src",),
    "track": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "input": ("src",),
    "image": ("href", "xlink:href"),
    "use": ("href", "xlink:href"),
    "feimage": ("href", "xlink:href"),
}
# <link rel=...> values that make the browser fetch href (the others only name a page).
LOADING_RELS = {
    "stylesheet",
    "icon",
    "shortcut",
    "apple-touch-icon",
    "apple-touch-icon-precomposed",
    "mask-icon",
    "manifest",
    "preload",
    "modulepreload",
    "prefetch",
    "prerender",
    "preconnect",
    "dns-prefetch",
}
# Attributes that point at another page (followed by the crawler, not loaded by themselves).
LINK_ATTRS = {"a": ("href",), "area": ("href",), "link": ("href",)}

_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_CSS_URL = re.compile(r"""url\(\s*(['"]?)(.*?)\1\s*\)""", re.S)
_CSS_IMPORT = re.compile(r"""@import\s+(['"])(.*?)\1""")


def css_urls(css: str) -> list[str]:
    """Every url(...) and @import "..." of a style sheet, comments left out."""
    css = _CSS_COMMENT.sub("", css)
    found = [m.group(2).strip() for m in _CSS_URL.finditer(css)]
    found += [m.group(2).strip() for m in _CSS_IMPORT.finditer(css)]
    return [u for u in found if u]


def _srcset(value: str) -> list[str]:
    return [part.split()[0] for part in value.split(",") if part.strip()]


@dataclass
class Refs:
    """What one HTML (or SVG) document refers to."""

    loads: list[tuple[str, str]] = field(default_factory=list)  # (element, url) fetched by it
    links: list[tuple[str, str]] = field(default_factory=list)  # (element, url) to other pages
    ids: set[str] = field(default_factory=set)  # fragment targets in this document


class _RefParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.refs = Refs()
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value for name, value in attrs if value is not None}
        tag = tag.lower()
        for attr in ("id", "name") if tag == "a" else ("id",):
            if attr in values:
                self.refs.ids.add(values[attr])
        if "style" in values:
            self.refs.loads += [(f"{tag}[style]", u) for u in css_urls(values["style"])]
        if tag == "style":
            self._in_style = True
        for attr in LOADING_ATTRS.get(tag, ()):
            if attr in values:
                urls = _srcset(values[attr]) if attr == "srcset" else [values[attr]]
                self.refs.loads += [(f"{tag}[{attr}]", u) for u in urls]
        if tag == "link" and "href" in values:
            rels = set(values.get("rel", "").lower().split())
            target = self.refs.loads if rels & LOADING_RELS else self.refs.links
            target.append((f"link[rel={values.get('rel', '')}]", values["href"]))
        elif tag in LINK_ATTRS and "href" in values:
            self.refs.links.append((f"{tag}[href]", values["href"]))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag.lower() == "style":
            self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.refs.loads += [("style", u) for u in css_urls(data)]


def html_refs(text: str) -> Refs:
    parser = _RefParser()
    parser.feed(text)
    parser.close()
    return parser.refs


# A URL that opens a JavaScript string or template literal (a licence URL in a comment does not).
_JS_URL = re.compile(r"""["'`](https?://[^"'`\s]*)""")


def js_urls(js: str) -> list[str]:
    return [m.group(1) for m in _JS_URL.finditer(js)]


def pagefind_pages(site, shard: str | None = None) -> list[dict]:
    """The pages of the served site's search index (of one of its shards: "pagefind",
    "pagefind-1"...), as Pagefind keeps them: each fragment file (<shard>/fragment/
    *.pf_fragment, gzip) is one page's url, meta (title), content (its text, Chinese words cut
    apart by zero-width spaces) and anchors (its headings' ids)."""
    pages = []
    fragments = [f for s in site.glob(shard or "pagefind*") for f in s.glob("fragment/*")]
    for path in sorted(fragments):
        data = gzip.decompress(path.read_bytes())
        pages.append(json.loads(data.removeprefix(b"pagefind_dcd")))
    return pages
