"""Every form of the schema, generated from the record models (records.py).

One mapping from Python types to Arrow types and to Table Schema types; one function per
target (`arrow_field`, `table_schema_field`, ...).  `write_schema` writes the committed
files in schema/; `check_schema` regenerates them in memory and reports any drift.
"""

from __future__ import annotations

import datetime as dt
import json
import types
import typing
from pathlib import Path
from typing import Any, Literal, get_args, get_origin

from pydantic.fields import FieldInfo

from .findings import CODES

if typing.TYPE_CHECKING:
    import pyarrow as pa
from .records import TABLES, Finding, Record, Table

GENERATED_BY = "diplomatic-transcripts schema"
GENERATED_NOTE = f"Generated from the record models by `{GENERATED_BY}`; do not edit by hand."


def _unwrap(annotation: Any) -> tuple[Any, bool]:
    """(inner type, nullable) of `X | None`."""
    if get_origin(annotation) in (typing.Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        nullable = len(args) != len(get_args(annotation))
        return (args[0] if len(args) == 1 else annotation), nullable
    return annotation, False


def field_kind(info: FieldInfo) -> tuple[str, bool, tuple[str, ...] | None]:
    """(base kind, nullable, enum values): base kind is string, integer, boolean, date or list."""
    inner, nullable = _unwrap(info.annotation)
    enum = None
    if get_origin(inner) is Literal:
        enum = tuple(get_args(inner))
        inner = str
    if inner is str:
        return "string", nullable, enum
    if inner is bool:
        return "boolean", nullable, enum
    if inner is int:
        return "integer", nullable, enum
    if inner is dt.date:
        return "date", nullable, enum
    if get_origin(inner) is list and get_args(inner) == (str,):
        return "list", nullable, enum
    raise TypeError(f"no schema mapping for {info.annotation!r}")


def _extra(info: FieldInfo) -> dict:
    extra = info.json_schema_extra
    return extra if isinstance(extra, dict) else {}


def _constraint(info: FieldInfo, name: str) -> Any:
    for meta in info.metadata:
        value = getattr(meta, name, None)
        if value is not None:
            return value
    return None


def is_categorical(info: FieldInfo) -> bool:
    return bool(_extra(info).get("categorical"))


def arrow_type(info: FieldInfo) -> pa.DataType:
    import pyarrow as pa  # imported here: validate and the schema check need no Arrow

    kind, _, _ = field_kind(info)
    if kind == "string":
        return pa.dictionary(pa.int32(), pa.string()) if is_categorical(info) else pa.string()
    return {"boolean": pa.bool_(), "integer": pa.int64(), "date": pa.date32(), "list": pa.list_(pa.string())}[kind]


def arrow_field(name: str, info: FieldInfo) -> pa.Field:
    import pyarrow as pa

    _, nullable, _ = field_kind(info)
    return pa.field(name, arrow_type(info), nullable=nullable,
                    metadata={"description": info.description or ""})


def arrow_schema(table: Table) -> pa.Schema:
    import pyarrow as pa

    fields = [arrow_field(name, info) for name, info in table.model.model_fields.items()]
    return pa.schema(fields, metadata={"table": table.name, "primary_key": ",".join(table.primary_key)})


def table_schema_field(name: str, info: FieldInfo, table: Table) -> dict:
    kind, nullable, enum = field_kind(info)
    field: dict[str, Any] = {
        "name": name,
        "type": {"list": "array", "string": "string", "integer": "integer", "boolean": "boolean", "date": "date"}[kind],
        "description": info.description or "",
    }
    constraints: dict[str, Any] = {}
    if not nullable:
        constraints["required"] = True
    if table.primary_key == (name,):
        constraints["unique"] = True
    if enum:
        constraints["enum"] = list(enum)
    pattern = _constraint(info, "pattern")
    if pattern:
        constraints["pattern"] = pattern.removeprefix("^").removesuffix("$")
    minimum = _constraint(info, "ge")
    if minimum is not None:
        constraints["minimum"] = minimum
    if constraints:
        field["constraints"] = constraints
    if kind == "boolean":
        field["trueValues"], field["falseValues"] = ["true"], ["false"]
    return field


def table_schema(table: Table, *, resource_suffix: str = "") -> dict:
    """The Frictionless Table Schema of a table; foreign keys point at `<table><suffix>`."""
    schema: dict[str, Any] = {
        "fields": [table_schema_field(n, i, table) for n, i in table.model.model_fields.items()],
        "missingValues": [""],
        "primaryKey": list(table.primary_key),
    }
    if table.foreign_keys:
        schema["foreignKeys"] = [
            {"fields": list(fk.fields), "reference": {"resource": fk.resource + resource_suffix, "fields": list(fk.reference)}}
            for fk in table.foreign_keys
        ]
    return schema


def json_schema(model: type[Record]) -> dict:
    schema = model.model_json_schema()
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$comment": GENERATED_NOTE, **schema}


def findings_table() -> str:
    lines = [f"<!-- {GENERATED_NOTE} -->", "", "# Finding codes", "",
             "DT1xx parse, DT2xx sidecar/metadata/contribution, DT3xx package. `validate` raises some warnings "
             "to errors for contributions (see CONTRIBUTING.md).", "",
             "| code | severity | meaning |", "| --- | --- | --- |"]
    lines += [f"| {c.code} | {c.severity} | {c.summary} |" for c in CODES.values()]
    return "\n".join(lines) + "\n"


def data_dictionary() -> str:
    """The data dictionary people read: a section per table, a row per column."""
    out = [f"<!-- {GENERATED_NOTE} -->", "", "# Data dictionary", "",
           "Tables of the diplomatic-transcripts data package. Every row carries its `transcript_id`. "
           "List columns are Arrow `list<string>` in Parquet and JSON arrays in CSV.", ""]
    for table in TABLES:
        out += [f"## `{table.name}`", "", f"One row per {table.row}. Primary key: "
                f"{', '.join(f'`{k}`' for k in table.primary_key)}."]
        for fk in table.foreign_keys:
            out.append(f"Foreign key: {', '.join(f'`{f}`' for f in fk.fields)} → `{fk.resource}`"
                       f"({', '.join(fk.reference)}).")
        out += ["", "| column | type | required | description |", "| --- | --- | --- | --- |"]
        for name, info in table.model.model_fields.items():
            kind, nullable, enum = field_kind(info)
            typ = {"list": "list of strings"}.get(kind, kind)
            if enum:
                typ += " (" + ", ".join(f"`{e}`" for e in enum) + ")"
            pattern = _constraint(info, "pattern")
            desc = (info.description or "").replace("|", "\\|")
            if pattern:
                desc += f" Pattern `{pattern}`."
            out.append(f"| `{name}` | {typ} | {'no' if nullable else 'yes'} | {desc} |")
        out.append("")
    return "\n".join(out)


def generated_files() -> dict[str, str]:
    """File name in schema/ -> its exact content."""
    files: dict[str, str] = {}
    for table in TABLES:
        files[f"{table.name}.schema.json"] = _dump(json_schema(table.model))
        files[f"{table.name}.tableschema.json"] = _dump({"$comment": GENERATED_NOTE, **table_schema(table)})
    files["finding.schema.json"] = _dump(json_schema(Finding))
    files["arrow-schema.txt"] = f"# {GENERATED_NOTE}\n" + "\n\n".join(
        f"## {t.name}\n{arrow_schema(t).remove_metadata().to_string(show_field_metadata=False)}" for t in TABLES) + "\n"
    files["data-dictionary.md"] = data_dictionary()
    files["findings.md"] = findings_table()
    return files


def _dump(obj: Any) -> str:
    return json.dumps(obj, indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def write_schema(directory: Path) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, content in generated_files().items():
        path = directory / name
        if not path.exists() or path.read_text(encoding="utf-8") != content:
            tmp = path.with_suffix(path.suffix + ".tmp")
            tmp.write_text(content, encoding="utf-8")
            tmp.replace(path)
        written.append(path)
    for stale in directory.iterdir():
        if stale.is_file() and stale.name not in generated_files():
            stale.unlink()
    return written


def check_schema(directory: Path) -> list[str]:
    """Names of files in `directory` that differ from what the models generate (or are missing/extra)."""
    expected = generated_files()
    drift = [n for n, c in expected.items()
             if not (directory / n).is_file() or (directory / n).read_text(encoding="utf-8") != c]
    if directory.is_dir():
        drift += [p.name + " (not generated)" for p in sorted(directory.iterdir()) if p.is_file() and p.name not in expected]
    return drift
