"""No command deletes or overwrites a path it did not create.

User files are planted next to and inside every folder the library writes: the package
folder, its temporary and moved-aside folders, the quarantine report beside it, the cache
root and its version folders, and the release output folder.  Each test checks every
planted file afterwards, byte for byte.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from diplomatic_transcripts.build import OutputRefused, build_package
from diplomatic_transcripts.cli import app
from diplomatic_transcripts.loader import LoadError, cached_versions, clear_cache, download, load
from diplomatic_transcripts.release import make_release
from diplomatic_transcripts.workdirs import MARKER, is_abandoned, make_workdir
from tests.conftest import ROOT, SOURCES
from tests.test_release_load import Server

MINE = b"the user's own bytes\n"


@dataclass
class Result:
    returncode: int
    stdout: str
    stderr: str


def run(*args, env=None):
    """The command run in this process (typer's runner): the exit status and both outputs."""
    r = CliRunner(env=env).invoke(app, [str(a) for a in args])
    if r.exception is not None and not isinstance(r.exception, SystemExit):
        raise r.exception
    return Result(r.exit_code, r.stdout, r.stderr)


def plant(*paths: Path) -> dict[Path, bytes]:
    out = {}
    for p in paths:
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(MINE + str(p.name).encode())
        out[p] = p.read_bytes()
    return out


def intact(planted: dict[Path, bytes]) -> list[str]:
    """The planted files that are gone or changed (empty when all are there as they were)."""
    return [str(p) for p, data in planted.items() if not p.is_file() or p.read_bytes() != data]


@pytest.fixture(scope="module")
def package(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("ours") / "pkg"
    assert build_package([SOURCES], out).written
    return out


# -- build --out --------------------------------------------------------------------------------------
def test_build_refuses_a_folder_it_did_not_write(tmp_path):
    out = tmp_path / "thesis"
    planted = plant(out / "thesis.tex", out / "sub" / "data.csv")
    r = run("build", SOURCES, "--out", out)
    assert r.returncode == 2, r.stdout + r.stderr
    assert "not a package this library built" in r.stderr and "Traceback" not in r.stderr
    assert intact(planted) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["thesis"]  # nothing left beside it either


def test_build_refuses_a_regular_file(tmp_path):
    out = tmp_path / "pkg"
    planted = plant(out)
    r = run("build", SOURCES, "--out", out)
    assert r.returncode == 2 and "is a file" in r.stderr
    assert intact(planted) == []


def test_build_refuses_an_empty_folder_unless_forced(tmp_path):
    out = tmp_path / "pkg"
    out.mkdir()
    r = run("build", SOURCES, "--out", out)
    assert r.returncode == 2 and "--force" in r.stderr
    assert out.is_dir() and not any(out.iterdir())
    r = run("build", SOURCES, "--out", out, "--force")
    assert r.returncode == 0, r.stderr
    assert (out / "datapackage.json").is_file()


def test_build_refuses_its_own_package_once_it_holds_a_user_file(tmp_path, package):
    out = tmp_path / "pkg"
    shutil.copytree(package, out)
    planted = plant(out / "my-analysis.ipynb")
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    r = run("build", SOURCES, "--out", out)
    assert r.returncode == 2 and "my-analysis.ipynb" in r.stderr
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert intact(planted) == []


def test_build_refuses_a_folder_with_a_foreign_descriptor(tmp_path):
    """A data package someone else made (no key of this library in its descriptor) is not ours."""
    out = tmp_path / "their-package"
    planted = plant(out / "data.csv")
    (out / "datapackage.json").write_text(json.dumps({"name": "theirs", "resources": [{"path": "data.csv"}]}))
    planted[out / "datapackage.json"] = (out / "datapackage.json").read_bytes()
    with pytest.raises(OutputRefused, match="not a package this library built"):
        build_package([SOURCES], out)
    assert intact(planted) == []


def test_build_replaces_its_own_package_and_leaves_its_neighbours(tmp_path, package):
    out = tmp_path / "pkg"
    shutil.copytree(package, out)
    planted = plant(tmp_path / "notes.txt", tmp_path / "pkg.old-backup" / "keep.txt",
                    tmp_path / "pkg.tmp-12345" / "keep.txt", tmp_path / "pkg.old-1" / "data.csv",
                    tmp_path / "pkg-other" / "x.txt")
    r = run("build", SOURCES, "--out", out)
    assert r.returncode == 0, r.stderr
    assert intact(planted) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["notes.txt", "pkg", "pkg.old-backup", "pkg.tmp-12345", "pkg.old-1", "pkg-other"])


def test_build_leaves_a_quarantine_file_it_did_not_write(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(SOURCES / "2021-10-08-blinken-milenio-tv.txt", src / "talk.txt")
    out = tmp_path / "pkg"
    planted = plant(tmp_path / "pkg.quarantine.json")
    r = run("build", src, "--out", out)
    assert r.returncode == 2 and "pkg.quarantine.json" in r.stderr
    assert intact(planted) == [] and not out.exists()


def test_build_removes_only_its_own_quarantine_report(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "statement.txt").write_text("A Statement\n\nWe condemn the attack in the strongest terms today.\n")
    shutil.copy(SOURCES / "2021-10-08-blinken-milenio-tv.txt", src / "talk.txt")
    out = tmp_path / "pkg"
    assert run("build", src, "--out", out).returncode == 0
    report = tmp_path / "pkg.quarantine.json"
    assert json.loads(report.read_text())["generator"] == "diplomatic-transcripts build"
    (src / "statement.txt").unlink()
    assert run("build", src, "--out", out).returncode == 0
    assert not report.exists()  # its own report, no longer true, is gone


# -- temporary and moved-aside folders -----------------------------------------------------------------
def _dead_workdir(parent: Path, prefix: str, with_package: Path | None = None) -> Path:
    """A working folder made by a process that then died without cleaning up."""
    code = ("import sys, os; from pathlib import Path; from diplomatic_transcripts.workdirs import make_workdir\n"
            "w = make_workdir(Path(sys.argv[1]), sys.argv[2], 'test'); print(w.path); sys.stdout.flush(); os._exit(0)")
    r = subprocess.run([sys.executable, "-c", code, str(parent), prefix], capture_output=True, text=True, check=True)
    folder = Path(r.stdout.strip())
    if with_package is not None:
        shutil.copytree(with_package, folder / "package")
    return folder


def test_clean_up_removes_only_abandoned_folders_of_its_own(tmp_path, package):
    out = tmp_path / "pkg"
    shutil.copytree(package, out)
    dead_tmp = _dead_workdir(tmp_path, "pkg.tmp-")
    dead_old = _dead_workdir(tmp_path, "pkg.old-")
    live = make_workdir(tmp_path, "pkg.tmp-", "a build still running in this process")
    planted = plant(tmp_path / "pkg.old-backup" / "keep.txt", tmp_path / "pkg.tmp-999999" / "keep.txt",
                    live.path / "package" / "turns.csv")
    # a folder that copies the marker's name but not its content is not ours either
    fake = tmp_path / "pkg.tmp-4242"
    planted.update(plant(fake / MARKER, fake / "data.csv"))
    try:
        assert is_abandoned(dead_tmp) and not is_abandoned(live.path) and not is_abandoned(fake)
        r = run("build", SOURCES, "--out", out)
        assert r.returncode == 0, r.stderr
        assert not dead_tmp.exists() and not dead_old.exists()
        assert live.path.is_dir()
        assert intact(planted) == []
    finally:
        live.remove()


def test_an_interrupted_swap_is_undone_from_its_own_old_folder(tmp_path, package):
    out = tmp_path / "pkg"
    _dead_workdir(tmp_path, "pkg.old-", with_package=package)  # killed after moving the package aside
    planted = plant(tmp_path / "pkg.old-backup" / "keep.txt")
    build_package([SOURCES], out)
    assert (out / "datapackage.json").is_file()
    assert intact(planted) == [] and not [p for p in tmp_path.iterdir() if p.name.startswith("pkg.old-") and
                                          p.name != "pkg.old-backup"]


# -- the cache ----------------------------------------------------------------------------------------------
def test_cache_clear_in_a_home_folder_removes_nothing_of_the_users(tmp_path):
    home = tmp_path / "home"
    planted = plant(home / ".bashrc", home / ".ssh" / "id_ed25519", home / ".config" / "x.toml",
                    home / "1.0.0" / "notes.txt", home / ".downloads" / "a.zip", home / ".1.0.0.unpacking-7" / "b")
    env = {"DIPLOMATIC_TRANSCRIPTS_CACHE": str(home)}
    r = run("cache", "clear", env=env)
    assert r.returncode == 0 and "removed 0" in r.stdout
    assert run("cache", "list", env=env).stdout == ""
    assert run("cache", "clear", "1.0.0", env=env).returncode == 1
    assert intact(planted) == []


@pytest.fixture(scope="module")
def released(tmp_path_factory, package):
    dist = tmp_path_factory.mktemp("dist")
    rel = make_release(package, dist, base_url="http://placeholder.invalid")
    (dist / "v1.0.0").mkdir()
    shutil.copy(rel.file, dist / "v1.0.0" / rel.file.name)
    return dist, rel.registry


def test_cache_clear_removes_the_files_it_downloaded_and_nothing_else(tmp_path, released, monkeypatch):
    dist, registry = released
    cache = tmp_path / "cache"
    monkeypatch.setenv("DIPLOMATIC_TRANSCRIPTS_CACHE", str(cache))
    planted = plant(cache / ".bashrc", cache / "notes" / "n.txt")
    with Server(dist) as server:
        monkeypatch.setenv("DIPLOMATIC_TRANSCRIPTS_BASE_URL", server.url)
        folder = download("1.0.0", registry=registry)
    planted.update(plant(folder / "my-analysis.ipynb"))  # the user's file inside a cached version
    assert [v for v, _ in cached_versions()] == ["1.0.0"]
    assert clear_cache() == ["1.0.0"]
    assert intact(planted) == []
    assert sorted(p.name for p in folder.iterdir()) == ["my-analysis.ipynb"]
    assert cached_versions() == []


def test_download_refuses_a_version_folder_it_did_not_make(tmp_path, released, monkeypatch):
    dist, registry = released
    cache = tmp_path / "cache"
    monkeypatch.setenv("DIPLOMATIC_TRANSCRIPTS_CACHE", str(cache))
    planted = plant(cache / "1.0.0" / "notes.txt")
    with Server(dist) as server:
        monkeypatch.setenv("DIPLOMATIC_TRANSCRIPTS_BASE_URL", server.url)
        with pytest.raises(LoadError, match="not a version this library cached"):
            load("1.0.0", registry=registry)
    assert intact(planted) == []
    assert sorted(p.name for p in cache.iterdir()) == ["1.0.0"]  # no working folder left behind


# -- release --out ------------------------------------------------------------------------------------
def test_release_writes_only_its_own_names_and_zips_only_the_package(tmp_path, package):
    pkg = tmp_path / "pkg"
    shutil.copytree(package, pkg)
    planted = plant(pkg / "my-notes.txt", tmp_path / "dist" / "README.md", tmp_path / "dist" / "old" / "x.zip")
    r = run("release", pkg, "--out", tmp_path / "dist")
    assert r.returncode == 0, r.stderr
    assert intact(planted) == []
    names = zipfile.ZipFile(tmp_path / "dist" / "diplomatic-transcripts-1.0.0.zip").namelist()
    assert "diplomatic-transcripts/my-notes.txt" not in names
    assert sorted(p.name for p in (tmp_path / "dist").iterdir()) == [
        "CHANGELOG-1.0.0.md", "README.md", "diplomatic-transcripts-1.0.0.zip", "old", "releases.json"]


@pytest.mark.parametrize("name", ["releases.json", "diplomatic-transcripts-1.0.0.zip", "CHANGELOG-1.0.0.md"])
def test_release_refuses_to_replace_a_file_it_did_not_write(tmp_path, package, name):
    planted = plant(tmp_path / "dist" / name)
    r = run("release", package, "--out", tmp_path / "dist")
    assert r.returncode == 2 and name in r.stderr and "Traceback" not in r.stderr
    assert intact(planted) == []


def test_release_replaces_its_own_files(tmp_path, package):
    dist = tmp_path / "dist"
    assert run("release", package, "--out", dist).returncode == 0
    assert run("release", package, "--out", dist).returncode == 0


def test_release_out_that_is_a_file_is_refused(tmp_path, package):
    planted = plant(tmp_path / "dist")
    r = run("release", package, "--out", tmp_path / "dist")
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert intact(planted) == []


def test_the_bundled_package_is_recognised_as_ours():
    """The committed package carries the descriptor key build uses to recognise its own."""
    from diplomatic_transcripts.build import package_files

    names = package_files(ROOT / "datasets" / "diplomatic-transcripts")
    assert names is not None and {"datapackage.json", "README.md", "turns.parquet", "turns.csv"} <= names
