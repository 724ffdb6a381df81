"""Dates only from recognised lines, author lists, links."""

from __future__ import annotations

from library.cleaning.metadata import (
    append_clean,
    find_date_line,
    parse_author_field,
    parse_date,
    parse_published,
    split_authors,
    strip_links,
)
from library.textmap import TextBuilder


def test_dates_from_recognised_lines_only():
    assert find_date_line("Global Research, May 23, 2017") == ("Global Research", "2017-05-23")
    assert find_date_line("Global Research, May 05, 2013") == ("Global Research", "2013-05-05")
    assert find_date_line("Global Research, 5 June 2003") == ("Global Research", "2003-06-05")
    assert find_date_line("The strike may have killed 23 people") is None
    assert parse_date("The strike may have killed 23 people") is None
    assert parse_date("May 2017") is None
    assert parse_date("Feb 30, 2017") is None
    assert parse_published("2020-05-22T10:00:00Z") == "2020-05-22"
    assert parse_published("") is None


def test_authors():
    assert split_authors("By [A](#) and [B](#)") == ["A", "B"]
    assert split_authors("By A, B and C") == ["A", "B", "C"]
    assert parse_author_field("['A', 'B']") == ["A", "B"]
    assert parse_author_field("[‘Rachel Roubein']") == ["Rachel Roubein"]
    assert parse_author_field("[]") == []
    assert parse_author_field(["X", " "]) == ["X"]


def test_links():
    assert strip_links("[a](#) and [b](http://x.org/p)") == "a and b (http://x.org/p)"
    src = "see [a](#) and [b](http://x.org)"
    builder = TextBuilder()
    links = append_clean(builder, src, 0, len(src))
    assert builder.text() == "see a and b (http://x.org)"
    assert links == 2
    for r in builder.runs():
        assert src[r.source : r.source + r.length] == builder.text()[r.clean : r.clean + r.length]
