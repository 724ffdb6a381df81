"""Global Research layouts beyond the seed's: source lines, the print view, the 2004-05 archive
page, plain or run-together topic lines, a bare `Region:`, notices run together, unrecognised
lines inside the header. Each fixture is written for these tests from the layout's description;
the combination test builds pages from the parts in every combination."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from parsing_helpers import check_runs, uncovered

from library.cleaning.parsers import detect_format, parse_document
from library.model import REASON_METADATA, REASON_NAVIGATION, Origin

FIXTURES = Path(__file__).parent / "fixtures" / "parsing" / "gr"

CASES = {
    "gr_source_line_linked.txt": dict(
        title="Harbour Strike Enters Its Third Week",
        authors=["Ana Lima"],
        published="2020-05-14",
        url=None,
        region=["Latin America & Caribbean"],
        themes=["Poverty & Social Inequality"],
        in_depth_report=None,
        original_source="Brasil de Fato",
        copyright="Ana Lima, Brasil de Fato, 2020",
        body=3,
    ),
    "gr_source_line_linked_date.txt": dict(
        title="The Grain Corridor After the Deal",
        authors=["Pavel Orlov"],
        published="2020-05-14",  # the GR date line's, not the source line's 13 May
        url=None,
        region=["Europe", "Russia and FSU"],
        themes=["Global Economy"],
        in_depth_report="UKRAINE REPORT",
        original_source="Strategic Culture Foundation",  # only in the copyright line
        copyright="Pavel Orlov, Strategic Culture Foundation, 2020",
        body=3,
    ),
    "gr_source_line_plain_date.txt": dict(
        title="Fishing Quotas and the Northern Coast",
        authors=["Ingrid Solberg"],
        published="2020-05-14",
        url=None,
        region=["Europe"],
        themes=["Environment"],
        in_depth_report=None,
        original_source="The Ecologist",
        copyright="Ingrid Solberg, The Ecologist, 2020",
        body=2,
    ),
    "gr_source_line_plain_name.txt": dict(
        title="Rail Freight Tariffs Rise Again",
        authors=["Tomasz Nowak"],
        published="2020-05-14",
        url=None,
        region=["Asia"],
        themes=["Global Economy", "History"],
        in_depth_report=None,
        original_source="Asia Times",  # no footer: the source line's outlet
        copyright=None,
        body=2,
    ),
    "gr_print_view.txt": dict(
        title="Video: Convoys Reach the Northern Checkpoint",
        authors=["South Front"],
        published="2017-05-23",  # not the original date on its own line (22 May)
        url="https://www.globalresearch.ca/video-convoys-reach-the-northern-checkpoint/5591722",
        region=["Middle East & North Africa"],
        themes=["Terrorism", "US NATO War Agenda"],
        in_depth_report="SYRIA",
        original_source="South Front",
        copyright="South Front, South Front, 2017",
        body=3,
    ),
    "gr_archive_2005.txt": dict(
        title="The Spring Offensive and the Oil Markets",
        authors=["Michel Chossudovsky"],
        published="2005-03-18",
        url="http://globalresearch.ca/articles/CHO503A.html",
        region=[],
        themes=[],
        in_depth_report=None,
        original_source=None,  # the copyright names the author only
        copyright="MICHEL CHOSSUDOVSKY 2005",
        body=3,
    ),
    "gr_topics_plain_no_blank.txt": dict(
        title="The Water Tariff Referendum",
        authors=["Lucía Romero"],
        published="2019-10-02",
        url=None,
        region=["Latin America & Caribbean"],
        themes=["Law and Justice", "Poverty & Social Inequality"],
        in_depth_report="LATIN AMERICA REPORT",
        original_source="Global Research",
        copyright="Lucía Romero, Global Research, 2019",
        body=2,
    ),
    "gr_topics_one_line.txt": dict(
        title="Port Fees and the Transit Treaty",
        authors=["Kemal Arslan"],
        published="2021-02-08",
        url=None,
        region=["Middle East & North Africa", "Europe"],
        themes=["Global Economy"],
        in_depth_report="NATO’S WAR ON LIBYA",
        original_source="Global Research",
        copyright="Kemal Arslan, Global Research, 2021",
        body=2,
    ),
    "gr_bare_region.txt": dict(
        title="A Census Nobody Wanted",
        authors=["Grace Mwangi"],
        published="2016-08-30",
        url=None,
        region=[],
        themes=["History", "Law and Justice"],
        in_depth_report=None,
        original_source="Global Research",
        copyright="Grace Mwangi, Global Research, 2016",
        body=2,
    ),
    "gr_copyright_only_source.txt": dict(
        title="Courts, Contracts and the Mining Code",
        authors=["Jean-Pierre Mbeki", "Sarah Klein"],
        published="2022-03-11",
        url=None,
        region=["sub-Saharan Africa"],
        themes=["Global Economy"],
        in_depth_report=None,
        original_source="Africa Is a Country",
        copyright="Jean-Pierre Mbeki and Sarah Klein, Africa Is a Country, 2022",
        body=2,
    ),
    "gr_glued_notices.txt": dict(
        title="The Lithium Rush in the Salt Flats",
        authors=["Diego Quispe"],
        published="2023-06-09",
        url=None,
        region=["Latin America & Caribbean"],
        themes=["Environment", "Global Economy"],
        in_depth_report=None,
        original_source="Mongabay",
        copyright="Diego Quispe, Mongabay, 2023",
        body=2,
    ),
    "gr_glued_notices_plain.txt": dict(
        title="Night Shifts at the Border Clinic",
        authors=["Hannah Weiss"],
        published="2018-07-04",
        url=None,
        region=["Middle East & North Africa"],
        themes=["Crimes against Humanity"],
        in_depth_report=None,
        original_source="Global Research",
        copyright="Hannah Weiss, Global Research, 2018",
        body=2,
    ),
    "gr_unknown_header_line.txt": dict(
        title="The Dam Contract Nobody Read",
        authors=["Ravi Menon"],
        published="2021-01-19",
        url=None,
        region=["Asia"],
        themes=["Environment", "Law and Justice"],
        in_depth_report=None,
        original_source="Global Research",
        copyright="Ravi Menon, Global Research, 2021",
        body=3,  # "Email this article to a friend" is kept (here: as body), in its place
    ),
    "gr_second_date.txt": dict(
        title="Seed Banks and the Patent Office",
        authors=["Olga Petrenko"],
        published="2020-05-14",  # the GR date line's, though another date line comes first
        url=None,
        region=["Europe"],
        themes=["Biotechnology and GMO"],
        in_depth_report=None,
        original_source="Strategic Culture Foundation",
        copyright="Olga Petrenko, Strategic Culture Foundation, 2020",
        body=2,
    ),
}


def _parse(name: str):
    text = (FIXTURES / name).read_text(encoding="utf-8")
    assert detect_format(text) == "globalresearch"
    return text, parse_document(text, Origin(str(FIXTURES / name)))


def _title_skip(text: str, title: str) -> tuple[int, int]:
    start = text.index(title)
    return (start, start + len(title))


@pytest.mark.parametrize("name", sorted(CASES))
def test_layout_metadata_exact_and_nothing_lost(name: str) -> None:
    text, parsed = _parse(name)
    want = dict(CASES[name])
    n_body = want.pop("body")
    meta = parsed.meta
    got = {key: getattr(meta, key) for key in want}
    assert got == want
    assert meta.site == "Global Research"
    body = [b for b in parsed.blocks if b.is_body]
    assert len(body) == n_body, [b.text for b in body]
    check_runs(parsed)
    assert uncovered(parsed, _title_skip(text, meta.title)) == ""


def test_header_lines_are_metadata_blocks_in_source_order() -> None:
    _, parsed = _parse("gr_print_view.txt")
    header = [b.text for b in parsed.blocks[:9]]
    assert header[2:5] == [
        "South Front",
        "22 May 2017",
        "Url of this article:",
    ]
    assert all(b.reason == REASON_METADATA for b in parsed.blocks[:9])
    assert parsed.blocks[9].is_body and parsed.blocks[9].text.startswith("Government forces")
    starts = [b.source_start for b in parsed.blocks]
    assert starts == sorted(starts)


def test_archive_banner_lines_are_kept_as_navigation() -> None:
    _, parsed = _parse("gr_archive_2005.txt")
    first = parsed.blocks[:2]
    assert [b.text for b in first] == [
        "Centre for Research on Globalisation",
        "Centre de recherche sur la mondialisation",
    ]
    assert all(b.reason == REASON_NAVIGATION for b in first)
    assert all(b.reason for b in parsed.blocks if "©" in b.text)


def test_unrecognised_lines_inside_the_header_stay_in_place() -> None:
    _, parsed = _parse("gr_unknown_header_line.txt")
    texts = [b.text for b in parsed.blocks]
    assert texts.index("Print this article") < texts.index("Region: Asia")
    assert texts.index("Region: Asia") < texts.index("Email this article to a friend")
    assert texts.index("Email this article to a friend") < texts.index("Theme: Environment, Law and Justice")
    theme = parsed.blocks[texts.index("Theme: Environment, Law and Justice")]
    assert theme.reason == REASON_METADATA


def test_a_body_paragraph_never_becomes_a_header_line() -> None:
    text = (
        "A Title\n\nBy [Jane Doe](#)\n\nGlobal Research, May 23, 2017\n\n"
        "The army said on Monday that it had retaken the village after two days of fighting.\n\n"
        "Region: this word starts a sentence in the body, not a header line.\n\n"
        "Reuters, May 24, 2017\n\n"
        "Officials said the road would reopen next week.\n"
    )
    parsed = parse_document(text, Origin("x.txt"))
    assert parsed.meta.region == [] and parsed.meta.published == "2017-05-23"
    body = [b.text for b in parsed.blocks if b.is_body]
    assert body[0].startswith("The army said")
    assert "Officials said the road would reopen next week." in body


# --- every combination of the parts ---------------------------------------------------------------

SOURCE_LINES = {
    "none": [],
    "linked": ["[Asia Times](#)"],
    "linked_date": ["[Asia Times](#) 13 May 2020"],
    "plain": ["Asia Times"],
    "plain_date": ["Asia Times 13 May 2020"],
    "print": ["Asia Times", "13 May 2020"],
}
TOPICS = {
    "lines": ["Region: [Asia](#), [Europe](#)", "Theme: [Global Economy](#)", "In-depth Report: [CHINA](#)"],
    "plain": ["Region: Asia, Europe", "Theme: Global Economy", "In-depth Report: CHINA"],
    "one_line": ["Region: [Asia](#), [Europe](#)Theme: [Global Economy](#)In-depth Report: [CHINA](#)"],
    "bare_region": ["Region:", "Theme: Global Economy"],
}
FOOTERS = {
    "notices": [
        "The original source of this article is [Asia Times](#)",
        "Copyright © [Li Wei](#), [Asia Times](#), 2020",
    ],
    "glued": [
        "The original source of this article is [Asia Times](#)Copyright © [Li Wei](#), [Asia Times](#), 2020"
    ],
    "copyright_only": ["Copyright © Li Wei, Asia Times, 2020"],
    "none": [],
}
BODY = [
    "Container rates on the route fell by a third in April, according to figures published by the port.",
    "Shipping lines say the fall will not last beyond the summer.",
]


def _page(source: str, topics: str, footer: str, blank: bool, unknown: bool, url: bool) -> str:
    header = ["By Li Wei" if source == "print" else "By [Li Wei](#)", "Global Research, May 14, 2020"]
    header += SOURCE_LINES[source]
    if url:
        header += ["Url of this article:", "https://www.globalresearch.ca/container-rates/5700001"]
    if unknown:
        header.append("Share this article")
    header += TOPICS[topics]
    lines = ["Container Rates on the Eastern Route", *header, *BODY, *FOOTERS[footer]]
    return ("\n\n" if blank else "\n").join(lines) + "\n"


@pytest.mark.parametrize(
    "source,topics,footer",
    list(itertools.product(SOURCE_LINES, TOPICS, FOOTERS)),
)
def test_every_combination_of_layout_parts(source: str, topics: str, footer: str) -> None:
    for blank, unknown, url in itertools.product((True, False), repeat=3):
        text = _page(source, topics, footer, blank, unknown, url)
        assert detect_format(text) == "globalresearch", text
        parsed = parse_document(text, Origin("x.txt"))
        meta = parsed.meta
        where = (source, topics, footer, blank, unknown, url)
        assert meta.title == "Container Rates on the Eastern Route", where
        assert meta.authors == ["Li Wei"], where
        assert meta.published == "2020-05-14", where
        assert meta.region == ([] if topics == "bare_region" else ["Asia", "Europe"]), where
        assert meta.themes == ["Global Economy"], where
        assert meta.in_depth_report == (None if topics == "bare_region" else "CHINA"), where
        assert meta.url == ("https://www.globalresearch.ca/container-rates/5700001" if url else None), where
        want_source = None if footer == "none" and source == "none" else "Asia Times"
        assert meta.original_source == want_source, where
        body = [b.text for b in parsed.blocks if b.is_body]
        assert body[-2:] == BODY or body == BODY, (where, body)
        check_runs(parsed)


def test_a_note_to_readers_between_date_and_topics_does_not_end_the_header() -> None:
    text = (
        "A Title\nBy Jane Doe\nGlobal Research, May 23, 2017\n"
        "Note to readers: please click the share buttons above or below. Forward this article to your lists.\n"
        "Region: Europe\nTheme: History\n"
        "The museum reopened on Monday after two years of repairs, its director said.\n"
    )
    parsed = parse_document(text, Origin("x.txt"))
    assert (parsed.meta.region, parsed.meta.themes) == (["Europe"], ["History"])
    note = next(b for b in parsed.blocks if b.text.startswith("Note to readers"))
    assert note.reason  # kept in place, as boilerplate with its reason
    assert [b.text for b in parsed.blocks if b.is_body] == [
        "The museum reopened on Monday after two years of repairs, its director said."
    ]


def test_a_source_line_before_the_date_line_and_a_body_sentence_ending_in_a_date() -> None:
    text = (
        "A Title\n\nBy [Jane Doe](#)\n\n[Asia Times](#) 13 May 2020\n\nGlobal Research, May 14, 2020\n\n"
        "Region: [Asia](#)\n\nThe strike began on 13 May 2020\n\nand it is not over yet, the union says.\n"
    )
    parsed = parse_document(text, Origin("x.txt"))
    meta = parsed.meta
    assert (meta.published, meta.original_source, meta.region) == ("2020-05-14", "Asia Times", ["Asia"])
    assert [b.text for b in parsed.blocks if b.is_body] == [
        "The strike began on 13 May 2020 and it is not over yet, the union says."
    ]
