"""build -> release -> serve on loopback -> load(), and every way a download can go wrong."""

from __future__ import annotations

import hashlib
import http.server
import json
import os
import subprocess
import sys
import threading
import zipfile
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from diplomatic_transcripts.build import build_package
from diplomatic_transcripts.loader import LoadError, load, versions
from diplomatic_transcripts.release import make_release, zip_name
from tests.conftest import SOURCES

CLI = [sys.executable, "-m", "diplomatic_transcripts"]


class Server:
    """A real HTTP server on 127.0.0.1 serving a folder, with switchable faults."""

    def __init__(self, root: Path):
        self.root = root
        self.requests: list[str] = []
        self.fault: str | None = None  # None | "truncate" | "500" | "500-midway"
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                outer.requests.append(self.path)
                f = outer.root / self.path.lstrip("/")
                if outer.fault == "500" or not f.is_file():
                    self.send_error(500 if outer.fault == "500" else 404)
                    return
                data = f.read_bytes()
                self.send_response(200)
                self.send_header("Content-Type", "application/zip")
                if outer.fault == "truncate":
                    self.send_header("Content-Length", str(len(data) // 2))
                    self.end_headers()
                    self.wfile.write(data[: len(data) // 2])
                    return
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                if outer.fault == "500-midway":  # the connection dies half-way through the body
                    self.wfile.write(data[: len(data) // 3])
                    self.wfile.flush()
                    self.connection.shutdown(2)
                    return
                self.wfile.write(data)

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture(scope="module")
def released(tmp_path_factory):
    """A built package and its release: (package folder, dist folder with v<version>/zip, registry)."""
    work = tmp_path_factory.mktemp("release")
    pkg = work / "pkg"
    assert build_package([SOURCES], pkg, version="1.0.0").written
    dist = work / "dist"
    rel = make_release(pkg, dist, base_url="http://placeholder.invalid")
    (dist / "v1.0.0").mkdir()
    (dist / "v1.0.0" / rel.file.name).write_bytes(rel.file.read_bytes())
    return pkg, dist, dist / "releases.json"


@pytest.fixture
def env(tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    monkeypatch.setenv("DIPLOMATIC_TRANSCRIPTS_CACHE", str(cache))
    return cache


def cache_is_empty(cache: Path) -> bool:
    return not cache.exists() or not any(p for p in cache.rglob("*") if p.is_file())


def test_release_zip_is_deterministic(released, tmp_path):
    pkg, dist, registry = released
    again = make_release(pkg, tmp_path / "again", base_url="http://placeholder.invalid")
    assert again.file.read_bytes() == (dist / zip_name("1.0.0")).read_bytes()
    entry = json.loads(registry.read_text())["releases"][-1]
    assert entry["version"] == "1.0.0" and entry["file"] == "diplomatic-transcripts-1.0.0.zip"
    assert entry["sha256"] == hashlib.sha256(again.file.read_bytes()).hexdigest()
    assert entry["bytes"] == again.file.stat().st_size and entry["date"]
    assert entry["url"] == "http://placeholder.invalid/v1.0.0/diplomatic-transcripts-1.0.0.zip"
    names = zipfile.ZipFile(again.file).namelist()
    assert names == sorted(names) and all(n.startswith("diplomatic-transcripts/") for n in names)


def test_release_command(released, tmp_path):
    pkg, _, _ = released
    r = subprocess.run([*CLI, "release", str(pkg), "--out", str(tmp_path / "d")], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "d" / "diplomatic-transcripts-1.0.0.zip").is_file()
    assert json.loads((tmp_path / "d" / "releases.json").read_text())["releases"][-1]["version"] == "1.0.0"


def test_load_in_a_fresh_process_then_offline(released, tmp_path):
    pkg, dist, registry = released
    cache = tmp_path / "cache"
    env = {**os.environ, "DIPLOMATIC_TRANSCRIPTS_CACHE": str(cache)}
    script = ("import json, sys, diplomatic_transcripts as dt\n"
              "ds = dt.load('1.0.0', registry=sys.argv[1])\n"
              "print(json.dumps({n: t.num_rows for n, t in ds.tables.items()}))\n"
              "print(ds.path)\n")
    with Server(dist) as server:
        env["DIPLOMATIC_TRANSCRIPTS_BASE_URL"] = server.url
        r = subprocess.run([sys.executable, "-c", script, str(registry)], capture_output=True, text=True, env=env)
        assert r.returncode == 0, r.stderr
        assert server.requests == ["/v1.0.0/diplomatic-transcripts-1.0.0.zip"]
    counts = json.loads(r.stdout.splitlines()[0])
    loaded = Path(r.stdout.splitlines()[1])
    for name, n in counts.items():
        assert pq.read_table(loaded / f"{name}.parquet").equals(pq.read_table(pkg / f"{name}.parquet"))
        assert n == pq.read_metadata(pkg / f"{name}.parquet").num_rows
    # the server is gone: the cache serves it
    r2 = subprocess.run([sys.executable, "-c", script, str(registry)], capture_output=True, text=True, env=env)
    assert r2.returncode == 0 and r2.stdout == r.stdout


def test_dataset_views(released, env):
    pkg, _, _ = released
    ds = load(path=pkg)
    assert ds.version == "1.0.0" and ds.turns.num_rows == 30 and ds["speakers"].num_rows == 2
    assert ds.to_pandas()["turns"].shape[0] == 30
    assert ds.to_polars()["markers"].height == 2
    con = ds.duckdb()
    assert con.execute("SELECT count(*) FROM turns WHERE speaker_id = 'question'").fetchone() == (14,)


def test_wrong_hash_is_refused_and_leaves_nothing(released, env, tmp_path):
    _, dist, registry = released
    reg = json.loads(registry.read_text())
    reg["releases"][-1]["sha256"] = "0" * 64
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(reg))
    with Server(dist) as server:
        os.environ["DIPLOMATIC_TRANSCRIPTS_BASE_URL"] = server.url
        try:
            with pytest.raises(LoadError, match="verification"):
                load("1.0.0", registry=bad)
        finally:
            del os.environ["DIPLOMATIC_TRANSCRIPTS_BASE_URL"]
    assert cache_is_empty(env)


@pytest.mark.parametrize("fault", ["truncate", "500", "500-midway"])
def test_broken_downloads_are_refused_and_leave_nothing(released, env, fault, monkeypatch):
    _, dist, registry = released
    with Server(dist) as server:
        server.fault = fault
        monkeypatch.setenv("DIPLOMATIC_TRANSCRIPTS_BASE_URL", server.url)
        with pytest.raises(LoadError):
            load("1.0.0", registry=registry)
    assert cache_is_empty(env)


@pytest.mark.parametrize("evil", ["../evil.txt", "/abs/evil.txt", "diplomatic-transcripts/../../evil.txt", "link"])
def test_unsafe_archives_are_refused(released, env, tmp_path, monkeypatch, evil):
    pkg, _, _ = released
    dist = tmp_path / "dist"
    (dist / "v1.0.0").mkdir(parents=True)
    archive = dist / "v1.0.0" / zip_name("1.0.0")
    with zipfile.ZipFile(archive, "w") as zf:
        for f in sorted(pkg.iterdir()):
            zf.write(f, f"diplomatic-transcripts/{f.name}")
        if evil == "link":
            info = zipfile.ZipInfo("diplomatic-transcripts/link")
            info.external_attr = (0o120777) << 16
            zf.writestr(info, "/etc/passwd")
        else:
            zf.writestr(evil, "gotcha")
    data = archive.read_bytes()
    registry = tmp_path / "releases.json"
    registry.write_text(json.dumps({"releases": [{"version": "1.0.0", "file": archive.name,
                                                  "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}]}))
    with Server(dist) as server:
        monkeypatch.setenv("DIPLOMATIC_TRANSCRIPTS_BASE_URL", server.url)
        with pytest.raises(LoadError, match="unsafe|link"):
            load("1.0.0", registry=registry)
    assert cache_is_empty(env)
    assert not (tmp_path / "evil.txt").exists() and not Path("/abs/evil.txt").exists()


def test_unknown_and_newer_versions_are_clear_errors(released, env, tmp_path):
    _, _, registry = released
    with pytest.raises(LoadError, match="not released"):
        load("9.9.9", registry=registry)
    newer = tmp_path / "newer.json"
    newer.write_text(json.dumps({"releases": [{"version": "2.0.0", "file": "x.zip", "sha256": "0" * 64,
                                               "bytes": 1, "schema_major": 2}]}))
    with pytest.raises(LoadError, match="newer than this library"):
        load("2.0.0", registry=newer)
    assert versions(registry) == ["1.0.0"]
    with pytest.raises(LoadError, match="no version"):
        load("latest")  # the bundled registry: nothing released yet
    assert cache_is_empty(env)


def test_two_processes_at_once_share_one_download(released, tmp_path):
    _, dist, registry = released
    env = {**os.environ, "DIPLOMATIC_TRANSCRIPTS_CACHE": str(tmp_path / "cache")}
    script = "import sys, diplomatic_transcripts as dt; print(dt.load('latest', registry=sys.argv[1]).turns.num_rows)"
    with Server(dist) as server:
        env["DIPLOMATIC_TRANSCRIPTS_BASE_URL"] = server.url
        procs = [subprocess.Popen([sys.executable, "-c", script, str(registry)], stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True, env=env) for _ in range(2)]
        outs = [p.communicate(timeout=120) for p in procs]
        assert [p.returncode for p in procs] == [0, 0], outs
        assert [o[0].strip() for o in outs] == ["30", "30"]
        assert len(server.requests) == 1


def test_cache_and_query_commands(released, tmp_path):
    pkg, dist, registry = released
    env = {**os.environ, "DIPLOMATIC_TRANSCRIPTS_CACHE": str(tmp_path / "cache")}
    with Server(dist) as server:
        env["DIPLOMATIC_TRANSCRIPTS_BASE_URL"] = server.url
        r = subprocess.run([*CLI, "download", "1.0.0", "--registry", str(registry)], capture_output=True, text=True,
                           env=env)
        assert r.returncode == 0, r.stderr
    listed = subprocess.run([*CLI, "cache", "list"], capture_output=True, text=True, env=env)
    assert listed.stdout.startswith("1.0.0\t")
    q = subprocess.run([*CLI, "query", "SELECT kind, count(*) AS n FROM speakers GROUP BY 1 ORDER BY 1",
                        "--version", "1.0.0", "--registry", str(registry)], capture_output=True, text=True, env=env)
    assert q.returncode == 0 and "journalist" in q.stdout and "principal" in q.stdout
    local = subprocess.run([*CLI, "query", "SELECT count(*) AS turns FROM turns", "--path", str(pkg)],
                           capture_output=True, text=True, env=env)
    assert "30" in local.stdout
    bad = subprocess.run([*CLI, "query", "SELECT nope FROM turns", "--path", str(pkg)], capture_output=True,
                         text=True, env=env)
    assert bad.returncode == 1 and "Traceback" not in bad.stderr
    cleared = subprocess.run([*CLI, "cache", "clear", "1.0.0"], capture_output=True, text=True, env=env)
    assert cleared.returncode == 0
    assert subprocess.run([*CLI, "cache", "list"], capture_output=True, text=True, env=env).stdout == ""
