"""Bytes to text: encodings decoded exactly, binary and corrupt input refused with a reason."""

from __future__ import annotations

import codecs
import io
import random
from pathlib import Path

import pytest
from conftest import corpus_dir

from library.ingest import textstream
from library.ingest.decode import (
    MAX_ARTICLE_BYTES,
    DecodeError,
    choose_encoding,
    decode_bytes,
    decode_report,
    read_bounded,
    western_encoding,
)
from library.ingest.reading import IngestError, IngestNotice, read_inputs
from library.ingest.textstream import open_text_stream

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


def test_corrupt_utf8_stays_utf8_with_each_bad_spot_replaced_and_located() -> None:
    good = ("Hélène and Zoë went to the café. " * 5).encode()
    data = good[:20] + b"\xc3" + good[21:] + b"\xff"
    decoded = decode_report(data)
    assert decoded.codec == "utf-8"
    assert decoded.text == good[:20].decode() + "\ufffd" + good[21:].decode("utf-8", "replace") + "\ufffd"
    assert "Hélène" in decoded.text and "Zoë" in decoded.text
    assert decoded.bad_bytes == [20, len(data) - 1] and decoded.bad_count == 2
    assert decode_bytes(data) == decoded.text


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


# --- legacy Western text: a few accented words in English -------------------------------------

ENGLISH = (
    "the council said on monday that it would review the plan after residents complained about "
    "traffic noise and the cost of new roads while officials in the capital promised more money "
    "for schools hospitals and police next year according to a statement published by the ministry"
).split()
ACCENTED = [
    "café",
    "Alépo",
    "naïve",
    "résumé",
    "Zoë",
    "Müller",
    "Señor",
    "façade",
    "jalapeño",
    "Gödel",
    "Brontë",
    "Renée",
    "crème",
    "déjà",
    "São",
    "Bogotá",
    "Björk",
    "Øresund",
    "Ærø",
    "Düsseldorf",
    "Français",
    "Ibáñez",
    "Québec",
    "Curaçao",
    "Antón",
    "Zürich",
    "Málaga",
    "Pérez",
    "Córdoba",
    "Göteborg",
    "Kraków",
    "Genève",
    "Straße",
    "Müßiggang",
    "ações",
    "coöperate",
    "Réunion",
    "fiancée",
]
PUNCTUATION = ["“quoted”", "it’s", "2–3", "—", "£5", "€10", "…"]  # cp1252 only


def _english_text(rng: random.Random) -> str:
    n = rng.randint(5, 800)
    words = [rng.choice(ENGLISH) for _ in range(n)]
    for _ in range(rng.randint(1, 3)):
        words[rng.randrange(n)] = rng.choice(ACCENTED)
    if rng.random() < 0.3:
        words[rng.randrange(n)] = rng.choice(PUNCTUATION)
    words[0] = words[0].capitalize()
    return " ".join(words) + ".\n"


def test_a_thousand_english_texts_with_a_few_accented_words_decode_as_western() -> None:
    rng = random.Random(20260515)
    wrong = []
    for i in range(1000):
        text = _english_text(rng)
        codec = "cp1252" if i % 2 or any(p in text for p in PUNCTUATION) else "latin-1"
        data = text.encode(codec)
        got = decode_bytes(data)
        if got != text:
            wrong.append((text[:80], got[:80]))
    assert wrong == []


SAMPLES = {
    "german": "Die Bürger der Stadt Köln haben am Sonntag über die Zukunft des Hafens abgestimmt. "
    "Mehr als die Hälfte stimmte für den Ausbau, obwohl die Kosten größer sind als geplant.\n",
    "french": "Les élèves du lycée ont manifesté jeudi devant la préfecture. « Nous ne voulons pas "
    "d'une réforme décidée sans nous », a déclaré une lycéenne de dix-sept ans.\n",
    "spanish": "¿Quién pagará la factura? El alcalde de Málaga aseguró el miércoles que la "
    "ampliación del puerto costará menos de lo previsto, pero la oposición lo duda.\n",
}


@pytest.mark.parametrize("codec", ["cp1252", "latin-1"])
@pytest.mark.parametrize("language", sorted(SAMPLES))
def test_german_french_spanish_legacy_samples(language: str, codec: str) -> None:
    text = SAMPLES[language]
    assert decode_bytes(text.encode(codec)) == text
    assert decode_bytes(text[:60].encode(codec)) == text[:60]  # a short piece too


def test_western_detection_leaves_other_scripts_to_the_statistical_detector() -> None:
    russian = "Городской совет обсудит новый бюджет в понедельник, сообщили в мэрии. " * 4
    assert western_encoding(russian.encode("cp1251")) is None
    assert decode_bytes(russian.encode("cp1251")) == russian


def test_seed_article_in_latin1_keeps_its_title(tmp_path: Path) -> None:
    seed = corpus_dir("seed") / "000_06f29f9339602858.txt"
    text = seed.read_text(encoding="utf-8").replace("Aleppo", "Alépo")
    path = tmp_path / "seed_latin1.txt"
    path.write_bytes(text.encode("latin-1", "replace"))
    [article] = [i for i in read_inputs([str(path)], workers=1) if not isinstance(i, IngestError)]
    assert article.meta.title == "Video: ISIS Terrorists Rapidly Losing Ground in Eastern Alépo"


# --- UTF-8 with a few bad bytes ----------------------------------------------------------------


def test_a_utf8_file_with_one_stray_byte_stays_utf8_and_the_import_names_the_byte(tmp_path: Path) -> None:
    body = "Flights to Réunion resumed on Monday. " * 3
    data = ("Réunion Flights\n\n" + body).encode()
    stray = data.index(b"resumed")
    data = data[:stray] + b"\xe9" + data[stray:]
    path = tmp_path / "stray.txt"
    path.write_bytes(data)
    items = list(read_inputs([str(path)], workers=1))
    [article] = [i for i in items if not isinstance(i, IngestError)]
    [notice] = [i for i in items if isinstance(i, IngestError)]
    assert isinstance(notice, IngestNotice) and notice.kind == "warning"
    assert notice.reason == f"invalid UTF-8 replaced with U+FFFD at byte {stray:,}"
    assert article.meta.title == "Réunion Flights"
    assert "Réunion \ufffdresumed" in article.source_text


# --- the text stream: lines as newline="" gives them, bad bytes located ------------------------


def _wrapper_lines(data: bytes) -> list[str]:
    return list(io.TextIOWrapper(io.BytesIO(data), encoding="utf-8", newline=""))


@pytest.mark.parametrize("seed", range(20))
def test_text_stream_lines_equal_newline_empty_reading_across_read_boundaries(
    seed: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(textstream, "_STREAM_CHUNK", 7)
    rng = random.Random(seed)
    pieces = ["a", "bé", "ccc", "", "Réunion", "x" * 30]
    ends = ["\n", "\r\n", "\r"]
    data = "".join(rng.choice(pieces) + rng.choice(ends) for _ in range(60))
    if seed % 3 == 0:
        data += "tail without end"
    path = tmp_path / "lines.txt"
    path.write_bytes(b"title,content\n" * 5000 + data.encode())  # past the 64 KB head
    with open_text_stream(path) as stream:
        lines = list(stream)
    assert lines == _wrapper_lines(path.read_bytes())
    assert stream.bad_bytes == [] and stream.bad_count == 0


def test_text_stream_locates_bad_bytes_by_file_offset(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(textstream, "_STREAM_CHUNK", 1000)
    lines = [f"line {i} Réunion\r\n".encode() for i in range(20_000)]
    lines[7] = b"line 7 bad \xff byte\n"
    lines[15_000] = b"line 15000 \xc3( and \xe2\x82\r"
    data = b"".join(lines)
    path = tmp_path / "bad.txt"
    path.write_bytes(data)
    with open_text_stream(path) as stream:
        got = list(stream)
    assert stream.encoding == "utf-8"
    assert got[7] == "line 7 bad \ufffd byte\n" and got[15_000] == "line 15000 \ufffd( and \ufffd\r"
    assert got[1] == "line 1 Réunion\r\n"
    first = data.index(b"\xff")
    second = data.index(b"\xc3(")
    assert stream.bad_bytes == [first, second, second + 7] and stream.bad_count == 3


def test_text_stream_reads_a_legacy_file_whose_first_accent_is_late(tmp_path: Path) -> None:
    path = tmp_path / "late.jsonl"
    path.write_bytes(b'{"body": "plain"}\n' * 10_000 + '{"body": "Hélène à Sète"}\n'.encode("cp1252"))
    with open_text_stream(path) as stream:
        assert stream.read().endswith('{"body": "Hélène à Sète"}\n')
    assert stream.encoding == "cp1252"
