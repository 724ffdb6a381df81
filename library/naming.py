"""File-name conventions of the data sets the library reads and writes.

Why one module: the PTC / SemEval corpora name each article `article<ID>.txt`, and that number
is the article's id in their label files. Import reads it as the external id, the annotation
import finds articles by it and the PTC export writes it; one pattern keeps the three agreeing.
"""

from __future__ import annotations

import os
import re

_PTC_FILE = re.compile(r"article(\d+)\.txt", re.IGNORECASE)


def ptc_article_number(path: str) -> str | None:
    """The number in a file named `article<ID>.txt` (any folder, any case), else None."""
    match = _PTC_FILE.fullmatch(os.path.basename(path or ""))
    return match.group(1) if match else None


def ptc_file_name(number: str) -> str:
    """The file name PTC gives the article with this number."""
    return f"article{number}.txt"
