"""What every stage is given: where the site's parts live (``Project``) and the build date.

"Today" is read here once, by the command line, and passed down as a parameter: checks warn
about dates after it, nothing below the command line reads the clock.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

from generator.defaults import part

TODAY_VAR = "SITEGEN_TODAY"  # YYYY-MM-DD: check and build as on that day (a past build, tests)


@dataclass(frozen=True)
class Project:
    """Where a site's parts live. ``root`` holds data/ and may hold mkdocs.yml, templates/,
    content/ and site_config/; what it lacks comes from the packaged defaults."""

    root: Path
    data_dir: Path
    out_dir: Path

    @property
    def config_dir(self) -> Path:
        """The project's site_config/ (a file it lacks is read from the defaults, see
        load_settings), or the default one."""
        return part(self.root, "site_config")

    @property
    def templates_dir(self) -> Path:
        return part(self.root, "templates")

    @property
    def content_dir(self) -> Path:
        """The project's own content (cases/): never a default."""
        return self.root / "content"

    @property
    def assets_dir(self) -> Path:
        """Stylesheets and scripts of the site: the project's content/assets/ or the default."""
        return part(self.root, "content/assets")

    @property
    def mkdocs_yml(self) -> Path:
        return part(self.root, "mkdocs.yml")

    @property
    def reports_dir(self) -> Path:
        """County reports imported by ``sitegen report import``: beside the data folder."""
        return self.data_dir.parent / "reports"


def today() -> dt.date:
    """The build date: this machine's date, or the day ``SITEGEN_TODAY`` names.

    ValueError when ``SITEGEN_TODAY`` is not a date written YYYY-MM-DD."""
    given = os.environ.get(TODAY_VAR, "").strip()
    return dt.date.fromisoformat(given) if given else dt.date.today()
