"""Escaping for the places data strings land in generated Markdown pages.

Templates autoescape HTML; these filters add what Markdown needs on top, so that a name like
``*A*|<b>`` shows as typed instead of turning into emphasis, a table column or markup. In the
tables the templates write as HTML (kept from Markdown by publish.html_blocks) the HTML
escaping is all there is (``cell``).
"""

from __future__ import annotations

import json
import re

from markupsafe import Markup, escape

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|])")  # what Python-Markdown (+tables) unescapes


def md_inline(value: object) -> Markup:
    """Text for inline Markdown (headings, paragraphs, link text, table cells): one line, inert."""
    text = " ".join(str(value).split())
    text = _MD_SPECIAL.sub(r"\\\1", text)
    return Markup(str(escape(text)))


def html_inline(value: object) -> Markup:
    """Text for finished HTML (a cell of a table the templates write as HTML, which
    Python-Markdown never parses: see publish.html_blocks): one line, HTML-escaped, and no
    Markdown escapes, which would show as typed there."""
    return Markup(str(escape(" ".join(str(value).split()))))


def md_block(value: object) -> Markup:
    """A Markdown field (a summary): its Markdown works, raw HTML is shown as text, and braces
    are entities, so that no attribute list (``{: onclick=...}``) applies to data text."""
    text = str(escape(str(value)))
    return Markup(text.replace("{", "&#123;").replace("}", "&#125;"))


def page_title(value: object) -> Markup:
    """A page title for the Markdown front matter. MkDocs themes print titles without escaping
    (in <title>, the header, the nav), so the title is HTML-escaped here, then quoted for YAML."""
    text = str(escape(" ".join(str(value).split())))
    return Markup(json.dumps(text, ensure_ascii=False))


def csv_cell(value: object) -> object:
    """Neutralize spreadsheet formulas: text starting with = + - @ (or tab/CR) gets a quote."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
