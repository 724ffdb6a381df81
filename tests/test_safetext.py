from library.safetext import display_text, one_line


def test_escape_sequences_and_controls_become_visible_standins() -> None:
    hostile = "a\x1b[2Jb\x1b]52;c;aGk=\x07c\x00d\u202eе\tf\ng"
    shown = display_text(hostile)
    assert "\x1b" not in shown and "\x07" not in shown and "\x00" not in shown and "\u202e" not in shown
    assert len(shown) == len(hostile)  # offsets stay valid
    assert "\t" in shown and "\n" in shown
    assert shown.startswith("a\u241b[2Jb")


def test_one_line_collapses_and_truncates() -> None:
    assert one_line("a\n\nb\x1bc", limit=4) == "a b…"


def test_c1_controls_show_as_the_windows_1252_characters_they_stand_for() -> None:
    # A Windows-1252 page read as Latin-1: the apostrophe became U+0092, a dash U+0096, and
    # U+009B (CSI, which a terminal would read as the start of a control sequence) was "›".
    mangled = "Obama\x92s plan \x96 \x93quoted\x94 \x9bx \x81"
    shown = display_text(mangled)
    assert shown == "Obama’s plan – “quoted” ›x \ufffd"  # 0x81 is undefined in Windows-1252
    assert len(shown) == len(mangled)
    assert not any(0x80 <= ord(ch) <= 0x9F for ch in shown)
    assert one_line("Obama\x92s Humanitarianism") == "Obama’s Humanitarianism"


def test_a_search_finds_c1_controls_and_curly_quotes_by_what_a_user_types() -> None:
    from library.store.search import SearchIndex, normalise, snippet
    from library.textsearch import find_occurrences

    source = "The plan: Obama\x92s \x93humanitarianism\x94 again."
    assert normalise("Obama’s") in normalise(source)
    assert normalise("Obama's") in normalise(source)  # the apostrophe a user types
    assert normalise('"humanitarianism"') in normalise(source)
    assert find_occurrences(source, "obama’s") == [(10, 17)]  # offsets into the source as it is
    assert find_occurrences(source, "OBAMA'S") == [(10, 17)]
    assert find_occurrences("It’s “done”.", 'it\'s "done"') == [(0, 11)]
    found = snippet(source, "Obama’s")
    assert (
        found is not None
        and found.offset == 10
        and found.text == "The plan: Obama’s “humanitarianism” again."
    )
    index = SearchIndex()
    for query in ("Obama’s", "obama's plan"):
        hits = index.search(query, ["a"], lambda _aid: 1, lambda ids: [(i, source) for i in ids])
        assert hits == ["a"], query
