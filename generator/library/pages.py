"""The case library's pages: the library (by county, newest first), by theme, by date (archive),
one page per case, the case images and an Atom feed.

Rendered from the case data like every other page, not by Material's blog or tags plugins: the
incremental publish builds MkDocs in dirty mode, which skips pages whose Markdown did not change,
and those plugins compute a page (an index, an archive, a tag listing, a tag's link) from the
*other* pages, so they would publish stale listings. Here a listing's Markdown changes exactly
when one of its cases does.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from collections import defaultdict
from urllib.parse import quote

from markupsafe import Markup, escape

from generator.compute.figures import SiteMetrics
from generator.library.case_view import CaseView
from generator.library.cases import Case
from generator.library.feed import atom_feed
from generator.library.figures import figure_label, figure_value, is_rate, substitute
from generator.library.image_metadata import published_image
from generator.library.images import MD_IMAGE, image_src
from generator.library.links import link_cases
from generator.load.config import Settings
from generator.load.gitinfo import Revision
from generator.load.ledger import Roster
from generator.markdown_safe import md_inline
from generator.render.renderer import Renderer, num, pct

_STANDALONE_IMAGE = re.compile(MD_IMAGE.pattern + r"[ \t]*")  # at the start of a line


def theme_anchor(theme: str) -> str:
    """A stable ASCII anchor for a (Chinese) theme on the themes page."""
    return "t-" + hashlib.sha1(theme.encode("utf-8")).hexdigest()[:8]


def render_case_library(
    roster: Roster,
    settings: Settings,
    sm: SiteMetrics,
    cases: list[Case],
    r: Renderer,
    common: dict,
) -> None:
    views = [_view(case, roster) for case in cases]
    by_county: dict[str, list[CaseView]] = defaultdict(list)
    by_theme: dict[str, list[CaseView]] = defaultdict(list)
    for view in views:
        by_county[view.county_name].append(view)
        for theme, _ in view.themes:
            by_theme[theme].append(view)
    county_order = [c.county.name for c in roster.counties if c.county.name in by_county]
    county_order += sorted(set(by_county) - set(county_order))
    themes = sorted(by_theme.items(), key=lambda item: (-len(item[1]), item[0]))
    years: dict[int, dict[int, list[CaseView]]] = defaultdict(lambda: defaultdict(list))
    for view in views:
        years[view.meta.date.year][view.meta.date.month].append(view)
    r.page(
        "cases/index.md",
        "cases.md.j2",
        cases=views,
        by_county=[(name, by_county[name]) for name in county_order],
        **common,
    )
    r.page(
        "cases/themes/index.md", "case_themes.md.j2", themes=themes, anchor=theme_anchor, **common
    )
    r.page("cases/archive/index.md", "case_archive.md.j2", years=years, total=len(views), **common)
    ids = {v.id for v in views}
    for view in views:
        body = case_body(view.case, ids, sm, settings, roster, common["revision"])
        cover = cover_markdown(view.case, f"cases/{view.id}") if view.case.cover else ""
        r.page(
            f"cases/{view.id}/index.md",
            "case.md.j2",
            case=view,
            body=Markup(body),
            cover=Markup(cover),
            related=related_cases(view, views),
            **common,
        )
    written = set()
    for image in [img for v in views for img in (v.case.cover, *v.case.images) if img]:
        if image.src not in written:
            r.write_file(f"cases/{image.src}", published_image(image.file))
            written.add(image.src)
    r.write_file("cases/feed.xml", atom_feed(views, settings.site.title))


def _view(case: Case, roster: Roster) -> CaseView:
    county = roster.county(case.meta.county)
    origin = case.meta.origin
    if origin is not None and county is not None and county.county.name != origin.county_name:
        county = None  # another site's county that happens to share an id with one of ours
    if county is not None:
        name, county_id = county.county.name, county.id
    else:
        name, county_id = (origin.county_name if origin else case.meta.county), None
    return CaseView(case, name, county_id, [(t, theme_anchor(t)) for t in case.meta.themes])


def related_cases(view: CaseView, views: list[CaseView]) -> list[tuple[CaseView, list[str]]]:
    """Other cases sharing a theme, most shared themes first, then newest first."""
    mine = set(view.meta.themes)
    related = [(other, [t for t in other.meta.themes if t in mine]) for other in views]
    related = [(other, shared) for other, shared in related if shared and other is not view]
    return sorted(related, key=lambda pair: -len(pair[1]))  # stable: views are newest first


def image_markdown(alt: str, src: str, page_dir: str) -> str:
    """A captioned image that opens large in the lightbox (content/assets/javascripts/)."""
    target = quote(posixpath.relpath(f"cases/{src}", page_dir))
    return (
        '\n<figure class="case-image" markdown="block">\n'
        f"[![{alt}]({target}){{ loading=lazy }}]({target}){{ .case-lightbox }}\n"
        f'<figcaption markdown="span">{alt}</figcaption>\n'
        "</figure>\n"
    )


def cover_markdown(case: Case, page_dir: str) -> str:
    assert case.cover is not None
    return image_markdown(str(md_inline(case.cover.caption)), case.cover.src, page_dir)


def case_body(
    case: Case,
    case_ids: set[str],
    sm: SiteMetrics,
    settings: Settings,
    roster: Roster,
    revision: Revision,
) -> str:
    """The case's Markdown as published: live figures filled in, image paths and links to other
    cases pointed from the case's page (``cases/<id>/``), standalone images captioned."""
    page_dir = f"cases/{case.id}"

    def live_figure(ref) -> str:
        found, value = figure_value(ref, sm)
        label = figure_label(ref, roster, settings.codes)
        if not found:
            title = f"{label}：本次数据中没有这个县或网格"
            return f'<abbr class="live-figure is-missing" title="{escape(title)}">—</abbr>'
        text = pct(value) if is_rate(ref) else num(value)
        stamp = f"数据截至 {sm.as_of.isoformat()}"
        if revision.commit:
            stamp += f"，版本 {revision.commit}"
        title = f"{label}：{text}（{stamp}）"
        return f'<abbr class="live-figure" title="{escape(title)}">{escape(text)}</abbr>'

    return link_cases(_place_images(substitute(case.body, live_figure), page_dir), case_ids)


def _place_images(body: str, page_dir: str) -> str:
    """Point image paths from the case's page; an image alone on its line gets a caption."""

    def relocate(m: re.Match) -> str:
        target = quote(posixpath.relpath(f"cases/{_normalized(m.group('src'))}", page_dir))
        return m.string[m.start() : m.start("src")] + target + m.string[m.end("src") : m.end()]

    lines = []
    for line in body.split("\n"):
        alone = _STANDALONE_IMAGE.fullmatch(line)
        if alone:
            lines.append(image_markdown(alone["alt"], _normalized(alone["src"]), page_dir))
        else:
            lines.append(MD_IMAGE.sub(relocate, line))
    return "\n".join(lines)


def _normalized(raw: str) -> str:
    return posixpath.normpath(image_src(raw).replace("\\", "/"))
