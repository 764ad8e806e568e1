"""Working folders and temporary files the library makes beside what it writes, and how it
knows them again.

A build writes its package into a temporary folder beside the target and moves the old
package aside while it swaps; a download unpacks in a folder inside the cache.  Each such
folder is made fresh (never reused), is named `<prefix><pid>-<random>`, and holds a marker
naming the library and the process that made it, which that process keeps locked for as
long as it lives.  Clean-up removes a folder only when its name and marker agree and
nobody holds the lock: a user's `mypkg.old-backup/`, or another build that is still
running, is never touched.  Single files (a report, a registry, a zip) are written to a
fresh temporary name beside them and renamed over the target once complete.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import socket
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

MARKER = ".diplomatic-transcripts-work"
_LIBRARY = "diplomatic-transcripts"


@dataclass
class WorkDir:
    """A folder this process made and holds; `remove()` deletes it and lets go of the lock."""

    path: Path
    _lock: IO[str] | None

    def remove(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)
        self.release()

    def release(self) -> None:
        if self._lock is not None:
            self._lock.close()
            self._lock = None


def make_workdir(parent: Path, prefix: str, purpose: str) -> WorkDir:
    """A new folder `parent/<prefix><pid>-<random>` with a locked marker inside."""
    path = Path(tempfile.mkdtemp(prefix=f"{prefix}{os.getpid()}-", dir=parent))
    lock = open(path / MARKER, "x", encoding="utf-8")
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        locked = True
    except OSError:  # a file system without locks: the pid and host below still say who owns it
        locked = False
    # written only once locked, so a marker that can be read is a marker whose owner can be asked
    lock.write(json.dumps({"library": _LIBRARY, "purpose": purpose, "pid": os.getpid(),
                           "host": socket.gethostname(), "locked": locked}))
    lock.flush()
    return WorkDir(path, lock)


def _marker(folder: Path) -> dict | None:
    marker = folder / MARKER
    if folder.is_symlink() or not marker.is_file() or marker.is_symlink():
        return None
    try:
        data = json.loads(marker.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("library") != _LIBRARY or type(data.get("pid")) is not int:
        return None
    return data


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except (OverflowError, ValueError):
        return False
    return True


def is_ours(folder: Path) -> bool:
    return _marker(folder) is not None


def is_abandoned(folder: Path) -> bool:
    """True only for a folder this library made whose owner is gone."""
    data = _marker(folder)
    if data is None:
        return False
    if data.get("locked") is True:
        try:
            with open(folder / MARKER, encoding="utf-8") as f:
                try:
                    fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    return False  # held: its build or download is running
                return True
        except OSError:
            pass  # no locks here after all: fall back to the pid
    if data.get("host") != socket.gethostname():
        return False  # another machine's process; it cannot be asked
    return data["pid"] != os.getpid() and not _pid_alive(data["pid"])


def abandoned(parent: Path, prefix: str) -> list[Path]:
    """Folders in `parent` named `<prefix>...` that this library made and nobody holds, oldest first."""
    found = []
    with contextlib.suppress(OSError):
        for p in parent.iterdir():
            data = _marker(p) if p.name.startswith(prefix) and p.is_dir() else None
            # the name carries the pid of its maker: a marker copied into another folder does not count
            if data is not None and p.name.startswith(f"{prefix}{data['pid']}-") and is_abandoned(p):
                found.append(p)
    return sorted(found, key=_mtime)


def _mtime(p: Path) -> float:
    try:
        return p.stat().st_mtime
    except OSError:
        return 0.0


@contextlib.contextmanager
def workdir(parent: Path, prefix: str, purpose: str) -> Iterator[WorkDir]:
    """A working folder removed when the block ends, whatever happens in it."""
    wd = make_workdir(parent, prefix, purpose)
    try:
        yield wd
    finally:
        wd.remove()


def temp_file_beside(path: Path) -> Path:
    """A new, empty file beside `path` (a name nobody else has), with the permissions a
    plainly written file would get, to be renamed over `path` once complete."""
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(name, 0o666 & ~umask)
    return Path(name)


def write_text_atomic(path: Path, text: str) -> None:
    """Write `path` whole or not at all: a temporary file beside it, then a rename."""
    tmp = temp_file_beside(path)
    try:
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
