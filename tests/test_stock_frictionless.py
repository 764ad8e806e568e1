"""Every package `build` writes passes stock `frictionless validate`: in a fresh virtual
environment holding only frictionless (with its Parquet extra) and pandas — no plugin of
ours, not even this library — on the bundled package and on one built from the 46 texts.
And stock frictionless still finds an error put into a Parquet table, so passing means
something.  The environment is made once per test session (about half a minute)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tests.package_edits import refresh_resource_facts
from tests.conftest import ROOT, isolated_venv

BUNDLED = ROOT / "datasets" / "diplomatic-transcripts"
# no PYTHONPATH, and a working folder away from the repository (whose root holds our plugin module)
CLEAN_ENV = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}


@pytest.fixture(scope="session")
def stock_frictionless(tmp_path_factory) -> Path:
    """The `frictionless` command of an environment with frictionless[parquet] and pandas only."""
    bin_dir = isolated_venv(tmp_path_factory.mktemp("stock-frictionless") / "venv", ["frictionless[parquet]", "pandas"])
    r = subprocess.run([str(bin_dir / "python"), "-c", "import importlib.util as u; "
                        "print(u.find_spec('frictionless_arrowparquet'), u.find_spec('diplomatic_transcripts'))"],
                       capture_output=True, text=True, cwd=bin_dir, env=CLEAN_ENV)
    assert r.stdout.split() == ["None", "None"], "the stock environment must not see this library or its plugin"
    return bin_dir / "frictionless"


def stock_errors(frictionless: Path, descriptor: Path, cwd: Path) -> list[str]:
    r = subprocess.run([str(frictionless), "validate", "--json", str(descriptor)], capture_output=True, text=True,
                       cwd=cwd, env=CLEAN_ENV, timeout=600)
    try:
        report = json.loads(r.stdout)
    except ValueError:
        pytest.fail(f"frictionless printed no report (exit {r.returncode}): {r.stdout[-2000:]} {r.stderr[-2000:]}")
    errors = [f"{t.get('name')}: {e.get('type')} {e.get('message')}" for t in report.get("tasks", [])
              for e in t.get("errors", [])] + [e.get("message") for e in report.get("errors", [])]
    assert (r.returncode == 0) == (not errors), r.stdout[-2000:]
    return errors


def test_bundled_package_passes_stock_frictionless(stock_frictionless, tmp_path):
    assert stock_errors(stock_frictionless, BUNDLED / "datapackage.json", tmp_path) == []


def test_text_corpus_package_passes_stock_frictionless(stock_frictionless, text_package, tmp_path):
    assert stock_errors(stock_frictionless, text_package / "datapackage.json", tmp_path) == []


def copy_of(package: Path, tmp_path: Path) -> Path:
    out = tmp_path / "pkg"
    shutil.copytree(package, out)
    return out


def rewrite_column(pkg: Path, table: str, column: str, edit) -> None:
    t = pq.read_table(pkg / f"{table}.parquet")
    i = t.schema.get_field_index(column)
    values = edit(t.column(i).to_pylist())
    t = t.set_column(i, t.schema.field(i), pa.array(values, type=t.schema.field(i).type))
    pq.write_table(t, pkg / f"{table}.parquet")
    refresh_resource_facts(pkg, f"{table}.parquet")


def test_stock_frictionless_checks_nullable_integers_in_parquet(stock_frictionless, tmp_path):
    """reply_to holds nulls (read through pandas as NaN): a negative value is still caught."""
    pkg = copy_of(BUNDLED, tmp_path)
    rewrite_column(pkg, "turns", "reply_to", lambda v: [v[0], -5, *v[2:]])
    errors = stock_errors(stock_frictionless, pkg / "datapackage.json", tmp_path)
    assert any(e.startswith("turns: constraint-error") and "reply_to" in e for e in errors), errors
    assert not any(e.startswith("turns-csv") for e in errors)


def test_stock_frictionless_checks_enums_and_keys_in_parquet(stock_frictionless, tmp_path):
    pkg = copy_of(BUNDLED, tmp_path)
    rewrite_column(pkg, "speakers", "kind", lambda v: ["wizard", *v[1:]])
    rewrite_column(pkg, "turns", "speaker_id", lambda v: [v[0], "nobody", *v[2:]])
    errors = stock_errors(stock_frictionless, pkg / "datapackage.json", tmp_path)
    assert any(e.startswith("speakers: constraint-error") and "wizard" in e for e in errors), errors
    assert any(e.startswith("turns: foreign-key") for e in errors), errors


def test_stock_frictionless_checks_csv_size_and_hash(stock_frictionless, tmp_path):
    pkg = copy_of(BUNDLED, tmp_path)
    desc = json.loads((pkg / "datapackage.json").read_text())
    by_name = {r["name"]: r for r in desc["resources"]}
    by_name["turns-csv"]["bytes"] += 1
    by_name["speakers-csv"]["hash"] = "sha256:" + "0" * 64
    (pkg / "datapackage.json").write_text(json.dumps(desc))
    errors = stock_errors(stock_frictionless, pkg / "datapackage.json", tmp_path)
    assert any(e.startswith("turns-csv: byte-count") for e in errors), errors
    assert any(e.startswith("speakers-csv: hash-count") for e in errors), errors
