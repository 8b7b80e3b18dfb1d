"""Lists come in a reader's order: the `order` field, else the number in the name, else the name."""

from __future__ import annotations

import pytest

from generator.load.ordering import chinese_number, number_in, reading_order


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("一", 1),
        ("十", 10),
        ("十二", 12),
        ("二十", 20),
        ("二十三", 23),
        ("一百零五", 105),
        ("二〇二五", 2025),
        ("两", 2),
        ("17", 17),
    ],
)
def test_chinese_numerals(text, value):
    assert chinese_number(text) == value


def test_the_number_is_the_one_after_第_not_a_numeral_in_a_place_name():
    assert number_in("四达商圈第二网格（农副产品批发区）") == 2
    assert number_in("第十二摸排责任区（古县乡、太林乡）") == 12
    assert number_in("3号网格") == 3
    assert number_in("城东片区") is None


def test_grids_sort_naturally_whatever_their_ids():
    grids = {  # ids in the order that used to show: 第一、第二、第六、第四、第五、第三
        "zone-a": "第一摸排责任区",
        "zone-b": "第二摸排责任区",
        "zone-c": "第六摸排责任区",
        "zone-d": "第四摸排责任区",
        "zone-e": "第五摸排责任区",
        "zone-f": "第三摸排责任区",
        "zone-g": "第十摸排责任区",
        "zone-h": "第十一摸排责任区",
    }
    ordered = sorted(grids, key=lambda i: reading_order(grids[i], None, i))
    names = [grids[i][:3] for i in ordered]
    assert names == ["第一摸", "第二摸", "第三摸", "第四摸", "第五摸", "第六摸", "第十摸", "第十一"]


def test_the_order_field_comes_first_then_numbers_then_names():
    rows = [
        ("b", "城西片", None),
        ("a", "城东片", None),
        ("z", "第二网格", None),
        ("y", "中心区", 1),
    ]
    ordered = [i for i, _, _ in sorted(rows, key=lambda r: reading_order(r[1], r[2], r[0]))]
    assert ordered == ["y", "z", "a", "b"]  # order 1; then 第二; then names (城东 before 城西)
