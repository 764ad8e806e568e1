"""The release workflow's own steps, run in order against a publisher site on 127.0.0.1.

The steps are read from `.github/workflows/release.yml` (by id) and run with bash as
Actions runs them: the job's env with the targets, registry and base URL pointed at
loopback servers, `$GITHUB_ENV` carried from step to step, and `if: env.X == 'y'`
honoured.  Three runs: a first release, a minor release after the site published more,
and a run with nothing new that releases nothing.  Each release must be one `load()`
accepts."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import yaml

from diplomatic_transcripts.loader import load
from tests.conftest import ROOT, SOURCES, need_corpus
from tests.publisher_site import PublisherSite

WORKFLOW = ROOT / ".github" / "workflows" / "release.yml"
PIPELINE = ("harvest", "build", "diff", "package")


def steps() -> dict[str, dict]:
    job = yaml.safe_load(WORKFLOW.read_text())["jobs"]["release"]
    return {s["id"]: s for s in job["steps"] if "id" in s}


def run_pipeline(cwd: Path, env: dict[str, str]) -> dict[str, str]:
    """Run the pipeline steps; returns the env they left in $GITHUB_ENV."""
    github_env = cwd / "github_env"
    github_env.write_text("")
    carried: dict[str, str] = {}
    for sid in PIPELINE:
        step = steps()[sid]
        cond = step.get("if")
        if cond:
            name, _, value = cond.partition(" == ")
            if carried.get(name.strip().removeprefix("env."), "") != value.strip().strip("'"):
                continue
        r = subprocess.run(["bash", "-eo", "pipefail", "-c", step["run"]], cwd=cwd, capture_output=True, text=True,
                           env={**env, **carried, "GITHUB_ENV": str(github_env)}, timeout=300)
        assert r.returncode == 0, f"step {sid} failed:\n{r.stdout}\n{r.stderr}"
        for line in github_env.read_text().splitlines():
            key, _, value = line.partition("=")
            carried[key] = value
    return carried


class Dist:
    """The release assets, served as GitHub serves them: BASE/vX.Y.Z/<zip>."""

    def __init__(self, root: Path) -> None:
        root.mkdir(parents=True)
        self.root = root
        handler = functools.partial(_Quiet, directory=str(root))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def publish(self, dist: Path, version: str) -> None:
        (self.root / f"v{version}").mkdir()
        shutil.copy(dist / f"diplomatic-transcripts-{version}.zip", self.root / f"v{version}")

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def test_the_workflow_steps_end_in_a_release_load_accepts(tmp_path, monkeypatch):
    raw = need_corpus("statedept-rss-raw")
    assert set(PIPELINE) <= set(steps()), "the workflow lost a step the test runs"
    cwd = tmp_path / "checkout"
    cwd.mkdir()
    shutil.copy(ROOT / "CHANGELOG.md", cwd / "CHANGELOG.md")
    registry = tmp_path / "releases.json"
    registry.write_text('{"base_url": "http://127.0.0.1:9", "releases": []}\n')
    cache = tmp_path / "cache"
    dist_server = Dist(tmp_path / "served")
    bindir = str(Path(sys.executable).parent)
    site = PublisherSite.from_corpus(raw)
    try:
        with site:
            env = {**os.environ, "PATH": bindir + os.pathsep + os.environ.get("PATH", ""),
                   "HARVEST_TARGETS": site.feed_url, "HARVEST_DIR": "harvest", "HARVEST_RATE": "0",
                   "SOURCES": str(SOURCES), "WORK": "build", "DIST": "dist", "REGISTRY": str(registry),
                   "BASE_URL": dist_server.url, "DIPLOMATIC_TRANSCRIPTS_CACHE": str(cache)}
            # 1: the first release, from the seed and the first snapshot's items
            out = run_pipeline(cwd, env)
            assert out["CHANGED"] == "true" and out["VERSION"] == "1.0.0"
            assert (cwd / "dist" / "diplomatic-transcripts-1.0.0.zip").is_file()
            shutil.copy(cwd / "dist" / "releases.json", registry)
            dist_server.publish(cwd / "dist", "1.0.0")
            monkeypatch.setenv("DIPLOMATIC_TRANSCRIPTS_CACHE", str(cache))
            first = load("1.0.0", registry=registry)
            assert first.version == "1.0.0" and first.transcripts.num_rows >= 2  # the seed and more

            # 2: the site published more (the last snapshot): a minor release
            site.fixed = len(site.snapshots) - 1
            out = run_pipeline(cwd, env)
            assert out["CHANGED"] == "true" and out["VERSION"] == "1.1.0"
            shutil.copy(cwd / "dist" / "releases.json", registry)
            dist_server.publish(cwd / "dist", "1.1.0")
            second = load("1.1.0", registry=registry)
            assert second.transcripts.num_rows > first.transcripts.num_rows
            entries = [e["version"] for e in __import__("json").loads(registry.read_text())["releases"]]
            assert entries == ["1.0.0", "1.1.0"]
            changelog = (cwd / "CHANGELOG.md").read_text()
            assert changelog.index("## [Unreleased]") < changelog.index("## [1.1.0]") < changelog.index("## [1.0.0]")
            assert "transcript(s) added" in (cwd / "dist" / "CHANGELOG-1.1.0.md").read_text()

            # 3: nothing new: nothing is released
            before = sorted(p.name for p in (cwd / "dist").iterdir())
            out = run_pipeline(cwd, env)
            assert out["CHANGED"] == "false" and out["VERSION"] == ""
            assert sorted(p.name for p in (cwd / "dist").iterdir()) == before
    finally:
        dist_server.close()
