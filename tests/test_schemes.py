"""Label schemes as data, the strict-scheme check at every write, work state, and library-wide
rename and merge of labels with one undo."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import corpus_dir
from test_app_article_support import parsed_article, store_with

from library import ArticleQuery, Library
from library.annotations import work_state
from library.annotations.schemes import (
    LabelNotInScheme,
    SchemeError,
    bundled_names,
    bundled_scheme,
    load_scheme,
    parse_scheme,
)
from library.interchange.importing import AnnotationFileError, import_annotation_files
from library.interchange.merge import merge_annotator_files

SMALL = """
name = "small"
mode = "strict"
[[label]]
name = "Claim"
definition = "A checkable statement."
[[label]]
name = "Topic"
scope = "article"
[[label]]
name = "Both"
scope = "both"
key = "z"
"""


def test_bundled_ptc_scheme_has_the_14_official_names_with_definitions() -> None:
    techniques = (corpus_dir("ptc-dev") / "techniques.txt").read_text().split()
    scheme = bundled_scheme("ptc")
    assert scheme.strict and sorted(scheme.names) == sorted(techniques)
    assert all(label.definition and label.guideline and label.examples for label in scheme.labels)
    keys = [label.key for label in scheme.labels]
    assert len(set(keys)) == 14 and keys[:9] == list("123456789")
    assert all(label.second_layer for label in scheme.labels[9:])
    assert {"ptc", "factcheck"} <= set(bundled_names())
    assert not bundled_scheme("factcheck").strict


def test_parse_assigns_free_keys_and_rejects_bad_files(tmp_path: Path) -> None:
    scheme = parse_scheme(SMALL, "small.toml")
    assert [(label.name, label.key, label.scope) for label in scheme.labels] == [
        ("Claim", "1", "span"),
        ("Topic", "2", "article"),
        ("Both", "z", "both"),
    ]
    for bad, reason in [
        ('name = "x"\nmode = "loose"', "mode must be open or strict"),
        ('mode = "open"', "no name"),
        ('name = "x"\n[[label]]\nname = "A"\nkey = "1"\n[[label]]\nname = "B"\nkey = "1"', "both use key"),
        ('name = "x"\n[[label]]\nname = "A"\ncolour = "puce"', "colour must be"),
        ("name = ", "invalid TOML"),
    ]:
        with pytest.raises(SchemeError, match=reason) as err:
            parse_scheme(bad, "bad.toml")
        assert str(err.value).startswith("bad.toml: ")
    with pytest.raises(SchemeError, match="no bundled scheme 'nope'"):
        load_scheme("nope")
    with pytest.raises(SchemeError, match="no such scheme file"):
        load_scheme(str(tmp_path / "missing.toml"))


def test_check_label_refuses_typos_and_wrong_scope_with_a_hint() -> None:
    scheme = parse_scheme(SMALL)
    scheme.check_label("Claim", "span")
    scheme.check_label("Both", "article")
    with pytest.raises(
        LabelNotInScheme, match="'claim' is not in the strict scheme 'small'; did you mean 'Claim'"
    ):
        scheme.check_label("claim", "span")
    with pytest.raises(LabelNotInScheme, match="for article labels, not a span"):
        scheme.check_label("Topic", "span")
    assert isinstance(LabelNotInScheme("m", "x", "s"), ValueError)
    bundled_scheme("factcheck").check_label("Anything new", "span")  # open: allowed


def test_library_remembers_its_scheme_and_refuses_labels_outside_it(tmp_path: Path) -> None:
    library, (aid,) = store_with(tmp_path / "lib", parsed_article())
    library.use_scheme(parse_scheme(SMALL))
    h = library.add_highlight(aid, 30, 40, tags=["Claim"])
    with pytest.raises(LabelNotInScheme, match="'Clam' is not in the strict scheme"):
        library.add_highlight(aid, 50, 60, tags=["Clam"])
    h.tags.append("Topic")
    with pytest.raises(LabelNotInScheme, match="for article labels"):
        library.update_highlight(aid, h)
    with pytest.raises(LabelNotInScheme):
        library.set_article_tags(aid, ["Claim"])
    library.set_article_tags(aid, ["Topic"])
    library.close()
    again = Library.open(tmp_path / "lib")
    assert again.scheme.name == "small" and again.has_own_scheme
    assert [[*x.tags] for x in again.annotations(aid).highlights] == [["Claim"]]
    # a damaged scheme file falls back to its backup, and says so
    (tmp_path / "lib" / "scheme.toml").write_text("name = ")
    again.close()
    third = Library.open(tmp_path / "lib")
    assert third.scheme.name == "small"
    assert any("invalid TOML" in n and "backup" in n for n in third.notices)
    third.close()


def test_work_state_is_per_annotator_and_not_set_by_opening(tmp_path: Path) -> None:
    library, (aid,) = store_with(tmp_path / "lib", parsed_article())
    assert library.work_state(aid) == "new"
    library.set_reading_state(aid, read=True, position=10)
    assert library.work_state(aid) == "new"
    library.add_highlight(aid, 30, 40, tags=["Doubt"])
    assert library.work_state(aid) == "progress"
    assert library.work_state(aid, "ben") == "new"
    library.set_work_state(aid, "done")
    library.set_work_state(aid, "in progress", annotator="ben")
    assert library.work_states() == {aid: "done"}
    assert library.work_states("ben") == {aid: "progress"}
    # the one query answers "whose state": yours by default, else the named annotator's
    assert [s.id for s in library.query(ArticleQuery(annotators=("ben",), state="done"))] == []
    assert [s.id for s in library.query(ArticleQuery(annotators=("ben",), state="progress"))] == [aid]
    assert [s.id for s in library.query(ArticleQuery(state="done"))] == [aid]
    assert [s.id for s in library.query(ArticleQuery(annotators=("ben",)))] == [aid]  # ben has a state
    library.undo()  # undoes the highlight, keeps the work state
    assert library.work_state(aid) == "done"
    with pytest.raises(ValueError, match="unknown work state"):
        library.set_work_state(aid, "finished")
    assert work_state.parse_state("in-progress") == "progress"


def test_rename_and_merge_across_the_library_with_counts_and_one_undo(tmp_path: Path) -> None:
    other = parsed_article([("Another text about farming policy.", None)], title="Other", url="https://x/2")
    library, (a, b) = store_with(tmp_path / "lib", parsed_article(), other)
    library.add_highlight(a, 30, 40, tags=["Name_Calling"])
    library.add_highlight(a, 50, 60, tags=["Name_Calling", "Name_Calling,Labeling"])
    library.add_highlight(b, 0, 7, tags=["Name_Calling"])
    library.annotator = "ben"
    library.add_highlight(b, 8, 12, tags=["Name_Calling,Labeling"])
    library.set_article_tags(b, ["Name_Calling"])

    def counts() -> dict[str, tuple[int, int]]:
        return {u.name: (u.spans, u.articles) for u in library.label_usage()}

    assert counts() == {"Name_Calling": (3, 2), "Name_Calling,Labeling": (2, 2)}
    usage = {u.name: u for u in library.label_usage()}
    assert usage["Name_Calling"].per_annotator == {
        "tester": {"spans": 3, "articles": 2},
        "ben": {"spans": 0, "articles": 1},
    }
    assert library.rename_label("Name_Calling", "Name_Calling,Labeling") == 2
    assert counts() == {"Name_Calling,Labeling": (4, 2)}
    assert library.annotations(a).highlights[1].tags == ["Name_Calling,Labeling"]  # no duplicate
    assert library.annotations(b).tag_names == ["Name_Calling,Labeling"]
    assert library.undo() == "merge label Name_Calling into Name_Calling,Labeling"
    assert counts() == {"Name_Calling": (3, 2), "Name_Calling,Labeling": (2, 2)}
    library.redo()
    assert counts() == {"Name_Calling,Labeling": (4, 2)}
    library.undo()
    assert library.rename_label("Name_Calling,Labeling", "Labeling") == 2
    assert counts() == {"Name_Calling": (3, 2), "Labeling": (2, 2)}
    library.close()
    # the grouped undo survives a restart
    again = Library.open(tmp_path / "lib")
    assert again.undo() == "rename label Name_Calling,Labeling into Labeling"
    assert {u.name for u in again.label_usage()} == {"Name_Calling", "Name_Calling,Labeling"}
    again.use_scheme(bundled_scheme("ptc"))
    with pytest.raises(LabelNotInScheme):
        again.rename_label("Name_Calling", "Name_Calling2")
    again.close()


def test_strict_import_and_merge_refuse_the_file_naming_label(tmp_path: Path) -> None:
    library, (aid,) = store_with(tmp_path / "lib", parsed_article())
    library.use_scheme(bundled_scheme("ptc"))
    good = tmp_path / "good.tsv"
    good.write_text(f"{aid}\tDoubt\t30\t40\n")
    bad = tmp_path / "bad.tsv"
    bad.write_text(f"{aid}\tDoubt\t30\t40\n{aid}\tName_Calling\t50\t60\n")
    # the library's strict scheme reaches the importer (ImportOptions): all or nothing
    with pytest.raises(
        AnnotationFileError, match=f"{bad}: label\\(s\\) outside the scheme: Name_Calling \\(line 2\\)"
    ):
        import_annotation_files(library, [good, bad], fmt="ptc")
    assert library.annotations(aid).highlights == []
    report = import_annotation_files(library, [good], fmt="ptc")
    assert report.added == 1 and [h.tags for h in library.annotations(aid).highlights] == [["Doubt"]]
    bob = tmp_path / "bob.tsv"
    bob.write_text(f"{aid}\tDoubt\t60\t70\n{aid}\tdoubt\t70\t80\n")
    with pytest.raises(AnnotationFileError, match="outside the scheme: doubt"):
        merge_annotator_files(library, [bob], fmt="ptc")
    assert len(library.annotations(aid).highlights) == 1


def test_sixty_labels_each_get_a_key_on_two_layers() -> None:
    text = 'name = "big"\n' + "".join(f'[[label]]\nname = "L{n}"\n' for n in range(62))
    scheme = parse_scheme(text)
    keys = [label.key for label in scheme.labels]
    assert keys[:9] == list("123456789") and keys[9] == "a" and keys[35] == "A"
    assert len(set(keys[:61])) == 61 and keys[61] == ""  # past 61 labels: the picker only
