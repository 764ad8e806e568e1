"""Download, verify, cache and open a pinned dataset version.

`load("1.2.0")` looks the version up in the registry, downloads its zip with pooch (which
checks the sha256 before the file is kept), unpacks it safely (no absolute paths, no `..`,
no links), checks every file against the descriptor's bytes and hash, and caches the
result per version — so a second `load` works offline.  A lock file makes two processes
loading the same version at once share one download.  Nothing half-done is ever left in
the cache: work happens in a marked working folder (`workdirs`) and is renamed into place
at the end.

Each cached version holds a manifest naming the files the library put there; that is how
`cached_versions` and `clear_cache` know the library's own entries, so a cache folder
pointed at a place holding other files (even the home folder) loses none of them.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import re
import shutil
import stat
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from .version import SCHEMA_MAJOR
from .workdirs import abandoned, make_workdir

if TYPE_CHECKING:
    import pyarrow as pa

# Opening a package folder imports no more than pyarrow's Parquet reader: the records
# (pydantic), the release tools and the downloader are imported where they are used.

CACHE_ENV = "DIPLOMATIC_TRANSCRIPTS_CACHE"
BASE_URL_ENV = "DIPLOMATIC_TRANSCRIPTS_BASE_URL"
MANIFEST = ".diplomatic-transcripts-cache.json"  # in each cached version: what the library put there
_MANIFEST_GENERATOR = "diplomatic-transcripts download"
_WORK_PREFIX = ".diplomatic-transcripts-download-"


class LoadError(Exception):
    """The dataset could not be loaded; the message says why and what to do."""


class NotReleased(LoadError):
    """No version has been released yet (the registry is empty)."""


def cache_dir() -> Path:
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV]).expanduser()
    import pooch

    return Path(pooch.os_cache("diplomatic-transcripts"))


def _version_key(v: str) -> tuple[int, ...]:
    try:
        return tuple(int(x) for x in v.split("."))
    except ValueError:
        return (-1,)


def versions(registry: str | Path | None = None) -> list[str]:
    """The released versions, oldest first."""
    from .release import read_registry

    reg = read_registry(Path(registry) if registry else None)
    return sorted((str(r["version"]) for r in reg["releases"] if "version" in r), key=_version_key)


def _entry(version: str, registry: Path | None) -> dict:
    from .release import ReleaseError, read_registry, release_url

    try:
        reg = read_registry(registry)
    except ReleaseError as exc:
        raise LoadError(str(exc)) from None
    releases = {str(r.get("version")): r for r in reg["releases"]}
    if version == "latest":
        if not releases:
            raise NotReleased("no version of the dataset has been released yet; use load(path=...) on a built package")
        version = max(releases, key=_version_key)
    if version not in releases:
        known = ", ".join(sorted(releases, key=_version_key)) or "none yet"
        raise LoadError(f"version {version!r} is not released (released: {known})")
    entry = dict(releases[version])
    major = int(entry.get("schema_major") or str(entry["version"]).split(".")[0])
    if major > SCHEMA_MAJOR:
        raise LoadError(f"version {version} has schema {major}.x, newer than this library reads ({SCHEMA_MAJOR}.x): "
                        "upgrade diplomatic-transcripts")
    base = os.environ.get(BASE_URL_ENV)
    if base:
        entry["url"] = release_url(base, str(entry["version"]))
    elif not entry.get("url"):
        entry["url"] = release_url(reg.get("base_url", ""), str(entry["version"]))
    return entry


@contextlib.contextmanager
def _locked(root: Path, version: str) -> Iterator[None]:
    """An exclusive lock per (cache, version), kept outside the cache so the cache holds only data."""
    import tempfile

    root.mkdir(parents=True, exist_ok=True)
    tag = hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:16]
    with open(Path(tempfile.gettempdir()) / f"diplomatic-transcripts-{tag}-{version}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def safe_extract(archive: Path, target: Path) -> None:
    """Unpack into `target`, refusing anything that would land outside it or is not a plain file."""
    with zipfile.ZipFile(archive) as zf:
        for info in zf.infolist():
            name = info.filename
            parts = PurePosixPath(name.replace("\\", "/")).parts
            if name.startswith(("/", "\\")) or ".." in parts or (parts and ":" in parts[0]):
                raise LoadError(f"the archive holds an unsafe path {name!r}; refusing to unpack it")
            mode = info.external_attr >> 16
            if stat.S_ISLNK(mode):
                raise LoadError(f"the archive holds a link {name!r}; refusing to unpack it")
            if info.is_dir():
                continue
            dest = target / Path(*parts[1:] if len(parts) > 1 else parts)
            if target.resolve() not in dest.resolve().parents:
                raise LoadError(f"the archive entry {name!r} would land outside the cache")
            dest.parent.mkdir(parents=True, exist_ok=True)
            with zf.open(info) as src, dest.open("wb") as out:
                shutil.copyfileobj(src, out, 1 << 20)


def verify_package(folder: Path) -> dict:
    """The descriptor, after checking every resource file's bytes and sha256 against it."""
    from .export.descriptor import declared_bytes, file_facts

    try:
        desc = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise LoadError(f"{folder} holds no readable datapackage.json ({exc})") from None
    for r in desc.get("resources", []):
        f = folder / r["path"]
        if not f.is_file():
            raise LoadError(f"{f} is missing from the package")
        size, sha = file_facts(f)
        declared = declared_bytes(r)
        if declared is not None and size != declared:
            raise LoadError(f"{f.name} has {size} bytes, the descriptor says {declared}")
        if str(r.get("hash", "")).startswith("sha256:") and sha != r["hash"].split(":", 1)[1]:
            raise LoadError(f"{f.name} does not match its sha256 in the descriptor")
    return desc


def _manifest(folder: Path) -> dict | None:
    """The manifest of a version this library cached in `folder`, or None."""
    path = folder / MANIFEST
    if folder.is_symlink() or not folder.is_dir() or path.is_symlink() or not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError):
        return None
    if (not isinstance(data, dict) or data.get("generator") != _MANIFEST_GENERATOR
            or data.get("version") != folder.name or not isinstance(data.get("files"), list)
            or not all(isinstance(f, str) and _inside(f) for f in data["files"])):
        return None
    return data


def _inside(name: str) -> bool:
    """A relative path that stays inside its folder (as every file the download unpacked is)."""
    parts = PurePosixPath(name).parts
    return bool(parts) and not name.startswith(("/", "\\")) and ".." not in parts and "\\" not in name


def _files_under(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder).as_posix()) for p in folder.rglob("*") if p.is_file())


def download(version: str = "latest", *, registry: str | Path | None = None, progressbar: object = False) -> Path:
    """The cached, verified package folder of a released version (downloaded if needed)."""
    from .release import zip_name

    entry = _entry(version, Path(registry) if registry else None)
    version = str(entry["version"])
    root = cache_dir()
    folder = root / version
    if _manifest(folder) is not None:
        return folder
    try:
        with _locked(root, version):
            if _manifest(folder) is not None:  # another process finished it while we waited
                return folder
            if folder.exists() or folder.is_symlink():
                raise LoadError(f"{folder} exists but is not a version this library cached; move it away, or set "
                                f"{CACHE_ENV} to another folder")
            work = make_workdir(root, _WORK_PREFIX, f"download of {version}")
            try:
                archive = work.path / zip_name(version)
                _fetch(entry, archive, progressbar)
                staging = work.path / "package"
                staging.mkdir()
                safe_extract(archive, staging)
                desc = verify_package(staging)
                if str(desc.get("version")) != version:
                    raise LoadError(f"the archive of {version} holds version {desc.get('version')!r}")
                manifest = {"generator": _MANIFEST_GENERATOR, "version": version, "sha256": entry["sha256"],
                            "files": _files_under(staging)}
                (staging / MANIFEST).write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
                staging.rename(folder)
            finally:
                work.remove()
    except OSError as exc:
        raise LoadError(f"cannot use the cache folder {root}: {exc.strerror or exc}") from None
    return folder


def _fetch(entry: dict, archive: Path, progressbar: object) -> None:
    import pooch
    import requests

    pooch.get_logger().setLevel("WARNING")  # its "Downloading data from ..." line is noise here
    downloader = pooch.HTTPDownloader(progressbar=progressbar, timeout=60)
    try:
        pooch.retrieve(entry["url"], known_hash=f"sha256:{entry['sha256']}", fname=archive.name,
                       path=archive.parent, downloader=downloader)
    except ValueError as exc:  # pooch: the hash does not match (a wrong or truncated file)
        raise LoadError(f"the download of {entry['version']} failed verification: {exc}".split("\n")[0]) from None
    except (requests.RequestException, OSError) as exc:
        raise LoadError(f"could not download {entry['url']}: {exc}") from None


@dataclass
class Dataset:
    """A loaded package: its tables as pyarrow Tables, and ways to hand them on."""

    path: Path
    descriptor: dict
    tables: dict[str, pa.Table] = field(repr=False)

    @property
    def version(self) -> str:
        return str(self.descriptor.get("version"))

    def __getitem__(self, name: str) -> pa.Table:
        return self.tables[name]

    def __getattr__(self, name: str) -> pa.Table:
        tables = self.__dict__.get("tables", {})
        if name in tables:
            return tables[name]
        raise AttributeError(name)

    def to_pandas(self) -> dict:
        """Every table as a pandas DataFrame (needs the `pandas` extra)."""
        try:
            import pandas  # noqa: F401
        except ImportError:
            raise LoadError("to_pandas() needs pandas: pip install 'diplomatic-transcripts[pandas]'") from None
        return {name: t.to_pandas() for name, t in self.tables.items()}

    def to_polars(self) -> dict:
        """Every table as a polars DataFrame (needs the `polars` extra)."""
        try:
            import polars as pl
        except ImportError:
            raise LoadError("to_polars() needs polars: pip install 'diplomatic-transcripts[polars]'") from None
        return {name: pl.from_arrow(t) for name, t in self.tables.items()}

    def duckdb(self):
        """A DuckDB connection with every table as a view of the same name."""
        import duckdb

        con = duckdb.connect()
        for name, table in self.tables.items():
            con.register(name, table)
        return con


def open_package(folder: Path) -> Dataset:
    """The tables of a local package folder (or of its datapackage.json); LoadError naming the
    file for anything that is not a readable package."""
    folder = Path(folder)
    if folder.name == "datapackage.json" and folder.is_file():
        folder = folder.parent
    path = folder / "datapackage.json"
    if not path.is_file():
        raise LoadError(f"{folder} is not a built package (no datapackage.json)")
    try:
        desc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise LoadError(f"{path} cannot be read as JSON: {exc}") from None
    if not isinstance(desc, dict):
        raise LoadError(f"{path} is not a data package descriptor (a JSON object)")
    version = desc.get("version")
    if not isinstance(version, str) or not re.fullmatch(r"\d+\.\d+\.\d+", version):
        raise LoadError(f"{path}: `version` {version!r} is not a version X.Y.Z")
    major = int(version.split(".")[0])
    if major > SCHEMA_MAJOR:
        raise LoadError(f"{folder} has schema {major}.x, newer than this library reads ({SCHEMA_MAJOR}.x)")
    import pyarrow as pa
    import pyarrow.parquet as pq

    tables = {}
    for name in _parquet_tables(desc):
        f = folder / f"{name}.parquet"
        if f.is_file():
            try:  # ParquetFile, not read_table: the same table, without the dataset layer (and pandas) imported
                with pq.ParquetFile(f) as pf:
                    tables[name] = pf.read()
            except (OSError, pa.ArrowException) as exc:
                raise LoadError(f"{f} cannot be read as Parquet: {exc}") from None
    return Dataset(folder, desc, tables)


def _parquet_tables(desc: dict) -> list[str]:
    """The tables of a package, as its descriptor names its Parquet resources: each a plain
    name whose file is `<name>.parquet` in the package folder."""
    resources = desc.get("resources")
    names = []
    for r in resources if isinstance(resources, list) else []:
        name = r.get("name") if isinstance(r, dict) else None
        if (isinstance(name, str) and re.fullmatch(r"[a-z][a-z0-9_]*", name) and r.get("format") == "parquet"
                and r.get("path") == f"{name}.parquet" and name not in names):
            names.append(name)
    return names


def load(version: str = "latest", *, path: str | Path | None = None, registry: str | Path | None = None) -> Dataset:
    """Open a released dataset version (downloaded, verified and cached) or a local package.

    >>> ds = load("1.0.0")                                   # doctest: +SKIP
    >>> ds = load(path="datasets/diplomatic-transcripts")    # doctest: +SKIP
    """
    if path is not None:
        return open_package(Path(path))
    return open_package(download(version, registry=registry))


def cached_versions() -> list[tuple[str, int]]:
    """(version, bytes on disk) of every version this library cached."""
    root = cache_dir()
    out = []
    if root.is_dir():
        for d in sorted(root.iterdir(), key=lambda p: _version_key(p.name)):
            manifest = _manifest(d)
            if manifest is not None:
                files = [d / f for f in manifest["files"]]
                out.append((d.name, sum(f.stat().st_size for f in files if f.is_file() and not f.is_symlink())))
    return out


def clear_cache(version: str | None = None) -> list[str]:
    """Remove one cached version, or all; returns what was removed.

    Only what the library put there goes: the files a version's manifest names, then the
    folders they leave empty, and working folders of downloads that were interrupted.
    Anything else in the cache folder stays, wherever the cache points.
    """
    root = cache_dir()
    removed = []
    for v, _ in cached_versions():
        if version is None or v == version:
            _remove_version(root / v)
            removed.append(v)
    if version is None and root.is_dir():
        for leftover in abandoned(root, _WORK_PREFIX):
            shutil.rmtree(leftover, ignore_errors=True)
    return removed


def _remove_version(folder: Path) -> None:
    manifest = _manifest(folder)
    if manifest is None:
        return
    resolved = folder.resolve()
    for name in manifest["files"]:
        f = folder / name
        if resolved in f.resolve().parents and (f.is_file() or f.is_symlink()):
            f.unlink(missing_ok=True)
    (folder / MANIFEST).unlink(missing_ok=True)
    # the folders the files leave empty, deepest first; a folder that still holds something stays
    for d in sorted((p for p in folder.rglob("*") if p.is_dir() and not p.is_symlink()),
                    key=lambda p: len(p.parts), reverse=True):
        with contextlib.suppress(OSError):
            d.rmdir()
    with contextlib.suppress(OSError):
        folder.rmdir()
