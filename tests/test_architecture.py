"""The layering rules of the design card, checked rather than hoped for."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import library

REPO = Path(__file__).resolve().parents[1]


def test_library_never_imports_textual_or_rich() -> None:
    modules = [m.name for m in pkgutil.walk_packages(library.__path__, "library.")]
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True)
    assert out.stdout.strip() == "", f"library/ pulled in UI modules: {out.stdout}"
    assert len(modules) > 15


def test_reader_holds_no_storage_details() -> None:
    offenders = []
    for path in (REPO / "reader").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for needle in ("import tinydb", "from tinydb", "library.store.", "orjson"):
            if needle in text:
                offenders.append(f"{path.relative_to(REPO)}: {needle}")
    assert offenders == []


def test_the_tree_is_formatted_and_lint_clean() -> None:
    ruff = Path(sys.executable).with_name("ruff")
    for args in (["check", "."], ["format", "--check", "."]):
        out = subprocess.run([str(ruff), *args], capture_output=True, text=True, cwd=REPO)
        assert out.returncode == 0, out.stdout + out.stderr
