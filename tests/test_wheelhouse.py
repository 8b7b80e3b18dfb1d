"""The tool on its own: a wheel, an offline wheelhouse, a new virtualenv that installs from it
with pip forbidden to reach an index, and a county started with ``sitegen init`` that builds.

The wheelhouse here is the Linux part for the running Python (``make wheelhouse`` writes every
supported version, Linux and Windows): its downloads come from pip's cache after the first run.
"""

from __future__ import annotations

import os
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    done = subprocess.run(args, capture_output=True, text=True, cwd=cwd, env=env)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return done


def test_offline_install_from_a_wheelhouse_then_a_new_county_builds(tmp_path):
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    wheelhouse = tmp_path / "wheelhouse"
    run(sys.executable, str(ROOT / "tools/wheelhouse.py"), "--out", str(wheelhouse),
        "--python", version, "--os", "linux", cwd=tmp_path)  # fmt: skip
    [wheel] = wheelhouse.glob("two_coverages_sitegen-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    for packaged in (
        "generator/defaults/mkdocs.yml",
        "generator/defaults/templates/pages/county.md.j2",
        "generator/defaults/site_config/code_lists.yaml",
        "generator/defaults/site_config/schemas/org.schema.json",
        "generator/defaults/content/assets/stylesheets/site.css",
        "generator/defaults/ci-templates/gitlab-ci.yml",
    ):
        assert packaged in names, packaged
    assert (tmp_path / "wheelhouse.zip").is_file()

    env = venv.EnvBuilder(with_pip=True)
    env.create(tmp_path / "venv")
    bin_dir = tmp_path / "venv" / "bin"
    offline = {
        k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "SITEGEN_", "VIRTUAL_ENV"))
    }
    offline.update(PIP_CONFIG_FILE=os.devnull, PIP_NO_INDEX="1", PIP_DISABLE_PIP_VERSION_CHECK="1")
    run(str(bin_dir / "python"), "-m", "pip", "install", "--no-index", "--find-links",
        str(wheelhouse), "two-coverages-sitegen", cwd=tmp_path, env=offline)  # fmt: skip

    offline.update(
        GIT_AUTHOR_NAME="clerk", GIT_AUTHOR_EMAIL="clerk@example.invalid",
        GIT_COMMITTER_NAME="clerk", GIT_COMMITTER_EMAIL="clerk@example.invalid",
    )  # fmt: skip
    run(str(bin_dir / "sitegen"), "init", "ledger", "--county", "daning", "--name", "大宁县",
        "--division-code", "141030", cwd=tmp_path, env=offline)  # fmt: skip
    ledger = tmp_path / "ledger"
    built = run(str(bin_dir / "sitegen"), "build", cwd=ledger, env=offline)
    assert "网站已生成" in built.stdout
    page = (ledger / "site/counties/daning/index.html").read_text(encoding="utf-8")
    assert "大宁县" in page
    assert (ledger / "site/assets/stylesheets/site.css").is_file()  # the packaged assets
    assert not (ledger / "templates").exists() and not (ledger / "mkdocs.yml").exists()
