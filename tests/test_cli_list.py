"""`reader list` as a person and a script see it: one aligned line per article, cut to the
terminal's width with ellipses, whole on a pipe, never an escape sequence from article text,
and `--query` hits written batch by batch in the library's order."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from library import Library
from reader.cli import commands_library, main
from reader.cli.listing import HEADERS, ListWriter
from reader.cli.output import Lines, aligned, cell_width

LONG_TITLE = "A very long title " + "that goes on " * 10 + "and ends here"
HOSTILE_TITLE = "Evil \x1b[2J\x1b]52;c;aGVsbG8=\x07 \u202eright-to-left\u202c zero\u200bwidth [b]markup[/b]"
WIDE_TITLE = "中文标题很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长的标题"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def library(store_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """Five articles: plain ones, a long title, a hostile one, a wide one; tags on the first."""
    src = tmp_path / "src"
    src.mkdir()
    titles = ["First plain article", LONG_TITLE, HOSTILE_TITLE, WIDE_TITLE, "Refugees and hospitals"]
    for i, title in enumerate(titles):
        topic = "Refugees reached the hospital" if i in (1, 4) else "Ordinary words were written"
        body = f"{topic} on day {i} of the month. The {i}th article says so in its own words."
        (src / f"a{i}.txt").write_text(f"{title}\n\n{body}\n", encoding="utf-8")
    code, out, err = run(capsys, "import", "-q", str(src))
    assert code == 0 and "imported 5" in out, out + err
    with Library.open(store_dir) as lib:
        first = lib.ids()[0]
        lib.tag_article(first, "Doubt")
        lib.tag_article(first, "Loaded_Language_With_A_Rather_Long_Name")
    return store_dir


def test_a_pipe_gets_one_whole_aligned_line_per_article(
    library: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "list")
    lines = out.splitlines()
    assert code == 0 and len(lines) == 1 + 5 + 1
    header, rows, footer = lines[0], lines[1:-1], lines[-1]
    assert header.split() == list(HEADERS) and footer == "5 of 5 articles"
    assert "\x1b" not in out and "\u202e" not in out and "\x07" not in out and "\u200b" not in out
    listed = json.loads(run(capsys, "list", "--json")[1])
    title_at = header.index("title")
    for row, record in zip(rows, listed, strict=True):
        assert row.startswith(record["id"][:8])
        prefix = row[:title_at]
        assert cell_width(prefix) == title_at  # the title column starts at one place on every row
    assert rows[1][title_at:] == LONG_TITLE  # whole on a pipe: no ellipsis
    assert "␛[2J" in rows[2] and "[b]markup[/b]" in rows[2]  # shown literally, made harmless
    assert WIDE_TITLE in rows[3]
    assert "Doubt, Loaded_Language_…" in rows[0]  # tags cut to their column, with an ellipsis


@pytest.mark.parametrize(("width", "title_room"), [(80, 26), (120, 50), (60, 15)])
def test_a_terminal_gets_lines_that_fit_its_width(library: Path, width: int, title_room: int) -> None:
    with Library.open(library, read_only=True) as lib:
        summaries = lib.summaries()
    out = io.StringIO()
    writer = ListWriter(out, summaries, width=width)
    writer.write(summaries)
    writer.finish(len(summaries))
    lines = out.getvalue().splitlines()
    assert len(lines) == 7
    assert all(cell_width(line) <= width for line in lines), [cell_width(x) for x in lines]
    title_at = lines[0].index("title")
    assert lines[2][title_at:].endswith("…") and lines[2][title_at:].startswith("A very long")
    assert lines[4][title_at:].endswith("…") and lines[4][title_at:].startswith("中文")
    # The title keeps most of the room the fixed columns leave: site and tags give way first.
    assert width - title_at >= title_room
    assert "Dou" in lines[1] and "…" in lines[1][:title_at]  # the tags, cut
    if width >= 80:
        assert lines[5][title_at:] == "Refugees and hospitals"


def test_the_header_is_bold_only_where_style_is_wanted(
    library: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FORCE_COLOR", "1")
    out = run(capsys, "list")[1]
    assert out.startswith("\x1b[1mid") and out.count("\x1b[") == 2  # bold on, reset: the header only
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\x1b" not in run(capsys, "list")[1]


def test_query_hits_are_written_batch_by_batch_in_order(
    library: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = [
        a["id"][:8] for a in json.loads(run(capsys, "list", "--json", "--query", "refugees hospital")[1])
    ]
    assert len(expected) == 2
    monkeypatch.setattr(commands_library, "SEARCH_BATCH", 2)  # three batches for five articles
    searched: list[int] = []
    real_search = Library.search

    def counting(self: Library, query: str, ids: object = None) -> list[str]:
        found = real_search(self, query, ids)  # type: ignore[arg-type]
        searched.append(len(list(ids or [])))  # type: ignore[call-overload]
        return found

    monkeypatch.setattr(Library, "search", counting)
    code, out, _ = run(capsys, "list", "--query", "refugees hospital")
    lines = out.splitlines()
    assert code == 0 and searched == [2, 2, 1]
    assert [line.split()[0] for line in lines[1:-1]] == expected and lines[-1] == "2 of 5 articles"
    _, none, _ = run(capsys, "list", "--query", "nowhere-to-be-found")
    assert none == "0 of 5 articles\n"


def test_reader_tags_lines_align_and_fit(library: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`reader tags` uses the same plain lines: counts right-aligned under their headers, and on
    an 80-column terminal the label column gives way so the last column's header still fits."""
    code, out, _ = run(capsys, "tags")
    lines = out.splitlines()
    assert (
        code == 0
        and lines[0].split("  ")[0].strip() == "label"
        and lines[-1] == "by annotator: spans/articles"
    )
    spans_end = lines[0].index("spans") + len("spans")
    long_row = next(line for line in lines if line.startswith("Loaded_Language_With"))
    assert long_row[:spans_end].endswith("0") and long_row[spans_end:].split()[0] == "1"
    table = io.StringIO()
    lines_out = Lines(table)
    aligned(lines_out, ("label", "spans", "by annotator"), [("x" * 90, "3", "alice 3/1, bob 2/1")], width=40)
    header, row = table.getvalue().splitlines()
    assert cell_width(header) <= 40 and cell_width(row) <= 40 and row.startswith("x" * 10) and "…" in row
