"""diff between packages built from the real feed items: what was added, removed, changed.

Expected sets are read from the packages' Parquet files with pyarrow and from the pages
themselves, never from the diff under test."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from diplomatic_transcripts.build import build_package
from diplomatic_transcripts.diff import diff_packages, propose_version
from diplomatic_transcripts.ids import id_from_url
from diplomatic_transcripts.release import ReleaseError, check_version, insert_changelog, make_release
from tests.conftest import need_corpus

CLI = [sys.executable, "-m", "diplomatic_transcripts"]
_ITEM_LINK = re.compile(rb"<item>.*?<link>([^<]+)</link>", re.S)
# Read off the pages: among the 19 items the later snapshots add, these print speaker labels
# (a briefing, a telephonic briefing, remarks with the ambassador, remarks before a meeting).
LATER_TRANSCRIPTS = {
    "department-press-briefing-june-2-2022",
    "secretary-antony-j-blinken-and-north-macedonian-foreign-minister-bujar-osmani-before-their-meeting",
    "secretary-antony-j-blinken-and-ambassador-at-large-for-international-religious-freedom-rashad-hussain-on-the-"
    "2021-report-on-international-religious-freedom",
}


def ids(pkg: Path) -> set[str]:
    return set(pq.read_table(pkg / "transcripts.parquet", columns=["transcript_id"]).column(0).to_pylist())


@pytest.fixture(scope="module")
def packages(tmp_path_factory, feed_items_path):
    raw = need_corpus("statedept-rss-raw")
    snaps = [[m.decode() for m in _ITEM_LINK.findall(p.read_bytes())] for p in sorted(raw.glob("*.rss"))]
    first, every = set(snaps[0]), {link for s in snaps for link in s}
    lines = {json.loads(r)["link"]: r for r in feed_items_path.read_bytes().splitlines() if json.loads(r)["link"] in every}
    work = tmp_path_factory.mktemp("diff")
    (work / "first.jsonl").write_bytes(b"".join(lines[k] + b"\n" for k in sorted(first)))
    (work / "all.jsonl").write_bytes(b"".join(lines[k] + b"\n" for k in sorted(every)))
    edited = b"".join(lines[k] + b"\n" for k in sorted(every)).replace(b"Quite a crowd today.", b"Quite a crowd tonight.", 1)
    assert edited.count(b"crowd tonight") == 1
    (work / "edited.jsonl").write_bytes(edited)
    out = {}
    for name in ("first", "all", "edited"):
        assert build_package([work / f"{name}.jsonl"], work / name, version="1.0.0").written
        out[name] = work / name
    out["links"] = (first, every)
    return out


def test_first_snapshot_against_all_29_items(packages):
    r = diff_packages(packages["first"], packages["all"])
    first, every = packages["links"]
    later = {id_from_url(link) for link in every - first}
    expected = ids(packages["all"]) - ids(packages["first"])
    assert set(r.transcripts_added) == expected and expected <= later
    assert LATER_TRANSCRIPTS <= expected
    assert r.transcripts_removed == [] and r.transcripts_changed == []
    assert len(ids(packages["all"])) < 29  # only some items are transcripts
    assert r.bump == "minor" and r.proposed_version == "1.1.0"
    n = lambda pkg, t: pq.read_metadata(pkg / f"{t}.parquet").num_rows  # noqa: E731
    assert r.rows["turns"] == (n(packages["first"], "turns"), n(packages["all"], "turns"))


def test_a_package_against_itself_has_no_changes(packages):
    r = diff_packages(packages["all"], packages["all"])
    assert not (r.transcripts_added or r.transcripts_removed or r.transcripts_changed or r.relinked or r.columns)
    assert r.bump == "none" and r.proposed_version == "1.0.0"


def test_a_source_edited_by_one_word_is_one_change(packages):
    r = diff_packages(packages["all"], packages["edited"])
    assert r.transcripts_changed == ["department-press-briefing-june-2-2022"]
    assert r.changed_source == r.changed_records == r.transcripts_changed
    assert r.transcripts_added == [] and r.transcripts_removed == [] and r.bump == "patch"
    assert r.proposed_version == "1.0.1"


def test_zips_and_folders_and_the_command(packages, tmp_path):
    rel = make_release(packages["all"], tmp_path / "dist", base_url="http://127.0.0.1:9")
    r = diff_packages(packages["first"], rel.file)
    assert r.transcripts_added == diff_packages(packages["first"], packages["all"]).transcripts_added
    cli = subprocess.run([*CLI, "diff", str(packages["first"]), str(rel.file), "--format", "json"],
                         capture_output=True, text=True)
    assert cli.returncode == 0, cli.stderr
    data = json.loads(cli.stdout)
    assert data["bump"] == "minor" and data["transcripts_removed"] == [] and data["rows"]["turns"]["delta"] > 0
    text = subprocess.run([*CLI, "diff", str(packages["all"]), str(packages["all"])], capture_output=True, text=True)
    assert "0 added, 0 removed, 0 changed" in text.stdout and "bump: none" in text.stdout
    bad = subprocess.run([*CLI, "diff", str(tmp_path / "nothing"), str(packages["all"])], capture_output=True, text=True)
    assert bad.returncode == 2 and "nothing" in bad.stderr


def _edit_schema(src: Path, dst: Path, edit) -> Path:
    shutil.copytree(src, dst)
    desc = json.loads((dst / "datapackage.json").read_text())
    turns = next(r for r in desc["resources"] if r["name"] == "turns")
    edit(turns["schema"]["fields"])
    (dst / "datapackage.json").write_text(json.dumps(desc))
    return dst


def test_schema_changes_set_the_bump(packages, tmp_path):
    base = packages["all"]

    def drop(fields):
        fields.pop()

    def narrow(fields):
        free = next(f for f in fields if not f.get("constraints", {}).get("required"))
        free.setdefault("constraints", {})["required"] = True

    def add(fields):
        fields.append({"name": "n_sentences", "type": "integer"})

    removed = diff_packages(base, _edit_schema(base, tmp_path / "removed", drop))
    assert removed.bump == "major" and [c.change for c in removed.columns] == ["removed"]
    narrowed = diff_packages(base, _edit_schema(base, tmp_path / "narrowed", narrow))
    assert narrowed.bump == "major" and [c.change for c in narrowed.columns] == ["narrowed"]
    added = diff_packages(base, _edit_schema(base, tmp_path / "added", add))
    assert added.bump == "minor" and [(c.column, c.change) for c in added.columns] == [("n_sentences", "added")]
    assert propose_version("1.4.2", None, "major") == "2.0.0"


def test_release_refuses_a_version_that_understates_the_changes(tmp_path):
    with pytest.raises(ReleaseError):
        check_version("1.0.0", "1.0.0", "1.1.0", "minor")
    with pytest.raises(ReleaseError):
        check_version("1.0.1", "1.0.0", "1.1.0", "minor")
    check_version("2.0.0", "1.0.0", "1.1.0", "minor")  # a bigger bump is the maintainer's call
    changelog = tmp_path / "CHANGELOG.md"
    changelog.write_text("# Changelog\n\n## [Unreleased]\n\n## [1.0.0] — dataset\n\n- first\n")
    assert insert_changelog(changelog, "## [1.1.0] — dataset\n\n### Data\n- more", "1.1.0")
    text = changelog.read_text()
    assert text.index("## [Unreleased]") < text.index("## [1.1.0]") < text.index("## [1.0.0]")
    assert not insert_changelog(changelog, "## [1.1.0] — again", "1.1.0")
