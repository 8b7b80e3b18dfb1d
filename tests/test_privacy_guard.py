"""Issue 15, items 1 and 4: personal numbers however they are typed, from any revision, in
any page, never reach the site."""

from __future__ import annotations

import pytest

from generator.diagnostics import DataError, Report
from generator.validate.privacy import (
    allowed_set,
    is_clean,
    output_leaks,
    redact_text,
    scan_text,
)

ID18 = "11010519491231002X"  # made up, with a valid check digit


def found(text: str, allowed=()) -> list[tuple[str, int, str]]:
    report = Report()
    scan_text(text, "data/px/orgs/a.yaml", allowed, report)
    return [(d.code, d.location.column, d.params["masked"]) for d in report.diagnostics]


@pytest.mark.parametrize(
    "text",
    [
        "name: 张三（身份证１１０１０５１９４９１２３１００２Ｘ）",  # full-width IME digits
        "name: 张三 110105\u00a019491231\u00a0002X",  # NBSP from a Word table
        "name: 张三 110105  19491231  002X",  # double spaces
        "name: 张三 110105-1949-1231-002x",
        "name: 张三 110105.19491231.002X",
        "name: 张三 110105－19491231－002X",  # full-width hyphens
        "name: 张三 ID110105194912310 02X",  # after ASCII letters, split
        "name: 张三 sfz:110105194912310\u300002X",  # ideographic space
    ],
)
def test_resident_ids_however_written(text):
    assert found(text) == [("personal-id-number", found(text)[0][1], "110***********002X")]


def test_fifteen_digit_ids_and_letters_next_to_numbers():
    assert found("note: 老身份证 110105491231002") == [
        ("personal-id-number", 12, "110********1002")
    ]
    assert found("a: Tel13812345678") == [("mobile-number", 7, "138****5678")]


@pytest.mark.parametrize(
    "text",
    [
        "a: １３８１２３４５６７８",
        "a: 138 1234 5678",
        "a: 138\u00a01234\u00a05678",
        "a: 138.1234.5678",
        "a: 138－1234－5678",
        "a: 138—1234—5678",
        "a: 0086 138 1234 5678",
        "a: 008613812345678",
        "a: +86-13812345678",
        "a: ＋８６ １３８１２３４５６７８",
        "a: 86 138 1234 5678",
    ],
)
def test_mobiles_however_written(text):
    [(code, column, masked)] = found(text)
    assert (code, column, masked) == ("mobile-number", 4, "138****5678")


@pytest.mark.parametrize(
    "text",
    [
        "date: 2025-06-12 13:00",
        "hotline: 0357-1234567",
        "amount: 1,380,000",
        "code: '1234567890123456789'",
        "rev: 0ca1341e13812345678abc9876543210fedcba98",  # a commit id
        "records: 110105194912310021",  # wrong check digit
    ],
)
def test_numbers_that_are_not_personal_pass(text):
    assert found(text) == []


def test_allowed_numbers_match_however_written():
    assert found("hotline: 138 1234 5678", ["+86 13812345678"]) == []


def test_redacted_text_keeps_its_shape():
    assert redact_text("张三 １３８ １２３４ ５６７８ 在岗") == "张三 １３８ **** ５６７８ 在岗"
    assert ID18 not in redact_text(f"a: {ID18}")


def test_every_published_page_passes_the_guard():
    leaks = output_leaks("regions/x/index.md", f"负责人 {ID18}".encode(), allowed_set([]))
    assert [str(d.location) for d in leaks] == ["(site) regions/x/index.md:1:5"]
    assert "居民身份证号" in leaks[0].format() and ID18 not in leaks[0].format()
    assert output_leaks("assets/charts/a.svg", b"13812345678", set()) == []


def test_a_site_download_skips_only_the_lines_of_parts_already_passed():
    """A county's rows of a site-wide download are scanned once, when the county is computed
    (is_clean); the site's file scans the rest, a line that runs across a part's edge too, and
    reports a leak at its line in the site's file."""
    passed = "county-a,13 个组织\ncounty-a,g1,7\n"
    assert is_clean(passed, "followups.csv", set())
    leaking = f"county-b,负责人 {ID18}\n"
    assert not is_clean(leaking, "followups.csv", set())
    data = ("county,detail\n" + passed + leaking).encode("utf-8-sig")
    leaks = output_leaks("downloads/followups.csv", data, set(), [passed])
    assert [str(d.location) for d in leaks] == ["(site) downloads/followups.csv:4:14"]
    # a part that only looks clean because the file goes on after it on its last line
    glued = "county-a,电话 138 1234"
    data = (glued + " 5678\n").encode()
    assert is_clean(glued, "followups.csv", set())
    leaks = output_leaks("downloads/followups.csv", data, set(), [glued])
    assert [d.params["masked"] for d in leaks] == ["138****5678"]
    # a part not found in the file skips nothing
    assert output_leaks("downloads/x.csv", leaking.encode(), set(), ["not there"]) != []


def test_renderer_refuses_to_write_a_leaking_page(tmp_path, site_settings):
    from generator.render.renderer import Renderer

    renderer = Renderer(tmp_path / "templates", tmp_path / "docs", site_settings)
    with pytest.raises(DataError) as caught:
        renderer.write_file("followups/index.md", "联系 138-1234-5678".encode())
    assert caught.value.diagnostics[0].code == "published-personal-number"
    assert not (tmp_path / "docs" / "followups" / "index.md").exists()


def test_data_error_crosses_processes_whole():
    import pickle

    error = DataError(output_leaks("a.md", ID18.encode(), set()))
    again = pickle.loads(pickle.dumps(error))
    assert again.diagnostics == error.diagnostics


def test_a_number_removed_since_the_report_tag_is_not_published_again(tmp_path):
    from tests.test_changes import build, git, write

    repo = tmp_path / "ledger"
    data = repo / "data" / "demo"
    write(data / "county.yaml", "name: 示例县\n")
    org = data / "orgs" / "leak.yaml"
    write(org, f"name: 张三（身份证{ID18}，电话 138 1234 5678）\nkind: economic\nindustry: other\n")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "x")
    git(repo, "tag", "report-2099-q1")
    write(org, "name: 张三\nkind: economic\nindustry: other\n")
    git(repo, "commit", "-q", "-am", "fix")
    done = build(repo, tmp_path / "site")
    assert done.returncode == 0, done.stderr
    changes = (tmp_path / "site" / "changes" / "index.html").read_text(encoding="utf-8")
    assert "110***********002X" in changes  # the old value is shown, masked
    for path in (tmp_path / "site").rglob("*"):
        if path.is_file() and path.suffix in (".html", ".json", ".csv", ".xml", ".js"):
            text = path.read_text(encoding="utf-8", errors="replace")
            assert ID18 not in text and "1234 5678" not in text, path


def _photo(path, fmt: str, **save) -> None:
    from PIL import Image

    Image.new("RGB", (40, 30), (200, 30, 30)).save(path, fmt, **save)


def test_case_images_are_published_without_metadata(tmp_path):
    from PIL import Image, PngImagePlugin

    from generator.library.image_metadata import metadata_keys, published_image

    exif = Image.Exif()
    exif[0x010E] = f"张三 {ID18}"  # ImageDescription
    exif[0x8825] = {1: "N", 2: (36.0, 6.0, 0.0)}  # GPS
    _photo(tmp_path / "a.jpg", "JPEG", exif=exif, comment=b"13812345678")
    text = PngImagePlugin.PngInfo()
    text.add_text("Author", f"张三 {ID18}")
    _photo(tmp_path / "b.png", "PNG", pnginfo=text)
    _photo(tmp_path / "c.png", "PNG")
    for name in ("a.jpg", "b.png"):
        raw = (tmp_path / name).read_bytes()
        published = published_image(tmp_path / name)
        assert ID18.encode() in raw and ID18.encode() not in published, name
        assert published_image(tmp_path / name) == published  # reproducible
        with Image.open(__import__("io").BytesIO(published)) as image:
            assert metadata_keys(image) == [] and image.size == (40, 30)
    assert published_image(tmp_path / "c.png") == (tmp_path / "c.png").read_bytes()


def test_a_webp_image_with_metadata_is_refused(tmp_path):
    from PIL import Image

    from generator.diagnostics import Location
    from generator.library.images import check_image

    (tmp_path / "images").mkdir()
    exif = Image.Exif()
    exif[0x010E] = "张三"
    _photo(tmp_path / "images" / "a.webp", "WEBP", exif=exif)
    report = Report()
    assert check_image("images/a.webp", "走访", Location("c.md", 3, 1), tmp_path, report) is None
    assert [d.code for d in report.diagnostics] == ["case-image-metadata"]


def test_a_figure_in_the_downloads_is_not_an_id_number_by_chance():
    # A mean of 12.510115980928676: its fraction spells a 15-digit ID number (area 510115,
    # born 1998-09-28): about one figure in eighty does, so a province's series.json always had
    # one, and the build refused to publish it.
    figure = '      "mean_employees": 12.510115980928676,'
    assert output_leaks("downloads/series.json", figure.encode(), set()) == []
    assert (
        output_leaks("downloads/series.csv", b"county-001,2026-09,12.510115980928676\n", set())
        == []
    )
    # the same digits are still an ID number where they are not a figure
    assert len(output_leaks("counties/x/index.md", figure.encode(), set())) == 1
    for text in ('"name": "编号510115980928676"', '"note": "x12.510115980928676"'):
        assert len(output_leaks("downloads/series.json", text.encode(), set())) == 1, text
    dotted = f'"id": "{ID18[:6]}.{ID18[6:]}"'  # an ID number written with a dot is one still
    assert len(output_leaks("downloads/series.json", dotted.encode(), set())) == 1
