from library.textmap import OffsetMap, TextBuilder


def test_copied_and_synthesised_text_map_back_to_source() -> None:
    source = "By [South Front](#)\n\nthe reports still have to be\n\nconfirmed by some evidence."
    b = TextBuilder()
    a = source.index("the reports")
    b.copy(a, "the reports still have to be")
    b.insert(" ")
    c = source.index("confirmed")
    b.copy(c, "confirmed by some evidence.")
    text, m = b.text(), OffsetMap(b.runs())
    assert text == "the reports still have to be confirmed by some evidence."
    s = text.index("be confirmed")
    src = m.to_source(s, s + len("be confirmed"))
    assert src is not None
    assert source[src[0] : src[1]] == "be\n\nconfirmed"
    assert m.to_clean(*src) == (s, s + len("be confirmed"))
    # A span in dropped source text has no clean counterpart.
    assert m.to_clean(0, 5) is None
