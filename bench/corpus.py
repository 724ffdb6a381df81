"""A synthetic library in the seed's format: varied, realistic-length Global Research scrapes.

Text is generated from a fixed vocabulary with a seeded RNG, so runs are repeatable and no
third-party text is needed. Each article has the full header, 8-16 paragraphs (one split
mid-sentence) and the usual footer, about 5-7 KB like the real pages.
"""

from __future__ import annotations

import random
from pathlib import Path

WORDS = (
    "government forces advance province town village border army militants coalition report sources "
    "officials said according statement minister president election campaign policy economy market "
    "prices bank debt crisis war peace talks agreement ceasefire region security analysts experts "
    "believe claim evidence investigation media press freedom rights protest police city capital "
    "northern southern eastern western strategic control area units troops aircraft strikes supply "
    "route humanitarian aid refugees civilians families children hospital school water energy oil gas "
    "pipeline sanctions trade deal companies workers unions wages inflation growth budget deficit "
    "parliament vote law court judge ruling opposition party leaders allies partners summit meeting"
).split()
SMALL = "the a of to in and that on for with as by from at was were is are has have will may".split()
REGIONS = ["Middle East & North Africa", "Latin America & Caribbean", "Europe", "Asia", "USA", "Africa"]
THEMES = [
    "Terrorism",
    "US NATO War Agenda",
    "Global Economy",
    "Police State & Civil Rights",
    "Media Disinformation",
]
AUTHORS = ["South Front", "Jane Miller", "Omar Haddad", "Lucía Fernández", "Piotr Nowak", "Mei Lin"]
MONTHS = "January February March April May June July August September October November December".split()


def sentence(rng: random.Random, words: int | None = None) -> str:
    n = words or rng.randint(12, 28)
    out = []
    for i in range(n):
        w = rng.choice(SMALL) if i % 3 == 1 else rng.choice(WORDS)
        out.append(w)
    out[0] = out[0].capitalize()
    return " ".join(out) + rng.choice([".", ".", ".", "?", "!"])


def paragraph(rng: random.Random, sentences: int | None = None) -> str:
    return " ".join(sentence(rng) for _ in range(sentences or rng.randint(2, 6)))


def article(rng: random.Random, index: int, paragraphs: int | None = None) -> str:
    author = rng.choice(AUTHORS)
    year = rng.randint(2005, 2024)
    header = [
        "",
        f"{sentence(rng, rng.randint(5, 10)).rstrip('.?!')} ({index})",
        "",
        f"By [{author}](#)",
        "",
        f"Global Research, {rng.choice(MONTHS)} {rng.randint(1, 28):02d}, {year}",
        "",
        f"[{author}](#)",
        "",
        f"Region: [{rng.choice(REGIONS)}](#)",
        "",
        "Theme: " + ", ".join(f"[{t}](#)" for t in rng.sample(THEMES, rng.randint(1, 3))),
        "",
    ]
    body = [paragraph(rng) for _ in range(paragraphs or rng.randint(8, 16))]
    split_at = rng.randrange(len(body))
    words = body[split_at].split(" ")
    cut = max(3, len(words) // 2)
    while words[cut - 1][-1] in ".?!" and cut < len(words) - 1:
        cut += 1
    body[split_at] = " ".join(words[:cut]) + "\n\n" + " ".join(words[cut:])
    footer = [
        "If you're able, and if you like our content and approach, please support the project.",
        f"The original source of this article is [{author}](#)",
        f"Copyright © [{author}](#), [Global Research](#), {year}",
        "[Comment on Global Research Articles on our Facebook page](#)",
        "[Become a Member of Global Research](#)",
        f"Articles by: [{author}](#)",
        "Disclaimer: The contents of this article are of sole responsibility of the author(s).",
    ]
    return "\n".join(header) + "\n" + "\n\n".join(body) + "\n\n" + "\n\n".join(footer) + "\n"


def write_corpus(folder: Path, n: int, seed: int = 1) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    paths = []
    for i in range(n):
        path = folder / f"{i // 1000:03d}" / f"article-{i:06d}.txt"
        path.parent.mkdir(exist_ok=True)
        path.write_text(article(rng, i), encoding="utf-8")
        paths.append(path)
    return paths


def long_article(words: int = 100_000, seed: int = 7) -> str:
    """One article of about `words` words in the seed's format."""
    rng = random.Random(seed)
    per_paragraph = 80
    return article(rng, 0, paragraphs=max(1, words // per_paragraph))


DOMAINS = ["globalresearch.ca", "example-news.org", "dailywire.test", "nela-sample.net", "fakenews.test"]


def jsonl_record(rng: random.Random, index: int, paragraphs: int = 2) -> dict[str, str]:
    """One data-set record as FakeNewsCorpus and NELA-GT ship them: id, site, url, date, title,
    authors and a body of `paragraphs` paragraphs."""
    domain = DOMAINS[index % len(DOMAINS)]
    year = rng.randint(2005, 2024)
    return {
        "id": f"rec-{index:07d}",
        "domain": domain,
        "url": f"https://{domain}/{year}/article-{index}",
        "published": f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        "title": f"{sentence(rng, rng.randint(5, 10)).rstrip('.?!')} ({index})",
        "authors": rng.choice(AUTHORS),
        "content": "\n\n".join(paragraph(rng) for _ in range(paragraphs)),
    }


def write_jsonl(path: Path, n: int, *, paragraphs: int = 2, seed: int = 3) -> int:
    """A JSON Lines data set of `n` records (written as it is generated); returns its bytes."""
    import orjson

    path.parent.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    with open(path, "wb") as out:
        for i in range(n):
            out.write(orjson.dumps(jsonl_record(rng, i, paragraphs)) + b"\n")
    return path.stat().st_size
