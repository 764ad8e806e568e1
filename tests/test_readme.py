"""The README's Python examples run as written (against the committed package)."""

from __future__ import annotations

import os
import re

from tests.conftest import ROOT


def python_blocks() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```python\n(.*?)```", text, re.S)


def fenced(info: str, section: str | None = None) -> list[str]:
    """The README's code blocks whose info string is exactly `info` (```python convokit runs
    in ConvoKit's environment, not here), optionally only those under the heading `section`."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    if section is not None:
        text = text.split(section, 1)[1].split("\n## ", 1)[0]
    return re.findall(rf"```{re.escape(info)}\n(.*?)```", text, re.S)


def test_readme_python_examples_run(monkeypatch, tmp_path):
    blocks = python_blocks()
    assert len(blocks) >= 2
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("DIPLOMATIC_TRANSCRIPTS_CACHE", str(tmp_path / "cache"))
    for block in blocks:
        exec(compile(block, "README.md", "exec"), {})  # noqa: S102 - our own documentation
    assert os.getcwd() == str(ROOT)
