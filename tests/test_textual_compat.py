"""Each private Textual member the app relies on still exists, with the signature and effect used.

When one of these fails after a Textual upgrade, `reader/app/textual_compat.py` is the one file
to adapt (its docstring says what each member is for).
"""

from __future__ import annotations

import inspect

from textual.app import App, ComposeResult
from textual.document import _wrapped_document
from textual.widgets import TextArea
from textual.widgets.text_area import Document

from reader.app import textual_compat as tc
from reader.app.widgets.body import BodyView


def _params(func: object) -> list[str]:
    return list(inspect.signature(func).parameters)  # type: ignore[arg-type]


def test_cell_len_measures_cells() -> None:
    assert _params(tc.cell_len)[0] == "text"
    assert tc.cell_len("ab") == 2 and tc.cell_len("漢") == 2


def test_compute_wrap_offsets_signature_and_result() -> None:
    assert _params(tc.compute_wrap_offsets) == [
        "text",
        "width",
        "tab_size",
        "fold",
        "precomputed_tab_sections",
    ]
    assert tc.compute_wrap_offsets("aaa bbb ccc", 4, 4) == [4, 8]


def test_wrapped_document_calls_the_module_level_wrap_function() -> None:
    assert hasattr(_wrapped_document, "compute_wrap_offsets")
    calls: list[str] = []

    def spy(text: str, *args: object, **kwargs: object) -> list[int]:
        calls.append(text)
        return tc.compute_wrap_offsets(text, *args, **kwargs)  # type: ignore[arg-type]

    original = _wrapped_document.compute_wrap_offsets
    with tc.wrapping_with(spy):
        tc.WrappedDocument(Document("one two three\nfour"), width=5)
    assert calls == ["one two three", "four"]
    assert _wrapped_document.compute_wrap_offsets is original  # put back


def test_wrapped_document_offsets_and_class_swap_give_a_cached_height() -> None:
    wrapped = tc.WrappedDocument(Document("one two three\nfour five"), width=5)
    offsets = wrapped._wrap_offsets  # noqa: SLF001 - the member under test
    assert isinstance(offsets, list) and all(isinstance(line, list) for line in offsets)
    expected = wrapped.height
    assert _params(tc.WrappedDocument.wrap_range) == ["self", "start", "old_end", "new_end"]
    assert _params(tc.WrappedDocument.wrap) == ["self", "width", "tab_width"]
    tc.use_cached_height(wrapped)
    assert type(wrapped) is tc.CachedHeightWrap and wrapped.height == expected
    assert wrapped.height == expected  # from the cache
    wrapped.wrap(3)
    assert wrapped.height == sum(len(line) + 1 for line in wrapped._wrap_offsets)  # noqa: SLF001


def test_text_area_private_steps_exist_with_their_signatures() -> None:
    assert _params(TextArea._set_document) == ["self", "text", "language"]  # noqa: SLF001
    assert _params(TextArea._rewrap_and_refresh_virtual_size) == ["self"]  # noqa: SLF001
    assert _params(TextArea._refresh_size) == ["self"]  # noqa: SLF001


class _BodyApp(App[None]):
    def compose(self) -> ComposeResult:
        yield BodyView(id="body")


async def test_text_area_hooks_fire_in_a_running_app() -> None:
    app = _BodyApp()
    async with app.run_test(size=(40, 10)) as pilot:
        body = app.query_one(BodyView)
        body.set_body("word " * 200)
        await pilot.pause()
        assert type(body.wrapped_document) is tc.CachedHeightWrap  # `_set_document` called the hook
        assert hasattr(body._line_cache, "clear")  # noqa: SLF001 - the member under test
        height = body.wrapped_document.height
        assert height > 10 and body.virtual_size.height >= height
        body.refresh_without_rewrap()
        body.rewrap_all()
        await pilot.pause()
        assert body.wrapped_document.height == height


def test_no_other_app_module_imports_a_private_textual_module() -> None:
    """Private Textual modules are imported in textual_compat alone."""
    import re
    from pathlib import Path

    import reader.app

    root = Path(reader.app.__file__).parent
    private = re.compile(
        r"^\s*(from|import)\s+textual(\.\w+)*\._\w+|^\s*from\s+textual(\.\w+)*\s+import\s+_", re.M
    )
    allowed = {"textual_compat.py"}
    found = [
        str(path.relative_to(root))
        for path in sorted(root.rglob("*.py"))
        if path.relative_to(root).as_posix() not in allowed
        and private.search(path.read_text(encoding="utf-8"))
    ]
    assert found == []
    assert private.search((root / "textual_compat.py").read_text(encoding="utf-8"))  # the pattern works
