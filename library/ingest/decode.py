"""Bytes to text: choosing an encoding, refusing binary data, and reading files in bounded pieces.

Scraped articles arrive in every encoding (UTF-8, UTF-8 with BOM, UTF-16 with or without BOM,
Latin-1, cp1252) and next to files that are not text at all. Text that can be decoded is decoded,
never rejected; binary data, corrupt UTF-8 and oversized files are refused with a short reason.
The decoded text is kept exactly (no newline translation): offsets in the library point into it.
"""

from __future__ import annotations

import codecs
import io
import os
import re
from pathlib import Path
from typing import BinaryIO

from library.errors import LibraryError

MB = 1024 * 1024
MAX_ARTICLE_BYTES = 50 * MB  # one article per file (text, markdown, HTML)
MAX_DATASET_BYTES = 2048 * MB  # CSV / JSONL are streamed; each field is bounded separately
HEAD_BYTES = 64 * 1024  # what format and encoding sniffing look at
_SCAN_CHUNK = 4 * MB

# (magic prefix, what it is). Checked before anything else: these never hold article text.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"PK\x03\x04", "ZIP archive"),
    (b"PK\x05\x06", "ZIP archive"),
    (b"%PDF-", "PDF document"),
    (b"\x7fELF", "ELF executable"),
    (b"\x1f\x8b", "gzip archive"),
    (b"BZh", "bzip2 archive"),
    (b"\xfd7zXZ\x00", "xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"\x28\xb5\x2f\xfd", "zstd archive"),
    (b"Rar!\x1a\x07", "RAR archive"),
    (b"SQLite format 3\x00", "SQLite database"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "MS Office document"),
    (b"MZ", "Windows executable"),
    (b"\xca\xfe\xba\xbe", "Java class / Mach-O"),
    (b"\xcf\xfa\xed\xfe", "Mach-O executable"),
    (b"OggS", "Ogg media"),
    (b"ID3", "MP3 audio"),
    (b"fLaC", "FLAC audio"),
    (b"\x00asm", "WebAssembly"),
)
_RIFF = b"RIFF"  # WAV, AVI, WebP

# Byte-order marks, longest first (the UTF-32 LE mark starts with the UTF-16 LE one).
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_BOM_PREFIXES = tuple(bom for bom, _ in _BOMS)

# Control characters that do not occur in text (tab, newlines, form feed and ESC are allowed here;
# ESC sequences are neutralised on display by library.safetext).
_BAD_CONTROLS = re.compile("[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f]")


# Every byte but those controls: deleting them from UTF-8 data leaves only the controls.
_TEXT_BYTES = bytes(b for b in range(256) if not _BAD_CONTROLS.match(chr(b)))


class DecodeError(LibraryError):
    """A file that is not readable article text; `reason` is the short line shown to the user."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def format_size(n: int) -> str:
    return f"{n / MB:.1f} MB"


def too_large(size: int, limit: int) -> DecodeError:
    return DecodeError(f"file too large ({format_size(size)} > {limit // MB} MB)")


def os_reason(err: OSError) -> str:
    """A short reason for an OS error, without repeating the (possibly unsafe) file name."""
    import errno

    names = {
        errno.ENOENT: "no such file or directory",
        errno.EACCES: "permission denied",
        errno.EPERM: "permission denied",
        errno.ELOOP: "symlink loop",
        errno.EISDIR: "is a directory",
        errno.ENAMETOOLONG: "file name too long",
        errno.EIO: "input/output error",
    }
    return names.get(err.errno or -1) or (err.strerror or type(err).__name__).lower()


_MAGIC_PREFIXES = tuple(prefix for prefix, _ in _MAGIC) + (_RIFF,)


def magic_kind(head: bytes) -> str | None:
    """What binary format the first bytes announce, if any."""
    if not head.startswith(_MAGIC_PREFIXES):
        return None
    for prefix, kind in _MAGIC:
        if head.startswith(prefix):
            return kind
    if head.startswith(_RIFF) and len(head) >= 12:
        return "RIFF media"
    return None


def _utf16_without_bom(sample: bytes) -> str | None:
    """UTF-16 text without a BOM has NULs in nearly every other byte (for Latin-script text)."""
    n = len(sample) - len(sample) % 2
    if n < 8:
        return None
    even = sample[0:n:2].count(0)
    odd = sample[1:n:2].count(0)
    half = n // 2
    if odd >= 0.4 * half and even <= 0.05 * half:
        return "utf-16-le"
    if even >= 0.4 * half and odd <= 0.05 * half:
        return "utf-16-be"
    return None


def _utf32_without_bom(sample: bytes) -> str | None:
    n = len(sample) - len(sample) % 4
    if n < 16 or sample.count(0) < 0.7 * n:
        return None
    if sample[2:n:4].count(0) == n // 4 and sample[3:n:4].count(0) == n // 4:
        return "utf-32-le"
    if sample[0:n:4].count(0) == n // 4 and sample[1:n:4].count(0) == n // 4:
        return "utf-32-be"
    return None


def _first_utf8_error(data: bytes, final: bool) -> int | None:
    try:
        data.decode("utf-8")
        return None  # (the common case, without an incremental decoder)
    except UnicodeDecodeError:
        pass
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        decoder.decode(data, final=final)
    except UnicodeDecodeError as err:
        return err.start
    return None


def _looks_like_broken_utf8(data: bytes) -> bool:
    """Valid multi-byte UTF-8 sequences outnumbering the invalid bytes: a corrupt UTF-8 file,
    not a legacy encoding (whose accented letters almost never form valid UTF-8 sequences)."""
    text = data.decode("utf-8", "replace")
    bad = text.count("\ufffd") - data.count(b"\xef\xbf\xbd")
    good = sum(1 for ch in text if ord(ch) > 0x7F and ch != "\ufffd")
    return good > 0 and good >= bad


# Western encodings win near-ties: short French or German text often scores a hair better as
# Baltic or Central European, but legacy files in English-language news are nearly always cp1252.
_WESTERN = ("cp1252", "latin_1", "iso8859_15")
_WESTERN_MARGIN = 0.1


def _legacy_encoding(data: bytes) -> str | None:
    """The most plausible legacy encoding (Latin-1, cp1252, ...) by charset-normalizer, or None."""
    from charset_normalizer import from_bytes

    results = from_bytes(data)
    best = results.best()
    if best is None or best.encoding is None:
        return None
    for match in results:
        if match.encoding in _WESTERN and match.chaos <= best.chaos + _WESTERN_MARGIN:
            try:
                data.decode("cp1252")
            except UnicodeDecodeError:
                return "latin_1"
            return "cp1252"
    return best.encoding


def choose_encoding(sample: bytes, *, complete: bool) -> tuple[str, int]:
    """(Python codec, BOM length) for text starting with `sample`, or DecodeError for non-text.

    `complete` says the sample is the whole file (otherwise it may end mid-character).
    """
    kind = magic_kind(sample)
    if kind:
        return _refuse(f"binary file ({kind})")
    for bom, codec in _BOMS:
        if sample.startswith(bom):
            return codec, len(bom)
    if b"\x00" in sample:  # (UTF-16 and UTF-32 without a BOM need many NULs)
        guess = _utf32_without_bom(sample) or _utf16_without_bom(sample)
        if guess:
            return guess, 0
        return _refuse("binary file (NUL bytes)")
    error_at = _first_utf8_error(sample, final=complete)
    if error_at is None:
        return "utf-8", 0
    if _looks_like_broken_utf8(sample):
        return _refuse(f"invalid UTF-8 at byte {error_at}")
    legacy = _legacy_encoding(sample)
    if legacy is None:
        return _refuse("binary file (not text in any known encoding)")
    return legacy, 0


def _refuse(reason: str) -> tuple[str, int]:
    raise DecodeError(reason)


def check_text(text: str) -> str:
    """Refuse decoded text that is empty or mostly control characters (binary in disguise)."""
    if not text.strip():
        raise DecodeError("empty file")
    sample = text[:HEAD_BYTES]
    if _BAD_CONTROLS.search(sample) is None:  # the common case, without building a list
        return text
    controls = len(_BAD_CONTROLS.findall(sample))
    if controls > max(8, len(sample) // 20):
        raise DecodeError("binary file (control characters)")
    return text


def decode_bytes(data: bytes) -> str:
    """The text of a whole file, decoded exactly (no newline translation), or DecodeError."""
    if not data:
        raise DecodeError("empty file")
    if not data.startswith(_BOM_PREFIXES) and b"\x00" not in data and magic_kind(data) is None:
        # What `choose_encoding` would conclude for the common case, decoding only once.
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            pass  # the general path below says why, or finds the legacy encoding
        else:
            if not data.translate(None, _TEXT_BYTES) and not text.isspace():
                return text  # no control byte at all (UTF-8 encodes them as themselves): `check_text` passes
            return check_text(text)
    codec, bom = choose_encoding(data, complete=True)
    try:
        text = data[bom:].decode(codec)
    except UnicodeDecodeError as err:
        raise DecodeError(f"invalid {codec} at byte {err.start + bom}") from None
    except LookupError:
        raise DecodeError(f"unknown encoding {codec}") from None
    if codec != "utf-8" and "\x00" in text:
        raise DecodeError("binary file (NUL bytes)")
    return check_text(text)


def read_head(path: Path | str, size: int = HEAD_BYTES) -> bytes:
    with open(path, "rb") as fh:
        return fh.read(size)


def read_bounded(path: Path | str, limit: int = MAX_ARTICLE_BYTES) -> bytes:
    """All bytes of a file, refusing (after a stat, before reading) anything over `limit`.

    Non-regular files (pipes, character devices) cannot be stat-ed for size: at most
    `limit` + 1 bytes are read from them.
    """
    st = os.stat(path)
    if st.st_size > limit:
        raise too_large(st.st_size, limit)
    with open(path, "rb") as fh:
        data = fh.read(limit + 1)
    if len(data) > limit:
        raise DecodeError(f"file too large (over {limit // MB} MB)")
    return data


def read_text(path: Path | str, limit: int = MAX_ARTICLE_BYTES) -> str:
    """A single-article file as text: bounded read, then `decode_bytes`."""
    return decode_bytes(read_bounded(path, limit))


def _stream_encoding(fh: BinaryIO) -> tuple[str, int]:
    """Choose the encoding of a large file without holding it: sniff the head; when the head is
    UTF-8, validate the rest chunk by chunk and fall back to a legacy encoding sniffed around the
    first invalid byte."""
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
            window_start = offset + max(0, err.start - 32 * 1024)
            fh.seek(window_start)
            window = fh.read(HEAD_BYTES)
            fh.seek(0)
            if _looks_like_broken_utf8(window) or b"\x00" in window:
                raise DecodeError(f"invalid UTF-8 at byte {offset + err.start}") from None
            legacy = _legacy_encoding(head + window)
            if legacy is None:
                raise DecodeError(f"invalid UTF-8 at byte {offset + err.start}") from None
            return legacy, 0
        if not chunk:
            break
        offset += len(chunk)
    fh.seek(0)
    return codec, bom


def open_text_stream(path: Path | str, limit: int = MAX_DATASET_BYTES) -> io.TextIOWrapper:
    """A text stream over a (possibly large) data-set file, decoded strictly, newlines kept.

    The caller closes it. Decoding errors later in the file surface as UnicodeDecodeError.
    """
    st = os.stat(path)
    if st.st_size > limit:
        raise too_large(st.st_size, limit)
    raw = open(path, "rb")  # noqa: SIM115 - handed over to the TextIOWrapper
    try:
        codec, bom = _stream_encoding(raw)
        raw.seek(bom)
        return io.TextIOWrapper(raw, encoding=codec, errors="strict", newline="")
    except BaseException:
        raw.close()
        raise
