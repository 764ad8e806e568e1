"""Build the data package: sources -> parse -> records -> checks -> export, streaming.

Inputs are parsed in chunks (in worker processes with --workers), each chunk becoming one
Arrow batch per table; the main process writes batches in input order, so the files are
the same whatever the number of workers.  A worker hands its batches over as an Arrow IPC
file in the build's temporary folder, not through the pool's pipe: the pipe is drained by
a thread of the main process, which waits for the interpreter lock while that process
parses, and the worker stalled on every result until it had.

Everything is written to a temporary folder beside the target and renamed into place at
the end: an interrupted build leaves the previous package as it was.

The target is replaced only when it is a package this library wrote (its descriptor
carries the library's own key and the folder holds nothing else); anything else is
refused.  The temporary and moved-aside folders are marked as the library's own
(`workdirs`), so clean-up never touches a user's folder or a build still running.
"""

from __future__ import annotations

import itertools
import json
import os
import shutil
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, ThreadPoolExecutor, wait
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from .checks import check_result
from .export.arrow import SCHEMAS, batch_from_dicts, batches_of, memory_pool
from .export.card import dataset_card
from .export.csv import CsvTableWriter, csv_rows, csv_schema
from .export.descriptor import UNKNOWN_PUBLISHER, descriptor, file_facts, write_descriptor
from .export.parquet import ParquetTableWriter
from .parse.files import parse_unit
from .records import ParseResult
from .persons import PersonIndex
from .records import TABLE_BY_NAME, TABLES
from .sources.discover import Unit, plan_units
from .workdirs import WorkDir, abandoned, make_workdir, write_text_atomic

SCRATCH_SCHEMA = SCHEMAS["speakers"].append(pa.field("_date", pa.date32()))
TRANSCRIPT_FILES = ("transcripts", "turns", "markers")  # written as chunks come; speakers wait for the persons
CSV_SCHEMAS = {name: csv_schema(SCHEMAS[name]) for name in TRANSCRIPT_FILES}
CHUNK_UNITS = 16
TAIL_CHUNK_UNITS = 4
WINDOW_PER_WORKER = 4  # chunks each other process works on or has waiting
TAIL_UNITS = 2 * CHUNK_UNITS * WINDOW_PER_WORKER
DEFAULT_VERSION = "1.0.0"
LIBRARY_KEY = "diplomatic_transcripts"  # the descriptor key that says this library wrote the package
CARD_START = "<!-- Generated from datapackage.json by `diplomatic-transcripts build`"
QUARANTINE_GENERATOR = "diplomatic-transcripts build"


class OutputRefused(Exception):
    """The output path holds something this library did not write; nothing was changed."""


@dataclass
class UnitOutcome:
    where: str
    transcript_id: str
    status: str  # ok | skipped | failed
    reason: str | None = None
    findings: list[dict] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)


@dataclass
class BuildReport:
    """What a build did; only the sources that were not built are kept one by one."""

    out: str
    version: str
    n_built: int = 0
    failed: list[UnitOutcome] = field(default_factory=list)
    skipped: list[UnitOutcome] = field(default_factory=list)
    row_counts: dict[str, int] = field(default_factory=dict)
    written: bool = False
    quarantine: str | None = None

    def add(self, outcome: UnitOutcome) -> None:
        if outcome.status == "ok":
            self.n_built += 1
        else:
            (self.failed if outcome.status == "failed" else self.skipped).append(outcome)


def _outcome(unit: Unit, r: ParseResult) -> UnitOutcome:
    errors = [f for f in r.findings if f.severity == "error"]
    if errors:
        return UnitOutcome(unit.where, unit.transcript_id, "failed", errors[0].message,
                           [f.model_dump(mode="json") for f in errors])
    if r.transcript is None:
        why = next((f.message for f in r.findings if f.code == "DT103"), "not a transcript")
        return UnitOutcome(unit.where, unit.transcript_id, "skipped", why,
                           [f.model_dump(mode="json") for f in r.findings if f.code == "DT103"])
    return UnitOutcome(unit.where, unit.transcript_id, "ok", rows={
        "transcripts": 1, "speakers": len(r.speakers), "turns": len(r.turns), "markers": len(r.markers)})


def process_chunk(units: list[Unit]) -> tuple[dict[str, pa.RecordBatch], list[UnitOutcome]]:
    """Parse a chunk of inputs and turn the good ones into one batch per table."""
    good: list[ParseResult] = []
    outcomes: list[UnitOutcome] = []
    for unit in units:
        try:
            results = parse_unit(unit)
        except OSError as exc:
            outcomes.append(UnitOutcome(unit.where, unit.transcript_id, "failed", f"cannot be read: {exc.strerror}"))
            continue
        for r in results:
            r.findings.extend(check_result(r))
            o = _outcome(unit, r)
            outcomes.append(o)
            if o.status == "ok":
                good.append(r)
    batches = batches_of(good)
    batches["speakers"] = _with_dates(batches["speakers"], batches["transcripts"])
    return batches, outcomes


def process_chunk_to_file(units: list[Unit], path: str) -> tuple[list[tuple[str, int, int]], list[UnitOutcome]]:
    """process_chunk in a worker: the batches are written to `path` as Arrow IPC streams one
    after another, then the CSV lines of the tables written as they come (so the main process
    only copies them), and only where each part starts and ends goes back, with the outcomes."""
    batches, outcomes = process_chunk(units)
    spans = []
    with pa.OSFile(path, "wb") as sink:
        for name, batch in batches.items():
            start = sink.tell()
            with pa.ipc.new_stream(sink, batch.schema) as stream:
                stream.write_batch(batch)
            spans.append((name, start, sink.tell()))
        for name in TRANSCRIPT_FILES:
            if batches[name].num_rows:
                start = sink.tell()
                sink.write(csv_rows(batches[name], CSV_SCHEMAS[name]))
                spans.append((f"{name}.csv", start, sink.tell()))
    return spans, outcomes


def _read_chunk_file(path: str, spans: list[tuple[str, int, int]]) -> tuple[dict[str, pa.RecordBatch], dict[str, pa.Buffer]]:
    """The batches and CSV lines process_chunk_to_file wrote; the file is removed once read.

    Each part is read into buffers of its own rather than mapped: a slice of a mapping keeps
    the whole file mapped, and the Parquet writer holds a table's batches until its row group
    fills, so a mapped chunk of many turns would stay for want of its few transcript rows."""
    batches, csv = {}, {}
    with pa.OSFile(path, "rb", memory_pool=memory_pool()) as source:
        for name, start, end in spans:
            source.seek(start)
            if name.endswith(".csv"):
                csv[name[:-4]] = source.read_buffer(end - start)
            else:
                with pa.ipc.open_stream(source, options=pa.ipc.IpcReadOptions(use_threads=False)) as reader:
                    batches[name] = reader.read_next_batch()
    os.unlink(path)
    return batches, csv


def _chunks(units: list[Unit]) -> deque[list[Unit]]:
    """Chunks of CHUNK_UNITS inputs, the last TAIL_UNITS of them in chunks of TAIL_CHUNK_UNITS:
    once every chunk has been handed out, the others wait only for the small ones still
    being parsed, not for a window of full chunks.  Which inputs go together depends on
    the inputs alone, so the files do not depend on the number of workers."""
    split = max(0, len(units) - TAIL_UNITS)
    split -= split % CHUNK_UNITS
    head = (units[i:i + CHUNK_UNITS] for i in range(0, split, CHUNK_UNITS))
    tail = (units[i:i + TAIL_CHUNK_UNITS] for i in range(split, len(units), TAIL_CHUNK_UNITS))
    return deque(itertools.chain(head, tail))


def _start_pool(workers: int) -> ProcessPoolExecutor | None:
    """The processes that parse beside this one in a build with `workers` > 1 (workers - 1 of
    them), their process server started at once.

    forkserver, not fork: the main process already runs threads (Arrow's, OpenBLAS'), and
    forking a process with threads can deadlock the child.  The server imports the parser and
    loads its tables (`parse.preload`) once, while the build is planned, so the processes
    forked from it start with everything loaded."""
    if workers <= 1:
        return None
    import multiprocessing

    if "forkserver" not in multiprocessing.get_all_start_methods():
        return ProcessPoolExecutor(max_workers=workers - 1, mp_context=multiprocessing.get_context("spawn"),
                                   initializer=_arrow_without_pandas)
    from multiprocessing import forkserver

    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["__main__", __name__, "diplomatic_transcripts.parse.preload"])
    forkserver.ensure_running()  # returns at once; the server imports while the build is planned
    return ProcessPoolExecutor(max_workers=workers - 1, mp_context=context, initializer=_arrow_without_pandas)


def _arrow_without_pandas() -> None:
    """Run first in each worker: let pyarrow settle that pandas is absent from this process.

    On its first conversion of Python objects, pyarrow imports pandas (0.2 s) only to learn
    whether the values are pandas objects or pandas' missing values; a worker hands it lists
    of plain values alone.  With pandas hidden for one conversion whose type is inferred (it
    asks both questions), pyarrow records "no pandas" and never looks again (an explicit call
    of its pandas API would still import pandas).  Nothing changes where pandas is already
    imported."""
    if "pandas" in sys.modules:
        return
    sys.meta_path.insert(0, _HidePandas)
    try:
        pa.array([0])
    finally:
        sys.meta_path.remove(_HidePandas)


class _HidePandas:
    """An import finder that says pandas is not installed (see _arrow_without_pandas)."""

    @staticmethod
    def find_spec(name: str, path: object = None, target: object = None) -> None:
        if name.partition(".")[0] == "pandas":
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)


def _ordered_results(chunks: deque[list[Unit]], pool: ProcessPoolExecutor | None, workers: int, spill: Path
                     ) -> Iterator[tuple[dict[str, pa.RecordBatch], list[UnitOutcome], dict[str, pa.Buffer]]]:
    """Chunk results in input order, a few chunks in flight, so memory stays flat.

    This process is one of the `workers`: it writes every result, and parses the next chunk
    itself whenever the next result in order is not ready yet, so neither core waits.
    Starting the other processes takes a fresh interpreter importing the parser (a third of a
    second): they are started in a thread, and this process parses meanwhile.  The pool's
    results come as files in the folder `spill`, with their CSV lines made (the third item;
    empty for the chunks parsed here)."""
    if pool is None:
        while chunks:
            yield *process_chunk(chunks.popleft()), {}  # each chunk let go of once parsed
        return
    started = threading.Event()

    def start() -> None:
        try:
            # a task that does nothing makes the pool start a process; its answer says the
            # process is up, so until then no chunk waits for it in the pool
            for f in [pool.submit(int) for _ in range(workers - 1)]:
                f.result()
        except Exception:  # noqa: BLE001 - a broken pool shows itself to the next submit, in the build
            pass
        finally:
            started.set()

    threading.Thread(target=start, name="start build workers", daemon=True).start()
    queued = WINDOW_PER_WORKER * (workers - 1)  # chunks the pool is working on or waiting for
    # results in flight, finished ones waiting for their turn too: room for this process to
    # parse well ahead of a slow chunk of the pool's (the first one, in a process just started),
    # which at 2 * queued + WINDOW_PER_WORKER made it wait up to 0.17 s at 101,558 turns
    limit = 2 * queued + 4 * WINDOW_PER_WORKER
    pending: deque[Future | tuple[dict, list[UnitOutcome]]] = deque()  # in input order
    busy: set[Future] = set()  # the pool's futures not finished yet
    paths: dict[Future, str] = {}  # where each future's batches are handed over
    numbers = itertools.count()
    spill.mkdir(exist_ok=True)
    try:
        while True:
            # the pool never waits for this process: it is topped up whenever a future finishes
            busy = {f for f in busy if not f.done()}
            while started.is_set() and chunks and len(busy) < queued and len(pending) < limit:
                path = str(spill / f"chunk-{next(numbers)}.arrow")
                future = pool.submit(process_chunk_to_file, chunks.popleft(), path)
                paths[future] = path
                pending.append(future)
                busy.add(future)
            head = pending[0] if pending else None
            if head is None and not chunks:
                return
            if head is not None and not (isinstance(head, Future) and not head.done()):
                pending.popleft()
                if isinstance(head, Future):
                    spans, outcomes = head.result()
                    batches, csv = _read_chunk_file(paths.pop(head), spans)
                    yield batches, outcomes, csv
                else:
                    yield *head, {}  # written while the pool parses
            elif chunks and len(pending) < limit:
                pending.append(process_chunk(chunks.popleft()))  # nothing to write yet: parse one here
            elif head is not None:
                wait([head, *busy], return_when=FIRST_COMPLETED)
    finally:
        for f in pending:
            if isinstance(f, Future):
                f.cancel()


def package_files(folder: Path) -> set[str] | None:
    """The names of the files of a package this library wrote in `folder`, or None when the
    folder holds no descriptor of ours."""
    try:
        desc = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError):
        return None
    if not isinstance(desc, dict) or not isinstance(desc.get("resources"), list):
        return None
    ours = desc.get(LIBRARY_KEY)
    if not isinstance(ours, dict) or not isinstance(ours.get("library_version"), str):
        return None
    names = {"datapackage.json", "README.md"}
    names.update(r["path"] for r in desc["resources"] if isinstance(r, dict) and isinstance(r.get("path"), str))
    return names


def _is_card(path: Path) -> bool:
    try:
        with path.open(encoding="utf-8") as f:
            return f.read(len(CARD_START)) == CARD_START
    except (OSError, UnicodeDecodeError):
        return False


def check_output(out: Path, *, force: bool = False) -> None:
    """Refuse (OutputRefused) an output path that is not a package this library wrote.

    Allowed: a path that does not exist; a folder holding only the files of a package this
    library built; with `force`, an empty folder.
    """
    if out.is_symlink() and not out.exists():
        raise OutputRefused(f"{out} is a broken link; --out names the package folder to write")
    if not out.exists():
        return
    if not out.is_dir():
        raise OutputRefused(f"{out} is a file, not a package folder; choose another --out")
    entries = sorted(out.iterdir())
    if not entries:
        if force:
            return
        raise OutputRefused(f"{out} is an empty folder this library did not make; remove it, choose another "
                            "--out, or pass --force to build into it")
    own = package_files(out)
    if own is None:
        raise OutputRefused(f"{out} is not a package this library built (it has no datapackage.json of ours); "
                            "refusing to replace it. Choose another --out")
    foreign = [e.name for e in entries if e.name not in own or e.is_symlink() or not e.is_file()
               or (e.name == "README.md" and not _is_card(e))]
    if foreign:
        shown = ", ".join(foreign[:5]) + (f" and {len(foreign) - 5} more" if len(foreign) > 5 else "")
        raise OutputRefused(f"{out} holds files this library did not write ({shown}); move them out of the "
                            "package folder first, or choose another --out")


def quarantine_path(out: Path) -> Path:
    return out.with_name(f"{out.name}.quarantine.json")


def _quarantine_is_ours(path: Path, out: Path) -> bool:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError):
        return False
    if not isinstance(data, dict) or data.get("package") != out.name or not isinstance(data.get("skipped"), list):
        return False
    return data.get("generator") == QUARANTINE_GENERATOR or set(data) == {"package", "version", "skipped"}


def _check_quarantine(out: Path) -> None:
    q = quarantine_path(out)
    if (q.exists() or q.is_symlink()) and (q.is_symlink() or not _quarantine_is_ours(q, out)):
        raise OutputRefused(f"{q} exists and is not a report this library wrote; move it away (build writes its "
                            "list of skipped sources there)")


def recover(out: Path) -> None:
    """Undo what an interrupted build or swap of `out` left: restore a moved-aside package,
    remove the temporary folders.  Only folders this library made and whose process is
    gone are touched."""
    for old in abandoned(out.parent, f"{out.name}.old-"):
        previous = old / "package"
        if not out.exists() and not out.is_symlink() and previous.is_dir() and package_files(previous) is not None:
            previous.rename(out)
        shutil.rmtree(old, ignore_errors=True)
    for tmp in abandoned(out.parent, f"{out.name}.tmp-"):
        shutil.rmtree(tmp, ignore_errors=True)


def _swap_into_place(new: Path, out: Path, *, force: bool) -> None:
    """Move the new package to `out`, replacing a package this library wrote there."""
    check_output(out, force=force)
    old: WorkDir | None = None
    if out.is_dir():
        if not any(out.iterdir()):
            try:
                out.rmdir()  # --force on an empty folder; fails if something appeared in it since
            except OSError:
                raise OutputRefused(f"{out} is no longer empty; refusing to replace it") from None
        else:
            old = make_workdir(out.parent, f"{out.name}.old-", "the package being replaced")
            out.rename(old.path / "package")
    try:
        new.rename(out)
    except BaseException:
        if old is not None:
            if not out.exists():
                (old.path / "package").rename(out)
                old.remove()
            else:  # keep the previous package where it is; the next build's recover() decides
                old.release()
        raise
    if old is not None:
        old.remove()


def build_package(
    targets: list[Path],
    out: Path,
    *,
    version: str | None = None,
    workers: int = 1,
    keep_going: bool = False,
    force: bool = False,
    on_progress: Callable[[int, int], None] | None = None,
) -> BuildReport:
    """Build the package from the given source files and folders into `out`.

    Raises OutputRefused, before any work, when `out` (or its quarantine report beside
    it) is something this library did not write; `force` lets it build into an empty folder.
    """
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    recover(out)
    check_output(out, force=force)
    _check_quarantine(out)
    version = version or _existing_version(out) or DEFAULT_VERSION
    pool = _start_pool(workers)
    try:
        units = plan_units(targets)
        n_units, chunks = len(units), _chunks(units)
        del units  # each chunk is let go once it is parsed
        report = BuildReport(str(out), version)
        work = make_workdir(out.parent, f"{out.name}.tmp-", "a package being built")
        try:
            written = _write_package(work.path / "package", chunks, n_units, pool, workers, report, version,
                                     keep_going, on_progress, work.path / "chunks")
            if written is not None:
                _swap_into_place(written, out, force=force)
                report.written = True
        finally:
            if pool is not None:  # first, so that no worker still writes a chunk into the folder removed
                pool.shutdown(cancel_futures=True)
                pool = None
            work.remove()
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    if not report.written:
        return report
    quarantine = quarantine_path(out)
    if report.failed or report.skipped:
        write_text_atomic(quarantine, json.dumps({
            "generator": QUARANTINE_GENERATOR, "package": out.name, "version": version,
            "skipped": [asdict(o) for o in report.failed + report.skipped],
        }, indent=2, ensure_ascii=False) + "\n")
        report.quarantine = str(quarantine)
    elif quarantine.is_file() and not quarantine.is_symlink() and _quarantine_is_ours(quarantine, out):
        quarantine.unlink()
    return report


def _write_package(tmp: Path, chunks: deque[list[Unit]], n_units: int, pool: ProcessPoolExecutor | None, workers: int,
                   report: BuildReport, version: str, keep_going: bool,
                   on_progress: Callable[[int, int], None] | None, spill: Path) -> Path | None:
    """Write the package into the new folder `tmp`; None when a source failed (and not `keep_going`).

    Each file is hashed in a thread as soon as it is closed, while the next ones are written."""
    tmp.mkdir()
    writers = {
        t.name: (ParquetTableWriter(tmp / f"{t.name}.parquet", SCHEMAS[t.name], package_version=version),
                 CsvTableWriter(tmp / f"{t.name}.csv", SCHEMAS[t.name]))
        for t in TABLES if t.name in TRANSCRIPT_FILES
    }
    # speakers wait in a scratch file until every transcript has been seen: a label
    # with no name in its transcript may resolve to a person named elsewhere.
    people = PersonIndex()
    scratch_path = tmp / ".speakers-scratch.arrow"
    scratch = pa.ipc.new_stream(str(scratch_path), SCRATCH_SCHEMA)
    latest = None
    publishers: dict[str, int] = {}
    done = 0
    try:
        for batches, outcomes, csv in _ordered_results(chunks, pool, workers, spill):
            for o in outcomes:
                report.add(o)
            done += len(outcomes)
            if on_progress:
                on_progress(done, n_units)
            if report.failed and not keep_going:
                return None
            for name, batch in batches.items():
                if name == "speakers":
                    scratch.write_batch(batch)
                    _note_people(batch, people)
                    continue
                pq_writer, csv_writer = writers[name]
                pq_writer.write(batch)
                if name in csv:
                    csv_writer.write_rows(csv[name], batch.num_rows)
                else:
                    csv_writer.write(batch)
            for name in batches["transcripts"].column("publisher").to_pylist():
                key = name or UNKNOWN_PUBLISHER
                publishers[key] = publishers.get(key, 0) + 1
            dates = batches["transcripts"].column("date")
            if len(dates) and dates.null_count < len(dates):
                m = pc.max(dates).as_py()
                latest = m if latest is None or (m and m > latest) else latest
    finally:
        scratch.close()
        for pq_writer, csv_writer in writers.values():
            pq_writer.close()
            csv_writer.close()
    with ThreadPoolExecutor(max_workers=2) as hasher:
        facts = {f"{name}.{fmt}": hasher.submit(file_facts, tmp / f"{name}.{fmt}")
                 for name in TRANSCRIPT_FILES for fmt in ("parquet", "csv")}
        counts = {name: writers[name][0].n_rows for name in TRANSCRIPT_FILES}
        counts.update(_write_people(tmp, scratch_path, people, version))
        for name in counts:
            for fmt in ("parquet", "csv"):
                if f"{name}.{fmt}" not in facts:
                    facts[f"{name}.{fmt}"] = hasher.submit(file_facts, tmp / f"{name}.{fmt}")
        report.row_counts = {t.name: counts[t.name] for t in TABLES}
        created = f"{latest.isoformat()}T00:00:00Z" if latest else None
        desc = descriptor(tmp, version=version, created=created, counts=report.row_counts, publishers=publishers,
                          facts={name: f.result() for name, f in facts.items()})
    if created is None:
        desc.pop("created")
    write_descriptor(tmp, desc)
    (tmp / "README.md").write_text(dataset_card(desc), encoding="utf-8")
    return tmp


def _with_dates(speakers: pa.RecordBatch, transcripts: pa.RecordBatch) -> pa.RecordBatch:
    """Speaker rows with their transcript's date (transcript ids are unique in a build)."""
    where = pc.index_in(speakers.column("transcript_id"), value_set=transcripts.column("transcript_id"))
    dates = transcripts.column("date").take(where)
    return pa.RecordBatch.from_arrays([*speakers.columns, dates], schema=SCRATCH_SCHEMA)


def _note_people(speakers: pa.RecordBatch, people: PersonIndex) -> None:
    """Note the speakers that name a person in the person index (the others add nothing)."""
    named = speakers.filter(pc.not_equal(speakers.column("person_id"), ""))
    for row in named.to_pylist():
        people.add(row, row["_date"])


def _write_people(tmp: Path, scratch_path: Path, people: PersonIndex, version: str) -> dict[str, int]:
    """Speakers with their inferred person ids, then the persons and person_roles tables;
    the number of rows of each."""
    person_at = SCHEMAS["speakers"].get_field_index("person_id")
    counts = {}
    with (ParquetTableWriter(tmp / "speakers.parquet", SCHEMAS["speakers"], package_version=version) as pq_writer,
          CsvTableWriter(tmp / "speakers.csv", SCHEMAS["speakers"]) as csv_writer,
          pa.ipc.open_stream(str(scratch_path), memory_pool=memory_pool()) as reader):
        for batch in reader:
            pids = batch.column("person_id").to_pylist()
            unnamed = [i for i, pid in enumerate(pids) if not pid]
            resolved = False
            for i, row in zip(unnamed, batch.take(unnamed).to_pylist() if unnamed else []):
                pid = people.resolve(row, row["_date"])
                if pid:
                    pids[i] = pid
                    people.note_resolved(row, pid, row["_date"])
                    resolved = True
            columns = batch.columns[:-1]
            if resolved:
                columns[person_at] = pa.array(pids, pa.string())
            out = pa.RecordBatch.from_arrays(columns, schema=SCHEMAS["speakers"])
            pq_writer.write(out)
            csv_writer.write(out)
    counts["speakers"] = pq_writer.n_rows
    scratch_path.unlink()
    for name, rows in (("persons", people.persons_rows()), ("person_roles", people.role_rows())):
        with (ParquetTableWriter(tmp / f"{name}.parquet", SCHEMAS[name], package_version=version) as pq_writer,
              CsvTableWriter(tmp / f"{name}.csv", SCHEMAS[name]) as csv_writer):
            batch = batch_from_dicts(TABLE_BY_NAME[name], rows)
            pq_writer.write(batch)
            csv_writer.write(batch)
        counts[name] = pq_writer.n_rows
    return counts


def _existing_version(out: Path) -> str | None:
    try:
        return json.loads((out / "datapackage.json").read_text(encoding="utf-8")).get("version")
    except (OSError, ValueError):
        return None
