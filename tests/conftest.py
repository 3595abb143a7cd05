"""Shared fixtures: the bundled seed and references, found from this file, not the working folder."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_ad300a173e81270b.txt"
ALTERNATIVE = ROOT / "references" / "alternative.txt"
POSTEDIT = ROOT / "references" / "postedit.txt"


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """The project folder (the one holding seeds/ and references/)."""
    return ROOT


@pytest.fixture(scope="session")
def seed_path() -> Path:
    assert SEED.is_file(), f"bundled seed missing: {SEED}"
    return SEED


@pytest.fixture(scope="session")
def alternative_path() -> Path:
    assert ALTERNATIVE.is_file(), f"bundled reference missing: {ALTERNATIVE}"
    return ALTERNATIVE


@pytest.fixture(scope="session")
def postedit_path() -> Path:
    assert POSTEDIT.is_file(), f"bundled reference missing: {POSTEDIT}"
    return POSTEDIT
