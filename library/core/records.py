"""How the library's parts write and read catalogue entries and pack lines (shared helpers).

Why a module of its own: importing writes these records, reading and searching read them, and
both must agree byte for byte; neither part owns the format alone.
"""

from __future__ import annotations

import functools
import hashlib
import os
from collections import Counter
from collections.abc import Callable, Mapping
from operator import attrgetter
from typing import Any

import orjson

from library.cleaning.parsers import TEXT_FORMATS
from library.model import PARAGRAPH_SEPARATOR, Block, Metadata, Origin, ParsedArticle, SourceArticle
from library.naming import ptc_article_number
from library.store.sitemodel import SiteModel


def origin_label(origin: Origin) -> str:
    return origin.path if origin.record is None else f"{origin.path}#{origin.record}"


_RUN_FIELDS = attrgetter("clean", "source", "length")


def block_json(block: Block) -> dict[str, Any]:
    """`Block.to_json` without a list per run (orjson writes tuples as the same arrays)."""
    return {
        "text": block.text,
        "runs": list(map(_RUN_FIELDS, block.runs)),
        "reason": block.reason,
        "fingerprint": block.fingerprint,
    }


def packed_block(block: dict[str, Any], source: str) -> dict[str, Any]:
    """A block as a pack line keeps it: without its text when the text is its runs' slices of
    the source plus the glue between them (`glue`: [[clean offset, text], ...]), which is what
    cleaning makes. Why: the text repeats the source, and it was a third of a library's bytes.
    A block whose text cannot be rebuilt exactly keeps its text (see `unpacked_block`)."""
    glue = _glue(block["text"], block["runs"], source)
    if glue is None:
        return block
    packed = {k: v for k, v in block.items() if k != "text"}
    if glue:
        packed["glue"] = glue
    return packed


def packed_block_of(block: Block, source: str) -> dict[str, Any]:
    """`packed_block(block_json(block), source)` made at once, without the unpacked dict."""
    runs = list(map(_RUN_FIELDS, block.runs))
    glue = _glue(block.text, runs, source)
    if glue is None:
        return {"text": block.text, "runs": runs, "reason": block.reason, "fingerprint": block.fingerprint}
    packed: dict[str, Any] = {"runs": runs, "reason": block.reason, "fingerprint": block.fingerprint}
    if glue:
        packed["glue"] = glue
    return packed


def _glue(text: str, runs: list[Any], source: str) -> list[list[Any]] | None:
    """The glue that rebuilds `text` from its runs' slices of `source`, or None when they do
    not. A block that is one run of its whole text (the usual one) is compared with the source
    in place, not through a slice."""
    if len(runs) == 1 and runs[0][0] == 0 and runs[0][2] == len(text) and 0 <= runs[0][1] <= len(source):
        return [] if source.startswith(text, runs[0][1]) else None
    glue: list[list[Any]] = []
    pos = 0
    for clean, start, length in runs:
        if clean < pos or source[start : start + length] != text[clean : clean + length]:
            return None
        if clean > pos:
            glue.append([pos, text[pos:clean]])
        pos = clean + length
    if pos > len(text):
        return None
    if pos < len(text):
        glue.append([pos, text[pos:]])
    return glue


def unpacked_block(block: dict[str, Any], source: str) -> dict[str, Any]:
    """The block with its text (`packed_block` undone)."""
    if "text" in block:
        return block
    parts: list[tuple[int, str]] = [(int(c), source[int(s) : int(s) + int(n)]) for c, s, n in block["runs"]]
    parts.extend((int(pos), str(text)) for pos, text in block.get("glue") or ())
    parts.sort(key=lambda part: part[0])
    out = {k: v for k, v in block.items() if k != "glue"}
    out["text"] = "".join(text for _, text in parts)
    return out


def block_text(block: dict[str, Any], source: str) -> str:
    """The text of a block as a pack line keeps it (`unpacked_block`'s text, without making the
    block): what a search builds for every body block of a library, so the common case (runs in
    order, no glue) is one join of slices."""
    text = block.get("text")
    if text is not None:
        return str(text)
    if not block.get("glue"):
        return "".join([source[s : s + n] for _, s, n in block["runs"]])
    return str(unpacked_block(block, source)["text"])


def unpacked_blocks(blocks: list[dict[str, Any]], source: str) -> list[dict[str, Any]]:
    return [unpacked_block(b, source) for b in blocks]


def site_key(meta: Metadata, origin: Origin) -> str:
    """The site an article belongs to, for repetition: the boilerplate rule's one definition."""
    from library.cleaning.boilerplate import site_key as rule  # heavy: loaded when first needed

    return rule(meta, origin)


def classify_by_site(sites: SiteModel, site: str, blocks: list[Block]) -> list[Block]:
    """Mark the blocks repeated across the site's articles as boilerplate (the boilerplate rule)."""
    from library.cleaning.boilerplate import apply_site_repetition

    result = apply_site_repetition(blocks, sites.counts.get(site, Counter()), sites.articles.get(site, 0))
    return blocks if result is None else list(result)


def classify_by_counts(counts: Mapping[str, int], site_articles: int, blocks: list[Block]) -> list[Block]:
    """`classify_by_site` given one site's counts (looked up per fingerprint when the whole
    site model is not loaded: showing one article reads only its own fingerprints' counts)."""
    from library.cleaning.boilerplate import apply_site_repetition

    result = apply_site_repetition(blocks, counts, site_articles)
    return blocks if result is None else list(result)


def site_rule_threshold() -> Callable[[int], int]:
    """The site rule's threshold: how many of a site's articles a block must recur in."""
    from library.cleaning.boilerplate import repetition_threshold

    return repetition_threshold


def sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def whole_file(fmt: str) -> bool:
    """Whether an article of this format has the whole file as its source (a text file, its
    format detected at cleaning when ""), rather than a record's body without its fields."""
    return fmt == "" or fmt in TEXT_FORMATS


def compact_meta(meta_json: dict[str, Any]) -> dict[str, Any]:
    """The catalogue keeps only the fields that are set."""
    return {k: v for k, v in meta_json.items() if v not in (None, [], {}, "")}


def _space_table() -> bytes:
    """Per ASCII character: a space for what `str.split` splits at (`str.isspace`), else "x"."""
    return bytes(32 if chr(code).isspace() else 120 for code in range(128)) + b"x" * 128


_SPACE_TABLE = _space_table()


def word_count(text: str) -> int:
    """`len(text.split())`; for ASCII text counted as word starts in one translated copy,
    without a string per word (a body is a few thousand words)."""
    if not text.isascii():
        return len(text.split())
    marks = text.encode("ascii").translate(_SPACE_TABLE)
    return marks.count(b" x") + (marks[:1] == b"x")


def cleaned_fields(item: ParsedArticle) -> dict[str, Any]:
    """The catalogue fields that only a full parse gives (counts, the body's hash, the site)."""
    body_blocks = [b.text for b in item.blocks if b.is_body]
    body = PARAGRAPH_SEPARATOR.join(body_blocks)
    return {
        "meta": compact_meta(item.meta.to_json()),
        "format": item.format,
        "paragraphs": len(body_blocks),
        "boilerplate_blocks": len(item.blocks) - len(body_blocks),
        "words": word_count(body),
        "body_hash": sha(body)[:16] if body.strip() else "",
        "site": site_key(item.meta, item.origin),
    }


StoredForm = tuple[dict[str, Any], bytes, list[str]]


def stored_form(item: SourceArticle | ParsedArticle, parsed: ParsedArticle) -> StoredForm:
    """What the store keeps of a cleaned article: its catalogue fields, its blocks as the pack
    line's JSON (packed: without the text that repeats the source), its fingerprints for the site model. Made in the cleaning worker
    (`clean_batches_prepared`), so the library's process neither rebuilds the blocks nor
    serialises them."""
    return (
        cleaned_fields(parsed),
        orjson.dumps([packed_block_of(b, item.source_text) for b in parsed.blocks]),
        [b.fingerprint for b in parsed.blocks],
    )


def blocks_line(article_id: str, blocks_json: bytes) -> bytes:
    """`orjson.dumps({"id": article_id, "blocks": blocks})` from the blocks' JSON, byte for byte."""
    return b'{"id":' + orjson.dumps(article_id) + b',"blocks":' + blocks_json + b"}"


CLEANED_ONLY = ("paragraphs", "boilerplate_blocks", "words", "body_hash", "site", "blocks")


def pending_again(entry: dict[str, Any]) -> dict[str, Any]:
    """A cleaned entry made pending again (its blocks lost): what only cleaning gives is dropped,
    and `clean_pending` makes it again from the source text (its metadata stays listed)."""
    out = {k: v for k, v in entry.items() if k not in CLEANED_ONLY}
    out["pending"] = True
    return out


def blocks_pack(entry: dict[str, Any]) -> str | None:
    """The pack whose line holds the entry's blocks (None while it is pending).

    Articles cleaned at import keep their blocks on the same line as their source; articles
    cleaned after import (`Library.clean_pending`) have a line of their own under "blocks"."""
    if entry.get("blocks"):
        return str(entry["blocks"][0])
    if entry.get("pending"):
        return None
    return str(entry["body"][0])


def lookup_keys(entry: dict[str, Any]) -> list[str]:
    """The further keys an article is named by (the "other keys" of `library.interchange.ids`):
    its URL, its origin file's name and the number in `article<ID>.txt`. The catalogue indexes
    them, so an article given by one of them is found without reading the catalogue."""
    path = str((entry.get("origin") or {}).get("path") or "")
    url = str((entry.get("meta") or {}).get("url") or "")
    return [key for key in dict.fromkeys((url, *_path_keys(path))) if key]


@functools.lru_cache(maxsize=4096)
def _path_keys(path: str) -> tuple[str, ...]:
    """The keys a file's path gives (the records of one data set share it)."""
    number = ptc_article_number(path)
    return (os.path.basename(path), number) if number else (os.path.basename(path),)
