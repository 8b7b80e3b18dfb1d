"""Search's dictionary of the data's own names: counties, cities, grids, organizations and
party organizations, and the townships named inside them (pure).

jieba, which cuts the search index into words, does not know 蒲城镇 or 黑龙关镇 and cuts them
蒲/城镇 and 黑龙/关镇, so 蒲城镇 also found 克城镇. The build writes these words into a user
dictionary that Material's search plugin loads (``jieba_dict_user``); the file is excluded from
the published site.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from generator.load.ledger import CountyLedger

FILE = "search-words.txt"  # in the docs folder; mkdocs.yml's exclude_docs keeps it unpublished
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")
# A township at the start of a run: 蒲城镇城东片 -> 蒲城镇 and 城东片
_PLACE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]{1,5}?(?:街道|镇|乡|苏木)(?!村|土|亲)")
_SHORT = 2  # one character is no word of its own


# What many names share: a name is found by what is its own, so these are cut off (and are
# words jieba knows already); 蒲县安居房屋建筑有限公司 gives the word 安居房屋建筑.
_SUFFIXES = (
    "股份有限公司",
    "有限责任公司",
    "有限公司",
    "公司",
    "联合党支部",
    "党支部",
    "党总支",
    "联合党委",
    "党委",
    "服务部",
    "工作室",
    "事务所",
    "商行",
    "合作社",
    "协会",
    "商会",
)


def name_words(name: str, prefixes: tuple[str, ...] = ()) -> list[str]:
    """The words a name gives: each run of Chinese characters (brackets and 、 end a run) and
    the townships it starts with; a run is cut down to what is its own: without a county's
    name before it (``prefixes``) and a company or party-branch ending after it."""
    words = []
    for run in _HAN.findall(name):
        rest = run
        for prefix in prefixes:
            if rest.startswith(prefix) and len(rest) > len(prefix):
                words.append(prefix)
                rest = rest.removeprefix(prefix)
                break
        while (place := _PLACE.match(rest)) and place.end() < len(rest):
            words.append(place.group(0))
            rest = rest[place.end() :]
        while ending := next((e for e in _SUFFIXES if rest.endswith(e) and rest != e), None):
            rest = rest.removesuffix(ending)
        words.append(rest)
    return [w for w in words if len(w) >= _SHORT]


def county_words(county: CountyLedger) -> str:
    """The county's names as dictionary lines (kept with its cached pages)."""
    c = county.county
    prefixes = (c.name, c.name.removesuffix("县")) if len(c.name) > 2 else (c.name,)
    names = [c.name, c.city or "", c.province or ""]
    for kind in (county.grids, county.orgs, county.party_orgs):
        names += [record.name for record in kind.values()]
    words = {w for n in names for w in name_words(n, prefixes)}
    lines = {w: w for w in words}
    for place in (c.name, c.city or "", c.province or ""):
        stem = place_stem(place)
        if stem != place:  # 集贤县 is cut 集贤/县, so that 集贤 finds it
            lines[stem], lines[place] = stem, f"{place} 0"
    return "".join(f"{line}\n" for _, line in sorted(lines.items()))


def place_stem(name: str) -> str:
    """集贤县 -> 集贤, 双鸭山市 -> 双鸭山, 山西省 -> 山西; 蒲县 stays 蒲县 (one character is no word)."""
    for ending in ("自治县", "自治州", "县", "市", "区", "省", "旗", "盟"):
        if name.endswith(ending) and len(name) - len(ending) >= _SHORT:
            return name.removesuffix(ending)
    return name


def dictionary(blocks: Iterable[str]) -> bytes:
    """One word a line, sorted, once: the same names give the same file. "集贤县 0" (jieba's
    frequency 0: never one word) wins over a plain 集贤县 from another county's names."""
    lines: dict[str, str] = {}
    for block in blocks:
        for line in block.splitlines():
            word = line.split(" ")[0]
            if word and not lines.get(word, "").endswith(" 0"):
                lines[word] = line
    return "".join(f"{line}\n" for _, line in sorted(lines.items())).encode("utf-8")
