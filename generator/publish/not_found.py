"""The site's 404 page, which works at any depth and under any prefix.

A web server answers every missing address with the one 404.html, so the page cannot know
statically where the site's root is: under nginx at /zzb/counties/nowhere/ it is /zzb/, in
``sitegen serve`` it is /, opened from the offline zip it is the folder holding 404.html.
MkDocs writes the page's links from / (or from site_url's path), which breaks all three but
the last. So the page's links are written relative to the site's root (base_url "."), and a
small script first in its <head> finds the root in the address and sets <base href> to it
(templates/theme/404.html), before any style sheet or script is fetched. The script finds
the root as the part of the address before the first of the site's top-level folders, which
this plugin hands to the template.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import Files

PAGE = "404.html"
# Written by plugins after the files are listed (Material's search index).
LATE_FOLDERS = ("search",)


def top_folders(files: Files) -> list[str]:
    """The site's top-level folders: the first part of every published file's path that has
    more than one."""
    names = {file.dest_uri.split("/", 1)[0] for file in files if "/" in file.dest_uri}
    return sorted(names.union(LATE_FOLDERS))


class NotFoundPage(BasePlugin):
    """Renders 404.html with links relative to the site's root and the site's top folders."""

    folders: list[str] = []

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        self.folders = top_folders(files)
        return files

    def on_template_context(self, context, *, template_name: str, config: MkDocsConfig):
        if template_name == PAGE:
            context["base_url"] = "."
            context["site_folders"] = self.folders
            # With site_url set, its path is the root wherever the address starts with it.
            context["site_root_hint"] = urlsplit(config.site_url or "").path or None
        return context
