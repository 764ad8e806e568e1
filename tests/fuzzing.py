"""Structured fuzzing of every command: malformed feed lines, descriptors, sidecars and
registries, built by hypothesis strategies, run in-process, with the user's files planted
beside and inside every folder the commands write.

Used by `tests/test_fuzz.py` (a small sample in the suite) and by
`benchmarks/fuzz_commands.py` (>= 10,000 cases).  A case is one command on one generated
input; `run_case` runs it and returns what went wrong, if anything:

- an exception other than the library's own (what `run()` would print as "internal error"),
  or "internal error" / "Traceback" in the output;
- an exit status outside the contract (0 no errors, 1 errors found, 2 usage error or an
  input that cannot be opened), or 0 for an input the strategy knows to be bad;
- a planted user file missing or changed afterwards.

Whether an input is bad is decided here from the input's own form (is this line a JSON
object with a string `content_html`?), never by asking the code under test.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import math
import os
import re
import shutil
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from tests.conftest import SEED, SOURCES

FEED_FIELDS = ("link", "title", "creator", "pub_date", "content_html")
GOOD_ITEM = {
    "link": "https://www.state.gov/secretary-blinken-with-a-journalist/",
    "title": "Secretary Antony J. Blinken With a Journalist",
    "creator": "Antony J. Blinken",
    "pub_date": "Tue, 29 Jun 2021 21:04:21 +0000",
    "content_html": "<p>Washington, D.C.</p><p><strong>QUESTION:</strong> Thank you for your time.</p>"
                    "<p><strong>SECRETARY BLINKEN:</strong> Good to be with you. (Laughter.)</p>",
}
SIDECAR_KEYS = ("source_url", "date", "event_type", "language", "occasion", "publisher", "title", "speakers")
EXITS = {0, 1, 2}
USER_BYTES = b"a file the user made; no command may delete or change it\n"

# -- values of every wrong type, huge and odd ---------------------------------------------------
ODD_STRINGS = ["", " ", "\x00", "\ud800", "1.0.0", "01.0.0", "1.0.0\n", "abc", "../../etc/passwd", "/abs/path",
               "x" * 5000, "sha256:" + "0" * 64, "<div>" * 300, "Infinity", "1e400", "NaN", "null", "[]", "{}",
               "2021-13-45", "Tue, 99 Foo 2021", "QUESTION:", "\u202e\u00a0\ufeff", "a\r\nb", "é" * 300]
ODD_NUMBERS = [0, -1, 1, 2**31, 2**63, -(2**63) - 1, 10**40, 1.5, -0.0, 1e308]


def odd_scalars() -> st.SearchStrategy:
    return st.one_of(
        st.none(), st.booleans(), st.integers(), st.sampled_from(ODD_NUMBERS),
        st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=30), st.sampled_from(ODD_STRINGS))


def odd_values(max_leaves: int = 8) -> st.SearchStrategy:
    return st.recursive(odd_scalars(), lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=12), inner, max_size=4)), max_leaves=max_leaves)


def dumps(value: Any) -> str:
    return json.dumps(value)  # NaN and Infinity stay as Python writes them: odd, but JSON Python reads


# -- feed lines ----------------------------------------------------------------------------------
RAW_LINES = [b"{", b"[" * 20000, b"{" * 5000, b'{"content_html": "<p>x</p>"', b"not json", b'"\\ud800"',
             b"1" * 5000, b"null", b"[]", b'{"content_html": 7}', b'{"link": "x"}', b"\xff\xfe{}", b'{"a":1}' * 3,
             b'{"content_html": "' + b"<div>" * 400 + b'QUESTION: hi"}']
HTML_PIECES = ["<p>", "</p>", "<br>", "<strong>", "</strong>", "QUESTION:", "SECRETARY BLINKEN:", "&nbsp;", "&amp;",
               "<div class='entry-content'>", "</div>", "<script>x</script>", "<!-- c -->", "(Inaudible.)",
               "<b>Moderator:</b>", "<", ">", "&", "\n", "<div>" * 300, "<b>" * 2000, "&#xD800;", "&#0;",
               "<![CDATA[x]]>", "<?xml version='1.0'?>", "<table><tr><td>", "x" * 3000, "\u00a0", "\x0b"]


def html_bodies() -> st.SearchStrategy:
    return st.lists(st.one_of(st.sampled_from(HTML_PIECES), st.text(max_size=20)), max_size=12).map("".join)


def feed_line_is_bad(raw: bytes) -> bool:
    """A non-blank line that is not a feed item: not JSON, not an object, no string
    `content_html`, a field that is neither a string nor null, or text UTF-8 cannot hold."""
    if not raw.strip():
        return False
    try:
        item = json.loads(raw)
    except (ValueError, RecursionError):
        return True
    if not isinstance(item, dict) or not isinstance(item.get("content_html"), str):
        return True
    for key in FEED_FIELDS:
        value = item.get(key)
        if value is not None and not isinstance(value, str):
            return True
        if isinstance(value, str):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                return True
    return False


@st.composite
def feed_lines(draw) -> bytes:
    kind = draw(st.sampled_from(["item", "item", "item", "json", "raw", "binary"]))
    if kind == "raw":
        return draw(st.sampled_from(RAW_LINES))
    if kind == "binary":
        return draw(st.binary(min_size=1, max_size=200)).replace(b"\n", b" ")
    if kind == "json":
        return dumps(draw(odd_values())).encode()
    item: dict[str, Any] = {}
    for key, good in GOOD_ITEM.items():
        action = draw(st.sampled_from(["keep", "keep", "keep", "drop", "null", "odd", "html"]))
        if action == "keep":
            item[key] = good
        elif action == "null":
            item[key] = None
        elif action == "odd":
            item[key] = draw(odd_values(4))
        elif action == "html":
            item[key] = draw(html_bodies())
    for extra in draw(st.lists(st.text(max_size=8), max_size=2)):
        item[extra] = draw(odd_scalars())
    return dumps(item).encode()


# -- sidecars --------------------------------------------------------------------------------------
def toml_value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return "nan" if math.isnan(v) else ("inf" if v > 0 else "-inf") if math.isinf(v) else repr(v)
    if isinstance(v, (dt.date, dt.time)):
        return v.isoformat()
    if isinstance(v, list):
        return "[" + ", ".join(toml_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{json.dumps(str(k))} = {toml_value(x)}" for k, x in v.items()) + " }"
    if v is None:
        return '""'
    return json.dumps(str(v))


def toml_values() -> st.SearchStrategy:
    scalars = st.one_of(st.text(max_size=20), st.sampled_from(ODD_STRINGS), st.integers(), st.booleans(),
                        st.floats(), st.dates(), st.datetimes(), st.times(),
                        st.sampled_from(["2021-10-08", "interview", "es-MX", "https://www.state.gov/x/", "party"]))
    return st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                         st.dictionaries(st.text(max_size=8), inner, max_size=3)),
                        max_leaves=5)


RAW_SIDECARS = ["a = " + "[" * 3000 + "]" * 3000, "date = 2021-13-45", "[speakers]\nx = 1", "= =", "a = 1\na = 2",
                'date = 2021-10-08\n[speakers."QUESTION"]\nkind = "wizard"\n', "title = '''", "\x00", "date = 07:32:00",
                '[speakers."SECRETARY BLINKEN"]\nname = 5\n', "speakers = 3", 'colour = "blue"']


def sidecar_is_bad(text: str) -> bool | None:
    """True for a sidecar that cannot be right (not TOML, an unknown key, a string fact that is
    no string); None when only the finer rules could tell."""
    try:
        data = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, RecursionError):
        return True
    for key, value in data.items():
        if key not in SIDECAR_KEYS:
            return True
        if key in ("occasion", "publisher", "title") and not isinstance(value, str):
            return True
        if key == "speakers" and not isinstance(value, dict):
            return True
    return None


@st.composite
def sidecars(draw) -> str:
    if draw(st.integers(0, 4)) == 0:
        return draw(st.one_of(st.sampled_from(RAW_SIDECARS), st.text(max_size=80)))
    lines = []
    for key in draw(st.lists(st.sampled_from([*SIDECAR_KEYS, "colour", "Date", "speaker"]), max_size=4,
                             unique=True)):
        if key == "speakers" and draw(st.booleans()):
            for label in draw(st.lists(st.sampled_from(["QUESTION", "SECRETARY BLINKEN", "NOBODY", "", "a\"b"]),
                                       max_size=2, unique=True)):
                facts = draw(st.dictionaries(st.sampled_from(["name", "role", "affiliation", "kind", "age"]),
                                             toml_values(), max_size=3))
                lines.append(f"[speakers.{json.dumps(label)}]")
                lines += [f"{k} = {toml_value(v)}" for k, v in facts.items()]
            continue
        lines.insert(0, f"{key} = {toml_value(draw(toml_values()))}")
    return "\n".join(lines) + "\n"


# -- descriptors and registries -------------------------------------------------------------------
@st.composite
def mutated(draw, clean: Any, max_edits: int = 3) -> Any:
    """`clean` with 1-3 edits at random places: a value replaced by one of another type, a
    key removed or added, a list emptied; or the whole document replaced."""
    if draw(st.integers(0, 11)) == 0:
        return draw(odd_values())
    doc = copy.deepcopy(clean)
    for _ in range(draw(st.integers(1, max_edits))):
        parent, key = None, None
        node = doc
        while isinstance(node, (dict, list)) and node and (parent is None or draw(st.integers(0, 9)) < 7):
            keys = list(node) if isinstance(node, dict) else list(range(len(node)))
            k = draw(st.sampled_from(keys))
            parent, key, node = node, k, node[k]
        if parent is None:
            continue
        op = draw(st.sampled_from(["odd", "odd", "odd", "drop", "add", "empty"]))
        if op == "odd":
            parent[key] = draw(odd_values(4))
        elif op == "drop":
            if isinstance(parent, dict):
                del parent[key]
            else:
                parent.pop(key)
        elif op == "add" and isinstance(parent, dict):
            parent[draw(st.text(max_size=8))] = draw(odd_scalars())
        elif op == "empty":
            parent[key] = [] if isinstance(node, list) else {} if isinstance(node, dict) else ""
    return doc


GOOD_REGISTRY = {"base_url": "http://127.0.0.1:9/releases", "releases": [
    {"version": "1.0.0", "file": "diplomatic-transcripts-1.0.0.zip", "url": "http://127.0.0.1:9/x.zip",
     "sha256": "0" * 64, "bytes": 10, "date": "2024-01-01", "schema_major": 1}]}


def versions() -> st.SearchStrategy:
    return st.one_of(st.sampled_from(["latest", "1.0.0", "9.9.9", "2.0.0", "1.0", "abc", "../x", "1.0.0\n", "-1"]),
                     st.text(max_size=10))


# -- workspaces and what to check afterwards --------------------------------------------------
@dataclass
class Case:
    """One command to run: its arguments, environment and what must hold afterwards."""

    args: list[str]
    env: dict[str, str] = field(default_factory=dict)
    exits: set[int] = field(default_factory=lambda: set(EXITS))
    user_files: dict[Path, bytes] = field(default_factory=dict)
    call: Any = None  # a Python call instead of a command: load(...)
    label: str = ""


def plant(case: Case, path: Path, data: bytes = USER_BYTES) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    case.user_files[path] = data
    return path


def clean_package(base: Path) -> Path:
    """A package built once from the bundled sources, to copy for each case."""
    pkg = base / "clean-package"
    if not (pkg / "datapackage.json").is_file():
        from diplomatic_transcripts.build import build_package

        assert build_package([SOURCES], pkg).written
    return pkg


# -- building cases -------------------------------------------------------------------------------
SOURCE_KINDS = ["feed", "feed", "html", "text", "text+sidecar", "html+sidecar", "feed+sidecar"]


@st.composite
def source_inputs(draw, folder: Path) -> tuple[Path, bool | None]:
    """A source file (and maybe its sidecar) in `folder`; whether it is known to be bad."""
    folder.mkdir(parents=True, exist_ok=True)
    kind = draw(st.sampled_from(SOURCE_KINDS))
    bad: bool | None = None
    if kind.startswith("feed"):
        lines = draw(st.lists(feed_lines(), min_size=1, max_size=3))
        path = folder / "feed.jsonl"
        path.write_bytes(b"\n".join(lines) + b"\n")
        bad = True if any(feed_line_is_bad(x) for x in lines) else None
    elif kind.startswith("html"):
        path = folder / "page.html"
        path.write_bytes(draw(html_bodies()).encode("utf-8", errors="surrogatepass"))
    else:
        path = folder / "talk.txt"
        path.write_bytes(SEED.read_bytes() if draw(st.booleans()) else draw(st.binary(max_size=300)))
    if kind.endswith("+sidecar"):
        text = draw(sidecars())
        path.with_suffix(".toml").write_bytes(text.encode("utf-8", errors="surrogatepass"))
        if not kind.startswith("feed") and sidecar_is_bad(text):
            bad = True
    return path, bad


@st.composite
def parse_cases(draw, work: Path) -> Case:
    src, bad = draw(source_inputs(work / "src"))
    case = Case(["parse", str(src), "--format", draw(st.sampled_from(["text", "json", "jsonl"]))], label="parse")
    case.exits = {1} if bad else {0, 1}
    plant(case, work / "src" / "notes.md")
    return case


@st.composite
def validate_cases(draw, work: Path, base: Path) -> Case:
    fmt = draw(st.sampled_from(["text", "json", "github"]))
    if draw(st.booleans()):
        src, bad = draw(source_inputs(work / "src"))
        case = Case(["validate", str(src), "--format", fmt], label="validate-source")
        case.exits = {1} if bad else {0, 1}
        if draw(st.integers(0, 9)) == 0:  # git answers for the working directory's repository, if any
            case.args += ["--changed-since", draw(st.sampled_from(["HEAD", "no-such-ref", "-x", ""]))]
            case.exits = {0, 1, 2}
        plant(case, work / "src" / "notes.md")
        return case
    pkg = draw(package_copies(work, base))
    case = Case(["validate", str(pkg), "--format", fmt], label="validate-package")
    if draw(st.integers(0, 14)) == 0:
        case.args.append("--frictionless")
    case.exits = {0, 1}
    plant(case, work / "notes.md")
    return case


@st.composite
def package_copies(draw, work: Path, base: Path) -> Path:
    """A copy of the clean package with its descriptor (and sometimes a file) mutated."""
    pkg = work / "pkg"
    shutil.copytree(clean_package(base), pkg)
    desc_path = pkg / "datapackage.json"
    clean = json.loads(desc_path.read_text(encoding="utf-8"))
    what = draw(st.sampled_from(["descriptor", "descriptor", "descriptor", "raw", "file"]))
    if what == "descriptor":
        desc_path.write_text(dumps(draw(mutated(clean))), encoding="utf-8", errors="surrogatepass")
    elif what == "raw":
        desc_path.write_bytes(draw(st.one_of(st.binary(max_size=100), st.sampled_from(
            [b"", b"{", b"[" * 50000, b"\xff\xfe", b'{"resources": []}', b"null"]))))
    else:
        victim = pkg / draw(st.sampled_from(sorted(p.name for p in pkg.iterdir())))
        data = victim.read_bytes()
        victim.write_bytes(draw(st.sampled_from([b"", data[: len(data) // 2], b"PAR1" + data[4:], data + b"x",
                                                 b"\x00" * 64])))
    return pkg


@st.composite
def build_cases(draw, work: Path) -> Case:
    src, bad = draw(source_inputs(work / "src"))
    out = work / "pkg"
    args = ["build", str(src.parent), "--out", str(out)]
    if draw(st.booleans()):
        args.append("--keep-going")
    force = draw(st.integers(0, 3)) == 0
    if force:
        args.append("--force")
    case = Case(args, label="build")
    plant(case, work / "notes.md")
    plant(case, work / "pkg.old-backup" / "keep.txt")
    plant(case, work / f"pkg.tmp-{os.getpid()}" / "keep.txt")
    plant(case, work / "pkg.tmp-1" / "data.csv")
    existing = draw(st.sampled_from(["none", "none", "user-folder", "file", "empty", "ours+user", "ours"]))
    if existing == "user-folder":
        plant(case, out / "thesis.tex")
        plant(case, out / "sub" / "data.csv")
        case.exits = {2}
    elif existing == "file":
        plant(case, out)
        case.exits = {2}
    elif existing == "empty":
        out.mkdir()
        case.exits = {0, 1} if force else {2}
    elif existing.startswith("ours"):
        shutil.copytree(SOURCES.parent / "diplomatic-transcripts", out)
        if existing == "ours+user":
            plant(case, out / "my-analysis.ipynb")
            case.exits = {2}
    if draw(st.integers(0, 5)) == 0:
        plant(case, work / "pkg.quarantine.json", b'{"mine": true}\n')
        case.exits = {2}
    if case.exits != {2}:
        case.exits = {1} if bad and "--keep-going" not in args else {0, 1}
    return case


@st.composite
def release_cases(draw, work: Path, base: Path) -> Case:
    if draw(st.booleans()):
        pkg = draw(package_copies(work, base))
    else:
        pkg = work / "pkg"
        shutil.copytree(clean_package(base), pkg)
    dist = work / "dist"
    case = Case(["release", str(pkg), "--out", str(dist)], label="release")
    plant(case, work / "notes.md")
    situation = draw(st.sampled_from(["none", "user-files", "foreign-registry", "foreign-zip", "file"]))
    if situation == "user-files":
        plant(case, dist / "README.md")
        plant(case, dist / "old" / "diplomatic-transcripts-0.9.0.zip")
    elif situation == "foreign-registry":
        plant(case, dist / "releases.json", b'{"my": "notes"}\n')
        case.exits = {1, 2}
    elif situation == "foreign-zip":
        plant(case, dist / "diplomatic-transcripts-1.0.0.zip", b"my own zip\n")
        case.exits = {1, 2}
    elif situation == "file":
        plant(case, dist)
        case.exits = {1, 2}
    return case


QUERIES = ["SELECT count(*) FROM turns", "SELECT * FROM speakers", "SELECT nope FROM turns", "CREATE TABLE x (a INT)",
           "", ";", "SELECT 1; SELECT 2", "PRAGMA version", "SELECT * FROM persons LIMIT 0"]


@st.composite
def query_cases(draw, work: Path, base: Path) -> Case:
    sql = draw(st.one_of(st.sampled_from(QUERIES), st.text(max_size=30)))
    limit = draw(st.sampled_from([[], ["--limit", "1"], ["--limit", "0"], ["--limit", "-1"], ["--limit", "x"]]))
    if draw(st.booleans()):
        pkg = draw(package_copies(work, base))
        case = Case(["query", sql, "--path", str(pkg), *limit], label="query-path")
        plant(case, work / "notes.md")
        return case
    registry = work / "releases.json"
    registry.write_text(dumps(draw(mutated(GOOD_REGISTRY))), encoding="utf-8", errors="surrogatepass")
    case = Case(["query", sql, "--version", draw(versions()), "--registry", str(registry), *limit],
                env=_cache_env(work), label="query-version")
    case.exits = {1, 2}  # nothing can be downloaded: the base URL is a closed port on this machine
    _plant_cache(case, work)
    return case


def _cache_env(work: Path) -> dict[str, str]:
    return {"DIPLOMATIC_TRANSCRIPTS_CACHE": str(work / "cache"),
            "DIPLOMATIC_TRANSCRIPTS_BASE_URL": "http://127.0.0.1:9/releases"}


def _plant_cache(case: Case, work: Path) -> None:
    """The cache pointed at a folder that also holds the user's own files, as a home folder does."""
    cache = work / "cache"
    plant(case, cache / ".bashrc")
    plant(case, cache / ".ssh" / "id_ed25519")
    plant(case, cache / "1.0.0" / "my-notes.txt")  # a folder named like a version, not made by the library
    plant(case, cache / ".downloads" / "diplomatic-transcripts-1.0.0.zip")
    plant(case, cache / ".1.0.0.unpacking-1" / "x")


@st.composite
def download_cases(draw, work: Path) -> Case:
    registry = work / "releases.json"
    registry.write_text(dumps(draw(mutated(GOOD_REGISTRY))), encoding="utf-8", errors="surrogatepass")
    case = Case(["download", draw(versions()), "--registry", str(registry)], env=_cache_env(work), label="download")
    case.exits = {1, 2}
    _plant_cache(case, work)
    return case


@st.composite
def cache_cases(draw, work: Path) -> Case:
    version = draw(st.one_of(versions(), st.sampled_from([".ssh", "..", ".", "1.0.0/..", ".bashrc"])))
    args = draw(st.sampled_from([["cache", "list"], ["cache", "clear"], ["cache", "clear", version]]))
    case = Case(args, env=_cache_env(work), label="cache")
    case.exits = {0, 1, 2} if args[-1].startswith("-") else {0, 1}
    _plant_cache(case, work)
    for name in draw(st.lists(st.text(st.characters(blacklist_characters="/\x00", blacklist_categories=("Cs",)), min_size=1, max_size=12),
                              max_size=3)):
        if name not in (".", "..") and not (work / "cache" / name).exists():
            plant(case, work / "cache" / name / "mine.txt")
    if draw(st.booleans()):  # a version the library did cache, beside the user's files
        cached = work / "cache" / "1.2.0"
        (cached / "sub").mkdir(parents=True)
        (cached / "turns.parquet").write_bytes(b"x")
        (cached / "sub" / "a.csv").write_bytes(b"y")
        (cached / ".diplomatic-transcripts-cache.json").write_text(json.dumps(
            {"generator": "diplomatic-transcripts download", "version": "1.2.0", "sha256": "0" * 64,
             "files": ["turns.parquet", "sub/a.csv", *draw(st.lists(st.sampled_from(
                 ["../.bashrc", "../.ssh/id_ed25519", "/etc/hostname", "sub", "sub/../../.bashrc"]), max_size=2))]}))
        if draw(st.booleans()):
            plant(case, cached / "my-notes.txt")
            plant(case, cached / "sub" / "mine.csv")
    return case


@st.composite
def load_cases(draw, work: Path, base: Path) -> Case:
    from diplomatic_transcripts.loader import load

    if draw(st.booleans()):
        pkg = draw(package_copies(work, base))
        case = Case([], call=lambda: load(path=pkg), label="load-path")
        plant(case, work / "notes.md")
        return case
    registry = work / "releases.json"
    registry.write_text(dumps(draw(mutated(GOOD_REGISTRY))), encoding="utf-8", errors="surrogatepass")
    version = draw(versions())
    case = Case([], env=_cache_env(work), call=lambda: load(version, registry=registry), label="load-version")
    _plant_cache(case, work)
    return case


@st.composite
def diff_cases(draw, work: Path, base: Path) -> Case:
    """diff over a package and a mutated copy, a garbage zip, or a version nobody released."""
    old = draw(st.sampled_from(["clean", "copy", "zip", "version", "missing"]))
    if old == "clean":
        old_arg = str(clean_package(base))
    elif old == "copy":
        old_arg = str(draw(package_copies(work / "old", base)))
    elif old == "zip":
        z = work / "old.zip"
        z.parent.mkdir(parents=True, exist_ok=True)
        z.write_bytes(draw(st.sampled_from([b"", b"PK\x03\x04not a zip", b"\x00" * 40])))
        old_arg = str(z)
    elif old == "version":
        old_arg = draw(versions())
    else:
        old_arg = str(work / "no-such-package")
    new = draw(package_copies(work / "new", base))
    registry = work / "releases.json"
    registry.write_text(dumps(draw(mutated(GOOD_REGISTRY))), encoding="utf-8", errors="surrogatepass")
    fmt = draw(st.sampled_from([[], ["--format", "json"], ["--format", "xml"], ["--proposed-version"]]))
    case = Case(["diff", old_arg, str(new), "--registry", str(registry), *fmt], env=_cache_env(work), label="diff")
    plant(case, work / "notes.md")
    return case


@st.composite
def export_cases(draw, work: Path, base: Path) -> Case:
    """export of a mutated package, into a target that may be the user's."""
    pkg = draw(package_copies(work, base)) if draw(st.booleans()) else work / "pkg"
    if not pkg.exists():
        shutil.copytree(clean_package(base), pkg)
    to = draw(st.sampled_from(["sqlite", "convokit", "csv"]))
    out = work / ("out.db" if to == "sqlite" else "out")
    case = Case(["export", str(pkg), "--to", to, str(out)], label="export")
    plant(case, work / "notes.md")
    situation = draw(st.sampled_from(["none", "user-file", "user-folder"]))
    if situation == "user-file":
        plant(case, out if to == "sqlite" else out / "thesis.tex")
        case.exits = {1, 2}
    elif situation == "user-folder" and to != "sqlite":
        plant(case, out / "sub" / "data.csv")
        case.exits = {1, 2}
    return case


@st.composite
def harvest_cases(draw, work: Path) -> Case:
    """harvest of addresses that cannot answer, into a folder that may hold the user's files."""
    target = draw(st.one_of(st.sampled_from(["http://127.0.0.1:9/feed/", "not a url", "ftp://127.0.0.1:9/x",
                                             "http://[::1", "nosuchpreset", ""]), st.text(max_size=12)))
    out = work / "harvest"
    extra = draw(st.sampled_from([[], ["--since", "2021-13-01"], ["--max", "0"], ["--match", "("], ["--rate", "-1"]]))
    case = Case(["harvest", target, "--out", str(out), "--rate", "0", "--attempts", "1", "--timeout", "0.2", *extra],
                label="harvest")
    plant(case, work / "notes.md")
    if draw(st.booleans()):
        plant(case, out / "my-notes.txt")
    return case


COMMANDS = ("parse", "validate", "build", "release", "query", "download", "cache", "load", "diff", "export",
            "harvest")


def cases(work: Path, base: Path, command: str | None = None) -> st.SearchStrategy:
    makers = {
        "parse": lambda: parse_cases(work), "validate": lambda: validate_cases(work, base),
        "build": lambda: build_cases(work), "release": lambda: release_cases(work, base),
        "query": lambda: query_cases(work, base), "download": lambda: download_cases(work),
        "cache": lambda: cache_cases(work), "load": lambda: load_cases(work, base),
        "diff": lambda: diff_cases(work, base), "export": lambda: export_cases(work, base),
        "harvest": lambda: harvest_cases(work),
    }
    if command is not None:
        return makers[command]()
    return st.sampled_from(COMMANDS).flatmap(lambda c: makers[c]())


# -- running a case ------------------------------------------------------------------------------
_INTERNAL = re.compile(r"internal error|Traceback \(most recent call last\)")


def run_case(case: Case) -> list[str]:
    """Run one case; the list of what went wrong (empty when all is well)."""
    from typer.testing import CliRunner

    from diplomatic_transcripts.cli import app
    from diplomatic_transcripts.loader import LoadError

    problems: list[str] = []
    saved = {k: os.environ.get(k) for k in case.env}
    os.environ.update(case.env)
    try:
        if case.call is not None:
            try:
                case.call()
            except LoadError:
                pass
            except Exception as exc:  # anything but the library's own error is a bug
                problems.append(f"raised {type(exc).__name__}: {str(exc)[:200]}")
        else:
            result = CliRunner().invoke(app, case.args)
            text = (result.stdout or "") + (result.stderr or "")
            if result.exception is not None and not isinstance(result.exception, SystemExit):
                problems.append(f"internal error: {type(result.exception).__name__}: {str(result.exception)[:200]}")
            elif _INTERNAL.search(text):
                problems.append("printed: " + _INTERNAL.search(text).group(0))
            if result.exit_code not in EXITS:
                problems.append(f"exit {result.exit_code}, outside 0, 1, 2")
            elif result.exit_code not in case.exits:
                problems.append(f"exit {result.exit_code}, expected one of {sorted(case.exits)}: {text[-300:]!r}")
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    for path, data in case.user_files.items():
        if not path.is_file():
            problems.append(f"the user's {path.name} is gone")
        elif path.read_bytes() != data:
            problems.append(f"the user's {path.name} was changed")
    return [f"{case.label} {_shown(case.args)}: {p}" for p in problems]


def _shown(args: list[str]) -> str:
    return " ".join(a if len(a) < 60 else a[:57] + "..." for a in args)


def fresh(work: Path) -> Path:
    """An empty working folder for the next case (the fuzzer's own folder: it may empty it)."""
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    return work
