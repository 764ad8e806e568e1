"""Pack a built package into a release: a deterministic zip and the registry entry for it.

The zip holds the package's files (the descriptor, the dataset card and the resources it
names) in name order with fixed timestamps and permissions, so the same package always
gives the same bytes (and the same sha256).  `DIST/releases.json` is the library's
registry plus the new entry, for the maintainer to publish with the zip and commit as
`diplomatic_transcripts/releases.json`.  In DIST only those two names are written, and an
existing file under either name is replaced only when it is a release zip or a registry.

Registries are read through one typed model, so a registry with a missing or wrong-typed
field is a ReleaseError naming the file and the field, wherever it is read.

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
import re
import zipfile
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from .records import TABLES
from .version import SCHEMA_MAJOR
from .workdirs import temp_file_beside, write_text_atomic

PACKAGE_NAME = "diplomatic-transcripts"
DEFAULT_BASE_URL = "https://github.com/diplomatic-transcripts/diplomatic-transcripts/releases/download"
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
SEMVER = r"(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"


class ReleaseError(Exception):
    """A release that cannot be made or read; the message says why."""

    exit_code = 1


class ReleaseRefused(ReleaseError):
    """The output folder holds a file under a name release writes that is not one it wrote."""

    exit_code = 2


class RegistryEntry(BaseModel):
    """One released version, as the registry holds it (other keys are kept as they are)."""

    model_config = ConfigDict(extra="allow", strict=True)
    version: Annotated[str, StringConstraints(pattern=f"^{SEMVER}$")]
    sha256: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
    file: str | None = None
    url: str | None = None
    bytes: Annotated[int, Field(ge=0)] | None = None
    date: str | None = None
    schema_major: Annotated[int, Field(ge=0)] | None = None


class Registry(BaseModel):
    model_config = ConfigDict(extra="allow", strict=True)
    releases: list[RegistryEntry]
    base_url: str | None = None


def _problems(exc: ValidationError, limit: int = 3) -> str:
    out = []
    for e in exc.errors()[:limit]:
        where = "".join(f"[{x}]" if isinstance(x, int) else f".{x}" for x in e["loc"]).lstrip(".") or "the file"
        out.append(f"{where}: {e['msg'].lower()}")
    more = len(exc.errors()) - limit
    return "; ".join(out) + (f" (and {more} more)" if more > 0 else "")


def check_registry(data: object, where: str) -> dict:
    """The registry as plain data after checking its shape; ReleaseError naming `where` if it is wrong."""
    if not isinstance(data, dict) or not isinstance(data.get("releases"), list):
        raise ReleaseError(f"{where} is not a release registry (it needs a `releases` list)")
    try:
        Registry.model_validate(data)
    except ValidationError as exc:
        raise ReleaseError(f"{where} is not a valid release registry: {_problems(exc)}") from None
    return data


def zip_name(version: str) -> str:
    return f"{PACKAGE_NAME}-{version}.zip"


def release_url(base_url: str, version: str) -> str:
    return f"{base_url.rstrip('/')}/v{version}/{zip_name(version)}"


def bundled_registry() -> dict:
    """The registry shipped inside the library."""
    text = resources.files("diplomatic_transcripts").joinpath("releases.json").read_text(encoding="utf-8")
    return check_registry(json.loads(text), "the bundled registry")


def read_registry(path: Path | None = None) -> dict:
    if path is None:
        return bundled_registry()
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise ReleaseError(f"cannot read the registry {path}: {exc}") from None
    return check_registry(data, str(path))


def deterministic_zip(package_dir: Path, target: Path, names: list[str] | None = None) -> None:
    """Zip the package's files (`names`, else every plain file) in name order with fixed metadata."""
    if names is None:
        files = sorted(p for p in package_dir.iterdir() if p.is_file() and not p.is_symlink())
    else:
        files = [package_dir / n for n in sorted(names)]
    tmp = temp_file_beside(target)
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


def _package_names(package_dir: Path) -> tuple[str, list[str]]:
    """The version and the file names of a built package; ReleaseError naming what is wrong."""
    desc_path = package_dir / "datapackage.json"
    try:
        desc = json.loads(desc_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise ReleaseError(f"{package_dir} is not a built package: {desc_path} cannot be read as JSON ({exc})") from None
    if not isinstance(desc, dict) or not isinstance(desc.get("resources"), list):
        raise ReleaseError(f"{desc_path} is not a data package descriptor (an object with a `resources` list)")
    version = desc.get("version")
    if not isinstance(version, str) or not re.fullmatch(SEMVER, version):
        raise ReleaseError(f"{desc_path}: `version` {version!r} is not a version X.Y.Z")
    if int(version.split(".")[0]) != SCHEMA_MAJOR:
        raise ReleaseError(f"package version {version!r} is not a {SCHEMA_MAJOR}.x.y version this library releases")
    names = {"datapackage.json"}
    for i, r in enumerate(desc["resources"]):
        path = r.get("path") if isinstance(r, dict) else None
        if not isinstance(path, str) or "/" in path or "\\" in path or path in ("", ".", ".."):
            raise ReleaseError(f"{desc_path}: resource {i} has no `path` naming a file in the package")
        names.add(path)
    missing = sorted({f"{t.name}.{fmt}" for t in TABLES for fmt in ("parquet", "csv")} - names) + sorted(
        n for n in names if not (package_dir / n).is_file() or (package_dir / n).is_symlink())
    if missing:
        raise ReleaseError(f"{package_dir} lacks {', '.join(missing)}: build it again")
    if (package_dir / "README.md").is_file():
        names.add("README.md")
    return version, sorted(names)


def _check_replaceable(target: Path, registry: bool) -> None:
    """Refuse to replace a file under a name release writes unless it is a zip or registry of ours."""
    if not (target.exists() or target.is_symlink()):
        return
    ours = False
    if target.is_file() and not target.is_symlink():
        if registry:
            try:
                check_registry(json.loads(target.read_text(encoding="utf-8")), str(target))
                ours = True
            except (OSError, UnicodeDecodeError, ValueError, RecursionError, ReleaseError):
                ours = False
        else:
            try:
                with zipfile.ZipFile(target) as zf:
                    names = zf.namelist()
                ours = bool(names) and all(n.startswith(f"{PACKAGE_NAME}/") for n in names)
            except (OSError, zipfile.BadZipFile, ValueError):
                ours = False
    if not ours:
        kind = "release registry" if registry else "release zip"

        raise ReleaseRefused(f"{target} exists and is not a {kind} this library wrote; move it away or choose "
                             "another --out")


DRAFT_MARK = "<!-- Drafted by `diplomatic-transcripts release`: the CHANGELOG entry of this version. -->"


def draft_path(dist: Path, version: str) -> Path:
    return dist / f"CHANGELOG-{version}.md"


def _draft_is_ours(target: Path) -> bool:
    try:
        with target.open(encoding="utf-8") as f:
            return f.readline().rstrip("\n") == DRAFT_MARK
    except (OSError, UnicodeDecodeError):
        return False


def write_changelog_draft(dist: Path, version: str, entry: str) -> Path:
    """DIST/CHANGELOG-X.Y.Z.md, the entry's draft: written whole, replacing only a draft of ours."""
    target = draft_path(dist, version)
    if target.exists() and not (target.is_file() and not target.is_symlink() and _draft_is_ours(target)):
        raise ReleaseRefused(f"{target} exists and is not a CHANGELOG draft this library wrote; move it away or "
                             "choose another --out")
    write_text_atomic(target, f"{DRAFT_MARK}\n{entry}\n")
    return target


def make_release(package_dir: Path, dist: Path, *, base_url: str | None = None, registry: Path | None = None,
                 date: dt.date | None = None) -> Release:
    """Write DIST/<name>-X.Y.Z.zip and DIST/releases.json (the registry plus this version)."""
    version, names = _package_names(package_dir)
    reg = read_registry(registry)
    if dist.exists() and not dist.is_dir():
        raise ReleaseRefused(f"{dist} is a file, not a folder; --out names the folder to write the release to")
    target = dist / zip_name(version)
    reg_path = dist / "releases.json"
    _check_replaceable(target, registry=False)
    _check_replaceable(reg_path, registry=True)
    draft = draft_path(dist, version)
    if draft.exists() and not (draft.is_file() and not draft.is_symlink() and _draft_is_ours(draft)):
        raise ReleaseRefused(f"{draft} exists and is not a CHANGELOG draft this library wrote; move it away or "
                             "choose another --out")
    dist.mkdir(parents=True, exist_ok=True)
    deterministic_zip(package_dir, target, names)
    data = target.read_bytes()
    base = base_url or reg.get("base_url") or DEFAULT_BASE_URL
    when = date or _release_date()
    entry = {"version": version, "file": target.name, "url": release_url(base, version),
             "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data), "date": when.isoformat(),
             "schema_major": SCHEMA_MAJOR}
    releases = [r for r in reg["releases"] if r.get("version") != version] + [entry]
    releases.sort(key=lambda r: tuple(int(x) for x in str(r["version"]).split(".")))
    out = {**reg, "base_url": base, "releases": releases}
    write_text_atomic(reg_path, json.dumps(out, indent=2) + "\n")
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

