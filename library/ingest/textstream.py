"""Reading a data-set file line by line, decoded, without holding it: the encoding is chosen
from the head and a scan of the rest, line ends are kept as they are (`\n`, `\r\n` and a lone
`\r` each end a line, as `newline=""` reads them), and invalid bytes in a UTF-8 file are
replaced and located, so the import can name the record and byte of each.
"""

from __future__ import annotations

import codecs
import io
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from library.ingest.decode import (
    HEAD_BYTES,
    HIGH_BYTES,
    MAX_DATASET_BYTES,
    MAX_REPORTED_SPOTS,
    MB,
    DecodeError,
    choose_encoding,
    decode_utf8_lenient,
    legacy_encoding,
    too_large,
)

_SCAN_CHUNK = 4 * MB


def _stream_encoding(fh: BinaryIO) -> tuple[str, int]:
    """Choose the encoding of a large file without holding it: sniff the head; when the head is
    UTF-8, validate the rest chunk by chunk. At the first invalid byte the rest of the file is
    measured: valid multi-byte characters outnumbering the bad spots mean UTF-8 with a few bad
    bytes (kept as UTF-8); otherwise the legacy encoding is sniffed around the first bad byte."""
    head = fh.read(HEAD_BYTES)
    fh.seek(0)
    if not head:
        raise DecodeError("empty file")
    codec, bom = choose_encoding(head, complete=len(head) < HEAD_BYTES)
    if codec != "utf-8" or len(head) < HEAD_BYTES:
        return codec, bom
    decoder = codecs.getincrementaldecoder("utf-8")()
    offset = 0
    while True:
        chunk = fh.read(_SCAN_CHUNK)
        try:
            decoder.decode(chunk, final=not chunk)
        except UnicodeDecodeError as err:
            first_bad = offset + err.start
            break
        if not chunk:
            fh.seek(0)
            return codec, bom
        offset += len(chunk)
    # Measure the whole file (it is read once more; this happens only for files with bad bytes).
    fh.seek(0)
    lenient = codecs.getincrementaldecoder("utf-8")("replace")
    good = bad = 0
    while chunk := fh.read(_SCAN_CHUNK):
        text = lenient.decode(chunk)
        n_bad = text.count("\ufffd") - chunk.count(b"\xef\xbf\xbd")
        bad += n_bad
        good += len(text) - len(chunk.translate(None, HIGH_BYTES)) - n_bad
    window_start = max(0, first_bad - 32 * 1024)
    fh.seek(window_start)
    window = fh.read(HEAD_BYTES)
    fh.seek(0)
    if good > 0 and good >= bad:
        return "utf-8", bom
    if b"\x00" in window:
        raise DecodeError(f"invalid UTF-8 at byte {first_bad}")
    legacy = legacy_encoding(head + window)
    if legacy is None:
        raise DecodeError(f"invalid UTF-8 at byte {first_bad}")
    return legacy, 0


_STREAM_CHUNK = 1 * MB
_LINE_BREAK_BYTES_RE = re.compile(rb"\r\n|\r|\n")


class TextStream:
    """The lines of a data-set file, decoded, line ends kept as they are (like `newline=""`:
    `\n`, `\r\n` and a lone `\r` each end a line).

    UTF-8 files are read leniently: an invalid byte becomes U+FFFD and its offset is appended
    to `bad_bytes` when the line holding it is handed out, so a reader that takes lines one
    record at a time can tell which record each bad spot is in. UTF-16/32 are read strictly."""

    def __init__(self, raw: BinaryIO, codec: str, bom: int) -> None:
        self._raw = raw
        self.encoding = codec
        self._bom = bom
        self.bad_bytes: list[int] = []
        self.bad_count = 0
        self._wrapper: io.TextIOWrapper | None = None
        if codec.replace("_", "-").lower().startswith(("utf-16", "utf-32")):
            raw.seek(bom)
            self._wrapper = io.TextIOWrapper(raw, encoding=codec, errors="strict", newline="")

    def __enter__(self) -> TextStream:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._wrapper is not None:
            self._wrapper.close()
        self._raw.close()

    def read(self) -> str:
        return "".join(self)

    def __iter__(self) -> Iterator[str]:
        if self._wrapper is not None:
            yield from self._wrapper
            return
        raw = self._raw
        raw.seek(self._bom)
        offset = self._bom  # file offset of the first byte of `parts`
        parts: list[bytes] = []  # bytes read but not yet handed out (no line end in them yet)
        while True:
            chunk = raw.read(_STREAM_CHUNK)
            if not chunk:
                if parts:
                    yield from self._lines(parts, offset)
                return
            if parts:  # the end of a long line: hand it out on its own (it is not copied again)
                first = _first_line_end(chunk)
                if first <= 0:
                    parts.append(chunk)  # a long line: joined once, when its end comes
                    continue
                parts.append(chunk[:first])
                chunk = chunk[first:]
                size = sum(len(p) for p in parts)
                yield from self._lines(parts, offset)
                offset += size
                if not chunk:
                    continue
            cut = _last_line_end(chunk)
            if cut <= 0:
                parts.append(chunk)
                continue
            rest = chunk[cut:]
            parts.append(chunk[:cut])
            del chunk
            size = sum(len(p) for p in parts)
            yield from self._lines(parts, offset)  # (empties `parts`)
            offset += size
            if rest:
                parts.append(rest)

    def _lines(self, parts: list[bytes], offset: int) -> Iterator[str]:
        """The lines of whole lines of bytes (`parts`, emptied so a long line is held once):
        one decode for them all when they are valid."""
        piece = b"".join(parts)
        parts.clear()
        try:
            text = piece.decode(self.encoding)
        except UnicodeDecodeError:
            if self.encoding != "utf-8":
                raise
        else:
            del piece
            yield from _split_lines(text)
            return
        pos = 0
        for m in _LINE_BREAK_BYTES_RE.finditer(piece):
            yield self._bad_line(piece[pos : m.end()], offset + pos)
            pos = m.end()
        if pos < len(piece):
            yield self._bad_line(piece[pos:], offset + pos)

    def _bad_line(self, line: bytes, offset: int) -> str:
        try:
            return line.decode("utf-8")
        except UnicodeDecodeError:
            spots: list[int] = []
            text, count = decode_utf8_lenient(line, offset, spots)
            self.bad_count += count
            room = MAX_REPORTED_SPOTS - len(self.bad_bytes)
            self.bad_bytes.extend(spots[: max(0, room)])
            return text


_LINE_BREAK_RE = re.compile(r"\r\n|\r|\n")


def _split_lines(text: str) -> Iterator[str]:
    """Lines with their ends, as `newline=""` splits them; one long line is not copied."""
    first = _LINE_BREAK_RE.search(text)
    if first is None or first.end() == len(text):
        yield text
    elif len(text) <= 2 * _STREAM_CHUNK:
        yield from io.StringIO(text, newline="")
    else:
        pos = 0
        for m in _LINE_BREAK_RE.finditer(text):
            yield text[pos : m.end()]
            pos = m.end()
        if pos < len(text):
            yield text[pos:]


def _first_line_end(data: bytes) -> int:
    """Where the first line of `data` ends (0: no line end, or only a `\r` that may be the
    first half of a `\r\n` split between reads)."""
    m = _LINE_BREAK_BYTES_RE.search(data)
    if m is None or m.group(0) == b"\r" and m.end() == len(data):
        return 0
    return m.end()


def _last_line_end(data: bytes) -> int:
    """Where the last whole line of `data` ends (0: none). A `\r` at the very end may be the
    first half of `\r\n`, so it is left for the next read."""
    nl = data.rfind(b"\n")
    cr = data.rfind(b"\r", 0, len(data) - 1)
    return max(nl, cr) + 1


def open_text_stream(path: Path | str, limit: int = MAX_DATASET_BYTES) -> TextStream:
    """The lines of a (possibly large) data-set file, decoded, newlines kept; see `TextStream`.

    The caller closes it. Decoding errors later in a UTF-16/32 or legacy-encoded file surface
    as UnicodeDecodeError; invalid bytes in a UTF-8 file are replaced and reported instead.
    """
    st = os.stat(path)
    if st.st_size > limit:
        raise too_large(st.st_size, limit)
    raw = open(path, "rb")  # noqa: SIM115 - handed over to the TextStream
    try:
        codec, bom = _stream_encoding(raw)
        return TextStream(raw, codec, bom)
    except BaseException:
        raw.close()
        raise
