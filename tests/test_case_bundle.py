"""Sharing a case: export from one site repository, import into another, refuse unsafe bundles."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import stat
import subprocess
import zipfile
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result
from PIL import Image

from generator.cli.main import cli
from generator.library.bundle import FORMAT, MAX_IMAGE_BYTES, write_bundle

ROOT = Path(__file__).resolve().parents[1]


def git_commit(folder: Path, message: str) -> str:
    def git(*args: str) -> str:
        done = subprocess.run(
            [
                "git",
                "-C",
                str(folder),
                "-c",
                "user.name=t",
                "-c",
                "user.email=t@example.org",
                *args,
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        return done.stdout.strip()

    if not (folder / ".git").exists():
        git("init", "-q")
    git("add", "-A")
    git("commit", "-q", "-m", message)
    return git("log", "-1", "--format=%h")


def site_repo(folder: Path, counties: dict[str, str], cases: bool) -> Path:
    """A site repository: the sample project's config and templates, the given counties' data."""
    for part in ("site_config", "templates"):
        shutil.copytree(ROOT / part, folder / part)
    shutil.copy(ROOT / "mkdocs.yml", folder / "mkdocs.yml")
    shutil.copytree(ROOT / "content" / "assets", folder / "content" / "assets")
    (folder / "content" / "cases").mkdir(parents=True)
    if cases:
        shutil.copytree(
            ROOT / "content" / "cases", folder / "content" / "cases", dirs_exist_ok=True
        )
    for county, source in counties.items():
        if source:
            shutil.copytree(ROOT / "data" / source, folder / "data" / county)
        else:
            (folder / "data" / county).mkdir(parents=True)
            (folder / "data" / county / "county.yaml").write_text("name: 新县\n", encoding="utf-8")
    return folder


def sitegen(project: Path, *args: str) -> Result:
    result = CliRunner().invoke(cli, ["--project", str(project), "--lang", "zh", *args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


@pytest.fixture
def repos(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    monkeypatch.chdir(tmp_path)
    source = site_repo(tmp_path / "source", {"puxian": "puxian", "jixian": "jixian"}, cases=True)
    target = site_repo(tmp_path / "target", {"xinxian": ""}, cases=False)
    git_commit(source, "sample data")
    git_commit(target, "another county")
    return source, target


def front_matter(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])


def test_round_trip_between_two_site_repositories(repos, tmp_path):
    source, target = repos
    commit = _head(source)
    done = sitegen(source, "case", "export", "puxian-three-ways", "--out", "px.zip")
    assert done.exit_code == 0, done.output
    assert f"数据版本 {commit}" in done.stdout
    again = sitegen(
        source, "case", "export", "content/cases/puxian-three-ways.md", "--out", "px2.zip"
    )
    assert again.exit_code == 0 and Path("px2.zip").read_bytes() == Path("px.zip").read_bytes()

    with zipfile.ZipFile("px.zip") as bundle:
        assert bundle.namelist() == ["bundle.yaml", "case.md", "images/puxian/three-steps.png"]
        meta = yaml.safe_load(bundle.read("bundle.yaml"))
    assert meta["format"] == FORMAT and meta["id"] == "puxian-three-ways"
    assert meta["county"] == {
        "id": "puxian",
        "name": "蒲县",
        "province": "山西省",
        "city": "临汾市",
    }
    assert meta["revision"]["commit"] == commit
    assert meta["exported_at"] == meta["revision"]["as_of"]  # the data's date, not the clock
    assert meta["attribution"].startswith("据公开报道整理")
    frozen = {(f["metric"], f.get("grid")): f["text"] for f in meta["figures"]}
    assert frozen[("party_orgs_economic", None)] == "42"
    assert frozen[("outputs.people_checked", None)] == "2,046"

    done = sitegen(target, "case", "import", "px.zip")
    assert done.exit_code == 0, done.output
    assert "已导入案例 puxian-three-ways（来自蒲县）" in done.stdout
    imported = target / "content" / "cases" / "puxian-three-ways.md"
    text = imported.read_text(encoding="utf-8")
    assert "{{" not in text and "党组织 42 个" in text and "跨区域比对 2,046 人次" in text
    front = front_matter(imported)
    assert front["source"] == meta["attribution"]
    assert front["origin"] == {
        "county": "puxian",
        "county_name": "蒲县",
        "revision": commit,
        "as_of": meta["revision"]["as_of"],
        "site": "新兴领域“两个覆盖”工作进展",
    }
    image = target / "content" / "cases" / "images" / "puxian" / "three-steps.png"
    assert (
        image.read_bytes() == (source / "content/cases/images/puxian/three-steps.png").read_bytes()
    )

    same = sitegen(target, "case", "import", "px.zip")
    assert same.exit_code == 0 and "内容相同，没有改动" in same.stdout
    assert imported.read_text(encoding="utf-8") == text

    checked = sitegen(target, "validate")
    assert checked.exit_code == 0, checked.output
    built = sitegen(target, "build", "--out", str(tmp_path / "target-site"))
    assert built.exit_code == 0, built.output
    html = (tmp_path / "target-site/cases/puxian-three-ways/index.html").read_text("utf-8")
    assert "外县案例" in html and "本案例由蒲县分享" in html and f"数据版本 {commit}" in html
    assert "counties/puxian" not in html  # no county page for it on this site
    assert (tmp_path / "target-site/cases/images/puxian/three-steps.png").is_file()
    index = (tmp_path / "target-site/cases/index.html").read_text("utf-8")
    assert "蒲县（外县）" in index


def _head(folder: Path) -> str:
    return subprocess.run(
        ["git", "-C", str(folder), "log", "-1", "--format=%h"], capture_output=True, text=True
    ).stdout.strip()


def test_a_newer_export_updates_and_a_different_case_is_never_overwritten(repos):
    source, target = repos
    assert sitegen(source, "case", "export", "puxian-three-ways", "--out", "v1.zip").exit_code == 0
    assert sitegen(target, "case", "import", "v1.zip").exit_code == 0
    case_file = source / "content/cases/puxian-three-ways.md"
    case_file.write_text(case_file.read_text("utf-8").replace("## 背景", "## 背景与问题"), "utf-8")
    git_commit(source, "edit the case")
    assert sitegen(source, "case", "export", "puxian-three-ways", "--out", "v2.zip").exit_code == 0
    updated = sitegen(target, "case", "import", "v2.zip")
    assert updated.exit_code == 0 and "已用新导出的版本更新" in updated.stdout
    assert "## 背景与问题" in (target / "content/cases/puxian-three-ways.md").read_text("utf-8")

    own = target / "content/cases/jixian-red-business-district.md"
    own.write_text(
        "---\ntitle: 本县自己的案例\ncounty: xinxian\ndate: 2025-10-01\n---\n正文\n", "utf-8"
    )
    exported = sitegen(source, "case", "export", "jixian-red-business-district", "--out", "jx.zip")
    assert exported.exit_code == 0
    refused = sitegen(target, "case", "import", "jx.zip")
    assert refused.exit_code == 1
    assert (
        "case-import-conflict" in refused.stderr
        and "--as jixian-red-business-district-2" in refused.stderr
    )
    assert own.read_text("utf-8").startswith("---\ntitle: 本县自己的案例")
    renamed = sitegen(target, "case", "import", "jx.zip", "--as", "jixian-red")
    assert renamed.exit_code == 0, renamed.output
    assert front_matter(target / "content/cases/jixian-red.md")["origin"]["county"] == "jixian"
    assert sitegen(target, "validate").exit_code == 0


def test_an_update_never_overwrites_an_image_another_case_shows(repos):
    """Issue 15, item 11: the image clash check holds on an update too."""
    source, target = repos
    assert sitegen(source, "case", "export", "puxian-three-ways", "--out", "v1.zip").exit_code == 0
    assert sitegen(target, "case", "import", "v1.zip").exit_code == 0
    ours = target / "content/cases/images/puxian/ours.png"
    ours.write_bytes(png())
    (target / "content/cases/own.md").write_text(
        "---\ntitle: 本站案例\ncounty: xinxian\ndate: 2025-10-01\n---\n![本站的图](images/puxian/ours.png)\n",
        "utf-8",
    )
    other = io.BytesIO()
    Image.new("RGB", (8, 8), (20, 120, 40)).save(other, format="PNG")
    (source / "content/cases/images/puxian/ours.png").write_bytes(other.getvalue())
    case_file = source / "content/cases/puxian-three-ways.md"
    case_file.write_text(
        case_file.read_text("utf-8") + "\n![新图](images/puxian/ours.png)\n", "utf-8"
    )
    git_commit(source, "a new image in the case")
    assert sitegen(source, "case", "export", "puxian-three-ways", "--out", "v2.zip").exit_code == 0
    before = (target / "content/cases/puxian-three-ways.md").read_text("utf-8")
    refused = sitegen(target, "case", "import", "v2.zip")
    assert refused.exit_code == 1, refused.output
    assert "content/cases/images/puxian/ours.png: case-import-image-conflict:" in refused.stderr
    assert ours.read_bytes() == png()
    assert (target / "content/cases/puxian-three-ways.md").read_text("utf-8") == before

    # The case's own image, changed at the source, is updated.
    (target / "content/cases/own.md").unlink()
    ours.unlink()
    assert sitegen(target, "case", "import", "v2.zip").exit_code == 0
    cover = source / "content/cases/images/puxian/three-steps.png"
    Image.new("RGB", (8, 8), (1, 2, 3)).save(cover, format="PNG")
    git_commit(source, "a new cover")
    assert sitegen(source, "case", "export", "puxian-three-ways", "--out", "v3.zip").exit_code == 0
    updated = sitegen(target, "case", "import", "v3.zip")
    assert updated.exit_code == 0, updated.output
    assert (
        target / "content/cases/images/puxian/three-steps.png"
    ).read_bytes() == cover.read_bytes()


def test_export_refuses_an_unknown_case_with_a_usage_error(repos):
    source, _ = repos
    done = sitegen(source, "case", "export", "no-such-case")
    assert done.exit_code == 2 and "no-such-case" in done.stderr


# --- unsafe and broken bundles --------------------------------------------------------------

CASE = "---\ntitle: 边摸边建\ncounty: px\ndate: 2025-11-01\ncover: images/px/a.png\ncover_caption: 现场\n---\n{body}\n"
META = {
    "format": FORMAT,
    "id": "px-case",
    "title": "边摸边建",
    "county": {"id": "px", "name": "蒲县"},
    "revision": {"commit": "1a2b3c4", "as_of": "2025-11-20"},
    "exported_at": "2025-11-20",
    "site": "另一个网站",
    "attribution": "蒲县供稿",
    "figures": [{"county": "px", "metric": "grids_total", "label": "蒲县 · 网格数", "text": "6"}],
}


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 40, 40)).save(out, format="PNG")
    return out.getvalue()


def good_files(body: str = '网格 {{ figure("px", "grids_total") }} 个') -> dict[str, bytes]:
    return {"case.md": CASE.format(body=body).encode(), "images/px/a.png": png()}


def bundle(path: Path, files: dict[str, bytes] | None = None, meta: dict | None = None) -> Path:
    meta = {**META, **(meta or {})}
    meta = yaml.safe_load(yaml.safe_dump(meta))  # dates as dates
    write_bundle(path, meta, files or good_files(), dt.date(2025, 11, 20))
    return path


def raw_zip(path: Path, entries: list[tuple[zipfile.ZipInfo | str, bytes]]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for info, data in entries:
            archive.writestr(info, data)
    return path


def written(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def symlink(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info


def tampered(path: Path) -> Path:
    bundle(path)
    with zipfile.ZipFile(path) as archive:
        entries = [(i.filename, archive.read(i)) for i in archive.infolist()]
    entries = [
        (n, d.replace("网格".encode(), "网络".encode()) if n == "case.md" else d)
        for n, d in entries
    ]
    return raw_zip(path, entries)


def bad_deflate(path: Path) -> Path:
    """A bundle whose case.md is a deflate stream zlib refuses (a damaged download)."""
    bundle(path)
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("case.md")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    data[start : start + info.compress_size] = b"\xff" * info.compress_size  # reserved block type
    return written(path, bytes(data))


def good_meta_entry() -> tuple[str, bytes]:
    with zipfile.ZipFile(bundle(Path("base.zip"))) as archive:
        return "bundle.yaml", archive.read("bundle.yaml")


UNSAFE = {
    "zip-slip": (
        lambda p: raw_zip(p, [good_meta_entry(), ("../../evil.md", b"x")]),
        "bundle-unsafe-path",
    ),
    "absolute": (
        lambda p: raw_zip(p, [good_meta_entry(), ("/etc/cron.d/x", b"x")]),
        "bundle-unsafe-path",
    ),
    "climbing": (lambda p: raw_zip(p, [("images/../../x.png", png())]), "bundle-unsafe-path"),
    "backslash": (lambda p: raw_zip(p, [("images\\..\\x.png", png())]), "bundle-unsafe-path"),
    "drive": (lambda p: raw_zip(p, [("C:/x.png", png())]), "bundle-unsafe-path"),
    "hidden": (lambda p: raw_zip(p, [(".git/config", b"x")]), "bundle-unsafe-path"),
    "symlink": (
        lambda p: raw_zip(p, [(symlink("images/px/a.png"), b"/etc/passwd")]),
        "bundle-symlink",
    ),
    "script": (lambda p: raw_zip(p, [("run.js", b"alert(1)")]), "bundle-unexpected-file"),
    "huge": (
        lambda p: bundle(p, {**good_files(), "images/px/a.png": b"\0" * (MAX_IMAGE_BYTES + 1)}),
        "bundle-too-large",
    ),
    "not-a-zip": (lambda p: written(p, b"PK\x03\x04 broken"), "bundle-unreadable"),
    "no-case": (lambda p: raw_zip(p, [good_meta_entry()]), "bundle-missing-file"),
    "bad-deflate": (bad_deflate, "bundle-unreadable"),
    "tag-in-meta": (
        lambda p: raw_zip(p, [("bundle.yaml", b"format: !!bool maybe\n"), *good_files().items()]),
        "yaml-tag-value",
    ),
    "tag-in-front-matter": (
        lambda p: bundle(
            p, {**good_files(), "case.md": CASE.replace("2025-11-01", "!!timestamp hello").encode()}
        ),
        "yaml-tag-value",
    ),
    "tampered": (tampered, "bundle-checksum"),
    "iframe": (
        lambda p: bundle(p, good_files('<iframe src="https://example.org"></iframe>')),
        "unsafe-markdown",
    ),
    "event-handler": (
        lambda p: bundle(p, good_files('<p onclick="x()">点我</p>')),
        "unsafe-markdown",
    ),
    "remote-image": (
        lambda p: bundle(p, good_files("![现场](https://example.org/a.jpg)")),
        "case-image-remote",
    ),
    "mobile-number": (lambda p: bundle(p, good_files("联系 13812345678")), "mobile-number"),
    "figure-not-exported": (
        lambda p: bundle(p, good_files('{{ figure("px", "orgs_total") }}')),
        "bundle-figure-missing",
    ),
    "wrong-county": (
        lambda p: bundle(p, meta={"county": {"id": "jx", "name": "集贤县"}}),
        "bundle-mismatch",
    ),
    "unknown-field": (lambda p: bundle(p, meta={"extra": 1}), "unknown-field"),
    "figure-text-injection": (
        lambda p: bundle(
            p, meta={"figures": [{**META["figures"][0], "text": "<script>x</script>"}]}
        ),
        "bundle-figure-value",
    ),
}


@pytest.mark.parametrize("name", sorted(UNSAFE))
def test_unsafe_or_broken_bundles_are_refused_and_nothing_is_written(name, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    target = site_repo(tmp_path / "target", {"xinxian": ""}, cases=False)
    make, code = UNSAFE[name]
    path = make(tmp_path / f"{name}.zip")
    done = sitegen(target, "case", "import", str(path))
    assert done.exit_code == 1, done.output
    assert f": {code}: " in done.stderr, done.stderr
    assert "没有写入任何文件" in done.stderr
    assert sorted(p.name for p in (target / "content" / "cases").rglob("*")) == []


def test_a_clean_bundle_with_a_figure_imports_frozen(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    target = site_repo(tmp_path / "target", {"xinxian": ""}, cases=False)
    done = sitegen(target, "case", "import", str(bundle(tmp_path / "ok.zip")))
    assert done.exit_code == 0, done.output
    text = (target / "content/cases/px-case.md").read_text("utf-8")
    assert "网格 6 个" in text
    assert (
        "origin:\n  county: px\n  county_name: 蒲县\n  revision: 1a2b3c4\n  as_of: 2025-11-20\n"
        in text
    )
    assert "source: 蒲县供稿" in text


def test_problems_are_located_inside_the_bundle(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    target = site_repo(tmp_path / "target", {"xinxian": ""}, cases=False)
    path = bundle(tmp_path / "bad.zip", good_files("第一行\n<script>alert(1)</script>"))
    done = sitegen(target, "case", "import", "bad.zip")
    assert "bad.zip/case.md:9:1: unsafe-markdown:" in done.stderr, done.stderr
    assert path.is_file()
