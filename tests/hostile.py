"""A generated corpus of hostile input files next to a few good ones (issue 6.1).

`make_hostile_corpus(root)` writes the files and returns what reading them must give: for every
bad file exactly one IngestError (its label and a reason pattern), for every good file its
articles, for data sets their per-record errors. Tests of `read_inputs`, of `reader import` and of
the store reuse it through `HostileCorpus.check(results)`.

Creating it takes about a second: the 100 MB text is written in 1 MB chunks, the 10,000 empty files
are created with os.open/os.close.
"""

from __future__ import annotations

import codecs
import contextlib
import json
import os
import random
import re
import stat
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from library.ingest.reading import IngestError, safe_label

MB = 1024 * 1024
EMPTY_DIR_FILES = 10_000

PARAGRAPH = (
    "The regional council met on Tuesday to discuss the new water rules. Officials said the plan "
    "would protect the river, while farmers warned that it could ruin the harvest. "
)

GOOD_GR = """Council Votes to Protect the River, Farmers Protest

By [Ana Fields](#)

Global Research, June 02, 2015

[Ana Fields](#)

Theme: [Environment](#)

The regional council voted on Tuesday to limit how much water farms may take from the river during the summer months.

Farmers gathered outside the council building and warned that the rule would ruin this year's harvest. "They are destroying our way of life," one of them said.

The council says the river has fallen to its lowest level in forty years.

The original source of this article is Global Research
Copyright © [Ana Fields](#), Global Research, 2015
"""

GOOD_PLAIN = """Mayor Promises Cleaner Streets Before the Festival

The mayor promised on Monday that every street in the old town would be cleaned before the summer festival.
Critics called the promise an empty slogan.

The city has hired forty temporary workers for the task.
"""

ACCENTED = """Café Owners in Sète Protest Against New Terrace Fees

The owners of the cafés on the quay say the new fees are déjà vu: the same rule was withdrawn in 2009.
« C'est une honte », said Hélène Dubois, who has run her café for twenty-three years.

The council will vote again in September.
"""

CP1252 = """Councillors Clash Over the “Temporary” Car Park

The car park was meant to be “temporary” – it has now stood for eleven years.
Residents say the council’s promises are worth nothing.
"""


@dataclass
class Expect:
    """What reading one input must give."""

    path: Path
    errors: list[tuple[int | None, str]] = field(default_factory=list)  # (record or None, reason regex)
    articles: int = 0
    either: bool = False  # one outcome, article or error (truncated HTML, a 10 MB line)
    text_contains: str | None = None  # for decoded good files: a string the article's source must hold

    @property
    def label(self) -> str:
        return safe_label(self.path)


@dataclass
class HostileCorpus:
    root: Path
    expects: list[Expect]
    empty_dir: Path
    unreadable: Path
    unreadable_is_real: bool  # False: tests must call `patch_unreadable` (running as root, no real one)

    @property
    def bad_files(self) -> int:
        return sum(1 for e in self.expects if e.errors and not e.articles) + EMPTY_DIR_FILES

    @property
    def expected_error_count(self) -> int:
        """IngestErrors when everything behaves (files in `either` count as articles or errors)."""
        return sum(len(e.errors) for e in self.expects if not e.either) + EMPTY_DIR_FILES

    @property
    def expected_article_count(self) -> int:
        return sum(e.articles for e in self.expects if not e.either)

    def check(self, results: Iterable[object]) -> tuple[list[object], list[IngestError]]:
        """Assert `read_inputs(root)` results match the expectations; returns (articles, errors)."""
        articles: list[object] = []
        errors: list[IngestError] = []
        for item in results:
            (errors if isinstance(item, IngestError) else articles).append(item)
        by_label: dict[str, list[IngestError]] = {}
        for err in errors:
            assert "\n" not in err.label and "\x1b" not in err.label, repr(err.label)
            assert "\n" not in err.reason and "\x1b" not in err.reason, repr(err.reason)
            assert err.reason.strip(), err
            by_label.setdefault(err.label, []).append(err)
        articles_by_path: dict[str, list[object]] = {}
        for art in articles:
            articles_by_path.setdefault(art.origin.path, []).append(art)  # type: ignore[attr-defined]

        for exp in self.expects:
            base = exp.label
            got_errors = [
                e for lbl, errs in by_label.items() if lbl.split(":record ")[0] == base for e in errs
            ]
            got_articles = articles_by_path.get(os.path.abspath(exp.path), [])
            if exp.either:
                assert len(got_errors) + len(got_articles) == 1, (base, got_errors, len(got_articles))
                continue
            assert len(got_articles) == exp.articles, (base, len(got_articles), got_errors)
            assert len(got_errors) == len(exp.errors), (base, got_errors)
            for (record, pattern), err in zip(
                sorted(exp.errors, key=_key), sorted(got_errors, key=_err_key), strict=True
            ):
                want = base if record is None else f"{base}:record {record}"
                assert err.label == want, (err.label, want)
                assert re.search(pattern, err.reason), (base, err.reason, pattern)
            if exp.text_contains:
                assert any(exp.text_contains in a.source_text for a in got_articles), base  # type: ignore[attr-defined]

        empty = [e for e in errors if e.label.startswith(safe_label(self.empty_dir) + os.sep)]
        assert len(empty) == EMPTY_DIR_FILES, len(empty)
        assert all(e.reason == "empty file" for e in empty)
        return articles, errors


def _key(item: tuple[int | None, str]) -> int:
    return -1 if item[0] is None else item[0]


def _err_key(err: IngestError) -> int:
    _, _, rec = err.label.rpartition(":record ")
    return int(rec) if rec.isdigit() else -1


def _write(path: Path, data: bytes | str, encoding: str = "utf-8") -> Path:
    path.write_bytes(data if isinstance(data, bytes) else data.encode(encoding))
    return path


def _csv_field(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _find_real_unreadable() -> Path | None:
    """A file even root cannot read (a write-only sysfs attribute), if this system has one."""
    for candidate in ("/sys/bus/pci/rescan", "/sys/kernel/mm/ksm/run_never", "/sys/power/wakeup_count_never"):
        path = Path(candidate)
        try:
            st = os.stat(path)
            if not stat.S_ISREG(st.st_mode):
                continue
            with open(path, "rb") as fh:
                fh.read(1)
        except PermissionError:
            return path
        except OSError:
            continue
    return None


def make_hostile_corpus(root: Path) -> HostileCorpus:
    """Write the hostile corpus under `root` (created) and return its expectations."""
    root.mkdir(parents=True, exist_ok=True)
    rng = random.Random(6)
    ex: list[Expect] = []

    def bad(name: str | bytes, data: bytes | str, reason: str) -> Path:
        path = root / os.fsdecode(name) if isinstance(name, bytes) else root / name
        _write(path, data)
        ex.append(Expect(path, errors=[(None, reason)]))
        return path

    # --- binary and empty files ---------------------------------------------------------------
    bad("random.bin", bytes(rng.randrange(256) for _ in range(65536)), r"^binary file")
    bad("zero_bytes.txt", b"", r"^empty file$")
    bad("whitespace_only.txt", b" \n\n\t  \r\n", r"^empty file$")
    bad(
        "image.txt",
        b"\x89PNG\r\n\x1a\n" + bytes(rng.randrange(256) for _ in range(2048)),
        r"binary file \(PNG",
    )
    bad("archive.csv", b"PK\x03\x04" + bytes(rng.randrange(256) for _ in range(2048)), r"binary file \(ZIP")
    bad(
        "paper.md",
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n",
        r"binary file \(PDF",
    )
    bad("program", b"\x7fELF\x02\x01\x01" + bytes(4096), r"binary file \(ELF")
    bad("compressed.txt", b"\x1f\x8b\x08\x00" + bytes(rng.randrange(1, 256) for _ in range(1024)), r"gzip")
    bad("database.json", b"SQLite format 3\x00" + bytes(4096), r"SQLite")
    bad(
        "nul_bytes.txt",
        (PARAGRAPH + "\x00\x00\x00" + PARAGRAPH + "\x00").encode() * 20,
        r"binary file \(NUL bytes\)",
    )
    bad(
        "control_chars.txt",
        bytes(rng.choice([1, 2, 3, 4, 5, 6, 0x0E, 0x10, 0x7F, 65, 66]) for _ in range(8192)),
        r"^binary file",
    )
    bad("undecodable.txt", bytes(rng.randrange(0x80, 0x100) for _ in range(4096)), r"binary file|invalid")

    # --- sizes ----------------------------------------------------------------------------------
    big = root / "huge_100mb.txt"
    with open(big, "wb") as fh:  # 1 MB of text, then a sparse 99 MB: text to a sniffer, 100 MB to stat
        fh.write((PARAGRAPH * (MB // len(PARAGRAPH) + 1)).encode()[:MB])
        fh.truncate(100 * MB)
    ex.append(Expect(big, errors=[(None, r"^file too large \(100\.0 MB > 50 MB\)$")]))
    long_line = root / "one_line_10mb.txt"
    with open(long_line, "wb") as fh:
        fh.write(b"A Title On Its Own Line\n\n")
        fh.write(("word " * (2 * MB)).encode())
    ex.append(Expect(long_line, either=True))

    # --- encodings: bad ones rejected, decodable ones decoded ------------------------------------
    broken = (ACCENTED * 3).encode("utf-8")
    broken = broken[:40] + b"\xc3" + broken[41:120] + b"\xe2\x82" + broken[122:] + b"\xff\xfe\xfd"
    # UTF-8 with a few bad bytes stays UTF-8: the article comes, with one notice naming the bytes.
    _write(root / "invalid_utf8.txt", broken)
    ex.append(
        Expect(
            root / "invalid_utf8.txt",
            errors=[
                (
                    None,
                    r"^invalid UTF-8 replaced with U\+FFFD at byte 40, byte 120, byte 888, byte 889, byte 890$",
                )
            ],
            articles=1,
        )
    )
    bad(
        "utf16_odd_bytes.txt",
        codecs.BOM_UTF16_LE + GOOD_PLAIN.encode("utf-16-le") + b"\x41",
        r"invalid utf-16",
    )

    def good(name: str, data: bytes | str, contains: str | None = None, articles: int = 1) -> Path:
        path = _write(root / name, data)
        ex.append(Expect(path, articles=articles, text_contains=contains))
        return path

    good("latin1.txt", ACCENTED.encode("latin-1"), "Hélène Dubois")
    good("cp1252.txt", CP1252.encode("cp1252"), "“temporary”")
    good("utf16_bom.txt", codecs.BOM_UTF16_LE + ACCENTED.encode("utf-16-le"), "déjà vu")
    good("utf16be_bom.txt", codecs.BOM_UTF16_BE + ACCENTED.encode("utf-16-be"), "déjà vu")
    good("utf16_no_bom.txt", ACCENTED.encode("utf-16-le"), "Sète")
    good("utf8_bom.txt", codecs.BOM_UTF8 + ACCENTED.encode(), "Hélène")
    good("crlf.txt", GOOD_PLAIN.replace("\n", "\r\n").encode(), "festival.\r\n")
    good("good_gr.txt", GOOD_GR, "lowest level in forty years")
    good("good_plain.txt", GOOD_PLAIN, "forty temporary workers")

    # --- data sets ------------------------------------------------------------------------------
    # The 50 MB field is an unmapped column (a page's raw HTML, as some scrapes keep): it must load
    # past the csv module's 128 KB default limit without holding up the records around it.
    header = ",news_id,title,author,publish_date,body_text,raw_html\n"
    giant = "<p>" + "x" * (50 * MB) + "</p>"
    rows = [
        f"0,n1,First,\"['Ann Lee']\",2020-05-01,{_csv_field(PARAGRAPH * 3)},<p>small</p>\n",
        "1,n2,Ragged,[],2020-05-02,short body,,EXTRA,FIELDS\n",
        f"2,n3,Giant,[],2020-05-03,{_csv_field(PARAGRAPH)},{_csv_field(giant)}\n",
        "3,n4,Short\n",
        f'4,n5,Last,"[‘Rachel Roubein\']",2020-05-05,{_csv_field(PARAGRAPH)},\n',
    ]
    big_csv = root / "big_field_ragged.csv"
    with open(big_csv, "w", encoding="utf-8", newline="") as fh:
        fh.write(header)
        for row in rows:
            fh.write(row)
    ex.append(
        Expect(
            big_csv,
            articles=3,
            errors=[(1, r"^ragged row: 9 fields, the header has 7"), (3, r"^ragged row: 3 fields")],
        )
    )
    bad("no_body_column.csv", "title,author\nA,B\n", r"^no body column")
    bad("header_only.csv", "title,content\n", r"^no records")
    cut = _write(
        root / "cut_off.csv", f'title,content\nA,{_csv_field(PARAGRAPH)}\nB,"unterminated ' + "x" * 100
    )
    ex.append(Expect(cut, articles=1, errors=[(1, r"^CSV error near line 3: unexpected end of data")]))

    bad(
        "truncated.json",
        json.dumps([{"title": "A", "content": PARAGRAPH}] * 3)[:-40],
        r"^not valid JSON at line 1, column \d+",
    )
    bad("scalar.json", "42", r"not articles")
    bad("deep.json", "[" * 100_000 + "]" * 100_000, r"nested too deeply|not valid JSON")
    bad(
        "garbage.jsonl",
        "this is {not json\n" + json.dumps({"content": PARAGRAPH}) + "\n",
        r"^not valid JSON at line 1",
    )
    mixed = root / "one_bad_line.jsonl"
    mixed.write_text(
        json.dumps({"title": "Good one", "content": PARAGRAPH})
        + "\n\n"
        + '{"title": "cut off", "content": "abc\n'
        + json.dumps({"title": "No body", "content": ""})
        + "\n"
        + json.dumps({"title": "Good two", "content": PARAGRAPH, "authors": ["X"]})
        + "\n",
        encoding="utf-8",
    )
    ex.append(Expect(mixed, articles=2, errors=[(2, r"^not valid JSON at line 3"), (3, r"^no body text")]))

    # --- HTML -----------------------------------------------------------------------------------
    page = (
        "<!DOCTYPE html><html><head><title>Truncated page</title></head><body><article><h1>Truncated page</h1>"
        + "".join(f"<p>{PARAGRAPH} Paragraph {i}.</p>" for i in range(8))
    )
    trunc = _write(root / "truncated.html", page[: len(page) - 57])
    ex.append(Expect(trunc, either=True))
    bad(
        "deep.html",
        "<html><body>" + "<div>" * 100_000 + "<p>Deep.</p>" + "</div>" * 100_000,
        r"no article text|nested",
    )
    bad(
        "no_text.html",
        "<!DOCTYPE html><html><head><title>x</title></head><body><script>var x = 1;</script></body></html>",
        r"no article text",
    )

    # --- hostile names, links, special files -----------------------------------------------------
    bad("bad\nname\nwith newlines.txt", b"\x00\x01\x02binary", r"^binary file")
    bad("\x1b[2J\x1b]52;c;cHduZWQ=\x07\x1b]8;;evil.example\x07escape.txt", b"", r"^empty file$")
    bad(b"latin1-\xe9-name.txt", b"", r"^empty file$")
    loop = root / "loop"
    os.symlink("loop", loop)
    ex.append(Expect(loop, errors=[(None, r"^symlink loop$")]))
    dangling = root / "dangling"
    os.symlink("does-not-exist", dangling)
    ex.append(Expect(dangling, errors=[(None, r"^broken symlink")]))
    fifo = root / "named_pipe.txt"
    os.mkfifo(fifo)
    ex.append(Expect(fifo, errors=[(None, r"^not a regular file \(named pipe\)$")]))

    real = _find_real_unreadable()
    unreadable = root / "unreadable.txt"
    if real is not None:
        os.symlink(real, unreadable)
        is_real = True
    else:
        _write(unreadable, GOOD_PLAIN)
        os.chmod(unreadable, 0)
        is_real = os.geteuid() != 0
    ex.append(Expect(unreadable, errors=[(None, r"^permission denied$")]))

    # --- things that are skipped silently --------------------------------------------------------
    (root / ".hidden").mkdir()
    _write(root / ".hidden" / "secret.bin", bytes(range(256)))
    _write(root / ".dotfile.txt", b"\x00\x00")
    os.symlink(".", root / "self_dir")  # a folder linking back to itself is read once

    empty_dir = root / "ten_thousand_empty"
    empty_dir.mkdir()
    flags = os.O_CREAT | os.O_WRONLY | os.O_EXCL
    dir_fd = os.open(empty_dir, os.O_RDONLY)
    try:
        for i in range(EMPTY_DIR_FILES):
            os.close(os.open(f"empty_{i:05d}.txt", flags, 0o644, dir_fd=dir_fd))
    finally:
        os.close(dir_fd)

    return HostileCorpus(root, ex, empty_dir, unreadable, is_real)


@contextlib.contextmanager
def patch_unreadable(corpus: HostileCorpus, patch: Callable[[object, str, object], None]) -> Iterator[None]:
    """When no real unreadable file exists (running as root), make opening that one path raise
    PermissionError. `patch` is `monkeypatch.setattr`."""
    if corpus.unreadable_is_real:
        yield
        return
    import builtins

    real_open = builtins.open
    target = os.path.abspath(corpus.unreadable)

    def guarded_open(file, *args, **kwargs):  # type: ignore[no-untyped-def]
        if isinstance(file, (str, os.PathLike)) and os.path.abspath(file) == target:
            raise PermissionError(13, "Permission denied", os.fspath(file))
        return real_open(file, *args, **kwargs)

    patch(builtins, "open", guarded_open)
    yield
