"""Global Research pages in the seed's format, with the variations real pages show.

Each fixture (written for these tests, not copied) varies the header (order, missing lines,
several regions or reports, initials and titles in names, two-digit and single-digit days,
2003 to 2024), the notes at the top, the donation appeals and the footer. The metadata must
come out exactly, the split sentence joined, and every site line out of the body.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from parsing_helpers import check_runs, title_span, uncovered

from library.cleaning.parsers import detect_format, parse_document
from library.model import Origin

FIXTURES = Path(__file__).parent / "fixtures" / "parsing" / "gr"

CASES = {
    "gr_2003_short_footer.txt": dict(
        title="Sanctions and the Price of Bread: Notes from Basra",
        authors=["Prof. Michel Chossudovsky"],
        published="2003-01-05",
        region=["Middle East & North Africa"],
        themes=["Crimes against Humanity"],
        in_depth_report="IRAQ REPORT",
        original_source="Global Research",
        body=[
            "The price of a bag of flour in the southern markets has tripled since the autumn, traders told"
            " visiting relief workers this week.",
            "Families who once bought bread daily now buy it twice a week and ration the rest, according to the"
            " relief workers, who asked that their agency not be named.",
            "Officials in the capital blamed the embargo for the shortages.",
        ],
    ),
    "gr_several_regions_reports.txt": dict(
        title="Pipeline Politics: Gas, Grain and the Black Sea (Part II)",
        authors=["F. William Engdahl", "Dr. Jane K. Moore", "Ahmed Saleh"],
        published="2012-07-09",
        region=["Europe", "Russia and FSU"],
        themes=[],
        in_depth_report="UKRAINE REPORT, NUCLEAR WAR",
        original_source="Global Research",
        body=[
            "The second part of our series looks at the transit fees that three governments have been"
            " negotiating since the spring.",
            "A draft agreement seen by the authors would lower the fees by a fifth, but only if the volumes"
            " promised in the first agreement are delivered in full.",
            "Negotiators meet again in September.",
        ],
    ),
    "gr_title_punctuation_notes_top.txt": dict(
        title='Video: "Humanitarian" Corridor [Updated] – The Road to Idlib?',
        authors=["Dr. Leila Haddad"],
        published="2024-12-31",
        region=[],
        themes=[],
        in_depth_report=None,
        original_source="Consortium News",
        body=[
            "A convoy of forty trucks reached the crossing on Tuesday morning after waiting for two days at the"
            " last checkpoint.",
            "Drivers said they had been told the road would stay open for a week, but none of them had seen the"
            " promised escort.",
            "Local councils have asked for the corridor to be kept open until the end of January.",
        ],
    ),
    "gr_reordered_header_many_themes.txt": dict(
        title='The Central Bank\'s "Emergency" Loans: Who Got the Money?',
        authors=["Seán O’Brien-Kelly"],
        published="2015-06-03",
        region=["USA"],
        themes=["Global Economy", "Poverty & Social Inequality", "Law and Justice", "Media Disinformation"],
        in_depth_report=None,
        original_source="The Real News",
        body=[
            "Records released under a court order on Friday list the banks that borrowed from the emergency"
            " window during the first months of the crisis.",
            "The largest single loan, according to the records, went to an institution whose chief executive"
            " had told Congress a week earlier that it needed no help.",
            "The list does not say whether the loans were repaid on time.",
        ],
    ),
    "gr_splits_heading_appeals.txt": dict(
        title='Election Night in the Provinces: "Turnout Was Never the Problem"',
        authors=["Global Research News"],
        published="2018-10-12",
        region=["Latin America & Caribbean"],
        themes=["History", "Law and Justice"],
        in_depth_report=None,
        original_source="Global Research",
        body=[
            "Polling stations in the northern provinces stayed open two hours longer than planned, according to"
            " the electoral Commission, which blamed a shortage of ballot papers in eleven districts.",
            "Observers from three neighbouring countries said the delays were caused by late deliveries rather"
            " than by — as some opposition leaders had claimed — deliberate obstruction at the regional offices.",
            "By midnight the commission had counted ballots from roughly 40 percent of the stations, most of"
            " them in the capital.",
            "Counting in the mountains",
            "The mountain districts, where roads had been closed by landslides, were expected to report last.",
        ],
    ),
    "gr_no_region_no_theme_two_digit.txt": dict(
        title="Water Rights on Trial",
        authors=["Maria Gonzalez", "Tom Briggs"],
        published="2019-11-21",
        region=[],
        themes=[],
        in_depth_report=None,
        original_source="Global Research",
        body=[
            "The trial of seven farmers accused of diverting a river opened on Thursday in a packed courtroom.",
            "Their lawyers argued that the diversion was permitted under a licence issued in 1987, which the"
            " company that now owns the dam says was cancelled.",
            "The judge adjourned the hearing until Monday.",
        ],
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_variant_metadata_body_and_boilerplate(name: str) -> None:
    text = (FIXTURES / name).read_text(encoding="utf-8")
    assert detect_format(text) == "globalresearch"
    parsed = parse_document(text, Origin(str(FIXTURES / name)))
    want = CASES[name]
    meta = parsed.meta
    got = dict(
        title=meta.title,
        authors=meta.authors,
        published=meta.published,
        region=meta.region,
        themes=meta.themes,
        in_depth_report=meta.in_depth_report,
        original_source=meta.original_source,
        body=[b.text for b in parsed.blocks if b.is_body],
    )
    assert got == want
    assert meta.site == "Global Research"
    # Every line after the body (appeals, notices, links, disclaimers) carries a reason.
    assert all(b.reason for b in parsed.blocks if not b.is_body)
    check_runs(parsed)
    assert uncovered(parsed, title_span(parsed)) == ""


def test_first_paragraph_starting_with_by_is_body_not_a_byline() -> None:
    text = (
        "A Title\n\nBy [Jane Doe](#)\n\nGlobal Research, May 23, 2017\n\n[Jane Doe](#)\n\n"
        "Theme: [Terrorism](#)\n\nBy the end of the week the army had retaken the\n\n"
        "village, officials said.\n\nThe original source of this article is Global Research\n"
    )
    parsed = parse_document(text, Origin("x.txt"))
    assert parsed.meta.authors == ["Jane Doe"]
    assert [b.text for b in parsed.blocks if b.is_body] == [
        "By the end of the week the army had retaken the village, officials said."
    ]
