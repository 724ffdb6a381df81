"""The layering rules of the design card, checked rather than hoped for."""

from __future__ import annotations

import ast
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


def _imported_modules(path: Path) -> set[str]:
    """Every module a file imports, at the top or inside a function (lazy imports count too)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_the_store_imports_none_of_the_stages_above_it() -> None:
    """library/store/ is persistence only: nothing from ingest, cleaning, interchange or core, and
    of annotations only their model."""
    above = ("library.ingest", "library.cleaning", "library.interchange", "library.core")
    offenders = []
    files = sorted((REPO / "library" / "store").rglob("*.py"))
    for path in files:
        for name in sorted(_imported_modules(path)):
            stage = any(name == s or name.startswith(s + ".") for s in above)
            annotations = name.startswith("library.annotations") and not name.startswith(
                "library.annotations.model"
            )
            if stage or annotations:
                offenders.append(f"{path.relative_to(REPO)}: {name}")
    assert len(files) > 5 and offenders == []


def test_the_store_check_sees_lazy_imports(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("def f():\n    from library.cleaning.boilerplate import site_key\n")
    assert "library.cleaning.boilerplate" in _imported_modules(sample)


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


def test_the_front_door_is_cheap_to_import() -> None:
    """`import library` loads none of the stages: a command pays only for what it uses."""
    code = (
        "import sys, library\n"
        "print(sorted(m for m in sys.modules if m.startswith('library.')))\n"
        "library.open_library; library.ArticleQuery; library.LibraryError\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True)
    assert out.stdout.strip() == "[]"
