"""What the theme shows on every page: the sample-data notice (MkDocs ``extra``, see
templates/theme/main.html) and the data revision (one script shared by every page)."""

from __future__ import annotations

import json
from typing import Any

from generator.load.config import Settings
from generator.load.gitinfo import Revision

SAMPLE_NOTICE = "本站数据为虚构的样例数据，仅用于演示；汇总数字取自公开报道。"
REVISION_SCRIPT = "assets/javascripts/revision.js"


def theme_extra(settings: Settings) -> dict[str, Any]:
    """The theme's values from site_config: the notice of a site built from sample data."""
    return {"notice": SAMPLE_NOTICE if settings.site.sample_data else ""}


def revision_script(revision: Revision, timezone: str | None = None) -> bytes:
    """The data revision, shared by every page: the footer's and the pages' revision notes
    (see templates/theme/partials and the revision_note macro)."""
    text = json.dumps(revision.describe(timezone), ensure_ascii=False)
    return (
        "document.addEventListener('DOMContentLoaded',function(){"
        "document.querySelectorAll('#sitegen-revision,.sitegen-revision')"
        f".forEach(function(e){{e.textContent={text};}});}});\n"
    ).encode()
