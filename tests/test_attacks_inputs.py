"""Hostile inputs at the command line: odd file names, files that never end, huge fields,
fuzzed annotation documents. Each ends in one line per bad input, the good ones imported."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from library import Library
from reader.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _article(i: int) -> str:
    return f"Title {i}\n\nBody paragraph number {i}, with enough words in it to be read as an article.\n"


def test_non_utf8_file_name_does_not_abort_the_import(
    tmp_path: Path, store_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(10):
        (folder / f"a{i}.txt").write_text(_article(i))
    with open(os.path.join(os.fsencode(folder), b"caf\xe9.txt"), "w") as handle:
        handle.write(_article(99))
    code, out, err = run(capsys, "import", str(folder))
    assert code == 0, err
    assert "imported 11" in out and "Traceback" not in err
    code, out, _ = run(capsys, "list", "--json")
    paths = sorted(item["origin"]["path"] for item in json.loads(out))
    assert len(paths) == 11
    assert any(p.endswith("caf\\xe9.txt") for p in paths)  # shown escaped, never as raw bytes
    with Library.open(store_dir, read_only=True) as lib:
        needed = lib._catalog.pack_extents()
    packs = {p.name for p in (store_dir / "bodies").glob("pack-*.jsonl")}
    assert packs == set(needed)  # no pack the catalogue does not point into


# --- annotation documents: the shapes fuzzing found, and a bounded fuzz of every importer ------
@pytest.mark.parametrize("kind", [{}, [[]], [{}], 5, None, [None, "Annotation"]])
def test_w3c_document_with_a_strange_type_is_one_error_line(
    tmp_path: Path, store_dir: Path, capsys: pytest.CaptureFixture[str], kind: object
) -> None:
    Library.open(store_dir).close()  # an (empty) library to import into
    doc = tmp_path / "w3c.json"
    doc.write_text(json.dumps({"@context": "http://www.w3.org/ns/anno.jsonld", "type": kind, "items": []}))
    code, out, err = run(capsys, "import-annotations", "--format", "w3c", str(doc))
    assert "Traceback" not in err
    if kind == [None, "Annotation"]:  # still an annotation, just without a target
        assert code == 1 and "w3c.json" in err
    else:
        assert code == 1 and err.count("\n") == 1 and "w3c.json" in err and "nothing was imported" in err


@pytest.fixture(scope="module")
def fuzz_library(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    lib = Library.open(tmp_path_factory.mktemp("fuzz") / "lib")
    lib.add_articles([_source(i) for i in range(2)])
    yield lib
    lib.close()


def _source(i: int):  # type: ignore[no-untyped-def]
    from test_store_samples import make_article

    return make_article(i)


try:
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st
except ImportError:  # pragma: no cover - the test extra installs it
    given = None

if given is not None:
    _json = st.recursive(
        st.none()
        | st.booleans()
        | st.integers()
        | st.floats(allow_nan=False)
        | st.text(max_size=8)
        | st.sampled_from(
            [
                "Annotation",
                "AnnotationPage",
                "AnnotationCollection",
                "TextQuoteSelector",
                "TextPositionSelector",
                "0",
                "-1",
            ]
        ),
        lambda inner: (
            st.lists(inner, max_size=4)
            | st.dictionaries(
                st.sampled_from(
                    [
                        "type",
                        "items",
                        "first",
                        "target",
                        "body",
                        "selector",
                        "source",
                        "start",
                        "end",
                        "exact",
                        "id",
                        "articles",
                        "highlights",
                        "label",
                        "text",
                        "value",
                        "creator",
                        "tags",
                    ]
                )
                | st.text(max_size=4),
                inner,
                max_size=5,
            )
        ),
        max_leaves=12,
    )

    @settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
    @given(doc=_json, fmt=st.sampled_from(["json", "jsonl", "w3c", "doccano", "ptc"]))
    def test_fuzzed_annotation_documents_never_crash_the_importer(
        fuzz_library: Library, doc: object, fmt: str
    ) -> None:
        from library.interchange.importing import AnnotationFileError, import_annotation_files

        path = fuzz_library.path.parent / "doc.json"
        text = json.dumps(doc)
        path.write_text(text if fmt != "jsonl" else text + "\n" + text + "\n")
        try:
            import_annotation_files(fuzz_library, [path], fmt=fmt)
        except AnnotationFileError as err:
            assert "doc.json" in str(err) and "\n" not in str(err)


def test_endless_device_through_a_symlink_leaves_no_temporary_file(
    tmp_path: Path, store_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import tempfile

    from library.ingest import reading

    spool = tmp_path / "spool"
    spool.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(spool))
    monkeypatch.setattr(reading, "MAX_DATASET_BYTES", 4 * 1024 * 1024)  # the limit, made small
    link = tmp_path / "zeros.txt"
    link.symlink_to("/dev/zero")
    good = tmp_path / "good.txt"
    good.write_text(_article(1))
    code, out, err = run(capsys, "import", str(link), str(good))
    assert code == 1 and "imported 1" in out
    assert "zeros.txt: input too large" in err and "Traceback" not in err
    assert list(spool.iterdir()) == []


def test_named_pipe_given_explicitly_is_refused_without_blocking(
    tmp_path: Path, store_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    good = tmp_path / "good.txt"
    good.write_text(_article(2))
    code, out, err = run(capsys, "import", str(fifo), str(good))  # would block forever before
    assert code == 1 and "imported 1" in out
    assert "pipe.txt: not a regular file (named pipe)" in err


def test_process_substitution_pipe_is_still_read(tmp_path: Path) -> None:
    import subprocess
    import sys

    store = tmp_path / "lib"
    script = f"{sys.executable} -m reader.cli --db {store} import <(printf 'Piped title\\n\\nA piped body with words.\\n')"
    done = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "imported 1" in done.stdout


def test_huge_csv_field_skips_only_its_own_record(
    tmp_path: Path, store_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A field over the per-field limit (100 MB against 64 MB; here scaled down to 3 MB against 1 MB
    to stay fast) skips its record, and the good rows after it are imported."""
    from library.ingest import datasets

    monkeypatch.setattr(datasets, "FIELD_LIMIT", 1024 * 1024)
    monkeypatch.setattr(datasets, "HARD_FIELD_LIMIT", 4 * 1024 * 1024)
    rows = ["title,body"]
    rows += [f"Good {i},A good body number {i} with words." for i in range(3)]
    rows.append('Huge,"' + "x" * (3 * 1024 * 1024) + '"')
    rows += [f"Later {i},A later body number {i} with words." for i in range(3)]
    data = tmp_path / "data.csv"
    data.write_text("\n".join(rows) + "\n")
    code, out, err = run(capsys, "import", str(data))
    assert code == 1 and "imported 6" in out and "failed 1" in out, (out, err)
    assert "over the 1 MB limit; record skipped" in err


def test_same_highlight_id_with_other_offsets_is_reported_not_dropped(
    tmp_path: Path, store_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from test_store_samples import make_article

    with Library.open(store_dir) as lib:
        [aid] = lib.add_articles([make_article(3)]).imported
        lib.add_highlight(aid, 20, 30, tags=["a"])
        source = lib.article(aid).source_text
    export = tmp_path / "ann.json"
    assert run(capsys, "export", "-o", str(export))[0] == 0
    data = json.loads(export.read_text())
    [entry] = data["articles"][0]["highlights"]
    entry["source_start"], entry["source_end"] = 40, 52  # the same id, another span
    entry["start"] = entry["end"] = None
    entry["quote"], entry["prefix"], entry["suffix"] = source[40:52], "", ""
    export.write_text(json.dumps(data))
    code, out, err = run(capsys, "import-annotations", str(export))
    assert code == 1, (out, err)
    assert f"highlight id {entry['id']} is already present at 20-30, not at 40-52" in err
    assert "0 already present" in out


def test_author_that_looks_like_markup_is_kept_and_shown_literally(
    tmp_path: Path, store_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data.csv"
    data.write_text('title,authors,body\nT,[@click=app.quit]x[/],"A body with words, enough of them."\n')
    assert run(capsys, "import", str(data))[0] == 0
    code, out, _ = run(capsys, "list", "--json")
    aid = json.loads(out)[0]["id"]
    code, out, _ = run(capsys, "show", aid, "--json")
    assert json.loads(out)["authors"] == ["[@click=app.quit]x[/]"]
    code, out, _ = run(capsys, "show", aid)
    assert "authors: [@click=app.quit]x[/]" in out


async def test_author_markup_is_shown_literally_in_the_metadata_pane(store_dir: Path, tmp_path: Path) -> None:
    from reader.app.app import ReaderApp
    from reader.app.settings import Settings
    from reader.app.widgets.panes import MetadataPane

    data = tmp_path / "data.csv"
    author = "[@click=app.quit]x[/] \u200b\u200d e\u0301 👩‍👩‍👧‍👦 [b]bold[/b]"
    data.write_text(f'title,authors,body\nT,"{author}","A body with words, enough of them."\n')
    with Library.open(store_dir) as lib:
        from library.ingest.reading import read_inputs

        lib.add_articles(i for i in read_inputs([str(data)]) if not hasattr(i, "reason"))
    lib = Library.open(store_dir)
    app = ReaderApp(lib, Settings.load(None))
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            await pilot.press("enter")
            await pilot.pause()
            await pilot.press("m")
            await pilot.pause()
            pane = app.screen.query_one(MetadataPane)
            text = str(pane.query_one("#meta-text").render())
            assert "[@click=app.quit]x[/]" in text and "[b]bold[/b]" in text
            assert app.is_running  # the click action never ran
            # No zero-width or joining character reaches the laid-out pane: its measured width is
            # the width a terminal draws, so the border stays straight.
            import unicodedata

            assert not [c for c in text if unicodedata.category(c) == "Cf" or c in "\ufe0e\ufe0f"]
            assert "👩👩👧👦" in text and "e\u0301" in text
    finally:
        lib.close()


def test_hostile_corpus_leaves_a_library_that_checks_sound(
    tmp_path: Path, store_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """tests/hostile.py's inputs through the command line: one line per bad input, and every
    file of the library afterwards passes `reader check` (no orphan, no leftover, no damage)."""
    from hostile import make_hostile_corpus, patch_unreadable

    corpus = make_hostile_corpus(tmp_path / "hostile")
    with patch_unreadable(corpus, monkeypatch.setattr):
        code, out, err = run(capsys, "import", "--quiet", str(corpus.root))
    assert code == 1 and "Traceback" not in err
    assert all(line.startswith("reader: ") for line in err.strip().splitlines())
    code, out, err = run(capsys, "check")
    assert code == 0 and "library is sound" in out, out
