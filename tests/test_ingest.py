"""From command-line paths to parsed articles: expansion, sniffing, stdin, samples, real corpora."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest
from conftest import corpus_dir

from library.ingest import reading as ingest
from library.ingest.reading import (
    FORMATS,
    IngestError,
    IngestNotice,
    expand_paths,
    read_inputs,
    safe_label,
    sniff_format,
)
from library.model import ParsedArticle
from reader.samples import sample_paths

PLAIN = "A Title\n\nFirst sentence of the body.\nSecond sentence.\n"


def _articles(results: list[object]) -> list[ParsedArticle]:
    return [r for r in results if isinstance(r, ParsedArticle)]


def _errors(results: list[object]) -> list[IngestError]:
    return [r for r in results if isinstance(r, IngestError)]


def test_expand_paths_walks_folders_skips_hidden_and_reports_bad_paths(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "two.txt").write_text(PLAIN)
    (tmp_path / "a.txt").write_text(PLAIN)
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "config").write_text("x")
    (tmp_path / ".hidden.txt").write_text("x")
    os.symlink(".", tmp_path / "b" / "up")  # a cycle back to an already-read folder
    os.symlink("self", tmp_path / "self")
    items = list(expand_paths([str(tmp_path), str(tmp_path / "a.txt"), str(tmp_path / "missing.txt")]))
    files = [p for p in items if isinstance(p, Path)]
    errors = [e for e in items if isinstance(e, IngestError)]
    assert [p.name for p in files] == ["a.txt", "two.txt"]  # a.txt once, though named twice
    assert sorted(e.reason for e in errors) == ["no such file or directory", "symlink loop"]


def test_globs_expand_and_an_empty_glob_is_an_error(tmp_path: Path) -> None:
    for name in ("x1.txt", "x2.txt", "y.md"):
        (tmp_path / name).write_text(PLAIN)
    items = list(expand_paths([str(tmp_path / "x*.txt"), str(tmp_path / "*.none")]))
    assert [p.name for p in items if isinstance(p, Path)] == ["x1.txt", "x2.txt"]
    [err] = [e for e in items if isinstance(e, IngestError)]
    assert err.reason == "no file matches this pattern"


@pytest.mark.parametrize(
    ("name", "head", "fmt"),
    [
        ("a.html", "whatever", "html"),
        ("a", "<!DOCTYPE html><html><body>x", "html"),
        ("a", "  <html lang='en'><head>", "html"),
        ("a", '[{"title": "x"}]', "json"),
        ("a", '{"title": "x", "content": "y"}\n{"title": "z"}\n', "jsonl"),
        ("a.json", '{"title": "x", "content": "y"}\n{"title": "z"}\n', "jsonl"),
        ("a", '{\n  "title": "x"\n}\n', "json"),
        ("a", "title,author,content\nA,B,C\n", "csv"),
        ("a", "title\tbody_text\nA\tB\n", "csv"),
        ("a", "Title, with a comma\n\nBody text, also with commas.\n", ""),
        ("a.txt", "[Exclusive] A title\n\nBody.\n", ""),
    ],
)
def test_sniff_format(name: str, head: str, fmt: str) -> None:
    assert sniff_format(name, head) == fmt


def test_format_option_overrides_sniffing(tmp_path: Path) -> None:
    path = tmp_path / "looks.csv"
    path.write_text("title,content\nA,B\n")
    [article] = list(read_inputs([str(path)], fmt="text"))
    assert isinstance(article, ParsedArticle) and article.format == "text"
    assert article.source_text == "title,content\nA,B\n"
    with pytest.raises(ValueError, match="unknown format"):
        list(read_inputs([str(path)], fmt="docx"))
    assert "csv" in FORMATS and "html" in FORMATS


def test_stdin_is_read_as_a_file(tmp_path: Path) -> None:
    data = json.dumps({"title": "From a pipe", "content": "Body through stdin."}) + "\n"
    [article] = list(read_inputs(["-"], stdin=io.BytesIO(data.encode())))
    assert isinstance(article, ParsedArticle)
    assert article.meta.title == "From a pipe" and article.origin.path == "<stdin>"
    assert article.origin.record == 0
    [err] = list(read_inputs(["-"], stdin=io.BytesIO(b"")))
    assert isinstance(err, IngestError) and err.label == "<stdin>" and err.reason == "empty file"


def test_origin_is_the_absolute_path_and_offsets_point_into_the_decoded_text(tmp_path: Path) -> None:
    path = tmp_path / "crlf.txt"
    path.write_bytes(PLAIN.replace("\n", "\r\n").encode("utf-16"))
    [article] = list(read_inputs([str(path)]))
    assert isinstance(article, ParsedArticle)
    assert article.origin.path == os.path.abspath(path) and article.origin.record is None
    assert article.source_text == PLAIN.replace("\n", "\r\n")
    for block in article.blocks:
        for run in block.runs:
            assert (
                block.text[run.clean : run.clean + run.length]
                == article.source_text[run.source : run.source + run.length]
            )


def test_a_parser_failure_is_one_error_not_a_crash(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(text: str, origin: object, fmt: object = None) -> None:
        raise IndexError("parser bug")

    monkeypatch.setattr(ingest.parsing, "parse_document", boom)
    (tmp_path / "a.txt").write_text(PLAIN)
    (tmp_path / "b.jsonl").write_text(json.dumps({"content": "fine"}) + "\n")
    results = list(read_inputs([str(tmp_path)]))
    [err] = _errors(results)
    assert err.reason == "could not parse: IndexError: parser bug"
    assert len(_articles(results)) == 1


def test_safe_label() -> None:
    assert safe_label("a\nb\tc\x1b[31m.txt") == "a␊b␉c␛[31m.txt"
    assert safe_label(os.fsdecode(b"caf\xe9.txt")) == "caf\\xe9.txt"


def test_every_sample_reads_cleanly_in_its_format() -> None:
    paths = sample_paths()
    assert paths[0].name == "000_06f29f9339602858.txt"
    results = list(read_inputs([str(p) for p in paths]))
    assert not _errors(results), _errors(results)
    articles = _articles(results)
    formats = [a.format for a in articles]
    for fmt in ("globalresearch", "markdown", "text", "html", "csv", "jsonl"):
        assert fmt in formats, fmt
    assert formats.count("globalresearch") == 3 and formats.count("csv") == 3 and formats.count("jsonl") == 2
    seed = articles[0]
    assert seed.meta.title == "Video: ISIS Terrorists Rapidly Losing Ground in Eastern Aleppo"
    assert seed.meta.authors == ["South Front"] and seed.meta.published == "2017-05-23"
    for article in articles:
        assert article.meta.title
        assert any(b.is_body for b in article.blocks)


def test_seed_sample_is_the_corpus_seed_unchanged() -> None:
    seed = corpus_dir("seed") / "000_06f29f9339602858.txt"
    assert sample_paths()[0].read_bytes() == seed.read_bytes()


@pytest.mark.parametrize(("name", "count"), [("bibp-archive-globalresearch", 30), ("ptc-dev", 40)])
def test_real_corpus_folders_read_whole(name: str, count: int) -> None:
    folder = corpus_dir(name)
    results = list(read_inputs([str(folder / "articles")]))
    assert not _errors(results), _errors(results)[:3]
    assert len(_articles(results)) == count


# --- CR-only and mixed line ends: read right, offsets into the original file ---------------------

CR_ARTICLE = [
    "Harbour Works Delayed Again",
    "",
    "The harbour works will not finish before the winter, the port said on Friday.",
    "Contractors blamed the storms of October for most of the delay.",
    "",
    "A new timetable is due next month.",
]


@pytest.mark.parametrize(
    "ends", [["\r"], ["\r\n", "\n", "\r"], ["\n", "\n", "\r"]], ids=["cr", "mixed3", "lf-cr"]
)
def test_cr_only_and_mixed_line_ends_read_as_lines(tmp_path: Path, ends: list[str]) -> None:
    text = "".join(line + ends[i % len(ends)] for i, line in enumerate(CR_ARTICLE))
    path = tmp_path / "cr.txt"
    path.write_bytes(text.encode("cp1252"))
    [article] = _articles(list(read_inputs([str(path)], workers=1)))
    assert article.source_text == text  # kept exactly: no newline translation
    assert article.meta.title == "Harbour Works Delayed Again"
    assert [b.text for b in article.blocks if b.is_body] == [
        "The harbour works will not finish before the winter, the port said on Friday. "
        "Contractors blamed the storms of October for most of the delay.",
        "A new timetable is due next month.",
    ]


@pytest.mark.parametrize("ends", [["\r"], ["\r\n", "\r", "\n"]], ids=["cr", "mixed"])
def test_a_highlight_in_a_cr_file_indexes_the_original_file_text(
    tmp_path: Path, ends: list[str], store_dir: Path
) -> None:
    from library import Library

    lines = ["Harbour Works Delayed Again", "", "By [Ana Lima](#)", "", "Global Research, May 14, 2020", ""]
    lines += CR_ARTICLE[2:] + ["", "The original source of this article is Global Research"]
    text = "".join(line + ends[i % len(ends)] for i, line in enumerate(lines))
    path = tmp_path / "gr_cr.txt"
    path.write_bytes(text.encode())
    lib = Library.open(store_dir)
    try:
        report = lib.add_articles(
            i for i in read_inputs([str(path)], workers=1) if not isinstance(i, IngestError)
        )
        lib.clean_pending()
        [aid] = report.imported
        article = lib.article(aid)
        assert article.meta.authors == ["Ana Lima"] and article.meta.published == "2020-05-14"
        original = path.read_bytes().decode("utf-8")
        for phrase in ("the port said on Friday", "A new timetable is due"):
            start = article.body.index(phrase)
            span = article.body_to_source(start, start + len(phrase))
            assert span is not None
            highlight = lib.add_highlight(aid, *span, tags=["delay"])
            assert original[highlight.source_start : highlight.source_end] == phrase
            assert highlight.quote == phrase
    finally:
        lib.close()


# --- not every file in a folder is an article ----------------------------------------------------

LABEL_ROWS = "111\tLoaded_Language\t10\t25\n111\tRepetition\t40\t52\n222\tDoubt\t3\t9\n"
NOT_ARTICLES = {
    "README.md": "# About this data set\n\nArticles scraped in 2020.\n",
    "LICENSE": "Permission is hereby granted, free of charge, to any person...\n",
    "SOURCE.md": "# Where these files come from\n\nA public repository.\n",
    "labels.tsv": LABEL_ROWS,
    "article111.task-flc-tc.labels": LABEL_ROWS,
    "techniques.txt": "Appeal_to_Authority\nBandwagon,Reductio_ad_hitlerum\nDoubt\nRepetition\n",
    "gold-spans.txt": LABEL_ROWS.replace("111", "333"),  # a label file by its content, not its name
}


def _data_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "dataset"
    (folder / "articles").mkdir(parents=True)
    for name, text in NOT_ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "articles" / "article111.txt").write_text(PLAIN, encoding="utf-8")
    (folder / "articles" / "article222.txt").write_text(
        "Other Title\n\nAnother body line.\n", encoding="utf-8"
    )
    return folder


def test_a_folder_import_skips_files_that_are_plainly_not_articles(tmp_path: Path) -> None:
    folder = _data_folder(tmp_path)
    results = list(read_inputs([str(folder)], workers=1))
    assert sorted(a.meta.title for a in _articles(results)) == ["A Title", "Other Title"]
    notices = _errors(results)
    assert all(isinstance(n, IngestNotice) and n.kind == "skipped" for n in notices), notices
    reasons = {os.path.basename(n.label): n.reason for n in notices}
    assert sorted(reasons) == sorted(NOT_ARTICLES)
    hint = "skipped: annotation labels, not articles: load them with `reader import-annotations`"
    for name in ("labels.tsv", "article111.task-flc-tc.labels", "gold-spans.txt"):
        assert reasons[name] == hint
    assert reasons["techniques.txt"] == "skipped: a list of technique labels, not an article"
    assert reasons["README.md"] == "skipped: a notes or licence file, not an article"


def test_include_all_reads_them_anyway_and_named_files_are_always_read(tmp_path: Path) -> None:
    folder = _data_folder(tmp_path)
    results = list(read_inputs([str(folder)], workers=1, include_all=True))
    assert len(_articles(results)) == 2 + 6  # all but labels.tsv (a TSV with no body column)
    assert not [r for r in results if isinstance(r, IngestNotice) and r.kind == "skipped"]
    # Named on the command line: read (a label .txt is imported, with the hint).
    named = list(read_inputs([str(folder / "README.md"), str(folder / "gold-spans.txt")], workers=1))
    assert len(_articles(named)) == 2
    [warning] = _errors(named)
    assert isinstance(warning, IngestNotice) and warning.kind == "warning"
    assert "look like annotation labels" in warning.reason and "import-annotations" in warning.reason
    # A label TSV cannot be an article: the error says what it is.
    [err] = list(read_inputs([str(folder / "labels.tsv")], workers=1))
    assert isinstance(err, IngestError) and not isinstance(err, IngestNotice)
    assert err.reason == (
        "no body column: these look like annotation labels, not articles: "
        "load them with `reader import-annotations`"
    )


def test_skipping_holds_in_the_parallel_read(tmp_path: Path) -> None:
    folder = _data_folder(tmp_path)
    for i in range(40):
        (folder / "articles" / f"more{i}.txt").write_text(f"Title {i}\n\nBody {i}.\n", encoding="utf-8")
    results = list(read_inputs([str(folder)], workers=2))
    assert len(_articles(results)) == 42
    assert len(_errors(results)) == len(NOT_ARTICLES)


def test_ptc_dev_folder_imports_its_articles_and_skips_the_rest() -> None:
    folder = corpus_dir("ptc-dev")
    results = list(read_inputs([str(folder)], workers=1, defer_cleaning=True))
    notices = _errors(results)
    assert len([r for r in results if not isinstance(r, IngestError)]) == 40
    assert sorted(os.path.basename(n.label) for n in notices) == ["SOURCE.md", "labels.tsv", "techniques.txt"]
    assert all(isinstance(n, IngestNotice) and n.kind == "skipped" for n in notices)
    labels = next(n for n in notices if n.label.endswith("labels.tsv"))
    assert "reader import-annotations" in labels.reason


def test_cli_folder_import_prints_one_line_per_skipped_file_and_a_count(
    tmp_path: Path, store_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from reader.cli import main

    folder = _data_folder(tmp_path)
    code = main(["import", "--quiet", str(folder)])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert out.strip() == (
        "imported 2, unchanged 0, duplicates 0, failed 0, skipped 7 (not articles; --include-all reads them)"
    )
    lines = err.strip().splitlines()
    assert len(lines) == 7 and all(": skipped: " in line for line in lines)
    assert any(
        "labels.tsv: skipped: annotation labels" in line and "import-annotations" in line for line in lines
    )
    code = main(["import", "--quiet", "--include-all", str(folder)])
    out, err = capsys.readouterr()
    assert code == 1  # labels.tsv has no body column: it fails when read as a data set
    assert "imported 6, unchanged 2" in out and "failed 1" in out and "skipped" not in out


def test_cli_names_replaced_bytes_on_one_line_and_does_not_count_a_failure(
    tmp_path: Path, store_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from reader.cli import main

    path = tmp_path / "stray.txt"
    before = "Réunion Flights\n\nFlights to Réunion resumed ".encode()
    path.write_bytes(before + b"\xff" + b"on Monday.\n")
    code = main(["import", "--quiet", str(path)])
    out, err = capsys.readouterr()
    assert code == 0
    assert out.strip() == "imported 1, unchanged 0, duplicates 0, failed 0"
    assert err.strip() == f"reader: {path}: invalid UTF-8 replaced with U+FFFD at byte {len(before)}"
