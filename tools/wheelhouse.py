"""Write an offline wheelhouse: the sitegen wheel and every dependency wheel, for Linux x86_64
and Windows x86_64 and the supported Python versions, as a folder and a .zip.

    python tools/wheelhouse.py [--out wheelhouse] [--python 3.11 ...] [--os linux windows]

(``make wheelhouse`` runs it with every supported version.) Install from it on a machine with
no package index:

    pip install --no-index --find-links wheelhouse two-coverages-sitegen

Dependencies published only as source (jieba) are built once into pure-Python wheels, so the
wheelhouse holds nothing that needs a compiler; everything else is PyPI's own binary wheel
(``pip download --only-binary=:all: --platform ... --python-version ...``).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHONS = ("3.11", "3.12", "3.13")
PLATFORMS = {
    "linux": ("manylinux_2_28_x86_64", "manylinux_2_17_x86_64", "manylinux2014_x86_64"),
    "windows": ("win_amd64",),
}
SOURCE_ONLY = ("jieba==0.42.1",)  # pinned as in pyproject.toml; pure Python


def pip(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "pip", "--disable-pip-version-check", *args], check=True)


def main(argv: list[str] | None = None) -> Path:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "wheelhouse")
    parser.add_argument("--python", nargs="+", default=list(PYTHONS), metavar="X.Y")
    parser.add_argument("--os", nargs="+", default=list(PLATFORMS), choices=list(PLATFORMS))
    parser.add_argument("--wheel", type=Path, help="an already built sitegen wheel")
    args = parser.parse_args(argv)
    out: Path = args.out.resolve()
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    if args.wheel:
        shutil.copy2(args.wheel, out)
    else:
        subprocess.run(
            [sys.executable, "-m", "build", "--wheel", "--outdir", str(out), str(ROOT)], check=True
        )
    [wheel] = sorted(out.glob("two_coverages_sitegen-*.whl"))
    pip("wheel", "--quiet", "--no-deps", "--wheel-dir", str(out), *SOURCE_ONLY)
    for version in args.python:
        for system in args.os:
            tags = [f"--platform={tag}" for tag in PLATFORMS[system]]
            pip(
                "download", "--quiet", "--only-binary=:all:", *tags,
                f"--python-version={version}", "--implementation=cp",
                "--find-links", str(out), "--dest", str(out), str(wheel),
            )  # fmt: skip
    archive = shutil.make_archive(str(out), "zip", root_dir=out.parent, base_dir=out.name)
    print(f"{out}: {len(list(out.glob('*.whl')))} wheels; {archive}")
    return out


if __name__ == "__main__":
    main()
