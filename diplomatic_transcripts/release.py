"""Pack a built package into a release: a deterministic zip and the registry entry for it.

The zip holds the package's files in name order with fixed timestamps and permissions, so
the same package always gives the same bytes (and the same sha256).  `DIST/releases.json`
is the library's registry plus the new entry, for the maintainer to publish with the zip
and commit as `diplomatic_transcripts/releases.json`.

Against the latest release in the registry (when there is one) the package is diffed
(`diff.py`): the changes propose the version (a package whose version understates them,
or reuses a released version for other data, is refused) and draft the CHANGELOG entry,
written to `DIST/CHANGELOG-X.Y.Z.md` and, when asked, inserted into CHANGELOG.md below
`## [Unreleased]`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import zipfile
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from .records import TABLES

PACKAGE_NAME = "diplomatic-transcripts"
SCHEMA_MAJOR = 1  # the major dataset version this library reads
DEFAULT_BASE_URL = "https://github.com/diplomatic-transcripts/diplomatic-transcripts/releases/download"
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


class ReleaseError(Exception):
    """A release that cannot be made or read; the message says why."""


def zip_name(version: str) -> str:
    return f"{PACKAGE_NAME}-{version}.zip"


def release_url(base_url: str, version: str) -> str:
    return f"{base_url.rstrip('/')}/v{version}/{zip_name(version)}"


def bundled_registry() -> dict:
    """The registry shipped inside the library."""
    text = resources.files("diplomatic_transcripts").joinpath("releases.json").read_text(encoding="utf-8")
    return json.loads(text)


def read_registry(path: Path | None = None) -> dict:
    if path is None:
        return bundled_registry()
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ReleaseError(f"cannot read the registry {path}: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("releases"), list):
        raise ReleaseError(f"{path} is not a release registry (it needs a `releases` list)")
    return data


def deterministic_zip(package_dir: Path, target: Path) -> None:
    """Zip the package's files (no folders, no links) in name order with fixed metadata."""
    files = sorted(p for p in package_dir.iterdir() if p.is_file() and not p.is_symlink())
    tmp = target.with_name(target.name + f".tmp-{os.getpid()}")
    try:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
            for f in files:
                info = zipfile.ZipInfo(f"{PACKAGE_NAME}/{f.name}", date_time=_ZIP_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                info.create_system = 3
                with f.open("rb") as src, zf.open(info, "w") as dst:
                    while block := src.read(1 << 20):
                        dst.write(block)
        tmp.replace(target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


@dataclass
class Release:
    version: str
    file: Path
    entry: dict
    registry: Path


def make_release(package_dir: Path, dist: Path, *, base_url: str | None = None, registry: Path | None = None,
                 date: dt.date | None = None) -> Release:
    """Write DIST/<name>-X.Y.Z.zip and DIST/releases.json (the registry plus this version)."""
    desc_path = package_dir / "datapackage.json"
    try:
        desc = json.loads(desc_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ReleaseError(f"{package_dir} is not a built package: {exc}") from None
    version = str(desc.get("version") or "")
    if not version or int(version.split(".")[0]) != SCHEMA_MAJOR:
        raise ReleaseError(f"package version {version!r} is not a {SCHEMA_MAJOR}.x.y version this library releases")
    missing = [f"{t.name}.{fmt}" for t in TABLES for fmt in ("parquet", "csv") if not (package_dir / f"{t.name}.{fmt}").is_file()]
    if missing:
        raise ReleaseError(f"{package_dir} lacks {', '.join(missing)}: build it again")
    dist.mkdir(parents=True, exist_ok=True)
    target = dist / zip_name(version)
    deterministic_zip(package_dir, target)
    data = target.read_bytes()
    reg = read_registry(registry)
    base = base_url or reg.get("base_url") or DEFAULT_BASE_URL
    when = date or _release_date()
    entry = {"version": version, "file": target.name, "url": release_url(base, version),
             "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data), "date": when.isoformat(),
             "schema_major": SCHEMA_MAJOR}
    releases = [r for r in reg["releases"] if r.get("version") != version] + [entry]
    releases.sort(key=lambda r: tuple(int(x) for x in str(r["version"]).split(".")))
    out = {**reg, "base_url": base, "releases": releases}
    reg_path = dist / "releases.json"
    tmp = reg_path.with_name(reg_path.name + f".tmp-{os.getpid()}")
    tmp.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    tmp.replace(reg_path)
    return Release(version, target, entry, reg_path)


def _release_date() -> dt.date:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).date()
    return dt.date.today()


def _key(version: str) -> tuple[int, ...]:
    try:
        return tuple(int(x) for x in version.split("."))
    except ValueError:
        return (-1,)


def check_version(version: str, previous: str | None, proposed: str | None, bump: str) -> None:
    """Refuse a version that does not say what changed since the previous release."""
    if previous is None or proposed is None:
        return
    if version == previous and bump != "none":
        raise ReleaseError(f"version {version} is already released with other data; the changes since it "
                           f"({bump}) call for {proposed}: build with --version {proposed}")
    if _key(version) < _key(proposed):
        raise ReleaseError(f"version {version} understates the changes since {previous} ({bump}): "
                           f"build with --version {proposed}")


def insert_changelog(path: Path, entry: str, version: str) -> bool:
    """Insert an entry below `## [Unreleased]` (above the newest release); False when the
    file has an entry for that version already."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ReleaseError(f"cannot read {path}: {exc.strerror}") from None
    if f"## [{version}]" in text:
        return False
    lines = text.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if line.startswith("## [Unreleased]")), None)
    if start is None:
        raise ReleaseError(f"{path} has no `## [Unreleased]` heading to put the entry below")
    at = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## [")), len(lines))
    block = entry.rstrip("\n") + "\n\n"
    new = "".join(lines[:at]) + ("" if at == 0 or lines[at - 1].strip() == "" else "\n") + block + "".join(lines[at:])
    write_text_atomic(path, new)
    return True


def write_text_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
