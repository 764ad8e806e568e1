"""Bad input where it enters -- a feed line, a descriptor, a registry, a sidecar, an HTML page
-- is a finding (exit 1) or a usage error (exit 2) naming the file, never "internal error"."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from diplomatic_transcripts import parse_file, parse_source
from diplomatic_transcripts.build import build_package
from diplomatic_transcripts.cli import app
from diplomatic_transcripts.loader import LoadError, load
from diplomatic_transcripts.parse.files import FeedFileError
from diplomatic_transcripts.release import ReleaseError, make_release, read_registry
from diplomatic_transcripts.validate import validate_paths
from tests.conftest import SEED, SOURCES

ITEM = {"link": "https://www.state.gov/secretary-blinken-with-a-journalist/", "title": "Blinken With a Journalist",
        "creator": "Antony J. Blinken", "pub_date": "Tue, 29 Jun 2021 21:04:21 +0000",
        "content_html": "<p>Washington, D.C.</p><p><strong>QUESTION:</strong> Thank you for your time.</p>"
                        "<p><strong>SECRETARY BLINKEN:</strong> Good to be with you.</p>"}


@dataclass
class Result:
    code: int
    out: str
    err: str


def run(*args) -> Result:
    r = CliRunner().invoke(app, [str(a) for a in args])
    if r.exception is not None and not isinstance(r.exception, SystemExit):
        raise AssertionError(f"internal error: {type(r.exception).__name__}: {r.exception}") from r.exception
    assert "internal error" not in r.stdout + r.stderr and "Traceback" not in r.stdout + r.stderr
    return Result(r.exit_code, r.stdout, r.stderr)


def feed(tmp_path: Path, *lines: str | bytes, name: str = "feed.jsonl") -> Path:
    p = tmp_path / name
    p.write_bytes(b"\n".join(x.encode() if isinstance(x, str) else x for x in lines) + b"\n")
    return p


@pytest.fixture(scope="module")
def package(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("pkg") / "pkg"
    assert build_package([SOURCES], out).written
    return out


def broken_copy(package: Path, tmp_path: Path, edit) -> Path:
    pkg = tmp_path / "pkg"
    shutil.copytree(package, pkg)
    path = pkg / "datapackage.json"
    desc = json.loads(path.read_text())
    edited = edit(desc)
    path.write_text(edited if isinstance(edited, str) else json.dumps(desc))
    return pkg


# -- feed lines --------------------------------------------------------------------------------------
def test_pub_date_of_the_wrong_type_is_a_finding_under_parse_validate_and_build(tmp_path):
    p = feed(tmp_path, json.dumps({**ITEM, "pub_date": 7}))
    for command in ("parse", "validate"):
        r = run(command, p)
        assert r.code == 1, (command, r.out, r.err)
        assert f"{p}:1" in r.out and "DT110" in r.out and "`pub_date` must be a string, not 7" in r.out
    r = run("build", tmp_path, "--out", tmp_path / "pkg", "--keep-going")
    assert r.code == 0 and "1 quarantined" in r.out
    skipped = json.loads((tmp_path / "pkg.quarantine.json").read_text())["skipped"]
    assert [(s["status"], s["findings"][0]["code"]) for s in skipped] == [("failed", "DT110")]


@pytest.mark.parametrize("line,says", [
    ("this is not JSON", "not valid JSON"),
    ('{"link": "https://www.state.gov/x/", "title": "x"}', "no `content_html`"),
    ("[1, 2]", "JSON list"),
    ('{"content_html": 7}', "`content_html` must be a string"),
    ('{"content_html": "<p>QUESTION: hi</p>", "title": ["a"]}', "`title` must be a string"),
    ('{"content_html": "<p>\\ud800</p>"}', "no character"),
    ("[" * 100_000, "nested too deeply"),
])
def test_a_feed_line_that_is_no_feed_item_is_an_error_under_parse_and_validate(tmp_path, line, says):
    p = feed(tmp_path, json.dumps(ITEM), line)
    for command in ("parse", "validate"):
        r = run(command, p)
        assert r.code == 1, (command, r.out)
        assert f"{p}:2" in r.out and "DT110 error" in r.out and says in r.out


def test_null_stands_for_a_missing_optional_feed_field(tmp_path):
    p = feed(tmp_path, json.dumps({**ITEM, "creator": None, "pub_date": None}))
    r = run("parse", p, "--format", "json")
    assert r.code == 0 and "DT110" not in r.out


# -- HTML --------------------------------------------------------------------------------------------
def test_a_page_nested_too_deeply_says_so(tmp_path):
    page = tmp_path / "deep.html"
    page.write_text("<div>" * 300 + "<p>QUESTION: Hello.</p><p>SECRETARY BLINKEN: Hi.</p>" + "</div>" * 300)
    r = run("parse", page)
    assert r.code == 1
    assert "DT109 error" in r.out and "nested too deeply" in r.out and "has no text" not in r.out
    line = json.dumps({**ITEM, "content_html": "<div>" * 300 + "<p>QUESTION: Hello.</p>"})
    r = run("parse", feed(tmp_path, line))
    assert r.code == 1 and "DT109" in r.out


def test_an_empty_html_file_is_named_by_its_path(tmp_path):
    page = tmp_path / "empty.html"
    page.write_bytes(b"")
    r = run("parse", page)
    assert r.code == 1 and "<input>" not in r.out and r.out.startswith(f"{page}: not a transcript")


# -- descriptors ----------------------------------------------------------------------------------
@pytest.mark.parametrize("edit,where", [
    (lambda d: d["resources"][0]["schema"]["fields"][0].update(constraints="x"),
     "resources[0].schema.fields[0].constraints"),
    (lambda d: d["resources"][2]["schema"].update(foreignKeys={"fields": "x"}), "resources[2].schema.foreignKeys"),
    (lambda d: d["resources"][2]["schema"]["foreignKeys"][0].update(reference=[]),
     "resources[2].schema.foreignKeys[0].reference"),
    (lambda d: d["resources"][0]["schema"].update(primaryKey=7), "resources[0].schema.primaryKey"),
    (lambda d: d["resources"][0]["schema"]["fields"][0].update(constraints={"enum": None}),
     "resources[0].schema.fields[0].constraints"),
    (lambda d: d["resources"].append(5), "resources[12]"),
    (lambda d: d.update(resources={}), "resources"),
])
def test_a_descriptor_of_the_wrong_shape_is_a_finding_naming_the_place(package, tmp_path, edit, where):
    pkg = broken_copy(package, tmp_path, edit)
    r = run("validate", pkg)
    assert r.code == 1
    assert f"{pkg / 'datapackage.json'}: DT301 error: Invalid descriptor: `{where}`" in r.out


def test_a_value_error_in_validate_is_not_called_a_changed_since_problem(package, tmp_path):
    """A minimum that is no number once became `--changed-since None: invalid literal ...` (exit 2)."""
    def edit(d):
        field = next(f for f in d["resources"][4]["schema"]["fields"] if f["type"] == "integer")
        field["constraints"]["minimum"] = "zero"
    pkg = broken_copy(package, tmp_path, edit)
    r = run("validate", pkg)
    assert r.code == 1 and "changed-since" not in r.err + r.out
    assert "`minimum` 'zero' is not a finite number" in r.out


def test_a_pattern_duckdb_cannot_run_is_a_finding(package, tmp_path):
    def edit(d):
        d["resources"][0]["schema"]["fields"][0]["constraints"]["pattern"] = "(?<=a)b"  # Python has it, RE2 not
    r = run("validate", broken_copy(package, tmp_path, edit))
    assert r.code == 1 and "DT301" in r.out


def test_query_and_load_on_a_broken_descriptor_name_the_file(package, tmp_path):
    pkg = broken_copy(package, tmp_path, lambda d: "{ not json")
    r = run("query", "SELECT count(*) FROM turns", "--path", pkg)
    assert r.code == 1 and str(pkg / "datapackage.json") in r.err
    with pytest.raises(LoadError, match="datapackage.json cannot be read as JSON"):
        load(path=pkg)
    with pytest.raises(LoadError, match="is not a version X.Y.Z"):
        load(path=broken_copy(package, tmp_path / "b", lambda d: d.update(version=["1"])))
    with pytest.raises(LoadError, match="not a data package descriptor"):
        load(path=broken_copy(package, tmp_path / "c", lambda d: "[]"))


def test_load_of_a_corrupt_parquet_file_names_it(package, tmp_path):
    pkg = tmp_path / "pkg"
    shutil.copytree(package, pkg)
    (pkg / "turns.parquet").write_bytes(b"PAR1 not really")
    with pytest.raises(LoadError, match="turns.parquet cannot be read as Parquet"):
        load(path=pkg)


def test_release_of_a_version_that_is_no_version(package, tmp_path):
    pkg = broken_copy(package, tmp_path, lambda d: d.update(version="abc"))
    r = run("release", pkg, "--out", tmp_path / "dist")
    assert r.code == 1 and "`version` 'abc' is not a version X.Y.Z" in r.err
    with pytest.raises(ReleaseError):
        make_release(broken_copy(package, tmp_path / "b", lambda d: "[]"), tmp_path / "dist")
    assert not (tmp_path / "dist").exists()


# -- registries --------------------------------------------------------------------------------------
@pytest.mark.parametrize("registry,says", [
    ({"releases": [{"version": "1.0.0"}]}, "releases[0].sha256: field required"),
    ({"releases": [{"version": 1, "sha256": "0" * 64}]}, "releases[0].version"),
    ({"releases": [{"version": "1.0.0", "sha256": "0" * 64, "bytes": "ten"}]}, "releases[0].bytes"),
    ({"releases": [7]}, "releases[0]"),
    ({"releases": {}}, "needs a `releases` list"),
    ([], "needs a `releases` list"),
])
def test_a_registry_of_the_wrong_shape_is_the_librarys_error(tmp_path, registry, says):
    path = tmp_path / "releases.json"
    path.write_text(json.dumps(registry))
    with pytest.raises(ReleaseError, match=str(path)) as info:
        read_registry(path)
    assert says in str(info.value)
    with pytest.raises(LoadError, match=str(path)):
        load("latest", registry=path)
    r = run("download", "1.0.0", "--registry", path)
    assert r.code == 1 and str(path) in r.err


@pytest.mark.parametrize("args", [["download", "abc"], ["query", "SELECT 1", "--version", "1.0"],
                                  ["query", "SELECT 1", "--limit", "-1", "--path", "."], ["query", "  "]])
def test_malformed_arguments_are_usage_errors(args):
    assert run(*args).code == 2


def test_query_tells_shell_users_about_path_not_python(tmp_path, monkeypatch):
    monkeypatch.setenv("DIPLOMATIC_TRANSCRIPTS_CACHE", str(tmp_path / "cache"))
    r = run("query", "SELECT 1")
    assert r.code == 1 and "--path DIR" in r.err and "load(path" not in r.err


def test_changed_since_outside_git_is_a_usage_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shutil.copy(SEED, tmp_path / "talk.txt")
    r = run("validate", "talk.txt", "--changed-since", "HEAD")
    assert r.code == 2 and "--changed-since HEAD" in r.err


# -- sidecars ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("sidecar,code", [
    ("date = 2021-10-08\nsource_url = [unclosed\n", "DT200"),
    ("date = 2021-10-08\ncolour = 'blue'\n", "DT201"),
    ("date = 'yesterday'\n", "DT202"),
    ("a = " + "[" * 3000 + "]" * 3000 + "\n", "DT200"),
])
@pytest.mark.parametrize("suffix", [".txt", ".html"])
def test_every_source_kind_reports_its_sidecar(tmp_path, sidecar, code, suffix):
    src = tmp_path / f"talk{suffix}"
    if suffix == ".html":
        src.write_text("<p>A Talk</p><p><strong>QUESTION:</strong> Hello there.</p>"
                       "<p><strong>SECRETARY BLINKEN:</strong> Hi.</p>")
    else:
        shutil.copy(SEED, src)
    (tmp_path / "talk.toml").write_text(sidecar)
    r = run("validate", src)
    assert r.code == 1 and f"{tmp_path / 'talk.toml'}" in r.out and f"{code} error" in r.out
    assert code in {f.code for f in parse_file(src).findings}
    assert run("parse", src).code == 1


def test_a_sidecar_beside_a_feed_file_is_checked(tmp_path):
    feed(tmp_path, json.dumps(ITEM))
    (tmp_path / "feed.toml").write_text("colour = 'blue'\n")
    codes = {f.code for f in validate_paths([tmp_path])}
    assert {"DT201", "DT209"} <= codes


# -- parse_file --------------------------------------------------------------------------------------
def test_parse_file_refuses_a_feed_file_and_a_folder(tmp_path):
    p = feed(tmp_path, json.dumps(ITEM), json.dumps({**ITEM, "link": "https://www.state.gov/another/"}))
    with pytest.raises(FeedFileError, match="parse_source"):
        parse_file(p)
    assert [r.transcript.transcript_id for r in parse_source(p)] == [
        "secretary-blinken-with-a-journalist", "another"]
    with pytest.raises(IsADirectoryError):
        parse_file(tmp_path)
    with pytest.raises(IsADirectoryError):
        parse_source(tmp_path)


def test_parse_text_with_an_id_that_is_no_id_gives_a_finding():
    from diplomatic_transcripts.parse.text import parse_text

    r = parse_text("Title\n\nMR DOE: Hello.\n\nQUESTION: Why?\n", source_id="Not An Id")
    assert r.transcript is None and [f.code for f in r.findings] == ["DT203"]
