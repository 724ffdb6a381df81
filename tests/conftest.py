"""Shared fixtures. The real-article corpus is read from ../shared/corpus (or $READER_CORPUS)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CORPUS = Path(os.environ.get("READER_CORPUS", REPO.parent / "shared" / "corpus"))


def corpus_dir(name: str) -> Path:
    """The corpus folder, or skip the test with the reason when it is absent."""
    path = CORPUS / name
    if not path.is_dir():
        pytest.skip(f"real-article corpus {path} is absent (set READER_CORPUS to its folder)")
    return path


@pytest.fixture
def store_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh library directory, also set as $READER_DB so nothing touches the user's data."""
    path = tmp_path / "library"
    monkeypatch.setenv("READER_DB", str(path))
    monkeypatch.setenv("READER_CONFIG", str(tmp_path / "config.toml"))
    return path
