"""The library commands end to end: import, list, show, stats, as a person runs them."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from conftest import corpus_dir
from hostile import make_hostile_corpus, patch_unreadable

from library import Library
from reader.cli import main

HOSTILE_TEXT = (
    "Breaking [@click=app.quit]news[/] [b]bold[/b] \x1b[2J\x1b]52;c;aGVsbG8=\x07 \x1b]8;;http://x\x1b\\link"
    "\x1b]8;;\x1b\\ \u202eevil\u202c end"
)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_seed_imports_and_shows_as_the_issue_states(
    store_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seed = corpus_dir("seed") / "000_06f29f9339602858.txt"
    code, out, err = run(capsys, "import", str(seed))
    assert code == 0, err
    assert "imported 1, unchanged 0, duplicates 0, failed 0" in out

    code, out, _ = run(capsys, "import", str(seed))
    assert code == 0 and "imported 0, unchanged 1" in out

    code, out, _ = run(capsys, "list", "--json")
    [item] = json.loads(out)
    assert "body" not in item and "boilerplate" not in item
    code, out, _ = run(capsys, "show", item["id"][:6], "--json")
    data = json.loads(out)
    assert data["title"] == "Video: ISIS Terrorists Rapidly Losing Ground in Eastern Aleppo"
    assert data["authors"] == ["South Front"]
    assert data["published"] == "2017-05-23"
    assert data["region"] == ["Middle East & North Africa"]
    assert data["themes"] == ["Terrorism", "US NATO War Agenda"]
    assert data["in_depth_report"] == "SYRIA"
    assert data["original_source"] == "South Front"
    assert data["origin"] == {"path": str(seed), "record": None}
    paragraphs = data["body"].split("\n\n")
    assert len(paragraphs) == 11
    assert paragraphs[0].startswith("The Syrian Arab Army (SAA) Tiger Forces")
    assert paragraphs[-1].endswith("to Idlib province.")
    assert "still have to be confirmed by some evidence." in data["body"]
    reasons = {b["text"].split()[0]: b["reason"] for b in data["boilerplate"]}
    assert all(b["reason"] for b in data["boilerplate"])
    footer = [b["text"] for b in data["boilerplate"]]
    assert any(t.startswith("If you're able") for t in footer)
    assert any(t.startswith("For media inquiries") for t in footer)
    assert reasons
    for key in ("id", "url", "site", "tags", "highlights", "origin"):
        assert key in data


def test_exit_codes_and_one_line_per_failed_file(
    store_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = tmp_path / "good.txt"
    good.write_text("A Title\n\nA body sentence that is long enough to be an article.\n", encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    code, out, err = run(capsys, "import", str(good), str(empty), str(tmp_path / "missing.txt"))
    assert code == 1
    lines = err.strip().splitlines()
    assert len(lines) == 2
    assert any(str(empty) in line and "empty" in line for line in lines)
    assert any("missing.txt" in line for line in lines)
    assert "imported 1" in out and "failed 2" in out
    with pytest.raises(SystemExit) as usage:
        main(["import"])
    assert usage.value.code == 2
    code, _, err = run(capsys, "show", "ffffffffff")
    assert code == 1 and "ffffffffff" in err


def test_hostile_folder_imports_the_good_files_and_keeps_the_store_loadable(
    store_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = make_hostile_corpus(tmp_path / "hostile")
    with patch_unreadable(corpus, monkeypatch.setattr):
        code, out, err = run(capsys, "import", "--quiet", str(corpus.root))
    assert code == 1
    assert "\x1b" not in out + err
    lines = err.strip().splitlines()
    assert all(line.startswith("reader: ") for line in lines)
    failed = int(out.split("failed ")[1].split()[0])
    assert failed >= corpus.expected_error_count - 5  # files marked `either` may go in as articles
    # The store is intact: it opens again, and every article in it reads back.
    with Library.open(store_dir) as lib:
        ids = lib.ids()
        assert len(ids) >= 5
        for article_id in ids:
            assert lib.article(article_id).source_text


def test_untrusted_text_shows_literally_and_never_reaches_the_terminal(
    store_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "hostile-article.txt"
    path.write_text(f"Title {HOSTILE_TEXT}\n\nFirst sentence {HOSTILE_TEXT}.\n", encoding="utf-8")
    assert run(capsys, "import", str(path))[0] == 0
    code, out, _ = run(capsys, "list")
    assert code == 0 and "\x1b" not in out and "\u202e" not in out
    assert "[@click=app.quit]" in out
    article_id = json.loads(run(capsys, "list", "--json")[1])[0]["id"]
    code, out, _ = run(capsys, "show", article_id)
    assert code == 0
    assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out
    assert "[@click=app.quit]news[/] [b]bold[/b]" in out
    code, out, _ = run(capsys, "show", article_id, "--json")
    assert "\x1b" not in out
    assert HOSTILE_TEXT in json.loads(out)["body"]
    assert run(capsys, "tag", article_id, "Doubt")[0] == 0
    code, out, _ = run(capsys, "export", "--format", "markdown")
    assert code == 0 and "\x1b" not in out
    code, out, _ = run(capsys, "export", "--format", "json", "--with-bodies")
    assert code == 0 and "\x1b" not in out
    assert HOSTILE_TEXT in json.loads(out)["articles"][0]["body"]


def test_a_second_writer_gets_a_clear_error_and_readers_still_work(
    store_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = tmp_path / "good.txt"
    good.write_text("A Title\n\nA body sentence that is long enough to be an article.\n", encoding="utf-8")
    assert run(capsys, "import", str(good))[0] == 0
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(
                f"""
                import sys, time
                from library import Library
                lib = Library.open({str(store_dir)!r})
                print("ready", flush=True)
                sys.stdin.readline()
                lib.close()
                """
            ),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parents[1],
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        code, _, err = run(capsys, "import", str(good))
        assert code == 2
        assert str(store_dir) in err and "another" in err
        code, out, _ = run(capsys, "list", "--json")
        assert code == 0 and len(json.loads(out)) == 1
        article_id = json.loads(out)[0]["id"]
        code, _, err = run(capsys, "tag", article_id, "Doubt")
        assert code == 2 and "another" in err
    finally:
        assert holder.stdin is not None
        holder.stdin.write("\n")
        holder.stdin.close()
        holder.wait(timeout=10)
    assert run(capsys, "tag", article_id, "Doubt")[0] == 0


def test_stats_counts_articles_and_tags(
    store_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    for i in range(3):
        (folder / f"a{i}.txt").write_text(
            f"Title {i}\n\nBody sentence number {i} is long enough to count as text.\n", encoding="utf-8"
        )
    assert run(capsys, "import", str(folder))[0] == 0
    ids = [a["id"] for a in json.loads(run(capsys, "list", "--json")[1])]
    run(capsys, "tag", ids[0], "Doubt")
    code, out, _ = run(capsys, "stats", "--json")
    data = json.loads(out)
    assert data["articles"] == 3 and data["tags"] == {"Doubt": 1}
    code, out, _ = run(capsys, "list", "--tag", "Doubt", "--json")
    assert [a["id"] for a in json.loads(out)] == [ids[0]]


def test_export_never_overwrites_and_an_unwritable_path_changes_nothing(
    store_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = tmp_path / "good.txt"
    good.write_text("A Title\n\nA body sentence that is long enough to be an article.\n", encoding="utf-8")
    assert run(capsys, "import", str(good))[0] == 0
    article_id = json.loads(run(capsys, "list", "--json")[1])[0]["id"]
    assert run(capsys, "tag", article_id, "Doubt")[0] == 0

    existing = tmp_path / "out.json"
    existing.write_text("precious", encoding="utf-8")
    code, _, err = run(capsys, "export", "-o", str(existing))
    assert code == 2 and str(existing) in err and len(err.strip().splitlines()) == 1
    assert existing.read_text(encoding="utf-8") == "precious"

    for target in ("/proc/version/annotations.json", str(tmp_path / "no" / "such" / "dir.json")):
        code, _, err = run(capsys, "export", "-o", target)
        assert code == 2 and target in err and len(err.strip().splitlines()) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["good.txt", "library", "out.json"]
    code, out, _ = run(capsys, "export", "-o", str(existing), "--force")
    assert code == 0
    assert json.loads(existing.read_text(encoding="utf-8"))["articles"][0]["tags"][0]["tag"] == "Doubt"


def test_a_damaged_catalogue_is_reported_and_recovered_never_silently(
    store_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = tmp_path / "good.txt"
    good.write_text("A Title\n\nA body sentence that is long enough to be an article.\n", encoding="utf-8")
    assert run(capsys, "import", str(good))[0] == 0
    catalog = store_dir / "catalog.json"
    catalog.write_bytes(catalog.read_bytes()[:40])
    code, out, err = run(capsys, "list", "--json")
    assert code == 0 and len(json.loads(out)) == 1
    assert str(catalog) in err and "damaged" in err
    code, _, err = run(capsys, "tag", json.loads(out)[0]["id"], "Doubt")
    assert code == 0 and "recovered" in err
    assert list(store_dir.glob("catalog.json.corrupt-*"))


# --- command-line polish: version, missing library, error shape, examples ------------------------


def test_version_is_printed(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0
    from importlib.metadata import version

    assert capsys.readouterr().out.strip() == f"reader (newsnotes-reader) {version('newsnotes-reader')}"


@pytest.mark.parametrize("command", [["list"], ["stats"], ["show", "abc"], ["export"], ["tag", "abc", "X"]])
def test_a_command_on_a_missing_library_says_so_and_creates_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    typo = tmp_path / "typo"
    code, out, err = run(capsys, "--db", str(typo), *command)
    assert code == 2 and out == ""
    assert err == f"reader: {typo}: no library there (create one with: reader --db {typo} import PATH)\n"
    assert not typo.exists()


def test_only_import_creates_a_library(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    new = tmp_path / "new"
    (tmp_path / "a.txt").write_text("A title\n\nSome body text for the article.\n", encoding="utf-8")
    code, out, _ = run(capsys, "--db", str(new), "import", str(tmp_path / "a.txt"))
    assert code == 0 and "imported 1" in out
    code, out, _ = run(capsys, "--db", str(new), "list")
    assert code == 0 and "A title" in out


def test_export_to_stdout_summarises_on_stderr(store_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    seed = corpus_dir("seed") / "000_06f29f9339602858.txt"
    assert run(capsys, "import", str(seed))[0] == 0
    code, out, err = run(capsys, "export", "--tag", "Nope")
    assert code == 0 and json.loads(out)["articles"] == []
    assert err == (
        "exported 0 article(s), 0 highlight(s) as json to standard output (no article matched the filters)\n"
    )


def test_the_lock_error_names_the_read_only_option(
    store_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with Library.open(store_dir):
        code, _, err = run(capsys, "clean")
    assert code == 2
    assert err.startswith(f"reader: {store_dir}: library is open in another reader process")
    assert "--read-only" in err


def test_every_subcommand_help_has_an_example(capsys: pytest.CaptureFixture[str]) -> None:
    from reader.cli import build_parser

    parser = build_parser()
    commands = next(a for a in parser._actions if a.dest == "command").choices  # noqa: SLF001
    assert commands
    for name, sub in commands.items():
        text = sub.format_help()
        example = next((line for line in text.splitlines() if line.startswith("example: ")), "")
        assert example.startswith(f"example: reader {name}"), name
    assert "example: " in parser.format_help()


@pytest.mark.parametrize(
    "argv",
    [
        ["list", "--bogus"],
        ["annotate", "abc", "--start", "5"],
        ["show", "no-such-id"],
        ["export", "--since", "yesterday"],
    ],
)
def test_errors_have_one_shape(store_dir: Path, capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    import re

    seed = corpus_dir("seed") / "000_06f29f9339602858.txt"
    assert run(capsys, "import", str(seed))[0] == 0
    try:
        code = main(argv)
    except SystemExit as exit_:
        code = exit_.code
    err = capsys.readouterr().err
    last = err.strip().splitlines()[-1]
    assert code != 0
    assert re.fullmatch(r"reader: [^:]+: .+", last), last
