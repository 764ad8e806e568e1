"""Validate a built package against its descriptor, column by column with pyarrow.

Checks: the descriptor; every file is a resource and every resource a file; `bytes` and
`hash`; each table's columns against its Table Schema; types, required, enum, pattern,
minimum; primary keys and unique fields; foreign keys; and the counts in `transcripts`
against the rows of the other tables.  Tables are streamed in batches (Parquet row
groups, CSV blocks); only key columns are kept across batches, so memory stays well below
the package's size.  Row numbers follow frictionless: the header is row 1, data start at 2.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from ..findings import make_finding
from ..records import TABLE_BY_NAME, Finding
from ..schema import table_schema

NOT_RESOURCES = {"datapackage.json", "README.md"}
KEY_SEP = "\x1f"
_INT = r"^[+-]?\d+$"
_DATE = r"^\d{4}-\d{2}-\d{2}$"


@dataclass
class _Collector:
    """Findings with a cap per (resource, code), so a broken column cannot flood the output."""

    limit: int
    findings: list[Finding] = field(default_factory=list)
    counts: dict = field(default_factory=lambda: defaultdict(int))

    def add(self, code: str, message: str, *, path: str, row: int | None = None, column: int | None = None,
            field_name: str | None = None) -> None:
        key = (path, code)
        self.counts[key] += 1
        if self.counts[key] <= self.limit:
            self.findings.append(make_finding(code, message, path=path, line=row, column=column, field=field_name))

    def close(self) -> list[Finding]:
        for (path, code), n in sorted(self.counts.items()):
            if n > self.limit:
                self.findings.append(make_finding(
                    "DT317", f"{n - self.limit} more {code} findings in this file were left out ({n} in all).",
                    path=path))
        return self.findings


@dataclass
class _Keys:
    """Key values of one resource kept across batches: for primary keys, unique and foreign keys."""

    columns: dict[tuple[str, ...], list[pa.Array]] = field(default_factory=lambda: defaultdict(list))
    rows: dict[tuple[str, ...], list[pa.Array]] = field(default_factory=lambda: defaultdict(list))


def _descriptor_path(path: Path) -> Path:
    return path / "datapackage.json" if path.is_dir() else path


def file_sha256(path: Path) -> tuple[int, str]:
    h = hashlib.sha256()
    size = 0
    with path.open("rb") as f:
        while block := f.read(1 << 22):
            h.update(block)
            size += len(block)
    return size, h.hexdigest()


def _key_array(batch_columns: dict[str, pa.Array], fields: tuple[str, ...]) -> pa.Array:
    arrays = [pc.cast(batch_columns[f], pa.string()) for f in fields]
    if len(arrays) == 1:
        return arrays[0]
    return pc.binary_join_element_wise(*arrays, KEY_SEP, null_handling="emit_null")


def _strings(arr: pa.Array) -> pa.Array:
    if pa.types.is_dictionary(arr.type):
        arr = arr.cast(arr.type.value_type)
    if pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type):
        return arr
    if pa.types.is_list(arr.type):
        return pa.array([None if v is None else json.dumps(v, ensure_ascii=False) for v in arr.to_pylist()],
                        pa.string())
    if pa.types.is_boolean(arr.type):
        return pc.if_else(arr, "true", "false")
    return pc.cast(arr, pa.string())


def _expected_arrow(ftype: str) -> tuple[pa.DataType, ...]:
    return {"string": (pa.string(), pa.large_string(), pa.dictionary(pa.int32(), pa.string())),
            "integer": (pa.int64(), pa.int32(), pa.int16(), pa.int8()), "boolean": (pa.bool_(),),
            "date": (pa.date32(),), "array": (pa.list_(pa.string()),)}.get(ftype, ())


class PackageValidator:
    def __init__(self, path: Path, limit: int = 100):
        self.descriptor_path = _descriptor_path(path)
        self.root = self.descriptor_path.parent
        self.out = _Collector(limit)
        self.keys: dict[str, _Keys] = {}
        self.unreadable: set[str] = set()
        self.group_counts: dict[str, dict] = {}

    def run(self) -> list[Finding]:
        desc = self._descriptor()
        if desc is None:
            return self.out.close()
        resources = [r for r in desc["resources"] if isinstance(r, dict)]
        self._files(resources)
        for res in resources:
            self._resource(res)
        for res in resources:
            self._foreign_keys(res)
        self._counts(resources)
        return self.out.close()

    # -- descriptor and files ------------------------------------------------------------
    def _descriptor(self) -> dict | None:
        p = str(self.descriptor_path)
        if not self.descriptor_path.is_file():
            self.out.add("DT301", "There is no datapackage.json here: not a built package.", path=p)
            return None
        try:
            desc = json.loads(self.descriptor_path.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError) as exc:
            self.out.add("DT301", f"datapackage.json is not valid JSON: {exc}.", path=p)
            return None
        problems = []
        if not isinstance(desc, dict):
            problems.append("the descriptor is not a JSON object")
        else:
            for key in ("name", "resources"):
                if key not in desc:
                    problems.append(f"`{key}` is missing")
            if not isinstance(desc.get("resources"), list) or not desc.get("resources"):
                problems.append("`resources` must be a non-empty list")
            else:
                names = []
                for i, r in enumerate(desc["resources"]):
                    if not isinstance(r, dict) or not all(k in r for k in ("name", "path", "schema")):
                        problems.append(f"resource {i} lacks `name`, `path` or `schema`")
                        continue
                    names.append(r["name"])
                    if not isinstance(r["schema"], dict) or not isinstance(r["schema"].get("fields"), list):
                        problems.append(f"resource {r['name']!r} has no schema fields")
                if len(set(names)) != len(names):
                    problems.append("resource names are not unique")
            if desc.get("version") is not None and not re.match(r"^\d+\.\d+\.\d+$", str(desc["version"])):
                problems.append(f"`version` {desc['version']!r} is not X.Y.Z")
        for problem in problems:
            self.out.add("DT301", f"Invalid descriptor: {problem}.", path=p)
        return None if problems else desc

    def _files(self, resources: list[dict]) -> None:
        declared = {r["path"] for r in resources}
        for f in sorted(self.root.iterdir()):
            if f.is_file() and f.name not in declared and f.name not in NOT_RESOURCES:
                self.out.add("DT302", f"{f.name} is in the package folder but is no resource of datapackage.json.",
                             path=str(f))
        for r in resources:
            f = self.root / r["path"]
            if not f.is_file():
                self.out.add("DT302", f"Resource {r['name']!r}: its file {r['path']} does not exist.", path=str(f))
                continue
            size, sha = file_sha256(f)
            if r.get("bytes") is not None and r["bytes"] != size:
                self.out.add("DT303", f"{r['path']} has {size} bytes; the descriptor says {r['bytes']}.", path=str(f))
            declared_hash = str(r.get("hash") or "")
            if declared_hash:
                algo, _, value = declared_hash.rpartition(":")
                if (algo or "md5") == "sha256" and value != sha:
                    self.out.add("DT304", f"{r['path']} has sha256 {sha[:12]}…; the descriptor says {value[:12]}….",
                                 path=str(f))

    # -- one resource ----------------------------------------------------------------------
    def _batches(self, res: dict, f: Path):
        fmt = (res.get("format") or f.suffix.lstrip(".")).lower()
        if f.stat().st_size == 0:
            self.out.add("DT315", f"{f.name} is empty.", path=str(f))
            return None, None
        if fmt == "parquet":
            import pyarrow.parquet as pq

            try:
                pf = pq.ParquetFile(f)
                names = pf.schema_arrow.names
                return names, pf.iter_batches(batch_size=65536)
            except (pa.ArrowException, OSError) as exc:
                self.out.add("DT305", f"{f.name} is not a readable Parquet file ({exc}).", path=str(f))
                return None, None
        import pyarrow.csv as pacsv

        try:
            with f.open("rb") as fh:
                header_line = fh.readline().decode("utf-8").rstrip("\r\n")
            names = next(iter(__import__("csv").reader([header_line])))
            reader = pacsv.open_csv(
                f, read_options=pacsv.ReadOptions(block_size=16 << 20),
                parse_options=pacsv.ParseOptions(newlines_in_values=True),
                convert_options=pacsv.ConvertOptions(column_types={n: pa.string() for n in names},
                                                     strings_can_be_null=True, null_values=[""],
                                                     quoted_strings_can_be_null=True))
            return names, reader
        except (pa.ArrowException, OSError, UnicodeDecodeError, StopIteration) as exc:
            self.out.add("DT305", f"{f.name} is not readable CSV ({exc}).", path=str(f))
            return None, None

    def _resource(self, res: dict) -> None:
        f = self.root / res["path"]
        if not f.is_file():
            return
        p = str(f)
        schema = res["schema"]
        fields = [x for x in schema.get("fields", []) if isinstance(x, dict) and "name" in x]
        known = TABLE_BY_NAME.get(res["name"].removesuffix("-csv"))
        if known is not None:
            ours = table_schema(known, resource_suffix="-csv" if res["name"].endswith("-csv") else "")
            if [x["name"] for x in ours["fields"]] != [x["name"] for x in fields] or ours != schema:
                self.out.add("DT316", f"Resource {res['name']!r}: its schema differs from the schema of table "
                             f"{known.name!r} this library publishes.", path=p)
        names, batches = self._batches(res, f)
        if names is None:
            self.unreadable.add(res["name"])
            return
        expected = [x["name"] for x in fields]
        for i, n in enumerate(names):
            if n not in expected:
                self.out.add("DT306", f"Column {n!r} is not in the schema of {res['name']!r}.", path=p, row=1,
                             column=i + 1, field_name=n)
        for i, n in enumerate(expected):
            if n not in names:
                self.out.add("DT306", f"Column {n!r} of the schema is missing from {f.name}.", path=p, row=1,
                             column=i + 1, field_name=n)
        if names != expected and set(names) == set(expected):
            self.out.add("DT306", f"The columns of {f.name} are not in the schema's order.", path=p, row=1)
        is_csv = f.suffix.lower() == ".csv"
        unique_sets = [tuple(schema.get("primaryKey") or [])]
        unique_sets += [(x["name"],) for x in fields if x.get("constraints", {}).get("unique")]
        unique_sets = list(dict.fromkeys(k for k in unique_sets if k))
        key_sets = unique_sets + [tuple(fk["fields"]) for fk in schema.get("foreignKeys", [])]
        ref_keys = self._referenced_keys(res)
        keys = self.keys.setdefault(res["name"], _Keys())
        offset = 2
        try:
            for batch in batches:
                cols = {n: batch.column(i) for i, n in enumerate(batch.schema.names)}
                typed: dict[str, pa.Array] = {}
                for pos, fdef in enumerate(fields):
                    name = fdef["name"]
                    if name not in cols:
                        continue
                    typed[name] = self._check_column(cols[name], fdef, pos + 1, offset, p, is_csv)
                for ks in set(key_sets) | ref_keys:
                    if ks and all(k in typed for k in ks):
                        keys.columns[ks].append(_key_array(typed, ks))
                        keys.rows[ks].append(pa.array(range(offset, offset + batch.num_rows), pa.int64()))
                self._group_counts(res["name"], typed)
                offset += batch.num_rows
        except (pa.ArrowException, OSError, ValueError) as exc:
            self.out.add("DT305", f"{f.name} could not be read to the end ({exc}).", path=p, row=offset)
            self.unreadable.add(res["name"])
            return
        for ks in unique_sets:
            if keys.columns.get(ks):
                self._duplicates(keys, ks, p, fields)

    def _check_column(self, arr: pa.Array, fdef: dict, column: int, offset: int, p: str, is_csv: bool) -> pa.Array:
        """Report bad cells of one column in one batch; return the column with valid values typed."""
        name, ftype = fdef["name"], fdef.get("type", "string")
        cons = fdef.get("constraints", {})
        if isinstance(arr, pa.ChunkedArray):
            arr = arr.combine_chunks()
        typed = arr
        if is_csv or arr.type not in _expected_arrow(ftype):
            s = _strings(arr)
            ok = None
            if ftype == "integer":
                ok = pc.match_substring_regex(s, _INT)
            elif ftype == "boolean":
                ok = pc.is_in(s, value_set=pa.array(fdef.get("trueValues", ["true"]) + fdef.get("falseValues", ["false"])))
            elif ftype == "date":
                ok = pc.match_substring_regex(s, _DATE)
            elif ftype == "array":
                ok = pa.array([v is None or _is_json_array(v) for v in s.to_pylist()])
            if ok is not None:
                bad = pc.and_(pc.invert(pc.fill_null(ok, True)), pc.is_valid(s))
                if ftype == "date":
                    bad = pc.or_(bad, pa.array([v is not None and not _valid_date(v) for v in
                                                pc.if_else(bad, None, s).to_pylist()]))
                for i in pc.indices_nonzero(bad).to_pylist():
                    self.out.add("DT307", f"{name}: {s[i].as_py()!r} is not a valid {ftype}.", path=p,
                                 row=offset + i, column=column, field_name=name)
                s = pc.if_else(bad, None, s)
            typed = s
            if ftype == "integer":
                typed = pc.cast(s, pa.int64())
            elif ftype == "boolean":
                typed = pc.is_in(s, value_set=pa.array(fdef.get("trueValues", ["true"])))
                typed = pc.if_else(pc.is_valid(s), typed, None)
        if cons.get("required"):
            missing = pc.is_null(arr if not is_csv else _strings(arr))
            for i in pc.indices_nonzero(missing).to_pylist():
                self.out.add("DT308", f"{name} is required but missing.", path=p, row=offset + i, column=column,
                             field_name=name)
        values = typed
        if "enum" in cons:
            vs = _strings(values) if not pa.types.is_string(values.type) else values
            bad = pc.and_(pc.invert(pc.is_in(vs, value_set=pa.array([str(e) for e in cons["enum"]]))), pc.is_valid(vs))
            for i in pc.indices_nonzero(bad).to_pylist():
                self.out.add("DT310", f"{name}: {vs[i].as_py()!r} is not one of {', '.join(map(str, cons['enum']))}.",
                             path=p, row=offset + i, column=column, field_name=name)
        if "pattern" in cons:
            vs = _strings(values)
            bad = pc.and_(pc.invert(pc.match_substring_regex(vs, f"^(?:{cons['pattern']})$")), pc.is_valid(vs))
            for i in pc.indices_nonzero(bad).to_pylist():
                self.out.add("DT311", f"{name}: {vs[i].as_py()!r} does not match the pattern {cons['pattern']}.",
                             path=p, row=offset + i, column=column, field_name=name)
        if "minimum" in cons and (pa.types.is_integer(values.type)):
            bad = pc.fill_null(pc.less(values, cons["minimum"]), False)
            for i in pc.indices_nonzero(bad).to_pylist():
                self.out.add("DT314", f"{name}: {values[i].as_py()} is below the minimum {cons['minimum']}.",
                             path=p, row=offset + i, column=column, field_name=name)
        return typed

    def _duplicates(self, keys: _Keys, ks: tuple[str, ...], p: str, fields: list[dict]) -> None:
        values = pa.chunked_array(keys.columns[ks], pa.string()).combine_chunks()
        rows = pa.chunked_array(keys.rows[ks], pa.int64()).combine_chunks()
        t = pa.table({"k": values, "r": rows}).filter(pc.is_valid(values))
        if t.num_rows == 0:
            return
        counts = t.group_by("k").aggregate([("r", "min")])
        if counts.num_rows == t.num_rows:
            return
        first: dict[str, int] = {}
        dups: list[tuple[str, int]] = []
        for k, r in zip(t.column("k").to_pylist(), t.column("r").to_pylist()):
            if k in first:
                dups.append((k, r))
            else:
                first[k] = r
        names = [x["name"] for x in fields]
        column = names.index(ks[0]) + 1 if ks[0] in names else None
        for k, r in sorted(dups, key=lambda kv: kv[1]):
            shown = ", ".join(f"{f}={v}" for f, v in zip(ks, k.split(KEY_SEP)))
            self.out.add("DT309", f"Duplicate key ({shown}): row {first[k]} has it too.", path=p, row=r,
                         column=column, field_name=",".join(ks))

    # -- across resources --------------------------------------------------------------------
    def _referenced_keys(self, res: dict) -> set[tuple[str, ...]]:
        """Key sets of this resource that other resources' foreign keys point at."""
        return self._refs.get(res["name"], set()) if hasattr(self, "_refs") else set()

    def _foreign_keys(self, res: dict) -> None:
        f = self.root / res["path"]
        for fk in res["schema"].get("foreignKeys", []):
            local = tuple(fk["fields"])
            target = fk["reference"].get("resource") or res["name"]
            remote = tuple(fk["reference"]["fields"])
            if target in self.unreadable and res["name"] not in self.unreadable:
                self.out.add("DT305", f"Foreign key {','.join(local)} cannot be checked: resource {target!r} is "
                             "unreadable.", path=str(f))
                continue
            mine = self.keys.get(res["name"])
            theirs = self.keys.get(target)
            if mine is None or not mine.columns.get(local):
                continue
            if theirs is None or not theirs.columns.get(remote):
                ref = self._collect_keys(target, remote)
                if ref is None:
                    self.out.add("DT312", f"Foreign key {','.join(local)} -> {target}: no such resource or key.",
                                 path=str(f))
                    continue
            else:
                ref = pa.chunked_array(theirs.columns[remote], pa.string()).combine_chunks()
            values = pa.chunked_array(mine.columns[local], pa.string()).combine_chunks()
            rows = pa.chunked_array(mine.rows[local], pa.int64()).combine_chunks()
            bad = pc.and_(pc.is_valid(values), pc.invert(pc.is_in(values, value_set=ref)))
            for i in pc.indices_nonzero(bad).to_pylist():
                shown = ", ".join(f"{a}={v}" for a, v in zip(local, values[i].as_py().split(KEY_SEP)))
                self.out.add("DT312", f"Foreign key ({shown}) has no row in {target}.", path=str(f),
                             row=rows[i].as_py(), field_name=",".join(local))

    def _collect_keys(self, resource: str, remote: tuple[str, ...]) -> pa.Array | None:
        keys = self.keys.get(resource)
        if keys is None or not keys.columns.get(remote):
            return None
        return pa.chunked_array(keys.columns[remote], pa.string()).combine_chunks()

    def _group_counts(self, name: str, typed: dict[str, pa.Array]) -> None:
        base = name.removesuffix("-csv")
        if base not in ("speakers", "turns", "markers", "transcripts") or "transcript_id" not in typed:
            return
        store = self.group_counts.setdefault(name, {"ids": [], "n_words": []})
        store["ids"].append(pc.cast(typed["transcript_id"], pa.string()))
        if base == "turns" and "n_words" in typed:
            store["n_words"].append(pc.cast(typed["n_words"], pa.int64()))
        if base == "transcripts":
            for col in ("n_turns", "n_speakers", "n_markers", "n_words"):
                if col in typed:
                    store.setdefault(col, []).append(pc.cast(typed[col], pa.int64()))

    def _counts(self, resources: list[dict]) -> None:
        for suffix in ("", "-csv"):
            tr = self.group_counts.get("transcripts" + suffix)
            if not tr or not all(c in tr for c in ("n_turns", "n_speakers", "n_markers")):
                continue
            ids = pa.chunked_array(tr["ids"], pa.string()).combine_chunks()
            path = str(self.root / next((r["path"] for r in resources if r["name"] == "transcripts" + suffix), ""))
            for table, col in (("turns", "n_turns"), ("speakers", "n_speakers"), ("markers", "n_markers")):
                other = self.group_counts.get(table + suffix)
                if other is None:
                    continue
                got = pa.table({"id": pa.chunked_array(other["ids"], pa.string())}).group_by("id").aggregate(
                    [("id", "count")])
                actual = dict(zip(got.column("id").to_pylist(), got.column("id_count").to_pylist()))
                declared = pa.chunked_array(tr[col], pa.int64()).combine_chunks()
                self._compare_counts(ids, declared, actual, col, table + suffix, path)
            turns = self.group_counts.get("turns" + suffix)
            if turns and turns["n_words"] and "n_words" in tr:
                t = pa.table({"id": pa.chunked_array(turns["ids"], pa.string()),
                              "w": pa.chunked_array(turns["n_words"], pa.int64())}).group_by("id").aggregate([("w", "sum")])
                actual = dict(zip(t.column("id").to_pylist(), t.column("w_sum").to_pylist()))
                self._compare_counts(ids, pa.chunked_array(tr["n_words"], pa.int64()).combine_chunks(), actual,
                                     "n_words", "turns" + suffix, path)

    def _compare_counts(self, ids, declared, actual: dict, col: str, table: str, path: str) -> None:
        for i, (tid, n) in enumerate(zip(ids.to_pylist(), declared.to_pylist())):
            if tid is None or n is None:
                continue
            if actual.get(tid, 0) != n:
                self.out.add("DT313", f"transcripts.{col} of {tid} is {n}, but {table} has "
                             f"{actual.get(tid, 0)}.", path=path, row=i + 2, field_name=col)


def _is_json_array(v: str) -> bool:
    try:
        x = json.loads(v)
    except ValueError:
        return False
    return isinstance(x, list) and all(isinstance(e, str) for e in x)


def _valid_date(v: str) -> bool:
    try:
        dt.date.fromisoformat(v)
        return True
    except ValueError:
        return False


def validate_package(path: Path, *, limit: int = 100) -> list[Finding]:
    v = PackageValidator(path, limit)
    desc_path = v.descriptor_path
    # foreign keys: the referenced key sets must be collected while their resources are read
    refs: dict[str, set] = defaultdict(set)
    try:
        desc = json.loads(desc_path.read_text(encoding="utf-8"))
        for r in desc.get("resources", []):
            for fk in (r.get("schema") or {}).get("foreignKeys", []):
                refs[fk["reference"].get("resource") or r["name"]].add(tuple(fk["reference"]["fields"]))
    except (OSError, ValueError, AttributeError, KeyError, TypeError):
        pass
    v._refs = refs
    return v.run()
