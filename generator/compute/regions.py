"""Cities and provinces: counties grouped by administrative division code (pure).

GB/T 2260 codes are six digits: the first two name the province, the first four the city
(地级市). A county without ``division_code`` is placed by its ``province`` and ``city`` names:
into the coded region of the same name when the site has one, else into a region whose id is
made from the names (``山西省``, ``山西省-临汾市``). A county with neither is in no region.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from generator.models import County

PROVINCE, CITY = "province", "city"
LEVEL_LABELS = {PROVINCE: "省", CITY: "市"}


@dataclass(frozen=True)
class Region:
    """A province or city present in the site, with its counties in site order."""

    id: str  # "14", "1410", or made from the names when there is no code
    name: str
    level: str  # PROVINCE or CITY
    parent: str | None  # a city's province (None when the county names none)
    counties: tuple[str, ...]
    code: str | None  # the division code prefix, when the counties have one

    def path(self) -> str:
        return region_path(self.id)


def region_path(region_id: str) -> str:
    return f"regions/{region_id}/index.md"


@dataclass(frozen=True)
class Place:
    """Where one county sits: its province's and city's region ids (None: not known)."""

    province: str | None
    city: str | None


def _name_id(*names: str) -> str:
    """A path-safe id from names: word characters kept (Chinese included), the rest "-"."""
    return "-".join(re.sub(r"[^\w]+", "-", n).strip("-_") or "x" for n in names)


def place_counties(counties: Iterable[tuple[str, County]]) -> dict[str, Place]:
    """Each county's province and city ids, by county id (``counties``: id and county record)."""
    counties = list(counties)
    # names of coded regions, so a county without a code joins the coded region of its name
    province_codes: dict[str, str] = {}
    city_codes: dict[tuple[str | None, str], str] = {}
    for _, c in counties:
        if c.division_code:
            if c.province:
                province_codes.setdefault(c.province, c.division_code[:2])
            if c.city:
                city_codes.setdefault((c.province, c.city), c.division_code[:4])
    places = {}
    for county_id, c in counties:
        if c.division_code:
            places[county_id] = Place(c.division_code[:2], c.division_code[:4])
            continue
        province = province_codes.get(c.province, _name_id(c.province)) if c.province else None
        city = None
        if c.city:
            city = city_codes.get((c.province, c.city)) or _name_id(
                *([province] if province else []), c.city
            )
        places[county_id] = Place(province, city)
    return places


def group_regions(counties: Iterable[tuple[str, County]]) -> list[Region]:
    """Every province and city of the site, each province followed by its cities.

    A region's name is the one most of its counties give (ties: the first in order); with
    none given, it is named by its code.
    """
    counties = list(counties)
    places = place_counties(counties)
    members: dict[tuple[str, str], list[str]] = {}
    names: dict[tuple[str, str], Counter] = {}
    parents: dict[str, str | None] = {}
    for county_id, c in counties:
        place = places[county_id]
        for level, region_id, name in (
            (PROVINCE, place.province, c.province),
            (CITY, place.city, c.city),
        ):
            if region_id is None:
                continue
            members.setdefault((level, region_id), []).append(county_id)
            found = names.setdefault((level, region_id), Counter())
            if name:
                found[name] += 1
        if place.city is not None:
            parents.setdefault(place.city, place.province)
    regions = {}
    for (level, region_id), county_ids in members.items():
        code = region_id if region_id.isdigit() else None
        common = names[(level, region_id)].most_common(1)
        name = common[0][0] if common else f"行政区划 {region_id}"
        parent = parents.get(region_id) if level == CITY else None
        regions[(level, region_id)] = Region(
            region_id, name, level, parent, tuple(county_ids), code
        )
    ordered = []
    provinces = sorted((r for r in regions.values() if r.level == PROVINCE), key=_order)
    cities = sorted((r for r in regions.values() if r.level == CITY), key=_order)
    for province in provinces:
        ordered.append(province)
        ordered.extend(c for c in cities if c.parent == province.id)
    ordered.extend(c for c in cities if c.parent is None)  # a city whose province is not known
    return ordered


def _order(region: Region) -> tuple:
    return (region.code is None, region.code or region.name)


def trail(county: County, place: Place | None) -> list[tuple[str, str]]:
    """(label, page) of the county's province and city, for its breadcrumbs: named as the
    county names them, so a county's pages depend on its own record only."""
    if place is None:
        return []
    found = []
    if place.province is not None:
        found.append((county.province or f"行政区划 {place.province}", region_path(place.province)))
    if place.city is not None:
        found.append((county.city or f"行政区划 {place.city}", region_path(place.city)))
    return found
