"""From paths on the command line to parsed articles: expanding paths, detecting formats, reading.

Users point the importer at whatever they have: folders of mixed files, globs, data sets, HTML
pages, standard input. Every input either becomes articles or yields one `IngestError` naming the
file (made safe to print) and a short reason; nothing raises, and the import carries on. Reads are
bounded: sizes are checked with a stat before reading, sniffing looks at the first 64 KB only, and
data sets are streamed record by record.

Why one module of ~600 lines: it is one concern, the walk from an input to articles (or to the one
line that says why not), and its steps share the bounds and the error shape above. The pieces that
stand on their own already live beside it (decode, textstream, datasets, skipping, html, parallel).
"""

from __future__ import annotations

import glob
import os
import re
import stat
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, cast

from library.cleaning import parsers as parsing
from library.ingest import datasets
from library.ingest.datasets import DatasetError, RecordError
from library.ingest.decode import (
    HEAD_BYTES,
    MAX_ARTICLE_BYTES,
    MAX_DATASET_BYTES,
    Decoded,
    DecodeError,
    bad_bytes_note,
    choose_encoding,
    decode_report,
    os_reason,
    read_bounded,
    too_large,
)
from library.ingest.html import HtmlError, extract_record
from library.ingest.skipping import (
    HINT_LABELS,
    LABEL_EXTENSIONS,
    LABEL_SNIFF_BYTES,
    holds_labels,
    looks_like_labels,
    skip_reason,
)
from library.ingest.textstream import TextStream, open_text_stream
from library.model import Origin, ParsedArticle, SourceArticle
from library.safetext import display_text, one_line

FORMATS = ("globalresearch", "markdown", "text", "html", "csv", "jsonl", "json")
DATASET_FORMATS = ("csv", "jsonl", "json")
STDIN = "-"
STDIN_LABEL = "<stdin>"

_EXTENSIONS = {
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".csv": "csv",
    ".tsv": "csv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "json",
}
_GLOB_CHARS = frozenset("*?[")
_LINE_END_RE = re.compile(r"\r\n|\r|\n")
_HTML_STARTS = ("<!doctype html", "<html", "<head", "<body", "<?xml", "<article", "<!--")


@dataclass
class IngestError:
    """An input that could not be read: `label` is safe for one-line display, `reason` is short."""

    label: str
    reason: str

    def __str__(self) -> str:
        return f"{self.label}: {self.reason}"


@dataclass
class IngestNotice(IngestError):
    """Not a failure: a file skipped as not an article (`kind` "skipped"), or read with a
    warning ("warning", e.g. invalid UTF-8 bytes replaced). It is an IngestError so that every
    reader of `read_inputs` that keeps only articles leaves it out; count it apart from failures."""

    kind: str = "warning"


def safe_label(path: str | os.PathLike[str]) -> str:
    """A path as one printable line: newlines and tabs become visible symbols, escape sequences
    and control characters become stand-ins, undecodable bytes are shown as \\xNN."""
    text = os.fspath(path)
    if any("\udc80" <= ch <= "\udcff" for ch in text):
        text = os.fsencode(text).decode("utf-8", "backslashreplace")
    text = text.replace("\n", "\u240a").replace("\t", "\u2409")
    text = text.encode("utf-8", "backslashreplace").decode("utf-8")  # any other lone surrogate
    return display_text(text)


def _label(path: str | os.PathLike[str], record: int | None = None) -> str:
    label = STDIN_LABEL if os.fspath(path) == STDIN else safe_label(path)
    return label if record is None else f"{label}:record {record}"


def _error(path: str | os.PathLike[str], reason: str, record: int | None = None) -> IngestError:
    return IngestError(_label(path, record), one_line(reason, 300))  # reasons may quote untrusted bytes too


def _notice(path: str | os.PathLike[str], reason: str, kind: str) -> IngestNotice:
    return IngestNotice(_label(path), one_line(reason, 600), kind)


# --- expanding paths -----------------------------------------------------------------------------


def _is_hidden(name: str) -> bool:
    return name.startswith(".")


def _walk(root: Path, seen_dirs: set[tuple[int, int]]) -> Iterator[tuple[Path, os.stat_result] | IngestError]:
    """Regular files under `root` (with their stat), sorted, skipping hidden entries; loops and
    bad entries reported."""
    stack = [root]
    while stack:
        directory = stack.pop()
        try:
            with os.scandir(directory) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as err:
            yield _error(directory, f"cannot read directory: {os_reason(err)}")
            continue
        subdirs: list[Path] = []
        for entry in entries:
            if _is_hidden(entry.name):
                continue
            path = Path(entry.path)
            try:
                st = entry.stat()  # follows symlinks
            except OSError as err:
                if entry.is_symlink():
                    reason = "symlink loop" if _is_loop(path) else f"broken symlink ({os_reason(err)})"
                else:
                    reason = os_reason(err)
                yield _error(path, reason)
                continue
            if stat.S_ISDIR(st.st_mode):
                key = (st.st_dev, st.st_ino)
                if key in seen_dirs:
                    continue  # a symlink back into a folder already read
                seen_dirs.add(key)
                subdirs.append(path)
            elif stat.S_ISREG(st.st_mode):
                yield path, st
            else:
                yield _error(path, f"not a regular file ({_kind(st.st_mode)})")
        stack.extend(reversed(subdirs))


def _is_named_pipe(path: Path) -> bool:
    """A FIFO with a name in a file system (mkfifo), not the anonymous pipe of `<(command)`,
    whose /dev/fd/N link resolves to no file."""
    return os.path.exists(os.path.realpath(path))


def _is_loop(path: Path) -> bool:
    try:
        os.stat(path)
    except OSError as err:
        import errno

        return err.errno == errno.ELOOP
    return False


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "named pipe"
    if stat.S_ISSOCK(mode):
        return "socket"
    if stat.S_ISCHR(mode):
        return "character device"
    if stat.S_ISBLK(mode):
        return "block device"
    return "special file"


def expand_paths(paths: Sequence[str]) -> Iterator[Path | IngestError]:
    """Files named by `paths`: files as given, directories recursively (hidden entries skipped),
    glob patterns expanded. Each file comes once; each unusable path is one IngestError."""
    for item in expand_inputs(paths):
        yield item if isinstance(item, IngestError) else item[0]


def expand_inputs(paths: Sequence[str]) -> Iterator[tuple[Path, bool] | IngestError]:
    """What `expand_paths` gives, each file with whether a folder walk found it (True) or it
    was named (or matched a glob) on the command line (False)."""
    seen_files: set[tuple[int, int]] = set()
    seen_dirs: set[tuple[int, int]] = set()

    def emit(
        item: Path | IngestError, st: os.stat_result | None = None, walked: bool = False
    ) -> Iterator[tuple[Path, bool] | IngestError]:
        if isinstance(item, Path):
            try:
                st = st or os.stat(item)
                key = (st.st_dev, st.st_ino)
            except OSError:
                key = None
            if key is not None and st is not None and stat.S_ISREG(st.st_mode):
                if key in seen_files:
                    return
                seen_files.add(key)
            yield item, walked
            return
        yield item

    for raw in paths:
        path = Path(raw)
        try:
            st = os.stat(path)
        except OSError as err:
            if os.path.islink(path):
                yield _error(path, "symlink loop" if _is_loop(path) else f"broken symlink ({os_reason(err)})")
                continue
            if _GLOB_CHARS & set(raw):
                matches = sorted(glob.glob(raw, recursive=True))
                if not matches:
                    yield _error(path, "no file matches this pattern")
                for match in matches:
                    yield from _expand_one(Path(match), seen_dirs, emit)
                continue
            yield _error(path, os_reason(err))
            continue
        yield from _expand_one(path, seen_dirs, emit, st)


def _expand_one(path, seen_dirs, emit, st=None) -> Iterator[tuple[Path, bool] | IngestError]:  # type: ignore[no-untyped-def]
    try:
        st = st or os.stat(path)
    except OSError as err:
        yield _error(path, os_reason(err))
        return
    if stat.S_ISDIR(st.st_mode):
        key = (st.st_dev, st.st_ino)
        if key in seen_dirs:
            return
        seen_dirs.add(key)
        for item in _walk(path, seen_dirs):
            yield from emit(*item, walked=True) if isinstance(item, tuple) else emit(item)
    else:
        # Named explicitly: regular files, and also pipes such as <(command), are read (a named
        # pipe is refused when it is read: nobody may ever write to it).
        yield from emit(path)


# --- files that are not articles ----------------------------------------------------------------


def _without_non_articles(
    items: Iterator[tuple[Path, bool] | IngestError], include_all: bool
) -> Iterator[Path | IngestError]:
    """Paths to read, and a "skipped" notice for each walked file that is plainly not an article."""
    for item in items:
        if isinstance(item, IngestError):
            yield item
            continue
        path, walked = item
        if walked and not include_all:
            reason = skip_reason(os.fspath(path))  # (the content is checked as the file is read)
            if reason is not None:
                yield _notice(path, f"skipped: {reason}", "skipped")
                continue
        yield path


# --- format detection ----------------------------------------------------------------------------


def extension_format(name: str) -> str | None:
    """The format a file name's extension names (".csv" -> "csv"), or None."""
    return _EXTENSIONS.get(os.path.splitext(name)[1].lower())


def sniff_format(name: str, head_text: str, mapping: Mapping[str, str] | None = None) -> str:
    """The input format from the file name and the first characters of its text.

    Returns one of FORMATS, or "" for "a single-article text format; ask the parser".
    """
    by_ext = extension_format(name)
    start = head_text.lstrip("\ufeff \t\r\n")
    lower = start[:200].lower()
    if by_ext:
        if by_ext == "json" and start.startswith("{"):
            first = first_line(start).strip()
            if _is_json_object(first) and _LINE_END_RE.search(start.strip()):
                return "jsonl"  # a .json file holding JSON Lines
        return by_ext
    if lower.startswith(_HTML_STARTS) and ("<html" in lower or "<body" in lower or "<!doctype html" in lower):
        return "html"
    if lower.startswith(("<!doctype html", "<html")):
        return "html"
    if start.startswith("["):
        rest = start[1:].lstrip()
        if rest.startswith("{") or rest.startswith("]"):
            return "json"
    if start.startswith("{"):
        first = first_line(start).strip()
        if not _LINE_END_RE.search(start) or _is_json_object(first):
            return "jsonl"
        return "json"
    if datasets.csv_header_delimiter(first_line(start), mapping):
        return "csv"
    return ""


def first_line(text: str) -> str:
    """The text up to its first line end (`\n`, `\r\n` or a lone `\r`)."""
    return _LINE_END_RE.split(text, 1)[0]


def _is_json_object(line: str) -> bool:
    import json

    try:
        return isinstance(json.loads(line), dict)
    except (ValueError, RecursionError):
        return False


def _head_text(head: bytes, complete: bool) -> str:
    codec, bom = choose_encoding(head, complete=complete)
    return head[bom:].decode(codec, errors="ignore")


# --- reading -------------------------------------------------------------------------------------


def read_inputs(
    paths: Sequence[str],
    *,
    fmt: str | None = None,
    mapping: Mapping[str, str] | None = None,
    stdin: BinaryIO | None = None,
    workers: int | None = None,
    defer_cleaning: bool = False,
    include_all: bool = False,
) -> Iterator[ParsedArticle | SourceArticle | IngestError]:
    """Articles from every input (`-` is standard input), or one IngestError per unusable input
    or data-set record. Raises ValueError only for a bad `fmt` or `mapping` (a usage error).

    A folder walk skips files that are plainly not articles (`skip_reason`: READMEs, licences,
    source notes, annotation label files, technique lists), each with an IngestNotice of kind
    "skipped"; `include_all` reads them anyway. Files named on the command line are always read.

    Many small files are parsed in `workers` processes (default: one per CPU, at most
    `parallel_read.MAX_WORKERS`); results come back in the same order as a one-process read. With
    `defer_cleaning`, text files and data-set records come as `SourceArticle`s (text and header
    metadata, for `Library.add_articles` to store and clean later); HTML pages are still parsed."""
    if fmt is not None and fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r} (formats: {', '.join(FORMATS)})")
    datasets.check_mapping(mapping)
    if workers is None:
        from library.ingest.parallel import default_workers

        workers = default_workers()
    stdin_read = False
    for raw in paths:
        if raw == STDIN:
            if not stdin_read:  # standard input can be read once
                stdin_read = True
                yield from _read_stdin(stdin, fmt, mapping, defer_cleaning)
            continue
        files = _without_non_articles(expand_inputs([raw]), include_all)
        # Label files found by their content: only in a folder named on the command line.
        skip_labels = not include_all and os.path.isdir(raw)
        if workers > 1:
            from library.ingest.parallel import read_files_parallel

            found = read_files_parallel(files, fmt, mapping, workers, defer_cleaning, skip_labels)
            yield from cast(Iterator[ParsedArticle | SourceArticle | IngestError], found)
            continue
        for item in files:
            if isinstance(item, IngestError):
                yield item
            else:
                yield from read_file(
                    item, fmt=fmt, mapping=mapping, defer=defer_cleaning, skip_labels=skip_labels
                )


def _read_stdin(
    stdin: BinaryIO | None, fmt: str | None, mapping: Mapping[str, str] | None, defer: bool
) -> Iterator[ParsedArticle | SourceArticle | IngestError]:
    """Standard input is spooled to a temporary file (bounded) so it reads like any other file."""
    import sys

    source = stdin if stdin is not None else sys.stdin.buffer
    tmp = tempfile.NamedTemporaryFile(prefix="reader-stdin-", delete=False)  # noqa: SIM115
    try:
        with tmp:
            copied = 0
            while True:
                chunk = source.read(1024 * 1024)
                if not chunk:
                    break
                copied += len(chunk)
                if copied > MAX_DATASET_BYTES:
                    yield _error(STDIN, f"input too large (over {MAX_DATASET_BYTES // (1024 * 1024)} MB)")
                    return
                tmp.write(chunk)
        yield from read_file(
            Path(tmp.name), fmt=fmt, mapping=mapping, origin_path=STDIN_LABEL, label=STDIN, defer=defer
        )
    except OSError as err:
        yield _error(STDIN, os_reason(err))
    finally:
        os.unlink(tmp.name)


def read_file(
    path: Path,
    *,
    fmt: str | None = None,
    mapping: Mapping[str, str] | None = None,
    origin_path: str | None = None,
    label: str | os.PathLike[str] | None = None,
    defer: bool = False,
    skip_labels: bool = False,
) -> Iterator[ParsedArticle | SourceArticle | IngestError]:
    """Articles from one file (several for a data set), or IngestErrors; never raises. With
    `defer`, text files and records come unparsed, as `SourceArticle`s. With `skip_labels` (a
    folder walk), a `.txt`/`.tsv`/`.labels` file holding annotation labels gives a "skipped"
    notice instead."""
    label = label if label is not None else path
    origin = origin_path if origin_path is not None else os.path.abspath(path)
    try:
        yield from _read_file(path, fmt, mapping, origin, label, defer, skip_labels)
    except DecodeError as err:
        yield _error(label, err.reason)
    except DatasetError as err:
        yield _error(label, err.reason)
    except HtmlError as err:
        yield _error(label, err.reason)
    except UnicodeDecodeError as err:
        yield _error(
            label, f"invalid {err.encoding} text further into the file (byte {err.start} of a chunk)"
        )
    except OSError as err:
        yield _error(label, os_reason(err))
    except MemoryError:
        yield _error(label, "out of memory reading this file")
    except RecursionError:
        yield _error(label, "too deeply nested to read")
    except Exception as err:  # a parser bug must not stop the whole import
        yield _error(label, f"could not parse: {type(err).__name__}: {err}")


def _read_file(
    path: Path,
    fmt: str | None,
    mapping: Mapping[str, str] | None,
    origin: str,
    label: str | os.PathLike[str],
    defer: bool = False,
    skip_labels: bool = False,
) -> Iterator[ParsedArticle | SourceArticle | IngestError]:
    st = os.stat(path)
    regular = stat.S_ISREG(st.st_mode)
    if regular and st.st_size == 0:
        raise DecodeError("empty file")
    if not regular and not stat.S_ISFIFO(st.st_mode) and not stat.S_ISCHR(st.st_mode):
        raise DecodeError(f"not a regular file ({_kind(st.st_mode)})")
    if stat.S_ISFIFO(st.st_mode) and _is_named_pipe(path):
        # A named pipe nobody writes to would block the import forever; <(command) still reads.
        raise DecodeError(f"not a regular file ({_kind(st.st_mode)})")
    if not regular:
        # A pipe can be read once: copy it (bounded) and read the copy.
        yield from _read_stream(path, fmt, mapping, origin, label, defer)
        return
    with open(path, "rb") as fh:
        head = fh.read(HEAD_BYTES)
    complete = len(head) >= st.st_size
    if skip_labels and holds_labels(path, head):
        yield _notice(label, f"skipped: {HINT_LABELS}", "skipped")
        return
    if (not head or head.isspace()) and complete:  # (isspace: the whitespace bytes.strip() strips)
        raise DecodeError("empty file")
    at_end = complete and len(head) < HEAD_BYTES  # the read stopped at the end of the file
    decoded: Decoded | None = None
    if at_end and not fmt:
        # The whole file is in `head` (most articles): decode it once, for sniffing and reading.
        # A file that does not decode takes the general path below, for the same errors.
        try:
            decoded = decode_report(head)
        except DecodeError:
            decoded = None
    kind = fmt or sniff_format(
        os.fspath(path) if origin != STDIN_LABEL else "",
        decoded.text if decoded is not None else _head_text(head, complete),
        mapping,
    )
    if kind in DATASET_FORMATS:
        yield from _read_dataset(path, kind, mapping, origin, label, head, defer)
        return
    if st.st_size > MAX_ARTICLE_BYTES:
        raise too_large(st.st_size, MAX_ARTICLE_BYTES)
    # A file that fits in the head (most articles) is not read a second time.
    if decoded is None:
        decoded = decode_report(head if at_end else read_bounded(path, MAX_ARTICLE_BYTES))
    text = decoded.text
    where = Origin(path=origin)
    if kind == "html":
        record = extract_record(text)
        yield parsing.parse_record(record, where, "html")
    elif defer:  # the format is detected when the article is cleaned
        yield parsing.read_document(text, where, kind if kind in parsing.TEXT_FORMATS else None)
    else:
        if kind not in parsing.TEXT_FORMATS:
            kind = parsing.detect_format(text)
        yield parsing.parse_document(text, where, kind)
    named_like_text = os.path.splitext(os.fspath(path))[1].lower() in LABEL_EXTENSIONS
    if kind != "html" and named_like_text and looks_like_labels(text[:LABEL_SNIFF_BYTES]):
        yield _notice(label, f"imported as an article, but these look like {HINT_LABELS}", "warning")
    if decoded.bad_count:
        yield _notice(label, bad_bytes_note(decoded.bad_bytes, decoded.bad_count), "warning")


def _read_stream(
    path: str | os.PathLike[str],
    fmt: str | None,
    mapping: Mapping[str, str] | None,
    origin: str,
    label: str | os.PathLike[str],
    defer: bool,
) -> Iterator[ParsedArticle | SourceArticle | IngestError]:
    tmp = tempfile.NamedTemporaryFile(prefix="reader-pipe-", delete=False)  # noqa: SIM115
    try:  # the copy is removed however the reading ends (too large included)
        with open(path, "rb") as src, tmp:
            copied = 0
            while chunk := src.read(1024 * 1024):
                copied += len(chunk)
                if copied > MAX_DATASET_BYTES:
                    raise DecodeError(f"input too large (over {MAX_DATASET_BYTES // (1024 * 1024)} MB)")
                tmp.write(chunk)
        yield from _read_file(Path(tmp.name), fmt, mapping, origin, label, defer)
    finally:
        os.unlink(tmp.name)


def _read_dataset(
    path: Path,
    kind: str,
    mapping: Mapping[str, str] | None,
    origin: str,
    label: str | os.PathLike[str],
    head: bytes,
    defer: bool,
) -> Iterator[ParsedArticle | SourceArticle | IngestError]:
    records: Iterator[tuple[int, dict[str, Any] | RecordError]]
    if kind == "json":
        if os.stat(path).st_size > datasets.MAX_JSON_BYTES:
            raise too_large(os.stat(path).st_size, datasets.MAX_JSON_BYTES)
        decoded = decode_report(read_bounded(path, datasets.MAX_JSON_BYTES))
        records = datasets.iter_json(datasets.json_records(decoded.text), mapping)
        yield from _records(records, kind, origin, label, defer)
        if decoded.bad_count:  # (a JSON array is parsed whole: bytes, not records, are named)
            yield _notice(label, bad_bytes_note(decoded.bad_bytes, decoded.bad_count), "warning")
        return
    stream = open_text_stream(path)
    with stream:
        if kind == "csv":
            header = first_line(_head_text(head, True).lstrip("\ufeff"))
            ext = os.path.splitext(os.fspath(path))[1].lower()
            delimiter = "\t" if ext == ".tsv" else (datasets.csv_header_delimiter(header, mapping) or ",")
            records = _labels_hint(datasets.iter_csv(stream, mapping, delimiter), head)
        else:
            records = datasets.iter_jsonl(stream, mapping)
        yield from _records(records, kind, origin, label, defer, stream)


def _labels_hint(
    records: Iterator[tuple[int, dict[str, Any] | RecordError]], head: bytes
) -> Iterator[tuple[int, dict[str, Any] | RecordError]]:
    """The CSV records; a file without a body column that holds label rows says what it is."""
    try:
        yield from records
    except DatasetError as err:
        if err.reason.startswith("no body column") and looks_like_labels(_head_text(head, True)):
            raise DatasetError(f"no body column: these look like {HINT_LABELS}") from None
        raise


def _records(
    records: Iterator[tuple[int, dict[str, Any] | RecordError]],
    kind: str,
    origin: str,
    label: str | os.PathLike[str],
    defer: bool,
    stream: TextStream | None = None,
) -> Iterator[ParsedArticle | SourceArticle | IngestError]:
    count = 0
    read = parsing.read_record if defer else parsing.parse_record
    located: list[tuple[int, int]] = []  # (record, byte) of each bad spot the stream located
    for index, record in records:
        count += 1
        if stream is not None and len(stream.bad_bytes) > len(located):
            # The stream hands out lines as the records need them: new spots are this record's.
            located.extend((index, b) for b in stream.bad_bytes[len(located) :])
        if isinstance(record, RecordError):
            yield _error(label, record.reason, index)
            continue
        try:
            yield read(record, Origin(path=origin, record=index), kind)
        except (RecursionError, MemoryError, ValueError, KeyError, TypeError) as err:
            yield _error(label, f"could not parse: {type(err).__name__}: {err}", index)
    if count == 0:
        yield _error(label, f"no records in this {kind.upper()} data set")
    if stream is not None and stream.bad_count:
        yield _notice(label, bad_bytes_note(stream.bad_bytes, stream.bad_count, located), "warning")
