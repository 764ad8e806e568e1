"""What changed between two dataset versions, and the version bump it calls for.

Either side is a released version (`1.2.0` or `latest`, through the loader's registry and
cache), a package folder, or a release zip.  The comparison reads the descriptors (Table
Schemas: column types and constraints) and the Parquet files (Arrow types; the rows),
and reports:

- transcripts added and removed (by `transcript_id`), and changed: by `source_sha256`
  (the source's bytes) and by their records (the transcript's row and its speakers, turns
  and markers), each counted once; apart from them, transcripts *relinked*: whose only
  change is in a column linking to a table made across transcripts (a speaker's
  `persons` link, which a newly added transcript naming that speaker can supply), so
  adding transcripts does not count as changing the ones already there;
- rows per table, before and after; rows of the tables without a transcript (`persons`,
  `person_roles`) added, removed and changed by primary key;
- schema changes: tables added or removed; columns added, removed, retyped, narrowed or
  widened.

Rows are compared in DuckDB (a per-transcript count and an order-free sum of row hashes,
over the columns both sides have), so a diff of million-row tables never builds Python
objects per row.

The bump (the release rules of the README and CHANGELOG.md): **major** when a table or column is removed, retyped or
narrowed; **minor** when transcripts, tables or columns are added (or a column widened);
**patch** for anything else that changed (corrections, transcripts removed); **none** when
nothing did.  With no earlier release the new package's own version is proposed.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
import zipfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .sql import quote_identifier as _q

BUMPS = ("none", "patch", "minor", "major")
_VERSION = re.compile(r"^(\d+)\.(\d+)\.(\d+)$")
# Arrow types a column may move to without losing a value (a widening, not a retyping).
_WIDER = {
    ("int8", "int16"), ("int8", "int32"), ("int8", "int64"), ("int16", "int32"), ("int16", "int64"),
    ("int32", "int64"), ("float", "double"), ("halffloat", "float"), ("halffloat", "double"),
    ("string", "large_string"), ("integer", "number"),
}


def _cross_links() -> dict[str, set[str]]:
    """Per transcript table, the columns that are foreign keys into tables made across
    transcripts (read from the record models, so no column is named here)."""
    from .records import TABLES, TRANSCRIPT_TABLES

    out: dict[str, set[str]] = {}
    for t in TABLES:
        if t.name in TRANSCRIPT_TABLES:
            out[t.name] = {c for fk in t.foreign_keys if fk.resource not in TRANSCRIPT_TABLES for c in fk.fields}
    return out


def _children() -> tuple[str, ...]:
    from .records import TRANSCRIPT_TABLES

    return tuple(t for t in TRANSCRIPT_TABLES if t != "transcripts")


class DiffError(Exception):
    """A side that cannot be opened; the message says which and why."""


@dataclass
class Side:
    label: str
    version: str | None
    descriptor: dict
    folder: Path | None

    def resources(self) -> dict[str, dict]:
        """Table name -> its Parquet resource (with the Table Schema)."""
        return {r["name"]: r for r in self.descriptor.get("resources", [])
                if r.get("format") == "parquet" and isinstance(r.get("schema"), dict)}


@dataclass
class ColumnChange:
    table: str
    column: str
    change: str  # added | removed | retyped | narrowed | widened
    detail: str = ""


@dataclass
class DiffResult:
    old: str
    new: str
    old_version: str | None
    new_version: str | None
    transcripts_added: list[str] = field(default_factory=list)
    transcripts_removed: list[str] = field(default_factory=list)
    transcripts_changed: list[str] = field(default_factory=list)
    changed_source: list[str] = field(default_factory=list)
    changed_records: list[str] = field(default_factory=list)
    relinked: list[str] = field(default_factory=list)
    rows: dict[str, tuple[int, int]] = field(default_factory=dict)
    keyed_rows: dict[str, dict[str, int]] = field(default_factory=dict)  # persons etc.: added/removed/changed
    tables_added: list[str] = field(default_factory=list)
    tables_removed: list[str] = field(default_factory=list)
    columns: list[ColumnChange] = field(default_factory=list)
    bump: str = "none"
    proposed_version: str | None = None

    @property
    def changed(self) -> bool:
        return self.bump != "none"

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["rows"] = {t: {"old": o, "new": n, "delta": n - o} for t, (o, n) in self.rows.items()}
        return d


# -- opening a side ---------------------------------------------------------------------------
def open_side(spec: str | Path, *, registry: str | Path | None, workdir: Path) -> Side:
    from .loader import LoadError, download, safe_extract, verify_package

    path = Path(spec)
    if path.is_dir():
        return _folder_side(str(spec), path)
    if path.is_file() and path.name == "datapackage.json":
        return _folder_side(str(spec), path.parent)
    if path.is_file() and path.suffix.lower() == ".zip":
        target = workdir / f"side-{len(list(workdir.iterdir()))}"
        target.mkdir()
        try:
            safe_extract(path, target)
            verify_package(target)
        except (LoadError, OSError, ValueError, zipfile.BadZipFile) as exc:
            raise DiffError(f"{spec}: not a release zip this library can open ({exc})") from None
        return _folder_side(str(spec), target)
    text = str(spec)
    if text == "latest" or _VERSION.match(text):
        try:
            from .loader import versions

            if text == "latest" and not versions(registry):
                return Side("no release yet", None, {}, None)
            return _folder_side(text, download(text, registry=registry))
        except LoadError as exc:
            raise DiffError(f"{spec}: {exc}") from None
        except Exception as exc:  # the registry file itself
            raise DiffError(f"{spec}: {exc}") from None
    raise DiffError(f"{spec}: no such package folder, release zip or version (X.Y.Z or latest)")


def _folder_side(label: str, folder: Path) -> Side:
    from .descriptor_shape import descriptor_problems

    try:
        desc = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError) as exc:
        raise DiffError(f"{label}: no readable datapackage.json ({exc})") from None
    problems = descriptor_problems(desc)
    if problems:
        raise DiffError(f"{label}: datapackage.json is not a package descriptor this library reads: {problems[0]}")
    return Side(label, str(desc.get("version")) if desc.get("version") else None, desc, folder)


# -- schema -----------------------------------------------------------------------------------
def _arrow_types(side: Side, table: str) -> dict[str, str]:
    import pyarrow.parquet as pq

    if side.folder is None or not (side.folder / f"{table}.parquet").is_file():
        return {}
    path = side.folder / f"{table}.parquet"
    try:
        return {f.name: str(f.type) for f in pq.read_schema(path)}
    except (OSError, ValueError) as exc:  # pyarrow's errors derive from these
        raise DiffError(f"{side.label}: {path} cannot be read as Parquet: {exc}") from None


def _constraint_changes(old: dict, new: dict) -> tuple[list[str], list[str]]:
    """(narrowings, widenings) between two fields' constraints."""
    narrow: list[str] = []
    wide: list[str] = []
    if bool(new.get("required")) != bool(old.get("required")):
        (narrow if new.get("required") else wide).append("required" if new.get("required") else "no longer required")
    if bool(new.get("unique")) != bool(old.get("unique")):
        (narrow if new.get("unique") else wide).append("unique" if new.get("unique") else "no longer unique")
    oe, ne = old.get("enum"), new.get("enum")
    if oe is not None or ne is not None:
        if ne is None:
            wide.append("enum dropped")
        elif oe is None:
            narrow.append("enum added")
        else:
            gone, came = set(map(str, oe)) - set(map(str, ne)), set(map(str, ne)) - set(map(str, oe))
            if gone:
                narrow.append("enum values removed: " + ", ".join(sorted(gone)))
            if came:
                wide.append("enum values added: " + ", ".join(sorted(came)))
    if old.get("pattern") != new.get("pattern"):
        (wide if new.get("pattern") is None else narrow).append(f"pattern {new.get('pattern')!r}")
    for key, tighter in (("minimum", lambda o, n: n > o), ("minLength", lambda o, n: n > o),
                         ("maximum", lambda o, n: n < o), ("maxLength", lambda o, n: n < o)):
        o, n = old.get(key), new.get(key)
        if o == n:
            continue
        if n is None:
            wide.append(f"{key} dropped")
        elif o is None or tighter(o, n):
            narrow.append(f"{key} {n}")
        else:
            wide.append(f"{key} {n}")
    return narrow, wide


def schema_changes(old: Side, new: Side) -> tuple[list[str], list[str], list[ColumnChange]]:
    o_res, n_res = old.resources(), new.resources()
    added = sorted(set(n_res) - set(o_res))
    removed = sorted(set(o_res) - set(n_res))
    changes: list[ColumnChange] = []
    if old.version is None:
        return [], [], changes  # a first release: the tables are the schema, not a change to it
    for table in sorted(set(o_res) & set(n_res)):
        of = {f["name"]: f for f in o_res[table]["schema"].get("fields", [])}
        nf = {f["name"]: f for f in n_res[table]["schema"].get("fields", [])}
        oa, na = _arrow_types(old, table), _arrow_types(new, table)
        for name in sorted(set(nf) - set(of)):
            changes.append(ColumnChange(table, name, "added", nf[name].get("type", "")))
        for name in sorted(set(of) - set(nf)):
            changes.append(ColumnChange(table, name, "removed", of[name].get("type", "")))
        for name in sorted(set(of) & set(nf)):
            ot, nt = of[name].get("type"), nf[name].get("type")
            oat, nat = oa.get(name), na.get(name)
            if ot != nt or (oat and nat and oat != nat):
                before, after = (oat, nat) if oat and nat and oat != nat else (ot, nt)
                kind = "widened" if (before, after) in _WIDER else "retyped"
                changes.append(ColumnChange(table, name, kind, f"{before} -> {after}"))
                continue
            narrow, wide = _constraint_changes(of[name].get("constraints", {}) or {},
                                               nf[name].get("constraints", {}) or {})
            if narrow:
                changes.append(ColumnChange(table, name, "narrowed", "; ".join(narrow)))
            elif wide:
                changes.append(ColumnChange(table, name, "widened", "; ".join(wide)))
    return added, removed, changes


# -- rows -------------------------------------------------------------------------------------
def _register(con: Any, side: Side, prefix: str, tables: list[str]) -> None:
    import pyarrow.parquet as pq

    for t in tables:
        path = side.folder / f"{t}.parquet" if side.folder else None
        if path is not None and path.is_file():
            try:
                con.register(f"{prefix}_{t}", pq.read_table(path))
            except (OSError, ValueError) as exc:  # pyarrow's errors derive from these
                raise DiffError(f"{side.label}: {path} cannot be read as Parquet: {exc}") from None


def _digest_sql(table: str, columns: list[str], by: list[str]) -> str:
    cols = ", ".join(_q(c) for c in columns)
    keys = ", ".join(_q(c) for c in by)
    return f"SELECT {keys}, count(*) AS n, sum(hash({cols})::HUGEINT) AS h FROM {table} GROUP BY {keys}"


def diff_sides(old: Side, new: Side) -> DiffResult:
    import duckdb

    result = DiffResult(old.label, new.label, old.version, new.version)
    result.tables_added, result.tables_removed, result.columns = schema_changes(old, new)
    o_res, n_res = old.resources(), new.resources()
    con = duckdb.connect()
    _register(con, old, "o", list(o_res))
    _register(con, new, "n", list(n_res))
    present = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}

    def has(prefix: str, t: str) -> bool:
        return f"{prefix}_{t}" in present

    for t in sorted(set(o_res) | set(n_res)):
        o = con.execute(f"SELECT count(*) FROM o_{t}").fetchone()[0] if has("o", t) else 0  # type: ignore[index]
        n = con.execute(f"SELECT count(*) FROM n_{t}").fetchone()[0] if has("n", t) else 0  # type: ignore[index]
        result.rows[t] = (int(o), int(n))

    def columns(t: str) -> list[str]:
        of = [f["name"] for f in o_res.get(t, {}).get("schema", {}).get("fields", [])]
        nf = {f["name"] for f in n_res.get(t, {}).get("schema", {}).get("fields", [])}
        return [c for c in of if c in nf]

    if has("n", "transcripts"):
        new_ids = {r[0] for r in con.execute("SELECT transcript_id FROM n_transcripts").fetchall()}
    else:
        new_ids = set()
    old_ids = {r[0] for r in con.execute("SELECT transcript_id FROM o_transcripts").fetchall()} if has("o", "transcripts") else set()
    result.transcripts_added = sorted(new_ids - old_ids)
    result.transcripts_removed = sorted(old_ids - new_ids)
    if has("o", "transcripts") and has("n", "transcripts"):
        result.changed_source = sorted(r[0] for r in con.execute(
            "SELECT transcript_id FROM o_transcripts o JOIN n_transcripts n USING (transcript_id) "
            "WHERE o.source_sha256 IS DISTINCT FROM n.source_sha256").fetchall())
        records: set[str] = set()
        relinked: set[str] = set()
        links = _cross_links()

        def changed_ids(t: str, cols: list[str]) -> set[str]:
            rows = con.execute(
                f"WITH o AS ({_digest_sql(f'o_{t}', cols, ['transcript_id'])}), "
                f"n AS ({_digest_sql(f'n_{t}', cols, ['transcript_id'])}) "
                "SELECT coalesce(o.transcript_id, n.transcript_id) FROM o FULL JOIN n USING (transcript_id) "
                "WHERE o.n IS DISTINCT FROM n.n OR o.h IS DISTINCT FROM n.h").fetchall()
            return {r[0] for r in rows}

        for t in ("transcripts", *_children()):
            if not (has("o", t) and has("n", t)):
                continue
            common = columns(t)
            if "transcript_id" not in common:
                continue
            cross = links.get(t, set())
            records |= changed_ids(t, [c for c in common if c != "source_sha256" and c not in cross])
            if cross & set(common):
                relinked |= changed_ids(t, [c for c in common if c != "source_sha256"])
        both = old_ids & new_ids
        result.changed_records = sorted(records & both)
        result.transcripts_changed = sorted(set(result.changed_source) | set(result.changed_records))
        result.relinked = sorted((relinked & both) - set(result.transcripts_changed))
    for t in sorted(set(o_res) & set(n_res)):
        if t == "transcripts" or t in _children() or not (has("o", t) and has("n", t)):
            continue
        pk = n_res[t]["schema"].get("primaryKey") or []
        pk = [pk] if isinstance(pk, str) else list(pk)
        cols = columns(t)
        if not pk or not set(pk) <= set(cols):
            continue
        keys = " AND ".join(f"o.{_q(k)} IS NOT DISTINCT FROM n.{_q(k)}" for k in pk)
        o_sql, n_sql = _digest_sql(f"o_{t}", cols, pk), _digest_sql(f"n_{t}", cols, pk)
        added, removed, changed = con.execute(
            f"WITH o AS ({o_sql}), n AS ({n_sql}) SELECT "
            f"count(*) FILTER (WHERE o.n IS NULL), count(*) FILTER (WHERE n.n IS NULL), "
            f"count(*) FILTER (WHERE o.n IS NOT NULL AND n.n IS NOT NULL AND (o.h != n.h OR o.n != n.n)) "
            f"FROM o FULL JOIN n ON {keys}").fetchone()  # type: ignore[misc]
        result.keyed_rows[t] = {"added": int(added), "removed": int(removed), "changed": int(changed)}
    con.close()
    result.bump = _bump(result, first=old.version is None)
    result.proposed_version = propose_version(old.version, new.version, result.bump)
    return result


def _bump(r: DiffResult, *, first: bool) -> str:
    if first:
        return "minor" if r.transcripts_added or r.tables_added else "none"
    if r.tables_removed or any(c.change in ("removed", "retyped", "narrowed") for c in r.columns):
        return "major"
    if r.transcripts_added or r.tables_added or any(c.change in ("added", "widened") for c in r.columns):
        return "minor"
    rows_changed = any(o != n for o, n in r.rows.values()) or any(any(v.values()) for v in r.keyed_rows.values())
    if r.transcripts_removed or r.transcripts_changed or r.relinked or rows_changed:
        return "patch"
    return "none"


def propose_version(old: str | None, new: str | None, bump: str) -> str | None:
    """The version the changes call for: the old one bumped, or the new package's own
    version when there is no release before it."""
    if old is None:
        return new
    m = _VERSION.match(old)
    if not m:
        return None
    major, minor, patch = (int(x) for x in m.groups())
    if bump == "major":
        return f"{major + 1}.0.0"
    if bump == "minor":
        return f"{major}.{minor + 1}.0"
    if bump == "patch":
        return f"{major}.{minor}.{patch + 1}"
    return old


def diff_packages(old: str | Path | None, new: str | Path, *, registry: str | Path | None = None) -> DiffResult:
    """Compare two versions, package folders or release zips (old None: no release yet)."""
    import duckdb

    work = Path(tempfile.mkdtemp(prefix="diplomatic-transcripts-diff-"))
    try:
        before = Side("no release yet", None, {}, None) if old is None else open_side(old, registry=registry, workdir=work)
        after = open_side(new, registry=registry, workdir=work)
        try:
            return diff_sides(before, after)
        except duckdb.Error as exc:  # tables whose columns are not the package's
            raise DiffError(f"the tables of {before.label} and {after.label} cannot be compared: "
                            f"{str(exc).splitlines()[0]}") from None
    finally:
        shutil.rmtree(work, ignore_errors=True)


# -- rendering --------------------------------------------------------------------------------
def _ids(ids: list[str], limit: int = 20) -> str:
    shown = ", ".join(f"`{i}`" for i in ids[:limit])
    return shown + (f" and {len(ids) - limit} more" if len(ids) > limit else "")


def render_text(r: DiffResult) -> str:
    lines = [f"{r.old} ({r.old_version or 'none'}) -> {r.new} ({r.new_version or 'none'})"]
    lines.append(f"transcripts: {len(r.transcripts_added)} added, {len(r.transcripts_removed)} removed, "
                 f"{len(r.transcripts_changed)} changed ({len(r.changed_source)} by source sha256, "
                 f"{len(r.changed_records)} by records)")
    if r.relinked:
        lines.append(f"transcripts relinked (person links only): {len(r.relinked)}")
    for label, ids in (("added", r.transcripts_added), ("removed", r.transcripts_removed),
                       ("changed", r.transcripts_changed), ("relinked", r.relinked)):
        for i in ids:
            lines.append(f"  {label}: {i}")
    lines.append("rows: " + ", ".join(f"{t} {o} -> {n} ({n - o:+d})" for t, (o, n) in r.rows.items()))
    for t, kr in r.keyed_rows.items():
        if any(kr.values()):
            lines.append(f"  {t}: {kr['added']} added, {kr['removed']} removed, {kr['changed']} changed by primary key")
    for t in r.tables_added:
        lines.append(f"schema: table {t} added")
    for t in r.tables_removed:
        lines.append(f"schema: table {t} removed")
    for c in r.columns:
        lines.append(f"schema: {c.table}.{c.column} {c.change}" + (f" ({c.detail})" if c.detail else ""))
    if not r.columns and not r.tables_added and not r.tables_removed:
        lines.append("schema: no changes")
    lines.append(f"bump: {r.bump}" + (f"; proposed version {r.proposed_version}" if r.proposed_version else ""))
    return "\n".join(lines)


def changelog_entry(r: DiffResult, *, version: str, library_version: str, date: str, command: str) -> str:
    """A draft CHANGELOG entry: the Schema and Data sections, with the figures that show them."""
    out = [f"## [{version}] — dataset; library {library_version}; {date}", ""]
    schema = [f"- Table `{t}` added." for t in r.tables_added] + [f"- Table `{t}` removed." for t in r.tables_removed]
    schema += [f"- `{c.table}.{c.column}` {c.change}" + (f" ({c.detail})." if c.detail else ".") for c in r.columns]
    if schema:
        out += ["### Schema", *schema, ""]
    data = []
    if r.transcripts_added:
        data.append(f"- {len(r.transcripts_added)} transcript(s) added: {_ids(r.transcripts_added)}.")
    if r.transcripts_changed:
        data.append(f"- {len(r.transcripts_changed)} transcript(s) changed ({len(r.changed_source)} by their source, "
                    f"{len(r.changed_records)} in their records): {_ids(r.transcripts_changed)}.")
    if r.relinked:
        data.append(f"- {len(r.relinked)} transcript(s) relinked to persons named elsewhere: {_ids(r.relinked)}.")
    if r.transcripts_removed:
        data.append(f"- {len(r.transcripts_removed)} transcript(s) removed: {_ids(r.transcripts_removed)}.")
    rows = ", ".join(f"{t} {o:,} → {n:,}" for t, (o, n) in r.rows.items() if o != n)
    if rows:
        data.append(f"- Rows: {rows}.")
    for t, kr in r.keyed_rows.items():
        if any(kr.values()):
            data.append(f"- `{t}`: {kr['added']} added, {kr['removed']} removed, {kr['changed']} changed.")
    if not data:
        data.append("- No data changes.")
    data.append(f"- `{command}`: bump {r.bump}.")
    out += ["### Data", *data, ""]
    return "\n".join(out)
