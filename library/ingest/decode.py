"""Bytes to text: choosing an encoding, refusing binary data, and reading files in bounded pieces.

Scraped articles arrive in every encoding (UTF-8, UTF-8 with BOM, UTF-16 with or without BOM,
Latin-1, cp1252) and next to files that are not text at all. Text that can be decoded is decoded,
never rejected; binary data and oversized files are refused with a short reason.

- Mostly-ASCII text whose few other bytes read as Western letters or punctuation is cp1252 (or
  Latin-1): a statistical detector misreads such short evidence as CJK or Arabic codecs.
- UTF-8 with a few invalid bytes stays UTF-8: each bad spot becomes U+FFFD and its byte offset
  is reported (`Decoded.bad_bytes`, `TextStream.bad_bytes`), instead of the whole file being
  read in another codec.
- The decoded text is kept exactly (no newline translation, CR-only and mixed line ends
  included): offsets in the library point into it.
"""

from __future__ import annotations

import codecs
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from library.errors import LibraryError

MB = 1024 * 1024
MAX_ARTICLE_BYTES = 50 * MB  # one article per file (text, markdown, HTML)
MAX_DATASET_BYTES = 2048 * MB  # CSV / JSONL are streamed; each field is bounded separately
HEAD_BYTES = 64 * 1024  # what format and encoding sniffing look at


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


HIGH_BYTES = bytes(range(0x80, 0x100))


def _utf8_counts(data: bytes) -> tuple[int, int]:
    """(valid multi-byte characters, invalid spots) of `data` read as UTF-8."""
    text = data.decode("utf-8", "replace")
    bad = text.count("\ufffd") - data.count(b"\xef\xbf\xbd")
    ascii_chars = len(data.translate(None, HIGH_BYTES))
    return len(text) - ascii_chars - bad, bad


def _looks_like_broken_utf8(data: bytes) -> bool:
    """Valid multi-byte UTF-8 sequences outnumbering the invalid bytes: a UTF-8 file with a few
    bad bytes, not a legacy encoding (whose accented letters almost never form valid UTF-8)."""
    good, bad = _utf8_counts(data)
    return good > 0 and good >= bad


# Western encodings win near-ties: short French or German text often scores a hair better as
# Baltic or Central European, but legacy files in English-language news are nearly always cp1252.
_WESTERN = ("cp1252", "latin_1", "iso8859_15")
_WESTERN_MARGIN = 0.1
_HIGH_RUN_RE = re.compile(rb"[\x80-\xff]+")
_CP1252_UNDEFINED = frozenset(b"\x81\x8d\x8f\x90\x9d")
_WESTERN_SIGNS = frozenset("’‘“”„‚–—…•€£¥¢©®™°±²³µ¶·¹º»«¼½¾×÷¡¿§¨ª¬\xad¯´¸\xa0‰†‡ˆ‹›˜")
MAX_WESTERN_RUN = 3  # "Müßiggang", "ações": accented letters come alone or in pairs


def _western_char(ch: str) -> bool:
    if ch in _WESTERN_SIGNS:
        return True
    import unicodedata

    return ch.isalpha() and unicodedata.name(ch, "").startswith("LATIN")


def western_encoding(data: bytes) -> str | None:
    """cp1252 (or Latin-1) for mostly-ASCII text whose other bytes are Western letters or
    punctuation, alone or in short runs inside ASCII text; None otherwise.

    Why before charset-normalizer: with one to three accented words its statistics have almost
    nothing to go on, and it picks CJK or Arabic codecs for a sixth of such texts."""
    high = data.translate(None, bytes(range(0x80)))
    if not high or len(high) > 0.3 * len(data):
        return None
    if any(len(run) > MAX_WESTERN_RUN for run in _HIGH_RUN_RE.findall(data)):
        return None
    codec = "latin_1" if _CP1252_UNDEFINED & set(high) else "cp1252"
    chars = set(high.decode(codec))
    return codec if all(_western_char(ch) for ch in chars) else None


def legacy_encoding(data: bytes) -> str | None:
    """The most plausible legacy encoding (Latin-1, cp1252, ...), or None."""
    western = western_encoding(data)
    if western:
        return western
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

    `complete` says the sample is the whole file (otherwise it may end mid-character). "utf-8"
    may mean UTF-8 with a few invalid bytes: decode it with `decode_utf8_lenient`. Data sets
    are read with `library.ingest.textstream.open_text_stream`.
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
    if _first_utf8_error(sample, final=complete) is None:
        return "utf-8", 0
    if _looks_like_broken_utf8(sample):
        return "utf-8", 0  # a few bad bytes: read as UTF-8, each bad spot replaced and reported
    legacy = legacy_encoding(sample)
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


MAX_REPORTED_SPOTS = 20  # bad-byte positions kept per file (the count goes on)


@dataclass
class Decoded:
    """A file's text, its codec, and where invalid UTF-8 bytes were replaced by U+FFFD."""

    text: str
    codec: str
    bad_bytes: list[int] = field(default_factory=list)  # byte offsets (the first MAX_REPORTED_SPOTS)
    bad_count: int = 0


def decode_utf8_lenient(data: bytes, offset: int = 0, spots: list[int] | None = None) -> tuple[str, int]:
    """`data` as UTF-8 with every invalid sequence replaced by U+FFFD (as errors="replace"
    does); the byte offsets (plus `offset`) of the first spots are appended to `spots`.
    Returns (text, number of spots)."""
    parts: list[str] = []
    pos = 0
    count = 0
    n = len(data)
    while pos < n:
        try:
            parts.append(data[pos:].decode("utf-8"))
            break
        except UnicodeDecodeError as err:
            parts.append(data[pos : pos + err.start].decode("utf-8"))
            parts.append("\ufffd")
            count += 1
            if spots is not None and len(spots) < MAX_REPORTED_SPOTS:
                spots.append(offset + pos + err.start)
            pos += err.end
            if count >= MAX_REPORTED_SPOTS:  # the rest in one pass (counted, not located)
                rest = data[pos:].decode("utf-8", "replace")
                count += rest.count("\ufffd") - data[pos:].count(b"\xef\xbf\xbd")
                parts.append(rest)
                break
    return "".join(parts), count


def decode_report(data: bytes) -> Decoded:
    """The text of a whole file, decoded exactly (no newline translation), or DecodeError.
    UTF-8 with a few bad bytes is decoded with them replaced; `bad_bytes` says where."""
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
                return Decoded(text, "utf-8")  # no control byte at all: `check_text` passes
            return Decoded(check_text(text), "utf-8")
    codec, bom = choose_encoding(data, complete=True)
    spots: list[int] = []
    count = 0
    try:
        if codec == "utf-8":
            text, count = decode_utf8_lenient(data[bom:], bom, spots)
        else:
            text = data[bom:].decode(codec)
    except UnicodeDecodeError as err:
        raise DecodeError(f"invalid {codec} at byte {err.start + bom}") from None
    except LookupError:
        raise DecodeError(f"unknown encoding {codec}") from None
    if codec != "utf-8" and "\x00" in text:
        raise DecodeError("binary file (NUL bytes)")
    return Decoded(check_text(text), codec, spots, count)


def decode_bytes(data: bytes) -> str:
    """The text of a whole file (see `decode_report`), without the bad-byte report."""
    return decode_report(data).text


def bad_bytes_note(spots: list[int], count: int, records: list[tuple[int, int]] | None = None) -> str:
    """One line naming where invalid UTF-8 was replaced: "record 3 (byte 1,204), ..." or bytes."""
    if records:
        where = ", ".join(f"record {r} (byte {b:,})" for r, b in records[:MAX_REPORTED_SPOTS])
    else:
        where = ", ".join(f"byte {b:,}" for b in spots[:MAX_REPORTED_SPOTS])
    shown = len(records) if records else len(spots)
    more = f" and {count - shown:,} more" if count > shown else ""
    return f"invalid UTF-8 replaced with U+FFFD at {where}{more}"


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
