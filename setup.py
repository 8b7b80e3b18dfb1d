"""Packs the demo project's top-level folders into the wheel as the tool's defaults.

This repository keeps its layout (``templates/``, ``site_config/``, ``content/assets/`` and
``mkdocs.yml`` at the top, where the demo site uses them). Building a wheel copies them into
``generator/defaults/``, which :mod:`generator.defaults` reads in an installed tool; the sdist
carries them (MANIFEST.in). The packaged ``site.yaml`` says ``sample_data: false``: a county's
site is not the sample. Everything else is declared in pyproject.toml.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
PARTS = ("mkdocs.yml", "templates", "site_config", "content/assets", "ci-templates")


class BuildWithDefaults(build_py):
    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):
            return  # an editable install reads the top-level folders themselves
        target = Path(self.build_lib) / "generator" / "defaults"
        shutil.rmtree(target, ignore_errors=True)
        for name in PARTS:
            source, dest = HERE / name, target / name
            dest.parent.mkdir(parents=True, exist_ok=True)
            if source.is_dir():
                shutil.copytree(source, dest, ignore=shutil.ignore_patterns("__pycache__"))
            else:
                shutil.copy2(source, dest)
        site = target / "site_config" / "site.yaml"
        text = site.read_text(encoding="utf-8")
        assert "\nsample_data: true\n" in text, "site_config/site.yaml: sample_data line moved"
        site.write_text(text.replace("\nsample_data: true\n", "\nsample_data: false\n"), "utf-8")


setup(cmdclass={"build_py": BuildWithDefaults})
