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
