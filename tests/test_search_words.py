"""The search dictionary of the data's names: places stay whole words, names are found by what
is their own."""

from __future__ import annotations

from generator.render.search_words import dictionary, name_words, place_stem


def test_townships_inside_a_grid_name_are_words_of_their_own():
    assert name_words("第四摸排责任区（黑龙关镇、乔家湾乡）") == [
        "第四摸排责任区",
        "黑龙关镇",
        "乔家湾乡",
    ]
    assert name_words("第一摸排责任区（蒲城镇城东片）") == ["第一摸排责任区", "蒲城镇", "城东片"]


def test_an_organization_is_a_word_without_its_county_and_company_ending():
    assert name_words("蒲县安居物业管理有限公司党支部", ("蒲县",)) == ["蒲县", "安居物业管理"]
    assert name_words("蒲县乡村振兴服务中心", ("蒲县",)) == [
        "蒲县",
        "乡村振兴服务中心",
    ]  # no 蒲县乡


def test_a_county_is_cut_at_its_ending_so_its_stem_finds_it():
    assert [place_stem(n) for n in ("集贤县", "双鸭山市", "山西省", "蒲县")] == [
        "集贤",
        "双鸭山",
        "山西",
        "蒲县",
    ]
    words = dictionary(["集贤\n集贤县 0\n", "集贤县\n蒲城镇\n"]).decode()
    assert words == "蒲城镇\n集贤\n集贤县 0\n"  # the frequency 0 (never one word) wins
