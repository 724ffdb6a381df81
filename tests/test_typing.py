"""The code type-checks: `mypy library reader` (configured in pyproject.toml) finds nothing, in the
domain (`library/`) or in the app and CLI (`reader/`)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_library_and_reader_type_check_with_mypy() -> None:
    mypy = Path(sys.executable).with_name("mypy")
    assert mypy.exists(), "mypy is part of the test extra: pip install -e '.[test]'"
    out = subprocess.run(  # one run: checking `reader` reads `library` anyway
        [str(mypy), "library", "reader"], capture_output=True, text=True, cwd=REPO, timeout=300, check=False
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert "Success" in out.stdout


def test_the_domain_ships_its_type_hints() -> None:
    assert (REPO / "library" / "py.typed").is_file()
    text = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    assert 'library = ["py.typed"]' in text and "[tool.mypy]" in text
    assert 'files = ["library", "reader"]' in text  # a bare `mypy` checks both too
    assert "ignore_errors" not in text  # no blanket exemption
