"""The packaged defaults: page and theme templates, ``site_config`` (code lists, targets,
schemas), the site's stylesheets and scripts, and ``mkdocs.yml``.

A county's ledger repository may hold only ``data/``; each of ``site_config/`` (file by file),
``templates/``, ``content/assets/`` and ``mkdocs.yml`` that it does hold overrides the default.
An installed wheel carries the defaults in ``generator/defaults/`` (copied there from this
repository's top-level folders when the wheel is built: see ``setup.py``); a source checkout
(``pip install -e .``) uses those top-level folders themselves, so this repository keeps its
layout and is the demo project.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
# What a wheel carries, relative to the defaults folder (setup.py copies exactly these).
PARTS = ("mkdocs.yml", "templates", "site_config", "content/assets", "ci-templates")


def _find() -> Path:
    packaged = PACKAGE / "defaults"
    if (packaged / "mkdocs.yml").is_file():
        return packaged
    return PACKAGE.parent  # a source checkout


DEFAULTS = _find()


def part(root: Path, name: str) -> Path:
    """``root/name`` when the project holds it, else the packaged default."""
    own = root / name
    return own if own.exists() else DEFAULTS / name
