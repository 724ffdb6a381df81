"""`Library`: the one object that owns the store and serialises every write.

API CONTRACT: the app (`reader/`) and the CLI use only this class (through `library.open_library`
or `Library.open`). Why one object: TinyDB is not safe for concurrent use, so every read and
write goes through here under one lock, and the process holds the directory's writer lock for as
long as the library is open for writing.

Why mixins rather than separate objects: the parts (opening, reading, importing, querying,
annotations) all work on the same few store objects under the same lock, and calls cross
between them (an annotation change reads the article; cleaning reads the source); passing those
around would add a layer without separating anything. Each part is a module of one concern, and
its class builds on the parts it needs (`OpeningPart` <- `ReadingPart` <- the others), so a
reader of one module sees exactly what it may use.
"""

from __future__ import annotations

from library.core.annotating import AnnotatingPart
from library.core.importing import (
    CLEAN_BATCH,
    MIN_BATCH,
    CleanReport,
    ImportingPart,
    ImportReport,
    zip_batches,
)
from library.core.labelling import LabellingMixin, LabelUsage
from library.core.labels import TagCount
from library.core.opening import READ_ONLY_NOTICE, SCHEMA_VERSION, default_store_path
from library.core.query import ArticleQuery
from library.core.querying import QueryingPart
from library.core.records import origin_label
from library.core.site_rules import SiteRulesMixin


class Library(SiteRulesMixin, ImportingPart, QueryingPart, AnnotatingPart, LabellingMixin):
    """A library directory opened for reading, or for writing under an exclusive process lock.

    Opening: `open`, `close`, `notices`, `on_notice` (library.core.opening). Reading: `article`,
    `summaries`, `summary`, `resolve_id`, `ids`, `tags` (library.core.reading). Importing:
    `import_paths`, `add_articles`, `clean_pending` (library.core.importing). Querying: `query`,
    `search` (library.core.querying). Annotations: `annotations`, `add_highlight`,
    `update_highlight`, `delete_highlight`, `set_article_tags`, `set_article_note`,
    `put_annotations`, `replace_annotations`, `flip_block`, `set_reading_state`, `undo`, `redo`,
    `next_change` (library.core.annotations_part). Editing rules applied: `tag_span`, `toggle_tag`,
    `note_anchor`, `remove_highlight`, `plan_tag_all` ... (library.core.annotating). Labelling
    projects: `use_scheme`, `work_state(s)`, `set_work_state`, `label_usage`, `rename_label`
    (library.core.labelling); the scheme itself, `scheme`, is read at open (library.core.opening).
    """


__all__ = [
    "CLEAN_BATCH",
    "MIN_BATCH",
    "READ_ONLY_NOTICE",
    "SCHEMA_VERSION",
    "ArticleQuery",
    "CleanReport",
    "ImportReport",
    "LabelUsage",
    "Library",
    "TagCount",
    "default_store_path",
    "origin_label",
    "zip_batches",
]
