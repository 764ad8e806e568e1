"""`validate --frictionless`: run frictionless-py on the package and merge what it finds.

frictionless reads the Parquet resources through the `frictionless_arrowparquet` plugin.
Each of its errors is mapped to our code for the same problem; one that `validate` already
reported (same file, code, row and field) is not repeated.
"""

from __future__ import annotations

from pathlib import Path

from ..findings import make_finding
from ..records import Finding

# frictionless error type -> our code
ERROR_CODES = {
    "hash-count": "DT304", "byte-count": "DT303", "primary-key": "DT309", "unique-error": "DT309",
    "foreign-key": "DT312", "type-error": "DT307", "extra-label": "DT306", "missing-label": "DT306",
    "incorrect-label": "DT306", "blank-label": "DT306", "duplicate-label": "DT306", "extra-cell": "DT306",
    "missing-cell": "DT306", "source-error": "DT305", "scheme-error": "DT305", "format-error": "DT305",
    "encoding-error": "DT305", "package-error": "DT301", "resource-error": "DT301", "schema-error": "DT301",
    "field-error": "DT301",
}
CONSTRAINT_CODES = {"required": "DT308", "enum": "DT310", "pattern": "DT311", "minimum": "DT314",
                    "unique": "DT309"}


def code_of(error) -> str:
    kind = getattr(error, "type", "")
    if kind == "constraint-error":
        note = (getattr(error, "note", "") or "").lower()
        for word, code in CONSTRAINT_CODES.items():
            if word in note:
                return code
        return "DT307"
    return ERROR_CODES.get(kind, "DT305")


def frictionless_findings(package: Path, already: list[Finding]) -> list[Finding]:
    import frictionless

    import frictionless_arrowparquet

    frictionless_arrowparquet.register()
    descriptor = package / "datapackage.json" if package.is_dir() else package
    root = descriptor.parent
    try:
        report = frictionless.validate(str(descriptor))
    except Exception as exc:  # frictionless raises for descriptors it cannot load
        return [make_finding("DT301", f"frictionless could not validate the package: {exc}", path=str(descriptor))]
    seen = {(f.path, f.code, f.line, f.field) for f in already}
    seen_rows = {(f.path, f.code, f.line) for f in already}
    seen_files = {(f.path, f.code) for f in already}
    out: list[Finding] = []
    for task in report.tasks:
        path = str(root / task.place) if getattr(task, "place", None) else str(descriptor)
        for e in task.errors:
            code = code_of(e)
            row = getattr(e, "row_number", None)
            field = getattr(e, "field_name", None)
            if (path, code, row, field) in seen or (field is None and (path, code, row) in seen_rows):
                continue
            if row is None and (path, code) in seen_files:  # header and file errors: same file, same problem
                continue
            seen.add((path, code, row, field))
            out.append(make_finding(code, f"frictionless: {e.message}", path=path, line=row,
                                    column=getattr(e, "field_number", None), field=field))
    for e in report.errors:
        out.append(make_finding("DT301", f"frictionless: {e.message}", path=str(descriptor)))
    return out
