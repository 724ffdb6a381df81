"""`reader scheme`, `reader tags`, `reader state` and the --annotator/--state filters, end to end."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import corpus_dir

from library import Library
from reader.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def ptc_library(store_dir: Path, capsys: pytest.CaptureFixture[str]) -> list[str]:
    """Three real PTC articles in a library that uses the bundled PTC scheme."""
    folder = corpus_dir("ptc-dev") / "articles"
    files = sorted(folder.glob("article*.txt"))[:3]
    assert run(capsys, "import", "-q", *map(str, files))[0] == 0
    code, out, _ = run(capsys, "scheme", "use", "ptc")
    assert code == 0 and "scheme 'ptc' (strict, 14 labels)" in out
    with Library.open(store_dir) as lib:
        return [s.id for s in sorted(lib.summaries(), key=lambda s: s.origin.path)]


def test_scheme_list_show_and_config_default(
    store_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "scheme", "list")
    assert code == 0 and "ptc" in out and "factcheck" in out
    Library.open(store_dir).close()  # only `import` creates a library
    code, out, _ = run(capsys, "scheme", "show")
    assert "no label scheme" in out
    (tmp_path / "config.toml").write_text('scheme = "factcheck"\n')
    code, out, _ = run(capsys, "scheme", "show", "--json")
    shown = json.loads(out)
    assert shown["name"] == "factcheck" and shown["remembered"] is False and shown["mode"] == "open"
    own = tmp_path / "mine.toml"
    own.write_text(
        'name = "mine"\nmode = "strict"\n[[label]]\nname = "Spin"\ndefinition = "Slanted framing."\n'
    )
    assert run(capsys, "scheme", "use", str(own))[0] == 0
    own.unlink()  # the library keeps its own copy
    code, out, _ = run(capsys, "scheme", "show")
    assert "mine" in out and "Spin" in out and "Slanted framing." in out and "remembered" in out
    code, _, err = run(capsys, "scheme", "use", "nonesuch")
    assert code == 2 and "no bundled scheme 'nonesuch'" in err


def test_strict_scheme_refuses_typos_in_annotate_tag_and_import(
    ptc_library: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    aid = ptc_library[0]
    code, _, err = run(capsys, "annotate", aid, "--start", "0", "--end", "5", "--tag", "Name_Calling")
    assert code == 2
    assert (
        "label 'Name_Calling' is not in the strict scheme 'ptc'; did you mean 'Name_Calling,Labeling'?" in err
    )
    code, _, err = run(capsys, "tag", aid, "Topic")
    assert code == 2 and "'Topic' is not in the strict scheme 'ptc'" in err
    assert run(capsys, "annotate", aid, "--start", "0", "--end", "5", "--tag", "Doubt")[0] == 0
    bad = tmp_path / "bad.tsv"
    number = Path(Library.open(tmp_path / "library", read_only=True).summary(aid).origin.path).stem[7:]
    bad.write_text(f"{number}\tDoubt\t10\t20\n{number}\tFlag_Waving\t30\t40\n")
    code, out, err = run(capsys, "import-annotations", str(bad))
    assert (
        code == 1
        and f"{bad}: label(s) outside the scheme: Flag_Waving (line 2) (nothing was imported)" in err
    )
    code, out, err = run(capsys, "merge", str(bad))
    assert code == 1 and "outside the scheme: Flag_Waving (line 2) (nothing was merged)" in err


def test_tags_counts_rename_merge_and_ptc_export_has_only_official_names(
    ptc_library: list[str], store_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    gold = corpus_dir("ptc-dev") / "labels.tsv"
    assert run(capsys, "import-annotations", str(gold))[0] == 1  # the other 37 articles are unmatched
    code, out, _ = run(capsys, "tags", "--json")
    before = {u["name"]: u for u in json.loads(out)}
    assert list(before)[:3] == ["Loaded_Language", "Name_Calling,Labeling", "Repetition"]
    doubt, rep = before["Doubt"], before["Repetition"]
    assert doubt["spans"] > 0 and sum(c["spans"] for c in doubt["per_annotator"].values()) == doubt["spans"]
    code, out, _ = run(capsys, "tags", "merge", "Doubt", "Repetition", "--json")
    result = json.loads(out)
    assert result["after"]["spans"] <= doubt["spans"] + rep["spans"]
    assert result["before"]["old"]["spans"] == doubt["spans"]
    code, out, _ = run(capsys, "tags")
    assert "by annotator: spans/articles" in out
    code, _, err = run(capsys, "tags", "rename", "Repetition", "Repetitio")
    assert code == 2 and "not in the strict scheme" in err
    with Library.open(store_dir) as lib:
        assert lib.undo() == "merge label Doubt into Repetition"
        assert {u.name: u.spans for u in lib.label_usage()}["Doubt"] == doubt["spans"]
    code, out, _ = run(capsys, "export", "--format", "ptc")
    names = {line.split("\t")[1] for line in out.splitlines() if line}
    techniques = set((corpus_dir("ptc-dev") / "techniques.txt").read_text().split())
    assert names and names <= techniques


def test_state_and_filters_by_annotator_and_state(
    ptc_library: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    a, b, c = ptc_library
    assert (
        run(capsys, "--annotator", "ann", "annotate", a, "--start", "0", "--end", "5", "--tag", "Doubt")[0]
        == 0
    )
    assert (
        run(capsys, "--annotator", "ann", "annotate", b, "--start", "0", "--end", "5", "--tag", "Slogans")[0]
        == 0
    )
    code, out, _ = run(capsys, "state", a, "done", "--annotator", "ann")
    assert json.loads(out) == {"article_id": a, "annotator": "ann", "state": "done"}
    code, out, _ = run(capsys, "list", "--annotator", "ann", "--state", "done", "--json")
    assert [r["id"] for r in json.loads(out)] == [a]
    code, out, _ = run(capsys, "list", "--annotator", "ann", "--state", "progress", "--json")
    assert [r["id"] for r in json.loads(out)] == [b]
    code, out, _ = run(capsys, "list", "--annotator", "ann", "--json")
    assert {r["id"] for r in json.loads(out)} == {a, b}
    code, out, _ = run(capsys, "list", "--annotator", "bob", "--state", "new", "--json")
    assert {r["id"] for r in json.loads(out)} == {a, b, c}
    code, out, _ = run(capsys, "export", "--annotator", "ann", "--state", "done")
    doc = json.loads(out)
    assert [x["id"] for x in doc["articles"]] == [a]
    assert {h["annotator"] for x in doc["articles"] for h in x["highlights"]} == {"ann"}
    code, _, err = run(capsys, "state", a, "finished")
    assert code == 2 and "unknown work state" in err


def test_demo_library_uses_the_ptc_scheme(
    store_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reader.cli import commands_app

    seen: dict[str, object] = {}

    def fake_launch(lib: Library, args: object) -> int:
        seen["scheme"] = lib.scheme.name
        seen["keys"] = [label.name for label in lib.scheme.labels if label.key in "123456789"]
        seen["articles"] = len(lib)
        lib.close()
        return 0

    monkeypatch.setattr(commands_app, "_launch", fake_launch)
    assert main(["demo", "--db", str(tmp_path / "demo")]) == 0
    assert seen["scheme"] == "ptc" and seen["articles"]
    assert seen["keys"][:2] == ["Loaded_Language", "Name_Calling,Labeling"]
