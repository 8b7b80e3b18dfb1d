"""The per-county part of the build cache: ``counties/<id>/<name>.pickle``, each with its key.

Like the rest of the build cache these are pickles: as trusted as the checkout itself, and
simply rebuilt when unreadable or from another version.
"""

from __future__ import annotations

import pickle
import shutil
from pathlib import Path
from typing import Any

from generator.build.cache import store_pickle
from generator.build.fingerprints import code_fingerprint
from generator.build.inputs import Inputs
from generator.build.record_cache import RecordCache


class CountyStore:
    """Cached per-county results under ``root/<county id>/<name>.pickle``, each with its key."""

    def __init__(self, root: Path, read_existing: bool = True):
        self.root = root
        self.read_existing = read_existing  # False for --clean: compute all, then store

    def records(self, county_id: str) -> RecordCache:
        """The per-file record cache of one county."""
        path = self.root / county_id / "records.pickle"
        return RecordCache(path, code_fingerprint(), self.read_existing)

    def get(self, county_id: str, name: str, key: str) -> Any | None:
        if not self.read_existing:
            return None
        try:
            with (self.root / county_id / f"{name}.pickle").open("rb") as handle:
                found_key, value = pickle.load(handle)
        except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError):
            return None
        except (ImportError, IndexError, KeyError):  # written by other code
            return None
        return value if found_key == key else None

    def put(self, county_id: str, name: str, key: str, value: object) -> None:
        store_pickle(self.root / county_id / f"{name}.pickle", (key, value))

    def fetch(self, county_id: str, inputs: Inputs) -> Any | None:
        """The county's result made from ``inputs``, when the cache has it."""
        return self.get(county_id, inputs.name, inputs.key())

    def keep(self, county_id: str, inputs: Inputs, value: object) -> None:
        """Remember the county's result made from ``inputs``."""
        self.put(county_id, inputs.name, inputs.key(), value)

    def prune(self, county_ids: set[str]) -> None:
        """Forget counties that are no longer in the data."""
        if self.root.is_dir():
            for folder in self.root.iterdir():
                if folder.is_dir() and folder.name not in county_ids:
                    shutil.rmtree(folder, ignore_errors=True)
