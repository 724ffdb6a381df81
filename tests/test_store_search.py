"""Search builds its texts without `article()` for speed: they must equal what `article()` shows."""

from __future__ import annotations

import sys
from pathlib import Path

from conftest import REPO

from library import Library
from library.ingest.reading import IngestError, read_inputs

sys.path.insert(0, str(REPO))  # `bench` sits next to the installed packages, not inside them
from bench.corpus import write_corpus  # noqa: E402


def shown_text(lib: Library, aid: str) -> str:
    art = lib.article(aid)
    return (art.meta.title or "") + "\n" + "\n".join(b.text for b in art.blocks if b.is_body)


def test_search_texts_match_the_articles_with_site_repetition_and_flips(tmp_path: Path) -> None:
    write_corpus(tmp_path / "src", 25)  # the appeal line repeats in every article: the site rule moves it
    with Library.open(tmp_path / "lib") as lib:
        lib.add_articles(i for i in read_inputs([str(tmp_path / "src")]) if not isinstance(i, IngestError))
        ids = lib.ids()
        lib.flip_block(ids[0], 6)
        lib.flip_block(ids[1], len(lib.article(ids[1]).blocks) - 5)
        texts = dict(lib._search_texts(ids))  # noqa: SLF001 - the fast path under test
        assert all(texts[aid] == shown_text(lib, aid) for aid in ids)
        assert not any("If you're able" in texts[aid] for aid in ids[2:])


def test_prepare_search_builds_the_index_ahead_of_the_first_query(tmp_path: Path) -> None:
    write_corpus(tmp_path / "src", 12)
    with Library.open(tmp_path / "lib") as lib:
        lib.add_articles(i for i in read_inputs([str(tmp_path / "src")]) if not isinstance(i, IngestError))
        word = lib.article(lib.ids()[3]).body.split()[5].strip(".?!,")
        lib.prepare_search(chunk=5)
        built = dict(lib._search._text)  # noqa: SLF001
        assert set(built) == set(lib.ids())
        found = lib.search(word)
        assert lib.ids()[3] in found
        assert found == [aid for aid in lib.ids() if word.casefold() in shown_text(lib, aid).casefold()]


def test_a_quoted_phrase_matches_only_the_words_together_across_lines(tmp_path: Path) -> None:
    from app_data import article

    with Library.open(tmp_path / "lib") as lib:
        lib.add_articles(
            [
                article("Trip", "We flew to Las\nVegas on Monday.", n=1),
                article("Other", "Vegas is far from Las Cruces.", n=2),
            ]
        )
        by_title = {s.meta.title: s.id for s in lib.summaries()}
        assert sorted(lib.search("las vegas")) == sorted(by_title.values())  # both words, anywhere
        assert lib.search('"Las Vegas"') == [by_title["Trip"]]
        assert lib.search("“las vegas”") == [by_title["Trip"]]  # typographic quotes too
        assert lib.search('"las vegas') == [by_title["Trip"]]  # an unclosed quote runs to the end
        assert lib.search('"Vegas is" cruces') == [by_title["Other"]]


def test_a_snippet_shows_the_first_match_in_one_line(tmp_path: Path) -> None:
    from app_data import article

    from library.store.search import query_terms, snippet

    assert query_terms('harbour "Las  Vegas" x') == ["harbour", "las vegas", "x"]
    text = "Lead words. " * 20 + "They met in Las\nVegas at noon. " + "Tail words. " * 20
    found = snippet(text, '"las vegas"', width=60)
    assert found is not None
    assert found.text.startswith("…") and found.text.endswith("…") and "\n" not in found.text
    ((start, end),) = found.spans
    assert found.text[start:end] == "Las Vegas"
    assert text[found.offset : found.offset + 3] == "Las"
    assert snippet(text, "absent") is None
    with Library.open(tmp_path / "lib") as lib:
        lib.add_articles([article("Trip", "We flew to Las Vegas on Monday.", n=1)])
        shown = lib.search_snippet(lib.ids()[0], "monday")
        assert shown is not None and "Monday" in shown.text
