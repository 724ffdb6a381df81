"""Site rules learned from the user's flips: stored in the library, applied to every article of
the site (existing and imported later), undoable, and managed with `reader rules`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_app_article_support import PARAGRAPHS, parsed_article

from library import Library
from library.core.site_rules import SiteRuleError
from reader.cli import main

PROMO = "Read our sister magazine for the full story every morning, free of charge."


def promo_article(n: int, *, site: str = "example.org", promo: bool = True):
    paragraphs = list(PARAGRAPHS)
    paragraphs[1] = (paragraphs[1][0].replace("Tuesday", f"day {n}"), None)
    if promo:
        paragraphs.insert(3, (PROMO, None))
    return parsed_article(paragraphs, title=f"Budget story {n}", site=site, url=f"https://{site}/{n}")


def _library(path: Path) -> tuple[Library, list[str]]:
    lib = Library.open(path)
    report = lib.add_articles([promo_article(0), promo_article(1), promo_article(2, site="other.net")])
    assert not report.failed
    return lib, report.imported


def test_a_rule_from_a_flip_reaches_the_site_and_undo_brings_it_back(tmp_path: Path) -> None:
    lib, (a, b, other) = _library(tmp_path / "lib")
    index = next(i for i, blk in enumerate(lib.article(a).blocks) if blk.text == PROMO)
    lib.flip_block(a, index)
    rule = lib.add_site_rule(a, index)
    assert rule.kind == "fingerprint" and not rule.to_body and rule.site == lib.article_site(a)
    gone = lib.article(b)
    assert PROMO not in gone.body
    assert any(blk.text == PROMO and blk.reason == rule.reason for blk in gone.blocks)
    assert "site rule r1" in rule.reason
    assert PROMO in lib.article(other).body  # another site is left alone
    # Articles imported later get it too.
    later = lib.add_articles([promo_article(5)]).imported[0]
    assert PROMO not in lib.article(later).body
    assert lib.search("sister magazine") == [other]
    # Undo takes the rule away (the flip on the first article stays), redo puts it back.
    assert lib.undo() == "site rule r1 for site:example.org"
    assert PROMO in lib.article(b).body and lib.site_rules() == []
    assert PROMO not in lib.article(a).body
    assert lib.redo() is not None and PROMO not in lib.article(b).body
    lib.close()
    with Library.open(tmp_path / "lib") as again:  # the rule is in the library, not the session
        assert [r.id for r in again.site_rules()] == ["r1"]
        assert PROMO not in again.article(b).body


def test_pattern_rules_edit_keep_in_body_and_bad_input(tmp_path: Path) -> None:
    lib, (a, b, _other) = _library(tmp_path / "lib")
    donate = next(i for i, blk in enumerate(lib.article(a).blocks) if blk.text.startswith("Please donate"))
    lib.flip_block(a, donate)  # the appeal into the body, then the same on the site by pattern
    rule = lib.add_site_rule(a, donate, pattern=r"^please\s+donate")
    assert rule.to_body and "Please donate" in lib.article(b).body
    edited = lib.edit_site_rule(rule.id, pattern="^nothing matches this$")
    assert edited.value == "^nothing matches this$" and "Please donate" not in lib.article(b).body
    with pytest.raises(SiteRuleError, match="not a valid regular expression"):
        lib.edit_site_rule(rule.id, pattern="([unclosed")
    with pytest.raises(SiteRuleError, match="no site rule"):
        lib.remove_site_rule("r99")
    lib.remove_site_rule(rule.id)
    assert lib.site_rules() == []
    lib.close()


def test_a_damaged_rules_file_is_recovered_from_its_backup_or_named(tmp_path: Path) -> None:
    lib, (a, _b, _o) = _library(tmp_path / "lib")
    lib.add_site_rule(a, 0)
    lib.close()
    rules = tmp_path / "lib" / "site-rules.json"
    rules.write_text("{not json", encoding="utf-8")
    with Library.open(tmp_path / "lib") as again:
        assert [r.id for r in again.site_rules()] == ["r1"]
        assert any("site-rules.json" in n for n in again.notices)
    rules.write_text("{not json", encoding="utf-8")
    rules.with_name("site-rules.json.bak").write_text("[]", encoding="utf-8")
    assert main(["--db", str(tmp_path / "lib"), "rules", "list"]) == 2


def test_reader_rules_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lib, (a, b, _o) = _library(tmp_path / "lib")
    index = next(i for i, blk in enumerate(lib.article(a).blocks) if blk.text == PROMO)
    lib.close()
    db = ["--db", str(tmp_path / "lib")]
    assert main([*db, "rules", "add", a[:8], str(index), "--remove-blocks", "--json"]) == 0
    added = json.loads(capsys.readouterr().out)
    assert added["id"] == "r1" and added["to_body"] is False and added["kind"] == "fingerprint"
    assert main([*db, "rules", "list"]) == 0
    out = capsys.readouterr().out
    assert "r1" in out and "remove" in out and "(2 articles)" in out
    assert main([*db, "rules", "edit", "r1", "--pattern", "sister magazine", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["value"] == "sister magazine"
    assert main([*db, "rules", "edit", "r1", "--pattern", "(bad"]) == 2
    assert "not a valid regular expression" in capsys.readouterr().err
    with Library.open(tmp_path / "lib", read_only=True) as ro:
        assert PROMO not in ro.article(b).body
    assert main([*db, "rules", "remove", "r1"]) == 0
    assert main([*db, "rules", "list", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []
    assert main([*db, "rules", "remove", "r1"]) == 2
