"""What `validate PATH...` validates: sources, sidecars, folders of sources, packages."""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path

from ..ids import id_from_stem
from ..records import Finding
from ..sources.discover import SOURCE_SUFFIXES, source_files
from .package import validate_package


class ChangedSinceError(Exception):
    """`--changed-since REF` cannot be answered: not a git repository, or no such ref."""


def is_package(path: Path) -> bool:
    return path.name == "datapackage.json" or (path.is_dir() and (path / "datapackage.json").is_file())


def changed_since(ref: str, roots: list[Path]) -> list[Path]:
    """Source files under `roots` added or changed since git ref `ref` (committed or not).

    A changed sidecar brings its source along.  Raises ChangedSinceError when git cannot answer.
    """
    def git(*args: str) -> list[str]:
        try:
            r = subprocess.run(["git", *args], capture_output=True, text=True)
        except OSError as exc:
            raise ChangedSinceError(f"git cannot be run: {exc.strerror}") from None
        if r.returncode != 0:
            raise ChangedSinceError(r.stderr.strip() or f"git {' '.join(args)} failed")
        return [x for x in r.stdout.splitlines() if x]

    top = Path(git("rev-parse", "--show-toplevel")[0])
    names = git("diff", "--name-only", "--diff-filter=ACMR", ref, "--") + git("ls-files", "--others", "--exclude-standard")
    chosen: list[Path] = []
    resolved_roots = [r.resolve() for r in roots]
    for name in names:
        p = (top / name).resolve()
        if p.suffix == ".toml":
            p = next((p.with_suffix(s) for s in SOURCE_SUFFIXES if p.with_suffix(s).is_file()), p)
        if not p.is_file() or not any(p == r or r in p.parents for r in resolved_roots):
            continue
        if p.suffix.lower() in SOURCE_SUFFIXES + (".toml",) and p not in chosen:
            chosen.append(p)
    return sorted(chosen)


def validate_paths(paths: list[Path], *, frictionless: bool = False, since: str | None = None) -> list[Finding]:
    """Findings for every given path, sources first, then packages."""
    findings: list[Finding] = []
    sources: list[Path] = []
    sidecars: list[Path] = []
    packages: list[Path] = []
    for p in paths:
        if is_package(p):
            packages.append(p)
        elif p.is_dir():
            sources += source_files(p)
            sidecars += sorted(x for x in p.iterdir() if x.suffix == ".toml")
        elif p.suffix == ".toml":
            sidecars.append(p)
        else:
            sources.append(p)
    others: list[Path] = []
    if sources or sidecars:  # the parser is imported only when there are sources to check
        from .sources import cross_check, validate_sidecar, validate_source
    if since is not None:
        changed = set(changed_since(since, paths))
        others = [s for s in sources if s.resolve() not in changed]
        sources = [s for s in sources if s.resolve() in changed]
        sidecars = [s for s in sidecars if s.resolve() in changed]
    entries = []
    for s in sources:
        f, e = validate_source(s)
        findings += f
        entries += e
    # a feed's items take no sidecar, so a .toml beside a .jsonl is checked on its own
    covered = {s.with_suffix("") for s in sources if s.suffix.lower() != ".jsonl"}
    for s in sidecars:
        if s.with_suffix("") not in covered:
            findings += validate_sidecar(s)
    # duplicates are looked for among all sources, but reported only for the ones validated
    unchanged = [(id_from_stem(o.stem), hashlib.sha256(o.read_bytes()).hexdigest(), str(o))
                 for o in others if o.suffix.lower() != ".jsonl"]
    validated = {e[2] for e in entries}
    if entries:
        findings += [f for f in cross_check(unchanged + entries) if f.path in validated]
    for p in packages:
        findings += validate_package(p)
        if frictionless:
            from .frictionless_bridge import frictionless_findings

            findings += frictionless_findings(p, findings)
    return findings
