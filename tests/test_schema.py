"""The models are the schema: every other form is generated, complete and committed."""

from __future__ import annotations

import subprocess
import sys
import typing

import pyarrow as pa
import pytest

from diplomatic_transcripts.records import TABLES, TRANSCRIPT_TABLES, Record
from diplomatic_transcripts.schema import arrow_field, check_schema, field_kind, generated_files, table_schema_field
from tests.conftest import ROOT

FIELDS = [(t, name, info) for t in TABLES for name, info in t.model.model_fields.items()]
FIELD_IDS = [f"{t.name}.{name}" for t, name, _ in FIELDS]


def test_committed_schema_has_no_drift():
    assert check_schema(ROOT / "schema") == []


def test_schema_check_command_fails_on_drift(tmp_path):
    for name, content in generated_files().items():
        (tmp_path / name).write_text(content, encoding="utf-8")
    ok = subprocess.run([sys.executable, "-m", "diplomatic_transcripts", "schema", "--check", "--dir", str(tmp_path)],
                        capture_output=True, text=True)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    (tmp_path / "turns.tableschema.json").write_text("{}", encoding="utf-8")
    bad = subprocess.run([sys.executable, "-m", "diplomatic_transcripts", "schema", "--check", "--dir", str(tmp_path)],
                         capture_output=True, text=True)
    assert bad.returncode == 1 and "turns.tableschema.json" in bad.stdout
    assert "diplomatic-transcripts schema" in bad.stderr


@pytest.mark.parametrize("table,name,info", FIELDS, ids=FIELD_IDS)
def test_every_field_is_described_and_mapped(table, name, info):
    assert info.description and len(info.description) > 10
    kind, nullable, _ = field_kind(info)
    af = arrow_field(name, info)
    assert af.nullable == nullable
    tf = table_schema_field(name, info, table)
    assert tf["name"] == name and tf["description"] == info.description
    assert tf.get("constraints", {}).get("required", False) == (not nullable)
    expected = {"string": ("string", (pa.string(), pa.dictionary(pa.int32(), pa.string()))),
                "integer": ("integer", (pa.int64(),)), "boolean": ("boolean", (pa.bool_(),)),
                "date": ("date", (pa.date32(),)), "list": ("array", (pa.list_(pa.string()),))}[kind]
    assert tf["type"] == expected[0] and af.type in expected[1]


@pytest.mark.parametrize("table", TABLES, ids=[t.name for t in TABLES])
def test_keys_name_real_fields(table):
    fields = set(table.model.model_fields)
    assert set(table.primary_key) <= fields
    names = {t.name: t for t in TABLES}
    for fk in table.foreign_keys:
        assert set(fk.fields) <= fields
        assert set(fk.reference) <= set(names[fk.resource].model.model_fields)
    if table.name in TRANSCRIPT_TABLES:
        assert "transcript_id" in fields


def test_naming_conventions():
    for _table, name, info in FIELDS:
        assert name == name.lower() and " " not in name
        kind, _, _ = field_kind(info)
        if kind == "boolean":
            assert name.startswith(("is_", "has_")), name
        if name.startswith("n_"):
            assert kind == "integer"


def test_models_forbid_unknown_keys():
    for t in TABLES:
        assert t.model.model_config.get("extra") == "forbid"
    assert Record.model_config.get("extra") == "forbid"


def test_every_model_field_is_published():
    """A field defined on a record model but in no table would be written nowhere."""
    published = {(t.model, n) for t in TABLES for n in t.model.model_fields}
    for t in TABLES:
        for n in typing.get_type_hints(t.model):
            if not n.startswith("model_"):
                assert (t.model, n) in published
