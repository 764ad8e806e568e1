"""Editing a built package on purpose, for tests and benchmarks that inject one error."""

from __future__ import annotations

import json
from pathlib import Path

from diplomatic_transcripts.export.descriptor import OWN, file_facts, write_descriptor


def refresh_resource_facts(directory: Path, path: str) -> None:
    """Set a resource's `bytes` and `hash` to those of its file as it is now, so the
    descriptor disagrees with the data only where the test meant it to."""
    desc_path = directory / "datapackage.json"
    desc = json.loads(desc_path.read_text(encoding="utf-8"))
    for r in desc["resources"]:
        if r["path"] == path:
            size, sha = file_facts(directory / path)
            if "bytes" in r:
                r["bytes"] = size
            else:  # Parquet resources keep their size among the library's own properties
                r.setdefault(OWN, {})["bytes"] = size
            r["hash"] = f"sha256:{sha}"
    write_descriptor(directory, desc)
