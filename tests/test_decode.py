"""Bytes to text: encodings decoded exactly, binary and corrupt input refused with a reason."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from library.ingest.decode import (
    MAX_ARTICLE_BYTES,
    DecodeError,
    choose_encoding,
    decode_bytes,
    open_text_stream,
    read_bounded,
)

TEXT = "Café society in Sète: «déjà vu» for Hélène.\r\nSecond line.\n"


@pytest.mark.parametrize(
    "data",
    [
        TEXT.encode("utf-8"),
        codecs.BOM_UTF8 + TEXT.encode("utf-8"),
        codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"),
        codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"),
        TEXT.encode("utf-16-le"),
        TEXT.encode("utf-16-be"),
        codecs.BOM_UTF32_LE + TEXT.encode("utf-32-le"),
        codecs.BOM_UTF32_BE + TEXT.encode("utf-32-be"),
        TEXT.encode("latin-1"),
        TEXT.encode("cp1252"),
    ],
    ids=[
        "utf8",
        "utf8-bom",
        "utf16le-bom",
        "utf16be-bom",
        "utf16le",
        "utf16be",
        "utf32le",
        "utf32be",
        "latin1",
        "cp1252",
    ],
)
def test_text_is_decoded_exactly_whatever_the_encoding(data: bytes) -> None:
    assert decode_bytes(data) == TEXT  # BOM dropped, \r\n kept


def test_cp1252_punctuation_is_decoded() -> None:
    text = "The “temporary” car park – eleven years on… the council’s promise.\n"
    assert decode_bytes(text.encode("cp1252")) == text


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty file"),
        (b"  \n\t\r\n ", "empty file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file (PNG image)"),
        (b"PK\x03\x04\x14\x00", "binary file (ZIP archive)"),
        (b"%PDF-1.4\n", "binary file (PDF document)"),
        (b"\x7fELF\x02\x01\x01\x00", "binary file (ELF executable)"),
        (b"some text\x00with\x00\x00 NUL bytes in it, which text never has", "binary file (NUL bytes)"),
        (bytes([1, 2, 3, 4, 5, 6, 0x10, 0x11]) * 50, "binary file (control characters)"),
    ],
)
def test_non_text_is_refused_with_a_reason(data: bytes, reason: str) -> None:
    with pytest.raises(DecodeError) as info:
        decode_bytes(data)
    assert info.value.reason == reason


def test_corrupt_utf8_is_refused_not_misread_as_a_legacy_encoding() -> None:
    good = ("Hélène and Zoë went to the café. " * 5).encode()
    data = good[:20] + b"\xc3" + good[21:] + b"\xff"
    with pytest.raises(DecodeError, match=r"invalid UTF-8 at byte \d+"):
        decode_bytes(data)


def test_odd_length_utf16_is_refused() -> None:
    with pytest.raises(DecodeError, match="invalid utf-16-le"):
        decode_bytes(codecs.BOM_UTF16_LE + "Some text here".encode("utf-16-le") + b"A")


def test_choose_encoding_on_a_partial_head_tolerates_a_cut_character() -> None:
    data = ("é" * 10).encode()[:-1]  # ends mid-character
    assert choose_encoding(data, complete=False) == ("utf-8", 0)


def test_read_bounded_refuses_large_files_from_a_stat_without_reading(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    with open(big, "wb") as fh:
        fh.write(b"text")
        fh.truncate(MAX_ARTICLE_BYTES + 1)
    with pytest.raises(DecodeError, match=r"^file too large \(50\.0 MB > 50 MB\)$"):
        read_bounded(big)


def test_text_stream_falls_back_to_legacy_encoding_found_late_in_a_big_file(tmp_path: Path) -> None:
    path = tmp_path / "late.csv"
    ascii_part = "title,content\n" + "a,plain ascii text\n" * 20_000  # > 64 KB head
    path.write_bytes(ascii_part.encode() + "b,Hélène à Sète\n".encode("latin-1"))
    with open_text_stream(path) as stream:
        text = stream.read()
    assert text.endswith("b,Hélène à Sète\n")


def test_text_stream_keeps_newlines_and_drops_the_bom(tmp_path: Path) -> None:
    path = tmp_path / "bom.csv"
    path.write_bytes(codecs.BOM_UTF8 + b"title,content\r\na,b\r\n")
    with open_text_stream(path) as stream:
        assert stream.read() == "title,content\r\na,b\r\n"
