"""An Atom feed of the case library (``cases/feed.xml``), written from the case data.

Written here rather than by mkdocs-rss-plugin, which dates entries from git history and needs
an absolute ``site_url``: an intranet site's address is not known at build time. The feed is
deterministic (same cases, same bytes): dates are the cases' own and ids derive from the case,
never from the clock. Links are relative; Atom readers resolve them against the feed's address.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from xml.sax.saxutils import escape, quoteattr

from generator.library.case_view import CaseView


def entry_id(county: str, case_id: str) -> str:
    """The same case keeps its id on every site that imports it."""
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'sitegen-case:{county}:{case_id}')}"


def _stamp(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def atom_feed(views: Sequence[CaseView], site_title: str) -> bytes:
    updated = max((v.meta.date for v in views), default=dt.date(1970, 1, 1))
    feed_id = uuid.uuid5(uuid.NAMESPACE_URL, f"sitegen-case-library:{site_title}")
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="zh-CN">',
        f"  <title>{escape(site_title)} · 案例库</title>",
        "  <subtitle>各县新兴领域“两个覆盖”工作的做法与经验</subtitle>",
        '  <link rel="self" type="application/atom+xml" href="feed.xml"/>',
        '  <link rel="alternate" type="text/html" href="./"/>',
        f"  <id>urn:uuid:{feed_id}</id>",
        f"  <updated>{_stamp(updated)}</updated>",
        "  <generator>sitegen</generator>",
    ]
    for view in views:
        meta = view.meta
        origin = meta.origin.county if meta.origin else meta.county
        lines += [
            "  <entry>",
            f"    <title>{escape(meta.title)}</title>",
            f'    <link rel="alternate" type="text/html" href={quoteattr(view.id + "/")}/>',
            f"    <id>{entry_id(origin, view.id)}</id>",
            f"    <published>{_stamp(meta.date)}</published>",
            f"    <updated>{_stamp(meta.date)}</updated>",
            f"    <author><name>{escape(view.county_name)}</name></author>",
            *(f"    <category term={quoteattr(theme)}/>" for theme in meta.themes),
        ]
        if meta.summary:
            lines.append(f"    <summary>{escape(meta.summary)}</summary>")
        if meta.source:
            lines.append(f"    <rights>{escape(meta.source)}</rights>")
        lines.append("  </entry>")
    lines.append("</feed>")
    return ("\n".join(lines) + "\n").encode("utf-8")
