"""The GitHub workflow and the pre-commit hook parse, and their commands work when run here."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from tests.conftest import ROOT, SEED

BIN = Path(sys.executable).parent


def _env():
    return {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}


def test_workflow_parses_and_its_commands_run(tmp_path):
    wf = yaml.safe_load((ROOT / ".github" / "workflows" / "contributions.yml").read_text())
    steps = wf["jobs"]["validate-and-build"]["steps"]
    triggers = wf.get("on", wf.get(True))  # YAML 1.1 reads the key `on` as true
    assert "pull_request" in triggers
    runs = [s["run"] for s in steps if "run" in s and not s["run"].startswith("pip install")]
    assert any("--changed-since" in r for r in runs) and any("build" in r for r in runs)
    # a repository like ours, with the base branch as origin/main
    repo = tmp_path / "repo"
    shutil.copytree(ROOT / "datasets" / "sources", repo / "datasets" / "sources")
    git = ["git", "-c", "user.email=ci@example.invalid", "-c", "user.name=ci"]
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    subprocess.run([*git, "add", "."], cwd=repo, check=True)
    subprocess.run([*git, "commit", "-qm", "base"], cwd=repo, check=True)
    subprocess.run(["git", "update-ref", "refs/remotes/origin/main", "HEAD"], cwd=repo, check=True)
    shutil.copy(SEED, repo / "datasets" / "sources" / "a-new-contribution.txt")
    for run in runs:
        cmd = re.sub(r"\$\{\{\s*github\.base_ref\s*\}\}", "main", run)
        r = subprocess.run(cmd, shell=True, cwd=repo, capture_output=True, text=True, env=_env())
        # the new file duplicates the seed's bytes: validate must say so, as an annotation
        if "validate datasets/sources" in cmd:
            assert r.returncode == 1 and "::error file=" in r.stdout and "DT205" in r.stdout, (cmd, r.stdout, r.stderr)
        else:
            assert r.returncode == 0, (cmd, r.stdout, r.stderr)


def test_pre_commit_hook_parses_and_its_entry_runs(tmp_path):
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    (hook,) = hooks
    assert hook["id"] == "diplomatic-transcripts-validate" and hook["language"] == "python"
    files = re.compile(hook["files"])
    assert files.search("datasets/sources/x.txt") and files.search("x.toml") and not files.search("x.py")
    good = tmp_path / "good-talk.txt"
    shutil.copy(SEED, good)
    bad = tmp_path / "Bad Name.txt"
    bad.write_bytes(b"")
    ok = subprocess.run(f"{hook['entry']} {good}", shell=True, capture_output=True, text=True, env=_env())
    assert ok.returncode == 0, ok.stdout + ok.stderr
    fail = subprocess.run(f"{hook['entry']} '{bad}'", shell=True, capture_output=True, text=True, env=_env())
    assert fail.returncode == 1 and "DT100" in fail.stdout and "DT203" in fail.stdout
