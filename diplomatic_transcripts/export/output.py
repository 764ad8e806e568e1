"""Where an export lands: a file or folder the library made, replaced whole, or nothing.

Exports are written beside their target under a temporary name and renamed into place, so
an interrupted export leaves the previous one (or nothing).  A path that already exists is
replaced only when it is recognisably an earlier export of the same kind; anything else —
a user's own database, a folder with files we did not write — is refused.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path


class ExportError(Exception):
    """An export that cannot be made; the message says why and what to do."""


class TargetRefused(ExportError):
    """The output path exists and is not an export this library made."""


@contextlib.contextmanager
def replaced_file(out: Path, is_ours: Callable[[Path], bool], what: str) -> Iterator[Path]:
    """Yield a temporary path beside `out`; on success it replaces `out`, on failure it is removed."""
    out = Path(out)
    if out.is_dir():
        raise TargetRefused(f"{out} is a folder; give the path of the {what} to write")
    if out.exists() and not is_ours(out):
        raise TargetRefused(f"{out} exists and is not a {what} written by diplomatic-transcripts; "
                            "refusing to overwrite it (choose another path or remove it yourself)")
    if not out.parent.is_dir():
        raise ExportError(f"{out.parent} does not exist")
    tmp = out.with_name(f".{out.name}.tmp-{os.getpid()}")
    try:
        yield tmp
        tmp.replace(out)
    finally:
        tmp.unlink(missing_ok=True)


@contextlib.contextmanager
def replaced_folder(out: Path, is_ours: Callable[[Path], bool], what: str) -> Iterator[Path]:
    """Yield a new temporary folder beside `out`; on success it takes the place of `out`."""
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise TargetRefused(f"{out} is a file; give a folder for the {what}")
    if out.is_dir() and any(out.iterdir()) and not is_ours(out):
        raise TargetRefused(f"{out} is not empty and is not a {what} written by diplomatic-transcripts (or holds "
                            "files it did not write); refusing to replace it")
    if not out.parent.is_dir():
        raise ExportError(f"{out.parent} does not exist")
    tmp = out.with_name(f".{out.name}.tmp-{os.getpid()}")
    old = out.with_name(f".{out.name}.old-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    try:
        yield tmp
        if out.exists():
            out.rename(old)
        try:
            tmp.rename(out)
        except OSError:
            if old.exists():  # put the previous export back
                old.rename(out)
            raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        shutil.rmtree(old, ignore_errors=True)
