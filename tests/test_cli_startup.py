"""What the command line loads before it does anything: `reader --help`, every subcommand's
`--help` and a usage error import no library part, no store and no format registry, and the
static tables the parser is built from agree with the library's registries."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from library.annotations.curation import DEFAULT_CURATOR
from library.interchange import formats as registry
from reader.cli import build_parser, commands_curate, format_names, parse

REPO = Path(__file__).resolve().parents[1]

# Modules the parser must not need: the store, the format registry, the app and its toolkits.
HEAVY = (
    "jsonschema",
    "tinydb",
    "orjson",
    "textual",
    "rich",
    "dateutil",
    "platformdirs",
    "library.core",
    "library.store",
    "library.model",
    "library.interchange",
    "library.annotations",
    "library.cleaning",
    "library.ingest",
    "reader.app",
)


def _loaded_after(code: str, env: dict[str, str] | None = None) -> list[str]:
    """The heavy modules loaded once `code` has run in a fresh interpreter."""
    script = textwrap.dedent(code) + textwrap.dedent(
        f"""
        import json, sys
        heavy = {HEAVY!r}
        print(json.dumps(sorted(m for m in sys.modules if any(m == h or m.startswith(h + ".") for h in heavy))))
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO, check=True, env=env
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _subcommands() -> list[list[str]]:
    """Every command and nested action, as argv prefixes (`["scheme", "use"]`)."""
    found: list[list[str]] = []

    def walk(parser: object, prefix: list[str]) -> None:
        for action in getattr(parser, "_actions", []):
            choices = getattr(action, "choices", None)
            if isinstance(choices, dict) and action.dest not in ("fmt",):
                for name, sub in choices.items():
                    found.append([*prefix, name])
                    walk(sub, [*prefix, name])

    walk(build_parser(), [])
    return found


def test_building_the_whole_parser_imports_nothing_heavy() -> None:
    assert _loaded_after("import reader.cli\nreader.cli.build_parser()\n") == []


def test_every_help_and_a_usage_error_import_nothing_heavy() -> None:
    argvs = [["--help"], ["--version"], ["list", "--bogus"], ["bogus"]]
    argvs += [[*prefix, "--help"] for prefix in _subcommands()]
    assert len(argvs) > 25
    code = f"""
        import contextlib, io
        from reader.cli import main
        for argv in {argvs!r}:
            with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
                try:
                    main(argv)
                except SystemExit as done:
                    assert done.code in (0, 2), (argv, done.code)
    """
    assert _loaded_after(code) == []


def test_the_static_format_table_is_the_registry() -> None:
    """`--format` choices come from reader/cli/format_names.py: the same names, in the same
    order, with the same directions as library/interchange/formats."""
    table = [(row["name"], row["directions"]) for row in registry.format_table()]
    assert list(format_names.FORMAT_DIRECTIONS) == table
    assert format_names.EXPORT_FORMATS == registry.EXPORT_FORMATS
    assert format_names.IMPORT_FORMATS == registry.IMPORT_FORMATS
    parser = build_parser()
    commands = next(a for a in parser._actions if a.dest == "command").choices  # noqa: SLF001
    for command, names in (
        ("export", registry.EXPORT_FORMATS),
        ("import-annotations", registry.IMPORT_FORMATS),
    ):
        fmt = next(a for a in commands[command]._actions if a.dest == "fmt")  # noqa: SLF001
        assert tuple(fmt.choices) == names


def test_the_curator_default_is_the_library_s() -> None:
    assert commands_curate.DEFAULT_CURATOR == DEFAULT_CURATOR


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["--db", "/tmp/x"],
        ["--db", "/tmp/x", "list", "--tag", "A", "--tag", "B", "--unread", "--json"],
        ["list", "--db", "/tmp/x", "--since", "2017-01-01", "--state", "in-progress", "--annotator", "ann"],
        ["--annotator", "ann", "show", "abc", "--json"],
        ["export", "--format", "ptc", "--id", "a", "b", "--with-bodies", "-o", "out.tsv"],
        ["import-annotations", "f.json", "--no-utf16", "--strict-labels"],
        ["annotate", "abc", "--start", "1", "--end", "5", "--tag", "X", "--note", "n"],
        ["curate", "--from", "a", "--from", "b", "--auto"],
        ["rules"],
        ["rules", "add", "abc", "3", "--keep-blocks"],
        ["scheme", "use", "ptc"],
        ["tags", "merge", "A", "B", "--json"],
        ["tags"],
        ["state", "abc", "done"],
        ["check", "--repair"],
        ["demo", "--db", "/tmp/d"],
        ["list", "--bogus"],
    ],
)
def test_the_command_alone_parses_as_the_whole_parser_does(argv: list[str]) -> None:
    """`main` builds only the command it is given in full; the result is the whole parser's."""
    whole, whole_extra = build_parser().parse_known_args(argv)
    _, lazy, lazy_extra = parse(argv)
    assert vars(lazy) == vars(whole) and lazy_extra == whole_extra


def test_a_small_list_and_show_load_no_table_layout_and_no_format(tmp_path: Path) -> None:
    """`reader list` (plain and --json), `reader show` and `reader stats` on a small library: no
    rich, no format registry, no agreement, no app."""
    src = tmp_path / "a.txt"
    src.write_text("A title\n\nSome body text for the article.\n", encoding="utf-8")
    db = str(tmp_path / "lib")
    env = {k: v for k, v in os.environ.items() if not k.startswith("READER_")}
    env["READER_CONFIG"] = str(tmp_path / "config.toml")
    command = [sys.executable, "-m", "reader.cli", "--db", db]
    subprocess.run([*command, "import", "-q", str(src)], check=True, capture_output=True, cwd=REPO, env=env)
    listed = subprocess.run([*command, "list", "--json"], check=True, capture_output=True, cwd=REPO, env=env)
    article_id = json.loads(listed.stdout)[0]["id"]
    unwanted = (
        "rich",
        "textual",
        "jsonschema",
        "library.interchange.formats",
        "library.annotations.agreement",
    )
    for argv in (
        ["list"],
        ["list", "--json"],
        ["show", article_id],
        ["show", article_id, "--json"],
        ["stats"],
    ):
        code = f"""
            import contextlib, io
            from reader.cli import main
            with contextlib.redirect_stdout(io.StringIO()):
                assert main({["--db", db, *argv]!r}) == 0
        """
        loaded = _loaded_after(code, env=env)
        assert [m for m in loaded if m.split(".")[0] in unwanted or m.startswith(unwanted)] == [], argv


def test_a_full_id_is_taken_without_indexing_every_article(
    store_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`reader annotate`/`tag`/`state` given a full id (what scripts pass, from `list --json`)
    do not build the index of every article's external id, file name and URL: a full id wins
    first by the rule of library/interchange/ids.py. A prefix still goes through the index."""
    from library import Library
    from reader.cli import main

    src = tmp_path / "a.txt"
    src.write_text("A title\n\nSome body text for the article about Vegas.\n", encoding="utf-8")
    assert main(["import", "-q", str(src)]) == 0
    assert main(["list", "--json"]) == 0
    article_id = json.loads(capsys.readouterr().out.split("\n", 1)[1])[0]["id"]

    def refuse(_self: Library) -> None:
        raise AssertionError("the whole catalogue was read to resolve a full id")

    with monkeypatch.context() as patched:
        patched.setattr(Library, "summaries", refuse)
        assert main(["tag", article_id, "Doubt"]) == 0
        assert json.loads(capsys.readouterr().out)["article_id"] == article_id
        assert main(["annotate", article_id, "--quote", "Vegas", "--tag", "Doubt"]) == 0
        assert json.loads(capsys.readouterr().out)["quote"] == "Vegas"
    assert main(["state", article_id[:8], "done"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["article_id"] == article_id and out["state"] == "done"


def test_the_library_class_loads_no_boilerplate_rules() -> None:
    """Every command opens a `Library`; the boilerplate package compiles its rule table on import,
    so it loads only where a rule is applied (cleaning, site repetition, site rules)."""
    loaded = _loaded_after("import library.core.library")
    assert "library.cleaning.boilerplate" not in loaded
    assert "library.core" in loaded  # the import did happen


# Modules that compile the phrase rules and detectors (~120 regexes) at import: only cleaning needs them.
CLEANING_RULES = (
    "library.cleaning.boilerplate.rules",
    "library.cleaning.boilerplate.detectors",
    "library.cleaning.boilerplate.heuristics",
)


def test_show_and_annotate_do_not_load_the_cleaning_rules(tmp_path: Path) -> None:
    """Showing one article applies the site rule only (`site_model`): the rule table and the
    detectors stay unloaded, while the article's blocks still come out."""
    from library import Library

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("A title\n\nThe first paragraph of the body.\n", encoding="utf-8")
    db = tmp_path / "lib"
    with Library.open(db) as lib:
        lib.import_paths([str(folder)])
        aid = lib.ids()[0]
    code = f"""
        import contextlib, io, json, sys
        from reader.cli import main
        out = io.StringIO()
        for argv in (["--db", {str(db)!r}, "show", {aid!r}],
                     ["--db", {str(db)!r}, "annotate", {aid!r}, "--quote", "first", "--tag", "X"]):
            with contextlib.redirect_stdout(out):
                try:
                    main(argv)
                except SystemExit as done:
                    assert done.code in (0, None), (argv, done.code)
        assert "The first paragraph of the body." in out.getvalue(), out.getvalue()
        print(json.dumps(sorted(m for m in sys.modules if m in {CLEANING_RULES!r})))
    """
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, cwd=REPO
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []


def test_the_boilerplate_package_names_load_on_first_use() -> None:
    import library.cleaning.boilerplate as boilerplate
    from library.cleaning.boilerplate import rules, site_model

    assert boilerplate.rule_reason is rules.rule_reason
    assert boilerplate.apply_site_repetition is site_model.apply_site_repetition
    assert all(getattr(boilerplate, name) is not None for name in boilerplate.__all__)
    with pytest.raises(AttributeError):
        boilerplate.no_such_name  # noqa: B018


def test_the_cleaning_warm_up_loads_what_the_workers_use() -> None:
    """Workers forked after `warm_up` inherit the compiled rules and detectors instead of each
    compiling its own, now that the boilerplate package loads its parts on first use."""
    code = f"""
        import json, sys
        from library.cleaning.parallel import warm_up
        warm_up()
        print(json.dumps([m for m in {CLEANING_RULES!r} if m not in sys.modules]))
    """
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, cwd=REPO
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []
