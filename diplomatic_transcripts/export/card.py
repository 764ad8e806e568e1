"""The dataset card (README.md inside the package), generated from the descriptor alone."""

from __future__ import annotations

from .descriptor import OWN, declared_bytes


def dataset_card(desc: dict) -> str:
    counts = desc.get(OWN, {}).get("row_counts", {})
    version = desc["version"]
    lines = [
        "<!-- Generated from datapackage.json by `diplomatic-transcripts build`; do not edit by hand. -->",
        "",
        f"# {desc['title']} — dataset version {version}",
        "",
        desc["description"].split(" Generated")[0],
        "",
        "## Contents",
        "",
        "| table | rows | Parquet | CSV |",
        "| --- | ---: | --- | --- |",
    ]
    by_name = {r["name"]: r for r in desc["resources"]}
    for name in counts:
        pq, csv = by_name.get(name), by_name.get(f"{name}-csv")
        if pq is None or csv is None:
            continue
        lines.append(f"| `{name}` | {counts[name]:,} | `{pq['path']}` ({declared_bytes(pq) or 0:,} bytes) | "
                     f"`{csv['path']}` ({declared_bytes(csv) or 0:,} bytes) |")
    publishers = desc.get(OWN, {}).get("transcripts_by_publisher") or {}
    if publishers:
        lines += ["", "## Publishers", "", "| publisher | transcripts |", "| --- | ---: |"]
        lines += [f"| {name} | {n:,} |" for name, n in sorted(publishers.items(), key=lambda kv: (-kv[1], kv[0]))]
    lines += ["", "## Fields", ""]
    for res in desc["resources"]:
        if res["format"] != "parquet":
            continue
        schema = res["schema"]
        lines += [f"### `{res['name']}`", "", res["description"], "",
                  f"Primary key: {', '.join(f'`{k}`' for k in schema['primaryKey'])}.", ""]
        for fk in schema.get("foreignKeys", []):
            lines.append(f"Foreign key: {', '.join(fk['fields'])} → `{fk['reference']['resource']}`.")
        lines += ["", "| field | type | description |", "| --- | --- | --- |"]
        for f in schema["fields"]:
            req = " (required)" if f.get("constraints", {}).get("required") else ""
            enum = f.get("constraints", {}).get("enum")
            extra = f" One of: {', '.join(f'`{e}`' for e in enum)}." if enum else ""
            lines.append(f"| `{f['name']}` | {f['type']}{req} | {f['description'].replace('|', '/')}{extra} |")
        lines.append("")
    lic = desc["licenses"][0]
    lines += [
        "## Provenance",
        "",
        "Built by `diplomatic-transcripts build` from the transcripts in `datasets/sources/` and the pages "
        "`diplomatic-transcripts harvest` collected from the publishers' sites (plain text, Markdown, HTML pages or feed "
        "items as published, with `<id>.toml` sidecars holding facts the text lacks). Sources are never edited; "
        "every turn and marker carries offsets back into its source, and `transcripts.source_sha256` identifies "
        f"the exact bytes. Library version {desc.get(OWN, {}).get('library_version', '?')}; "
        + (f"created {desc['created']} (the latest event date in the sources, not the clock)."
         if desc.get("created") else "no source gives a date, so the package has no `created` date."),
        "",
        "## License",
        "",
        f"{lic['title']} ({lic['name']}, {lic['path']}).",
        "",
        "## How to cite",
        "",
        f"diplomatic-transcripts developers. *Diplomatic transcripts*, dataset version {version}. "
        "See `CITATION.cff` in the repository.",
        "",
        "## How to load",
        "",
        "```python",
        "import diplomatic_transcripts as dt",
        f'ds = dt.load("{version}")            # a released version, verified and cached',
        'ds = dt.load(path="datasets/diplomatic-transcripts")  # this folder',
        'turns = ds.to_pandas()["turns"]',
        "```",
        "",
        "Or with any Frictionless tool: `frictionless validate datapackage.json` (Parquet resources need pandas).",
        "",
    ]
    return "\n".join(lines)
