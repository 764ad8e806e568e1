"""Validate a built package against its descriptor, column-wise with DuckDB.

Checks: the descriptor; every file is a resource and every resource a file; `bytes` and
`hash`; each table's columns against its Table Schema; types, required, enum, pattern and
minimum; primary keys and unique fields; foreign keys; the counts in `transcripts`
against the rows of the other tables.

Each resource is scanned once into a DuckDB table holding the columns the checks need —
free-text columns are kept only as "is missing" flags, so a million turns take a few
hundred MB — and every check is one aggregate query; rows are fetched only for checks
that fail.  Files are hashed in a thread meanwhile.  Row numbers follow frictionless: the
header is row 1, data start at 2.
"""

from __future__ import annotations

import json
import re
import tempfile
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from ..export.descriptor import declared_bytes, field_type, file_facts, resource_schema
from ..findings import make_finding
from ..records import TABLE_BY_NAME, Finding
from ..sql import quote_identifier as _q
from ..sql import quote_literal as _lit
from ..descriptor_shape import descriptor_problems

NOT_RESOURCES = {"datapackage.json", "README.md"}
# DuckDB's names for the column types a Table Schema type may be stored as in Parquet.
PARQUET_TYPES = {"string": ("VARCHAR",), "integer": ("BIGINT", "INTEGER", "SMALLINT", "TINYINT"),
                 "boolean": ("BOOLEAN",), "date": ("DATE",), "array": ("VARCHAR[]",)}


@dataclass
class _Collector:
    """Findings with a cap per (file, code), so a broken column cannot flood the output."""

    limit: int
    findings: list[Finding] = field(default_factory=list)
    counts: dict = field(default_factory=lambda: defaultdict(int))

    def add(self, code: str, message: str, *, path: str, row: int | None = None, column: int | None = None,
            field_name: str | None = None, count: int = 1) -> bool:
        key = (path, code)
        self.counts[key] += count
        if self.counts[key] - count < self.limit:
            self.findings.append(make_finding(code, message, path=path, line=row, column=column, field=field_name))
            return True
        return False

    def room(self, path: str, code: str) -> int:
        return max(self.limit - self.counts[(path, code)], 0)

    def close(self) -> list[Finding]:
        for (path, code), n in sorted(self.counts.items()):
            if n > self.limit:
                self.findings.append(make_finding(
                    "DT317", f"{n - self.limit} more {code} findings in this file were left out ({n} in all).",
                    path=path))
        return self.findings


def _name_of(select_item: str) -> str:
    """The column name a select item `<expression> AS "<name>"` gives."""
    quoted = select_item.rsplit(" AS ", 1)[1]
    return quoted[1:-1].replace('""', '"')


@dataclass
class _Loaded:
    """A resource scanned into DuckDB: its table, the fields present, how each is held."""

    name: str
    table: str
    path: str
    fields: list[dict]
    position: dict[str, int]  # field name -> 1-based column in the file
    as_text: set[str]  # fields held as text (CSV, or Parquet of the wrong type): type-checked
    flags: set[str]  # fields held only as an "is missing" flag
    create: str = ""  # the statement that loads every checked column, in file order when asked
    ordered: bool = False  # loaded in file order, so rowid + 2 is the row number
    # the cell checks whose results the first scan folded into the column `_bad` (true for a
    # row failing any of them), so the columns they read need not be kept; empty once the
    # table is loaded again with every column
    computed: set[str] = field(default_factory=set)


class PackageValidator:
    def __init__(self, path: Path, limit: int = 100):
        self.descriptor_path = path / "datapackage.json" if path.is_dir() else path
        self.root = self.descriptor_path.parent
        self.out = _Collector(limit)
        self.loaded: dict[str, _Loaded] = {}
        self.passed: set[tuple[str, str, str]] = set()  # (resource, column, code) checks with no violation
        self.intact_keys: set[tuple[str, tuple]] = set()  # (resource, fields) foreign keys that hold
        self.resources_by_name: dict[str, dict] = {}

    def run(self) -> list[Finding]:
        desc = self._descriptor()
        if desc is None:
            return self.out.close()
        resources = [r for r in desc["resources"] if isinstance(r, dict)]
        self.resources_by_name = {r["name"]: r for r in resources}
        needed = self._needed_columns(resources)
        with ThreadPoolExecutor(max_workers=1) as pool, tempfile.TemporaryDirectory(prefix="dt-validate-") as spill:
            hashes = pool.submit(self._hashes, resources)
            import duckdb  # once the files are being hashed: its import overlaps with them

            self.db = duckdb.connect(config={"temp_directory": spill, "memory_limit": "768MB",
                                             "preserve_insertion_order": False})
            try:
                for i, res in enumerate(resources):
                    self._load(i, res, needed.get(res["name"], set()))
                deferred = []
                for res in resources:
                    if res["name"] in self.loaded:
                        deferred += self._check_values(res, self.loaded[res["name"]])
                        self._check_unique(res, self.loaded[res["name"]])
                for res in resources:
                    self._check_foreign_keys(res)
                for res, ld, cond in deferred:
                    if not self._implied(res, cond):
                        self._run_conditions(ld, [cond])
                self._check_counts()
            except duckdb.Error as exc:  # what the descriptor asks for cannot be asked of these files
                first = (str(exc).splitlines() or [type(exc).__name__])[0]
                self.out.add("DT301", f"The package could not be checked as its descriptor describes it: {first}.",
                             path=str(self.descriptor_path))
            finally:
                self.db.close()
            self._files(resources, hashes.result())
        return self.out.close()

    # -- descriptor and files ------------------------------------------------------------
    def _descriptor(self) -> dict | None:
        p = str(self.descriptor_path)
        if not self.descriptor_path.is_file():
            self.out.add("DT301", "There is no datapackage.json here: not a built package.", path=p)
            return None
        try:
            desc = json.loads(self.descriptor_path.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError, RecursionError) as exc:
            self.out.add("DT301", f"datapackage.json is not valid JSON: {exc}.", path=p)
            return None
        except OSError as exc:
            self.out.add("DT301", f"datapackage.json cannot be read: {exc.strerror or exc}.", path=p)
            return None
        problems = descriptor_problems(desc)
        if not problems and desc.get("version") is not None and not re.match(r"^\d+\.\d+\.\d+$", desc["version"]):
            problems.append(f"`version` {desc['version']!r} is not X.Y.Z")
        for problem in problems:
            self.out.add("DT301", f"Invalid descriptor: {problem}.", path=p)
        return None if problems else desc

    def _hashes(self, resources: list[dict]) -> dict[str, tuple[int, str]]:
        facts = {}
        for r in resources:
            f = self.root / r["path"]
            if f.is_file():
                facts[r["path"]] = file_facts(f)
        return facts

    def _files(self, resources: list[dict], facts: dict[str, tuple[int, str]]) -> None:
        declared = {r["path"] for r in resources}
        for f in sorted(self.root.iterdir()):
            if f.is_file() and f.name not in declared and f.name not in NOT_RESOURCES:
                self.out.add("DT302", f"{f.name} is in the package folder but is no resource of datapackage.json.",
                             path=str(f))
        for r in resources:
            f = self.root / r["path"]
            if r["path"] not in facts:
                self.out.add("DT302", f"Resource {r['name']!r}: its file {r['path']} does not exist.", path=str(f))
                continue
            size, sha = facts[r["path"]]
            size_said = declared_bytes(r)
            if size_said is not None and size_said != size:
                self.out.add("DT303", f"{r['path']} has {size} bytes; the descriptor says {size_said}.", path=str(f))
            algo, _, value = str(r.get("hash") or "").rpartition(":")
            if value and (algo or "md5") == "sha256" and value != sha:
                self.out.add("DT304", f"{r['path']} has sha256 {sha[:12]}…; the descriptor says {value[:12]}….",
                             path=str(f))

    # -- loading -------------------------------------------------------------------------
    @staticmethod
    def _needed_columns(resources: list[dict]) -> dict[str, set[str]]:
        """Columns whose values (not only their presence) some cross-resource check needs."""
        need: dict[str, set[str]] = defaultdict(set)
        for r in resources:
            schema = r.get("schema") or {}
            need[r["name"]].update(schema.get("primaryKey") or [])
            for fk in schema.get("foreignKeys", []):
                need[r["name"]].update(fk.get("fields", []))
                target = fk.get("reference", {}).get("resource") or r["name"]
                need[target].update(fk.get("reference", {}).get("fields", []))
            base = r["name"].removesuffix("-csv")
            if base in ("transcripts", "speakers", "turns", "markers"):
                need[r["name"]].update({"transcript_id", "n_turns", "n_speakers", "n_markers", "n_words"})
            if base in ("persons", "speakers"):
                need[r["name"]].update({"person_id", "n_transcripts"})
        return need

    def _load(self, i: int, res: dict, needed: set[str]) -> None:
        import duckdb

        f = self.root / res["path"]
        p = str(f)
        if not f.is_file():
            return
        schema = res["schema"]
        fields = [x for x in schema.get("fields", []) if isinstance(x, dict) and "name" in x]
        known = TABLE_BY_NAME.get(res["name"].removesuffix("-csv"))
        if known is not None:
            ours = resource_schema(known, "csv" if res["name"].endswith("-csv") else "parquet")
            if ours != schema:
                self.out.add("DT316", f"Resource {res['name']!r}: its schema differs from the schema of table "
                             f"{known.name!r} this library publishes.", path=p)
        if f.stat().st_size == 0:
            self.out.add("DT315", f"{f.name} is empty.", path=p)
            return
        fmt = (res.get("format") or f.suffix.lstrip(".")).lower()
        try:
            if fmt == "parquet":
                source = f"read_parquet({_lit(p)})"
                described = self.db.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()
                names = [row[0] for row in described]
                types = {row[0]: row[1] for row in described}
                stats = self.db.execute(
                    "SELECT path_in_schema, stats_null_count, stats_min_value FROM "
                    f"parquet_metadata({_lit(p)})").fetchall()
            else:
                import csv

                with f.open("rb") as fh:
                    header = fh.readline().decode("utf-8").rstrip("\r\n")
                names = next(csv.reader([header]))
                types = None
                source = (f"read_csv({_lit(p)}, header=true, all_varchar=true, delim=',', quote='\"', escape='\"', "
                          "strict_mode=true, parallel=true)")
        except Exception as exc:  # pyarrow and csv raise many kinds for a corrupt file
            self.out.add("DT305", f"{f.name} cannot be read as {fmt} ({exc}).", path=p)
            return
        expected = [x["name"] for x in fields]
        for k, n in enumerate(names):
            if n not in expected:
                self.out.add("DT306", f"Column {n!r} is not in the schema of {res['name']!r}.", path=p, row=1,
                             column=k + 1, field_name=n)
        for k, n in enumerate(expected):
            if n not in names:
                self.out.add("DT306", f"Column {n!r} of the schema is missing from {f.name}.", path=p, row=1,
                             column=k + 1, field_name=n)
        if names != expected and set(names) == set(expected):
            self.out.add("DT306", f"The columns of {f.name} are not in the schema's order.", path=p, row=1)
        present = [x for x in fields if x["name"] in names]
        as_text, flags, select, skipped = set(), set(), [], set()
        for x in present:
            n, ftype = x["name"], field_type(x)
            cons = x.get("constraints", {})
            text = types is None or types[n] not in PARQUET_TYPES.get(ftype, ())
            value = f"NULLIF({_q(n)}, '')" if types is None else (f"CAST({_q(n)} AS VARCHAR)" if text else _q(n))
            checks_value = (text and ftype != "string") or any(k in cons for k in ("enum", "pattern", "minimum",
                                                                                       "unique")) or n in needed
            if checks_value:
                select.append(f"{value} AS {_q(n)}")
                if text:
                    as_text.add(n)
            elif types is not None and not cons.get("required"):
                skipped.add(n)  # a free-text Parquet column with no constraint: nothing to check in its values
            elif types is not None and _no_missing_values(stats, n):
                skipped.add(n)  # the row groups' statistics prove it has no null
            else:
                select.append(f"({value} IS NULL) AS {_q(n)}")
                flags.add(n)
        table = f"r{i}"
        present = [x for x in present if x["name"] not in skipped]
        ld = _Loaded(res["name"], table, p, present, {n: names.index(n) + 1 for n in names if n in expected},
                     as_text, flags | skipped)
        ld.create = f"CREATE TEMP TABLE {table} AS SELECT {', '.join(select) or '1 AS _'} FROM {source}"
        # The first load keeps only the columns later checks read (keys, counts, unique
        # fields), and whether each row fails any cell check that need not wait for the
        # foreign keys: computed in the same scan, so the columns those checks read are not
        # kept.  Only when a row fails is the table loaded again (whole, in file order) to
        # count each check and name the rows.
        keep = [n for n in dict.fromkeys(_name_of(c) for c in select)
                if n not in flags and (n in needed or any(x["name"] == n and x.get("constraints", {}).get("unique")
                                                          for x in present))]
        outer = [_q(n) for n in keep]
        shared: dict[str, str] = {}
        bad = []
        for (code, n, cond, _), (_, _, fast_cond, _) in zip(self._conditions(ld), self._conditions(ld, shared)):
            if not self._waits_for_keys(res, code, n):
                ld.computed.add(cond)
                bad.append(f"coalesce({fast_cond}, FALSE)")
        outer.append(f"({' OR '.join(bad) or 'FALSE'}) AS _bad")
        middle = ", ".join(["*", *(f"{expr} AS {alias}" for alias, expr in shared.items())])
        fast = (f"CREATE TEMP TABLE {table} AS SELECT {', '.join(outer)} FROM "
                f"(SELECT {middle} FROM (SELECT {', '.join(select) or '1 AS _'} FROM {source}))")
        try:
            try:
                self.db.execute(fast)
            except duckdb.Error:  # a check DuckDB cannot run (a pattern RE2 rejects): load it whole
                ld.computed = set()
                self.db.execute(f"DROP TABLE IF EXISTS {table}")
                self.db.execute(ld.create)
        except duckdb.Error as exc:
            message = str(exc).split("\n")[0]
            self.out.add("DT305", f"{f.name} cannot be read as {fmt}: {message}", path=p)
            return
        self.loaded[res["name"]] = ld

    def _count(self, sql: str) -> int:
        row = self.db.execute(sql).fetchone()
        return int(row[0]) if row else 0

    def _in_file_order(self, ld: _Loaded) -> None:
        """Reload a table in file order before its failing rows are listed.

        Tables are first loaded without keeping the insertion order (a third faster); row
        numbers only matter once something fails, and then this table alone is read again.
        """
        if ld.ordered:
            return
        self.db.execute("SET preserve_insertion_order = true")
        try:
            self.db.execute(f"DROP TABLE {ld.table}")
            self.db.execute(ld.create)
        finally:
            self.db.execute("SET preserve_insertion_order = false")
        ld.ordered = True
        ld.computed = set()

    # -- checks within a resource -------------------------------------------------------------
    def _conditions(self, ld: _Loaded, shared: dict[str, str] | None = None) -> list[tuple[str, str, str, str]]:
        """(code, field, SQL condition for a bad row, message template) for every cell check.

        With `shared`, a field's type test is written once into it (alias -> expression) and
        the conditions name its alias, so a scan evaluates it once per row, not per check; and
        a minimum of 0 is tested without a cast (a valid integer below 0 starts with "-").
        Those conditions only gate the first scan: they may flag a row the exact ones pass
        (text "-0"), never the other way round."""
        out = []
        for x in ld.fields:
            n, ftype = x["name"], field_type(x)
            cons = x.get("constraints", {})
            col = _q(n)
            if n in ld.flags:
                if cons.get("required"):
                    out.append(("DT308", n, col, f"{n} is required but missing."))
                continue
            type_ok = "TRUE"
            if n in ld.as_text and ftype != "string":
                type_ok = {
                    "integer": f"regexp_full_match({col}, '[+-]?[0-9]+')",
                    "boolean": f"{col} IN ({', '.join(_lit(v) for v in x.get('trueValues', ['true']) + x.get('falseValues', ['false']))})",
                    "date": f"TRY_CAST({col} AS DATE) IS NOT NULL AND regexp_full_match({col}, '[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}')",
                    "array": f"(CASE WHEN json_valid({col}) THEN json_type({col}::JSON) = 'ARRAY' AND "
                             f"coalesce(list_bool_and(list_transform(json_type({col}::JSON, '$[*]'), lambda t: t = 'VARCHAR')), "
                             f"TRUE) ELSE FALSE END)",
                }.get(ftype, "TRUE")
                if shared is not None and type_ok != "TRUE":
                    alias = f"_ok{len(shared)}"
                    shared[alias] = type_ok
                    type_ok = alias
                out.append(("DT307", n, f"{col} IS NOT NULL AND NOT ({type_ok})", f"{n}: {{v}} is not a valid {ftype}.".replace("{{v}}", "{v}")))
            if cons.get("required"):
                out.append(("DT308", n, f"{col} IS NULL", f"{n} is required but missing."))
            valid = f"{col} IS NOT NULL AND ({type_ok})"
            if "enum" in cons:
                values = ", ".join(_lit(str(e)) for e in cons["enum"])
                out.append(("DT310", n, f"{valid} AND CAST({col} AS VARCHAR) NOT IN ({values})",
                            f"{n}: {{v}} is not one of {', '.join(map(str, cons['enum']))}."))
            if "pattern" in cons:
                out.append(("DT311", n, f"{valid} AND NOT regexp_full_match(CAST({col} AS VARCHAR), "
                            f"{_lit(cons['pattern'])})", f"{n}: {{v}} does not match the pattern {cons['pattern']}."))
            if "minimum" in cons and ftype == "integer":
                below = f"TRY_CAST({col} AS DOUBLE) < {float(cons['minimum'])!r}"
                if shared is not None and cons["minimum"] == 0:
                    below = f"starts_with({col}, '-')" if n in ld.as_text else f"{col} < 0"
                out.append(("DT314", n, f"{valid} AND {below}", f"{n}: {{v}} is below the minimum {cons['minimum']}."))
        return out

    def _check_values(self, res: dict, ld: _Loaded) -> list:
        """Run the cell checks of a resource; return those an intact foreign key may make needless.

        A pattern or enum check on a foreign-key column (turns.transcript_id) is implied when
        the key holds and the referenced column passed the same check: every value is then
        one the referenced table already proved valid.  Those wait for the key checks."""
        conditions = self._conditions(ld)
        deferred = [(res, ld, c) for c in conditions if self._waits_for_keys(res, c[0], c[1])]
        now = [c for c in conditions if not self._waits_for_keys(res, c[0], c[1])]
        self._run_conditions(ld, now)
        return deferred

    @staticmethod
    def _waits_for_keys(res: dict, code: str, column: str) -> bool:
        """An enum or pattern check on a foreign-key column waits: the key may imply it."""
        return code in ("DT310", "DT311") and any(column in fk.get("fields", [])
                                                  for fk in res["schema"].get("foreignKeys", []))

    def _implied(self, res: dict, cond: tuple) -> bool:
        code, column = cond[0], cond[1]
        constraint = next(x.get("constraints", {}) for x in res["schema"]["fields"] if x.get("name") == column)
        key = "pattern" if code == "DT311" else "enum"
        for fk in res["schema"].get("foreignKeys", []):
            fields, ref = fk.get("fields", []), fk.get("reference", {})
            target = ref.get("resource") or res["name"]
            if column not in fields or (res["name"], tuple(fields)) not in self.intact_keys:
                continue
            ref_column = ref.get("fields", [])[fields.index(column)]
            target_res = self.resources_by_name.get(target)
            if target_res is None or (target, ref_column, code) not in self.passed:
                continue
            ref_constraint: dict = next((x.get("constraints", {}) for x in target_res["schema"]["fields"]
                                         if x.get("name") == ref_column), {})
            if ref_constraint.get(key) == constraint.get(key):
                return True
        return False

    def _run_conditions(self, ld: _Loaded, conditions: list) -> None:
        import duckdb

        if not conditions:
            return
        if ld.computed and all(c in ld.computed for _, _, c, _ in conditions):
            rows, bad_rows = self.db.execute(
                f"SELECT count(*), count(*) FILTER (WHERE _bad) FROM {ld.table}").fetchone() or (0, 0)
            if not rows:  # an empty table fails no check, and passes none (count_if gives NULL)
                return
            if not bad_rows:
                self.passed.update((ld.name, n, code) for code, n, _, _ in conditions)
                return
            self._in_file_order(ld)  # some row fails: load every column to count each check
        try:
            counts: list = list(self.db.execute(
                "SELECT " + ", ".join(f"count_if({c})" for _, _, c, _ in conditions)
                + f" FROM {ld.table}").fetchone() or ())
        except duckdb.Error:  # one condition DuckDB cannot run (a pattern RE2 does not accept): find which
            counts = []
            for code, n, cond, _ in conditions:
                try:
                    counts.append(self._count(f"SELECT count_if({cond}) FROM {ld.table}"))
                except duckdb.Error as exc:
                    first = (str(exc).splitlines() or [type(exc).__name__])[0]
                    self.out.add("DT301", f"Resource {ld.name!r}, field {n!r}: its {code} check cannot run: {first}.",
                                 path=str(self.descriptor_path), field_name=n)
                    counts.append(None)
        for (code, n, cond, message), bad in zip(conditions, counts):
            if bad is None:
                continue
            if not bad:
                self.passed.add((ld.name, n, code))
                continue
            room = self.out.room(ld.path, code)
            self._in_file_order(ld)
            shown = _q(n) if n not in ld.flags else "NULL"
            rows = self.db.execute(f"SELECT rowid + 2, {shown} FROM {ld.table} WHERE {cond} ORDER BY rowid "
                                   f"LIMIT {max(room, 1)}").fetchall() if room else []
            for row, value in rows:
                self.out.add(code, message.replace("{v}", repr(value)), path=ld.path, row=row,
                             column=ld.position.get(n), field_name=n)
            self.out.counts[(ld.path, code)] += bad - len(rows)

    def _check_unique(self, res: dict, ld: _Loaded) -> None:
        schema = res["schema"]
        key_sets = [tuple(schema.get("primaryKey") or [])]
        key_sets += [(x["name"],) for x in ld.fields if x.get("constraints", {}).get("unique")]
        for ks in dict.fromkeys(k for k in key_sets if k):
            if not all(k in ld.position and k not in ld.flags for k in ks):
                continue
            cols = ", ".join(_q(k) for k in ks)
            not_null = " AND ".join(f"{_q(k)} IS NOT NULL" for k in ks)
            # Distinct hashes prove distinct keys, in half the time of grouping by the keys
            # themselves; only when two hashes meet is the exact count asked.
            if not self._count(f"SELECT count(*) - count(DISTINCT hash({cols})) FROM {ld.table} WHERE {not_null}"):
                continue
            dup = self._count(f"SELECT count(*) FROM (SELECT 1 FROM {ld.table} WHERE {not_null} GROUP BY {cols} "
                              "HAVING count(*) > 1)")
            if not dup:
                continue
            self._in_file_order(ld)
            rows = self.db.execute(
                f"SELECT rowid + 2, first + 2, {cols} FROM (SELECT rowid, {cols}, min(rowid) OVER (PARTITION BY {cols}) "
                f"AS first FROM {ld.table} WHERE {not_null}) WHERE rowid > first ORDER BY rowid").fetchall()
            for row, first, *values in rows:
                shown = ", ".join(f"{k}={v}" for k, v in zip(ks, values))
                self.out.add("DT309", f"Duplicate key ({shown}): row {first} has it too.", path=ld.path, row=row,
                             column=ld.position.get(ks[0]), field_name=",".join(ks))

    # -- across resources ------------------------------------------------------------------------
    def _check_foreign_keys(self, res: dict) -> None:
        ld = self.loaded.get(res["name"])
        path = str(self.root / res["path"])
        # wider keys first: an intact (transcript_id, speaker_id) -> speakers key can make
        # the transcript_id -> transcripts key needless (see _key_implied)
        for fk in sorted(res["schema"].get("foreignKeys", []), key=lambda k: -len(k.get("fields", []))):
            local = tuple(fk.get("fields", []))
            target = fk.get("reference", {}).get("resource") or res["name"]
            remote = tuple(fk.get("reference", {}).get("fields", []))
            if self._key_implied(res, local, target, remote):
                self.intact_keys.add((res["name"], local))
                continue
            if ld is None or not all(k in ld.position and k not in ld.flags for k in local):
                continue
            other = self.loaded.get(target)
            if other is None or not all(k in other.position and k not in other.flags for k in remote):
                self.out.add("DT305" if other is None else "DT312",
                             f"Foreign key {','.join(local)} cannot be checked: resource {target!r} is missing or "
                             "unreadable." if other is None else f"Foreign key {','.join(local)}: {target!r} has no "
                             f"columns {','.join(remote)}.", path=path)
                continue
            not_null = " AND ".join(f"l.{_q(k)} IS NOT NULL" for k in local)
            same = ld.path.endswith(".csv") == other.path.endswith(".csv")
            match = " AND ".join((f"r.{_q(b)} = l.{_q(a)}" if same else
                                  f"CAST(r.{_q(b)} AS VARCHAR) = CAST(l.{_q(a)} AS VARCHAR)") for a, b in zip(local, remote))
            # An anti join, not NOT EXISTS: DuckDB plans the correlated subquery as a mark join
            # over the distinct keys, three times the time of the plain hash anti join.
            rows_without = f"{ld.table} l ANTI JOIN {other.table} r ON {match} WHERE {not_null}"
            bad = self._count(f"SELECT count(*) FROM {rows_without}")
            if not bad:
                self.intact_keys.add((res["name"], local))
                continue
            room = self.out.room(path, "DT312")
            self._in_file_order(ld)
            cols = ", ".join(f"l.{_q(k)}" for k in local)
            rows = self.db.execute(f"SELECT l.rowid + 2, {cols} FROM {rows_without} ORDER BY l.rowid "
                                   f"LIMIT {max(room, 1)}").fetchall()
            for row, *values in rows:
                shown = ", ".join(f"{k}={v}" for k, v in zip(local, values))
                self.out.add("DT312", f"Foreign key ({shown}) has no row in {target}.", path=path, row=row,
                             column=ld.position.get(local[0]), field_name=",".join(local))
            self.out.counts[(path, "DT312")] += bad - len(rows)

    def _key_implied(self, res: dict, local: tuple, target: str, remote: tuple) -> bool:
        """A -> B on `local` holds when an intact key A -> C covers `local`, and C's own intact
        key on the matching columns points at the same columns of B."""
        for fk in res["schema"].get("foreignKeys", []):
            wider = tuple(fk.get("fields", []))
            via = fk.get("reference", {}).get("resource") or res["name"]
            if len(wider) <= len(local) or not set(local) <= set(wider) or via == target:
                continue
            if (res["name"], wider) not in self.intact_keys:
                continue
            via_cols = tuple(fk["reference"]["fields"][wider.index(c)] for c in local)
            for vfk in (self.resources_by_name.get(via) or {}).get("schema", {}).get("foreignKeys", []):
                if (tuple(vfk.get("fields", [])) == via_cols and (vfk.get("reference", {}).get("resource") or via) == target
                        and tuple(vfk["reference"].get("fields", [])) == remote and (via, via_cols) in self.intact_keys):
                    return True
        return False

    def _check_counts(self) -> None:
        for suffix in ("", "-csv"):
            tr = self.loaded.get("transcripts" + suffix)
            if tr is None:
                continue
            checks = []
            for table, col, agg in (("turns", "n_turns", "count(*)"), ("speakers", "n_speakers", "count(*)"),
                                    ("markers", "n_markers", "count(*)"),
                                    ("turns", "n_words", "sum(TRY_CAST(n_words AS BIGINT))")):
                other = self.loaded.get(table + suffix)
                if other is None or col not in tr.position or col in tr.flags or "transcript_id" not in other.position:
                    continue
                if col == "n_words" and ("n_words" not in other.position or "n_words" in other.flags):
                    continue
                checks.append((table, col, agg, other))
            # one grouping of each table per transcript gives all the counts taken from it
            # (turns: n_turns and n_words); the comparisons, each with its own limit, read it
            aggregates: dict[str, list[str]] = defaultdict(list)
            for table, col, agg, other in checks:
                aggregates[other.table].append(f"{agg} AS {col}")
            for source, aggs in aggregates.items():
                self.db.execute(f"CREATE TEMP TABLE {source}_counts AS SELECT CAST(transcript_id AS VARCHAR) AS id, "
                                f"{', '.join(aggs)} FROM {source} GROUP BY 1")
            for table, col, _, other in checks:
                query = (
                    f"SELECT t.rowid + 2, t.transcript_id, t.{col}, coalesce(c.{col}, 0) FROM {tr.table} t LEFT JOIN "
                    f"{other.table}_counts c ON c.id = CAST(t.transcript_id AS VARCHAR) WHERE TRY_CAST(t.{col} AS BIGINT) "
                    f"IS NOT NULL AND TRY_CAST(t.{col} AS BIGINT) <> coalesce(c.{col}, 0) ORDER BY t.rowid "
                    f"LIMIT {self.out.limit + 1}")
                rows = self.db.execute(query).fetchall()
                if rows and not tr.ordered:
                    self._in_file_order(tr)
                    rows = self.db.execute(query).fetchall()
                for row, tid, declared, actual in rows:
                    self.out.add("DT313", f"transcripts.{col} of {tid} is {declared}, but {table + suffix} has "
                                 f"{actual}.", path=tr.path, row=row, column=tr.position.get(col), field_name=col)
        self._check_person_counts()

    def _check_person_counts(self) -> None:
        """persons.n_transcripts: the distinct transcripts whose speakers name the person."""
        for suffix in ("", "-csv"):
            persons, speakers = self.loaded.get("persons" + suffix), self.loaded.get("speakers" + suffix)
            if persons is None or speakers is None:
                continue
            if not all(c in persons.position and c not in persons.flags for c in ("person_id", "n_transcripts")):
                continue
            if not all(c in speakers.position and c not in speakers.flags for c in ("person_id", "transcript_id")):
                continue
            query = (
                f"SELECT p.rowid + 2, p.person_id, p.n_transcripts, coalesce(c.n, 0) FROM {persons.table} p LEFT JOIN "
                f"(SELECT CAST(person_id AS VARCHAR) AS id, count(DISTINCT CAST(transcript_id AS VARCHAR)) AS n "
                f"FROM {speakers.table} WHERE person_id IS NOT NULL GROUP BY 1) c ON c.id = CAST(p.person_id AS VARCHAR) "
                "WHERE TRY_CAST(p.n_transcripts AS BIGINT) IS NOT NULL AND "
                f"TRY_CAST(p.n_transcripts AS BIGINT) <> coalesce(c.n, 0) ORDER BY p.rowid LIMIT {self.out.limit + 1}")
            rows = self.db.execute(query).fetchall()
            if rows and not persons.ordered:
                self._in_file_order(persons)
                rows = self.db.execute(query).fetchall()
            for row, pid, declared, actual in rows:
                self.out.add("DT313", f"persons.n_transcripts of {pid} is {declared}, but speakers{suffix} name that "
                             f"person in {actual} transcript(s).", path=persons.path, row=row,
                             column=persons.position.get("n_transcripts"), field_name="n_transcripts")


def _no_missing_values(stats: list[tuple], column: str) -> bool:
    """True when every row group's statistics show no null in `column` (what a required check
    of a Parquet column counts; long texts have no min and max in the statistics, but a null
    count)."""
    rows = [nulls for name, nulls, _ in stats if name == column]
    return bool(rows) and all(nulls == 0 for nulls in rows)


def validate_package(path: Path, *, limit: int = 100) -> list[Finding]:
    return PackageValidator(path, limit).run()
