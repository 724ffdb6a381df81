"""HTML pages: main text and metadata through trafilatura, turned into a data-set-like record.

Hand-written extraction loses to a maintained extractor on real pages, so trafilatura does the work.
Hostile pages must not crash or hang the import: libxml2 caps nesting depth itself (a page nested
100,000 deep parses into a shallow tree and yields no text), Python-level recursion is caught, and
pages are size-bounded before they get here. The extracted paragraphs are joined by blank lines:
that text is the article's source text.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from library.errors import LibraryError

MAX_HTML_CHARS = 20_000_000  # beyond this trafilatura gets slow; real pages are far smaller

_logged_quiet = False


class HtmlError(LibraryError):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _quiet_trafilatura() -> None:
    """trafilatura logs warnings for every odd page; the import reports its own errors."""
    global _logged_quiet
    if not _logged_quiet:
        for name in ("trafilatura", "htmldate", "courlan", "readability", "justext"):
            logging.getLogger(name).setLevel(logging.CRITICAL)
        _logged_quiet = True


def _paragraphs(text: str) -> str:
    lines = [line.strip() for line in text.replace("\r\n", "\n").split("\n")]
    return "\n\n".join(line for line in lines if line)


def extract_record(html: str, url: str | None = None) -> dict[str, Any]:
    """A record (`title`, `body`, `authors`, `url`, `published`, `site`, plus page metadata such as
    `description` that `parse_record` keeps as extra) from an HTML page,
    or HtmlError when the page holds no extractable article text."""
    if len(html) > MAX_HTML_CHARS:
        raise HtmlError(f"HTML page too large ({len(html) // 1_000_000} M characters)")
    _quiet_trafilatura()
    import trafilatura

    try:
        doc = trafilatura.bare_extraction(
            html,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            deduplicate=False,
            # no free-text date hunting: a date is taken from the page's metadata or not at all
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except RecursionError:
        raise HtmlError("HTML nested too deeply to extract") from None
    except (ValueError, TypeError, AttributeError) as err:  # lxml/trafilatura on malformed markup
        raise HtmlError(f"could not extract the page: {type(err).__name__}: {err}") from None
    if doc is None:
        raise HtmlError("no article text found in the HTML page")
    data = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
    body = _paragraphs(data.get("text") or "")
    title = (data.get("title") or "").strip() or None
    if title and body.startswith(title + "\n\n"):
        body = body[len(title) + 2 :]  # the page heading, already the title
    if not body.strip():
        raise HtmlError("no article text found in the HTML page")
    authors = [a.strip() for a in re.split(r";|\s+and\s+", data.get("author") or "") if a.strip()]
    extra = {
        k: data[k]
        for k in ("description", "categories", "tags", "language", "license", "image", "pagetype")
        if data.get(k)
    }
    return extra | {
        "title": title,
        "body": body,
        "authors": authors,
        "url": data.get("url") or url,
        "published": data.get("date") or None,
        "site": data.get("sitename") or data.get("hostname") or None,
        "external_id": None,
    }
