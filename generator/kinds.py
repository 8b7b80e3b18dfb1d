"""The record kinds of a county: one table (folder, model, label, sheet, natural key, id prefix).

Every module that walks the kinds, names one or files one reads this table, so a new kind (or a
changed label) is one row here. The import order and the kinds found by name are derived.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.fields import references
from generator.models import Activity, Grid, Need, Org, PartyOrg, Record, ServiceCenter


@dataclass(frozen=True)
class Kind:
    name: str  # as in messages and --kind: org, party_org
    folder: str  # data/<county>/<folder>/; also the CountyLedger attribute
    model: type[Record]
    label: str  # Chinese, in messages and file headers
    sheet: str  # the sheet of ``sitegen export`` and ``import``
    key: tuple[str, ...]  # natural key: what identifies a record without its id
    # Derived ids: ``<prefix>-<digest>``, with the key's date after the prefix when it has one.
    id_prefix: str | None = None


# In the order they are loaded and shown.
TABLE = (
    Kind("grid", "grids", Grid, "网格", "网格", ("name",), "grid"),
    Kind("org", "orgs", Org, "组织（一企一档）", "组织", ("name",), "org"),
    Kind("party_org", "party_orgs", PartyOrg, "党组织", "党组织", ("name",), "party-org"),
    Kind("activity", "activities", Activity, "活动", "活动", ("date", "title")),
    Kind("need", "needs", Need, "诉求", "诉求", ("raised_on", "summary"), "need"),
    Kind(
        "service_center",
        "service_centers",
        ServiceCenter,
        "党群服务中心",
        "党群服务中心",
        ("name",),
        "center",
    ),
)
BY_NAME: dict[str, Kind] = {k.name: k for k in TABLE}
KINDS: dict[str, type[Record]] = {k.name: k.model for k in TABLE}
FOLDERS: dict[str, str] = {k.name: k.folder for k in TABLE}
KIND_LABELS: dict[str, str] = {"county": "县", **{k.name: k.label for k in TABLE}}
# Kinds a spreadsheet cell or an answer may name by their name instead of their id.
NAMED_KINDS = tuple(k.name for k in TABLE if k.key == ("name",))


def import_order() -> tuple[str, ...]:
    """Kinds ordered so that what a record refers to comes before it (a grid names its center)."""
    order: list[str] = []

    def visit(name: str) -> None:
        if name not in order:
            for target in references(KINDS[name]).values():
                if target != name:
                    visit(target)
            order.append(name)

    for kind in TABLE:
        visit(kind.name)
    return tuple(order)
