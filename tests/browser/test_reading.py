"""What a reader scans: grids in their natural order, on a PC and on a phone."""

from __future__ import annotations

import re

import pytest
from browsing import DESKTOP, PHONE

from generator.load.ordering import number_in

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [DESKTOP, PHONE])
def test_grids_are_listed_第一_to_第六_on_the_county_page(visit, width):
    v = visit("counties/puxian/", width)
    names = v.page.eval_on_selector_all(
        "article table a[href*='grids/']", "links => links.map(a => a.textContent.trim())"
    )
    grids = list(dict.fromkeys(n for n in names if re.match("第.摸排责任区", n)))
    assert len(grids) == 6, names
    assert [number_in(n) for n in grids] == [1, 2, 3, 4, 5, 6], grids
    assert v.problems() == []
