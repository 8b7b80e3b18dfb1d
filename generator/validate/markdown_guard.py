"""What Markdown may put into a page: the rendered HTML is checked against an allow-list.

Case write-ups (and the case bundles of other counties) and the Markdown fields of the data
(a county's or an activity's ``summary``) are rendered with the Markdown extensions of
mkdocs.yml, exactly as MkDocs will render them, and the HTML is sanitised by ``nh3`` (the
Rust ``ammonia`` sanitiser): only the tags and attributes below, no event handler, script or
``style`` (but a table column's alignment), images from relative paths only, links to
``http(s)``, ``mailto`` or the site itself. Anything the sanitiser would remove is an
``unsafe-markdown`` error at its line, so a page is never silently changed: what validate
passed is what MkDocs publishes.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from html.parser import HTMLParser

import markdown
import nh3

# The Markdown extensions of mkdocs.yml (tests/test_markdown_guard.py keeps them equal).
EXTENSIONS = ["tables", "attr_list", "md_in_html", "admonition", "pymdownx.details", "toc"]
EXTENSION_CONFIGS = {"toc": {"permalink": False}}

_BLOCKS = {"p", "div", "blockquote", "pre", "hr", "br", "figure", "figcaption", "details",
           "summary", "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption",
           "colgroup", "col", "ul", "ol", "li", "dl", "dt", "dd",
           "h1", "h2", "h3", "h4", "h5", "h6"}  # fmt: skip
_INLINE = {"a", "abbr", "b", "code", "del", "em", "i", "img", "ins", "kbd", "mark", "q", "s",
           "small", "span", "strong", "sub", "sup", "u", "cite"}  # fmt: skip
TAGS = _BLOCKS | _INLINE
ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "abbr": {"title"},
    "th": {"colspan", "rowspan", "style", "align"},
    "td": {"colspan", "rowspan", "style", "align"},
    "ol": {"start"},
    "details": {"open"},
    **{f"h{n}": {"id"} for n in range(1, 7)},
}
# Admonitions and collapsible blocks (admonition, pymdownx.details) are the only classes.
_KINDS = {"admonition", "note", "abstract", "summary", "tldr", "info", "todo", "tip", "hint",
          "important", "success", "check", "done", "question", "help", "faq", "warning",
          "caution", "attention", "failure", "fail", "missing", "danger", "error", "bug",
          "example", "quote", "cite"}  # fmt: skip
CLASSES = {"div": _KINDS, "details": _KINDS, "p": {"admonition-title"}}
URL_SCHEMES = {"http", "https", "mailto"}
_SCHEME = re.compile(r"^\s*([a-zA-Z][a-zA-Z0-9+.\-]*)\s*:")


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    """Images only from the site's own (relative) paths; no protocol-relative links."""
    plain = value.strip()
    if attribute in ("href", "src") and (plain.startswith(("//", "\\")) or "\\" in plain[:2]):
        return None
    if tag == "img" and attribute == "src" and (_SCHEME.match(plain) or plain.startswith("/")):
        return None
    return value


def sanitise(html: str) -> str:
    """``html`` as the allow-list keeps it."""
    return nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        attribute_filter=_attribute_filter,
        url_schemes=URL_SCHEMES,
        allowed_classes=CLASSES,
        filter_style_properties={"text-align"},
        link_rel=None,
        strip_comments=True,
    )


def render(text: str) -> str:
    """Markdown to HTML as MkDocs renders it (a fresh converter: no state between texts)."""
    return _converter().reset().convert(text)


@functools.cache
def _converter() -> markdown.Markdown:
    return markdown.Markdown(extensions=EXTENSIONS, extension_configs=EXTENSION_CONFIGS)


def removed(text: str, ignore: tuple[str, ...] = ()) -> list[str]:
    """What the allow-list removes from ``text`` rendered, as short snippets (empty: safe).
    ``ignore``: snippets starting so are reported by a more telling check elsewhere."""
    html = render(text)
    kept = _events(sanitise(html))
    whole = _events(html)
    return [s for s in _difference(whole, kept) if not s.startswith(ignore)]


@dataclass(frozen=True)
class Unsafe:
    line: int  # 0-based, in the text
    snippet: str


def first_unsafe(text: str, ignore: tuple[str, ...] = ()) -> Unsafe | None:
    """The first line of ``text`` at which something unsafe appears, and what it is."""
    found = removed(text, ignore)
    if not found:
        return None
    lines = text.split("\n")
    low, high = 0, len(lines) - 1  # the shortest prefix of lines that is already unsafe
    while low < high:
        middle = (low + high) // 2
        if removed("\n".join(lines[: middle + 1]), ignore):
            high = middle
        else:
            low = middle + 1
    return Unsafe(low, (removed("\n".join(lines[: low + 1]), ignore) or found)[0])


class _Events(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.events: list[tuple[str, str, tuple]] = []

    def handle_starttag(self, tag, attrs):
        self.events.append(("start", tag, tuple(sorted((k, v or "") for k, v in attrs))))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_data(self, data):
        if data.strip():
            self.events.append(("data", " ".join(data.split()), ()))


def _properties(style: str) -> set[tuple[str, str]]:
    pairs = (part.split(":", 1) for part in style.split(";") if ":" in part)
    return {(k.strip().lower(), " ".join(v.split()).lower()) for k, v in pairs}


def _events(html: str) -> list[tuple[str, str, tuple]]:
    parser = _Events()
    parser.feed(html)
    parser.close()
    return parser.events


def _difference(whole: list, kept: list) -> list[str]:
    """Snippets for the elements and attributes of ``whole`` that ``kept`` lacks."""
    out: list[str] = []
    j = 0
    for kind, tag, attrs in whole:
        match = next(
            (k for k in range(j, len(kept)) if kept[k][0] == kind and kept[k][1] == tag), None
        )
        if match is None:
            out.append(f"<{tag}>" if kind == "start" else tag[:40])
            continue
        j = match + 1
        have = dict(kept[match][2])
        for name, value in attrs:
            if name == "class":
                value_kept = set(have.get("class", "").split())
                gone = [c for c in value.split() if c not in value_kept]
                if gone:
                    out.append(f'class="{" ".join(gone)}"'[:60])
            elif name == "style":
                if _properties(value) != _properties(have.get("style", "")):
                    out.append(f'style="{value}"'[:60])
            elif name not in have or have[name] != value:
                out.append(f'{name}="{value}"'[:60])
    return out


def snippet_column(line: str, snippet: str) -> int:
    """The 1-based column of what ``snippet`` names in the source ``line`` (1 if not found)."""
    name = re.match(r"<?([a-zA-Z][\w:-]*)", snippet)
    value = snippet.split("=", 1)[1].strip('"') if "=" in snippet else ""
    lower = line.lower()
    for needle in (name.group(0) if name else "", value[:12], name.group(1) if name else ""):
        if needle and needle.lower() in lower:
            return lower.index(needle.lower()) + 1
    return 1


def links_in(text: str) -> list[str]:
    """The link and image targets of Markdown ``text`` as rendered (entities decoded)."""
    return [
        value
        for kind, tag, attrs in _events(render(text))
        if kind == "start"
        for name, value in attrs
        if (tag, name) in (("a", "href"), ("img", "src"))
    ]
