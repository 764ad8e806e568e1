"""The command line: wires the stages together and nothing else.

Exit status everywhere: 0 no errors, 1 errors found, 2 usage error or an input that cannot
be opened.  Never a traceback.
"""

from __future__ import annotations

import json
import re
import os
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from .version import __version__

app = typer.Typer(
    name="diplomatic-transcripts",
    help="Diplomatic transcripts as validated records and a versioned Frictionless Data Package.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


class ParseFormat(str, Enum):
    text = "text"
    json = "json"
    jsonl = "jsonl"


def _usage_error(message: str) -> typer.Exit:
    typer.echo(f"diplomatic-transcripts: error: {message}", err=True)
    return typer.Exit(2)


def _check_inputs(paths: list[Path]) -> None:
    for p in paths:
        if not p.exists():
            raise _usage_error(f"{p}: no such file")
        if p.is_dir():
            raise _usage_error(f"{p}: is a folder; give the files in it")
        try:
            with p.open("rb"):
                pass
        except OSError as exc:
            raise _usage_error(f"{p}: cannot be opened ({exc.strerror})") from None


def _version_callback(value: bool) -> None:
    if value:
        typer.echo(f"diplomatic-transcripts {__version__}")
        raise typer.Exit(0)


@app.callback()
def main(
    version: Annotated[bool, typer.Option("--version", callback=_version_callback, is_eager=True,
                                          help="Print the library version and exit.")] = False,
) -> None:
    """Diplomatic transcripts as validated records and a versioned Frictionless Data Package."""


@app.command()
def parse(
    files: Annotated[list[Path], typer.Argument(help="Transcript files: .txt, .html, or a feed export .jsonl.")],
    fmt: Annotated[ParseFormat, typer.Option("--format", help="text for people; json or jsonl for programs.")] = ParseFormat.text,
) -> None:
    """Parse transcripts and print their records and findings."""
    from .parse.files import parse_source
    from .render import render_result

    _check_inputs(files)
    errors = False
    documents: list[dict] = []
    out = sys.stdout
    for path in files:
        try:
            results = parse_source(path)
        except OSError as exc:
            raise _usage_error(f"{path}: cannot be read ({exc.strerror})") from None
        for result in results:
            errors = errors or not result.ok
            if fmt is ParseFormat.jsonl:
                out.write(json.dumps(result.to_dict(), ensure_ascii=False) + "\n")
            elif fmt is ParseFormat.json:
                documents.append(result.to_dict())
            else:
                out.write(render_result(result) + "\n")
    if fmt is ParseFormat.json:
        payload = documents[0] if len(documents) == 1 and len(files) == 1 and files[0].suffix != ".jsonl" else documents
        out.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
    out.flush()
    raise typer.Exit(1 if errors else 0)


class ValidateFormat(str, Enum):
    text = "text"
    json = "json"
    github = "github"


@app.command()
def validate(
    paths: Annotated[list[Path], typer.Argument(
        help="Sources, sidecars, folders of sources, or a built package (datapackage.json or its folder).")],
    fmt: Annotated[ValidateFormat, typer.Option("--format", help="text for people, json, or github annotations.")] = ValidateFormat.text,
    use_frictionless: Annotated[bool, typer.Option("--frictionless", help="Also run frictionless on packages and merge its findings.")] = False,
    changed_since: Annotated[str | None, typer.Option("--changed-since", metavar="REF", help="Only sources changed since this git ref.")] = None,
) -> None:
    """Check contributions (sources, sidecars) and built packages; exit 1 on any error."""
    from .render import finding_github, finding_text
    from .validate import ChangedSinceError, validate_paths

    for p in paths:
        if not p.exists():
            raise _usage_error(f"{p}: no such file or folder")
    try:
        findings = validate_paths(paths, frictionless=use_frictionless, since=changed_since)
    except ChangedSinceError as exc:
        raise _usage_error(f"--changed-since {changed_since}: {exc}") from None
    except OSError as exc:
        raise _usage_error(f"{exc.filename or 'an input'}: cannot be read ({exc.strerror or exc})") from None
    errors = sum(f.severity == "error" for f in findings)
    if fmt is ValidateFormat.json:
        sys.stdout.write(json.dumps([f.model_dump(mode="json") for f in findings], ensure_ascii=False, indent=2) + "\n")
    elif fmt is ValidateFormat.github:
        for f in findings:
            sys.stdout.write(finding_github(f) + "\n")
    else:
        colour = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
        for f in findings:
            sys.stdout.write(finding_text(f, colour=colour) + "\n")
        warnings = sum(f.severity == "warning" for f in findings)
        sys.stderr.write(f"{errors} error(s), {warnings} warning(s) in {len(paths)} path(s)\n")
    raise typer.Exit(1 if errors else 0)


_SEMVER = r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)\Z"


@app.command()
def build(
    sources: Annotated[list[Path] | None, typer.Argument(
        help="Source files or folders (default: datasets/sources).", show_default=False)] = None,
    out: Annotated[Path, typer.Option("--out", help="Package folder to write.")] = Path("datasets/diplomatic-transcripts"),
    version: Annotated[str | None, typer.Option("--version", help="Dataset version X.Y.Z (default: the package's current).")] = None,
    workers: Annotated[int, typer.Option("--workers", min=1, max=64, help="Parse in N processes.")] = 1,
    keep_going: Annotated[bool, typer.Option("--keep-going", help="Skip sources that fail; list them in a quarantine report.")] = False,
    force: Annotated[bool, typer.Option("--force", help="Also build into an existing empty folder.")] = False,
) -> None:
    """Build the Frictionless data package (Parquet + CSV + datapackage.json) from sources.

    --out must be a new path or a package this library built; anything else is refused.
    """
    import re

    from .build import OutputRefused, build_package
    from .render import finding_line
    from .records import Finding

    targets = sources or [Path("datasets/sources")]
    for t in targets:
        if not t.exists():
            raise _usage_error(f"{t}: no such file or folder")
    if version is not None and not re.match(_SEMVER, version):
        raise _usage_error(f"--version {version!r} is not X.Y.Z")
    progress = _progress_callback()
    try:
        report = build_package(targets, out, version=version, workers=workers, keep_going=keep_going,
                               force=force, on_progress=progress.update if progress else None)
    except OutputRefused as exc:
        raise _usage_error(f"build: {exc}") from None
    except OSError as exc:
        raise _usage_error(f"build: {exc.filename or out}: {exc.strerror or exc}") from None
    finally:
        if progress:
            progress.close()
    for o in report.failed:
        for f in o.findings:
            typer.echo(finding_line(Finding(**f)))
        if not o.findings:
            typer.echo(f"{o.where}: DT112 error: {o.reason}")
    if not report.written:
        typer.echo(f"build stopped: {len(report.failed)} source(s) failed; nothing was written "
                   f"(the previous package, if any, is unchanged). Use --keep-going to skip them.", err=True)
        raise typer.Exit(1)
    ok = report.n_built
    counts = ", ".join(f"{n} {k}" for k, n in report.row_counts.items())
    typer.echo(f"built {report.out} version {report.version}: {ok} transcripts ({counts}); "
               f"{len(report.skipped)} skipped as not transcripts, {len(report.failed)} quarantined")
    if report.quarantine:
        typer.echo(f"skipped sources and why: {report.quarantine}")
    raise typer.Exit(1 if report.failed and not keep_going else 0)


class _Progress:
    def __init__(self) -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

        self._p = Progress("[progress.description]{task.description}", BarColumn(), MofNCompleteColumn(),
                           TimeRemainingColumn(), transient=True)
        self._task = self._p.add_task("parsing", total=None)
        self._p.start()

    def update(self, done: int, total: int) -> None:
        self._p.update(self._task, completed=done, total=total)

    def close(self) -> None:
        self._p.stop()


def _progress_callback() -> _Progress | None:
    """A progress bar on a terminal; nothing when output goes to a file or CI."""
    return _Progress() if sys.stderr.isatty() and not os.environ.get("CI") else None


@app.command()
def schema(
    check: Annotated[bool, typer.Option("--check", help="Fail (exit 1) if the committed files differ from the models.")] = False,
    directory: Annotated[Path, typer.Option("--dir", help="Where the generated schema files live.")] = Path("schema"),
) -> None:
    """Generate schema/ (JSON Schema, Table Schemas, data dictionary) from the record models."""
    from .schema import check_schema, write_schema

    if check:
        drift = check_schema(directory)
        if drift:
            for name in drift:
                typer.echo(f"{directory / name.split(' ')[0]}: DT300 error: differs from the record models", err=False)
            typer.echo("Run `diplomatic-transcripts schema` to regenerate, and commit the result.", err=True)
            raise typer.Exit(1)
        typer.echo(f"{directory}: up to date with the record models")
        raise typer.Exit(0)
    written = write_schema(directory)
    typer.echo(f"wrote {len(written)} files to {directory}")


@app.command()
def release(
    package_dir: Annotated[Path, typer.Argument(help="A built package folder.")],
    out: Annotated[Path, typer.Option("--out", help="Where to write the zip and releases.json.")] = Path("dist"),
    base_url: Annotated[str | None, typer.Option("--base-url", help="Where the zip will be published (default: the registry's).")] = None,
    registry: Annotated[Path | None, typer.Option("--registry", help="The registry to extend (default: the library's).")] = None,
    previous: Annotated[str | None, typer.Option(
        "--previous", help="Diff against this version, package folder or zip (default: the registry's latest, if any).")] = None,
    changelog: Annotated[Path | None, typer.Option(
        "--changelog", help="Insert the drafted entry into this CHANGELOG.md, below ## [Unreleased].")] = None,
) -> None:
    """Pack a built package into diplomatic-transcripts-X.Y.Z.zip and write DIST/releases.json.

    Against the latest release (or --previous) it diffs the package, checks the version the
    changes call for, and drafts the CHANGELOG entry (DIST/CHANGELOG-X.Y.Z.md)."""
    from .version import __version__
    from .diff import DiffError, changelog_entry, diff_packages
    from .release import ReleaseError, check_version, insert_changelog, make_release, read_registry, write_changelog_draft

    if not package_dir.is_dir():
        raise _usage_error(f"{package_dir}: not a folder")
    try:
        reg = read_registry(registry)
    except ReleaseError as exc:
        raise _usage_error(str(exc)) from None
    against = previous or ("latest" if reg["releases"] else None)
    try:
        result = diff_packages(against, package_dir, registry=registry)
        typer.echo(f"changes since {result.old_version or 'no release'}: {len(result.transcripts_added)} transcripts "
                   f"added, {len(result.transcripts_removed)} removed, {len(result.transcripts_changed)} changed; "
                   f"bump {result.bump}, proposed version {result.proposed_version}")
        check_version(str(result.new_version), result.old_version, result.proposed_version, result.bump)
        rel = make_release(package_dir, out, base_url=base_url, registry=registry)
    except DiffError as exc:
        typer.echo(f"diplomatic-transcripts: release: {exc}", err=True)
        raise typer.Exit(2) from None
    except ReleaseError as exc:
        typer.echo(f"diplomatic-transcripts: release: {exc}", err=True)
        raise typer.Exit(exc.exit_code) from None
    except OSError as exc:
        raise _usage_error(f"release: {exc.filename or out}: {exc.strerror or exc}") from None
    typer.echo(f"wrote {rel.file} ({rel.entry['bytes']:,} bytes, sha256 {rel.entry['sha256']})")
    typer.echo(f"wrote {rel.registry}: publish the zip at {rel.entry['url']} and commit this file as "
               "diplomatic_transcripts/releases.json")
    entry = changelog_entry(result, version=rel.version, library_version=__version__, date=rel.entry["date"],
                            command=f"diplomatic-transcripts diff {result.old_version or 'none'} {package_dir}")
    try:
        draft = write_changelog_draft(out, rel.version, entry)
    except ReleaseError as exc:
        typer.echo(f"diplomatic-transcripts: release: {exc}", err=True)
        raise typer.Exit(exc.exit_code) from None
    typer.echo(f"wrote {draft}: the CHANGELOG entry's draft")
    if changelog is not None:
        try:
            inserted = insert_changelog(changelog, entry, rel.version)
        except ReleaseError as exc:
            typer.echo(f"diplomatic-transcripts: release: {exc}", err=True)
            raise typer.Exit(1) from None
        typer.echo(f"inserted the entry into {changelog}" if inserted
                   else f"left {changelog} as it is: it has an entry for {rel.version}")


@app.command()
def download(
    version: Annotated[str, typer.Argument(help="X.Y.Z or latest.")] = "latest",
    registry: Annotated[Path | None, typer.Option("--registry", help="Another registry file (testing, private releases).")] = None,
) -> None:
    """Download, verify and cache a released version; print where it is."""
    from .loader import LoadError
    from .loader import download as fetch

    _check_version_argument(version, "VERSION")
    bar = _ByteProgress() if sys.stderr.isatty() and not os.environ.get("CI") else None
    try:
        folder = fetch(version, registry=registry, progressbar=bar or False)
    except LoadError as exc:
        typer.echo(f"diplomatic-transcripts: download: {exc}", err=True)
        raise typer.Exit(1) from None
    finally:
        if bar:
            bar.close()
    typer.echo(str(folder))


class _ByteProgress:
    """The progress bar pooch drives (total, update, reset, close), drawn with rich."""

    def __init__(self) -> None:
        from rich.progress import BarColumn, DownloadColumn, Progress, TransferSpeedColumn

        self._p = Progress("downloading", BarColumn(), DownloadColumn(), TransferSpeedColumn(), transient=True)
        self._task = self._p.add_task("download", total=None)
        self._p.start()
        self.total = 0

    def update(self, n: int) -> None:
        self._p.update(self._task, advance=n, total=self.total or None)

    def reset(self) -> None:
        self._p.reset(self._task)

    def close(self) -> None:
        self._p.stop()


cache_app = typer.Typer(help="The local cache of downloaded versions.", no_args_is_help=True)
app.add_typer(cache_app, name="cache")


@cache_app.command("list")
def cache_list() -> None:
    """List the cached versions and their size."""
    from .loader import cache_dir, cached_versions

    entries = cached_versions()
    for version, size in entries:
        typer.echo(f"{version}\t{size:,} bytes")
    typer.echo(f"cache: {cache_dir()} ({len(entries)} version(s))", err=True)


@cache_app.command("clear")
def cache_clear(version: Annotated[str | None, typer.Argument(help="One version (default: all).")] = None) -> None:
    """Remove a cached version, or all of them."""
    from .loader import clear_cache

    removed = clear_cache(version)
    if version and not removed:
        typer.echo(f"version {version} is not in the cache", err=True)
        raise typer.Exit(1)
    typer.echo(f"removed {len(removed)} cached version(s)")


@app.command()
def query(
    sql: Annotated[str, typer.Argument(help='SQL over the tables, e.g. "SELECT kind, count(*) FROM speakers GROUP BY 1".')],
    version: Annotated[str | None, typer.Option("--version", help="A released version (default: latest).")] = None,
    path: Annotated[Path | None, typer.Option("--path", help="A local package folder instead of a release.")] = None,
    registry: Annotated[Path | None, typer.Option("--registry", help="Another registry file.")] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, help="Rows to print at most.")] = 50,
) -> None:
    """Run DuckDB SQL over a dataset version and print the result as a table."""
    import duckdb

    from .loader import LoadError, NotReleased, load

    if not sql.strip(" \t\r\n;"):
        raise _usage_error("query: the SQL is empty")
    if path is not None and not path.exists():
        raise _usage_error(f"--path {path}: no such folder")
    if version is not None:
        _check_version_argument(version, "--version")
    try:
        ds = load(version or "latest", path=path, registry=registry)
        con = ds.duckdb()
        result = con.execute(sql)
        columns = [d[0] for d in (result.description if result is not None else None) or []]
        rows = result.fetchmany(limit + 1) if columns else []
    except NotReleased:
        typer.echo("diplomatic-transcripts: query: no version of the dataset has been released yet; "
                   "query a built package with --path DIR", err=True)
        raise typer.Exit(1) from None
    except LoadError as exc:
        typer.echo(f"diplomatic-transcripts: query: {exc}", err=True)
        raise typer.Exit(1) from None
    except duckdb.Error as exc:
        typer.echo(f"diplomatic-transcripts: query: {(str(exc).splitlines() or [type(exc).__name__])[0]}", err=True)
        raise typer.Exit(1) from None
    if not columns:
        typer.echo("(the statement returned no table)", err=True)
        return
    from rich.console import Console
    from rich.table import Table as RichTable

    table = RichTable(*columns, title=f"diplomatic-transcripts {ds.version}", show_lines=False)
    for row in rows[:limit]:
        table.add_row(*("" if v is None else str(v) for v in row))
    Console(width=max(80, min(200, os.get_terminal_size().columns if sys.stdout.isatty() else 160))).print(table)
    if len(rows) > limit:
        typer.echo(f"(more than {limit} rows; use --limit)", err=True)


def _date_option(value: str | None, flag: str):
    import datetime as dt

    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise _usage_error(f"{flag} {value!r} is not a date (YYYY-MM-DD)") from None


@app.command()
def harvest(
    targets: Annotated[list[str], typer.Argument(
        help="Preset names (statedept, whitehouse) or URLs of RSS/Atom feeds, XML sitemaps or news listings.")],
    out: Annotated[Path, typer.Option("--out", help="The harvest folder (created; reused by later harvests).")],
    since: Annotated[str | None, typer.Option("--since", metavar="DATE", help="Only items published on or after DATE.")] = None,
    until: Annotated[str | None, typer.Option("--until", metavar="DATE", help="Only items published on or before DATE.")] = None,
    max_items: Annotated[int | None, typer.Option("--max", min=1, help="At most N items this run.")] = None,
    sitemaps: Annotated[bool, typer.Option("--sitemaps", help="Also walk the presets' sitemaps (a backfill).")] = False,
    match: Annotated[str | None, typer.Option("--match", metavar="REGEX", help="Only item URLs matching REGEX.")] = None,
    rate: Annotated[float, typer.Option("--rate", min=0, help="Requests per second per host (0: no limit).")] = 1.0,
    timeout: Annotated[float, typer.Option("--timeout", min=0.01, help="Seconds to wait for a response.")] = 30.0,
    attempts: Annotated[int, typer.Option("--attempts", min=1, help="Tries per URL (timeouts, 429, 5xx).")] = 5,
    retry_wait: Annotated[float, typer.Option("--retry-wait", min=0, help="First backoff wait in seconds (doubles).")] = 1.0,
) -> None:
    """Harvest publishers' feeds, sitemaps or listings into a folder that `build` reads."""
    import re

    try:
        from .harvest import FetchPolicy, HarvestOptions, PresetError, StoreError
        from .harvest import harvest as run_harvest
    except ImportError as exc:
        raise _usage_error(f"harvest needs its extra: pip install 'diplomatic-transcripts[harvest]' ({exc})") from None
    for target in targets:
        _check_harvest_target(target)
    options = HarvestOptions(since=_date_option(since, "--since"), until=_date_option(until, "--until"),
                             max_items=max_items)
    if match:
        try:
            re.compile(match)
        except re.error as exc:
            raise _usage_error(f"--match {match!r} is not a regular expression: {exc}") from None
    policy = FetchPolicy(rate=rate, timeout=timeout, attempts=attempts, wait_initial=retry_wait,
                         wait_max=max(retry_wait * 60, retry_wait), wait_jitter=min(retry_wait, 1.0))
    bar = _HarvestProgress() if sys.stderr.isatty() and not os.environ.get("CI") else None
    try:
        report = run_harvest(targets, out, options=options, policy=policy, sitemaps=sitemaps, match=match,
                             on_progress=bar.update if bar else None)
    except PresetError as exc:
        raise _usage_error(str(exc)) from None
    except StoreError as exc:
        raise _usage_error(f"--out {out}: {exc}") from None
    finally:
        if bar:
            bar.close()
    for o in report.outcomes:
        if o.status in ("failed", "disallowed"):
            typer.echo(f"{o.url}: {o.status}: {o.reason}")
    c = report.counts()
    typer.echo(f"harvested into {out}: {c['new']} new, {c['changed']} changed, {c['unchanged']} unchanged, "
               f"{c['failed']} failed, {c['disallowed']} disallowed by robots.txt, {c['skipped']} skipped; "
               f"{report.items_held} items held; {report.requests} requests, {report.retries} retries")
    raise typer.Exit(1 if c["failed"] else 0)


def _check_harvest_target(target: str) -> None:
    """A preset's name or an http(s) URL; anything else is a usage error before any request."""
    from urllib.parse import urlsplit

    if re.fullmatch(r"[a-z][a-z0-9-]*", target):
        return  # a preset's name: the presets table says whether it knows it
    try:
        parts = urlsplit(target)
        parts.port  # noqa: B018 -- raises on a port that is not a number
    except ValueError as exc:
        raise _usage_error(f"{target!r} is not a URL: {exc}") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise _usage_error(f"{target!r} is neither a preset name nor an http(s) URL")


class _HarvestProgress:
    def __init__(self) -> None:
        from rich.progress import MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        self._p = Progress(SpinnerColumn(), "harvesting", MofNCompleteColumn(), TimeElapsedColumn(),
                           TextColumn("{task.fields[url]}", style="dim"), transient=True)
        self._task = self._p.add_task("harvest", total=None, url="")
        self._p.start()

    def update(self, done: int, total: int | None, url: str) -> None:
        self._p.update(self._task, completed=done, total=total, url=url[-70:])

    def close(self) -> None:
        self._p.stop()


class DiffFormat(str, Enum):
    text = "text"
    json = "json"


@app.command("diff")
def diff_command(
    old: Annotated[str, typer.Argument(help="A released version (X.Y.Z or latest), a package folder or a release zip.")],
    new: Annotated[str, typer.Argument(help="The same kinds as OLD.")],
    fmt: Annotated[DiffFormat, typer.Option("--format", help="text for people, json for programs.")] = DiffFormat.text,
    registry: Annotated[Path | None, typer.Option("--registry", help="Another registry file for versions.")] = None,
    proposed_version: Annotated[bool, typer.Option(
        "--proposed-version", help="Print only the version the changes call for (nothing when there are none).")] = False,
) -> None:
    """Compare two dataset versions: transcripts, rows, schema, and the version bump they call for."""
    from .diff import DiffError, diff_packages, render_text

    try:
        result = diff_packages(old, new, registry=registry)
    except DiffError as exc:
        typer.echo(f"diplomatic-transcripts: diff: {exc}", err=True)
        raise typer.Exit(2) from None
    if proposed_version:
        if result.bump != "none":
            typer.echo(result.proposed_version)
    elif fmt is DiffFormat.json:
        typer.echo(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
    else:
        typer.echo(render_text(result))
    raise typer.Exit(0)


class ExportFormat(str, Enum):
    convokit = "convokit"
    sqlite = "sqlite"


@app.command()
def export(
    package: Annotated[Path, typer.Argument(help="A built package (its folder or datapackage.json).")],
    to: Annotated[ExportFormat, typer.Option("--to", help="convokit: a ConvoKit corpus folder; sqlite: one SQLite "
                                             "database with full-text search over turns.")],
    out: Annotated[Path, typer.Argument(help="The folder (convokit) or .db file (sqlite) to write.")],
) -> None:
    """Export a package to the tools researchers use: a ConvoKit corpus or an SQLite database."""
    from .export.output import ExportError, TargetRefused

    if not package.exists():
        raise _usage_error(f"{package}: no such file or folder")
    try:
        if to is ExportFormat.sqlite:
            from .export.sqlite import export_sqlite

            report = export_sqlite(package, out)
            counts = ", ".join(f"{n:,} {k}" for k, n in report.row_counts.items())
            typer.echo(f"wrote {out}: version {report.version} ({counts}; full-text index turns_fts)")
        else:
            from .export.convokit import export_convokit

            ck = export_convokit(package, out)
            typer.echo(f"wrote {out}: version {ck.version} ({ck.n_conversations:,} conversations, "
                       f"{ck.n_utterances:,} utterances, {ck.n_speakers:,} speakers); "
                       f"load it with convokit.Corpus(filename={str(out)!r})")
    except TargetRefused as exc:
        raise _usage_error(str(exc)) from None
    except ExportError as exc:
        typer.echo(f"diplomatic-transcripts: export: {exc}", err=True)
        raise typer.Exit(1) from None


@app.command()
def browse(
    version: Annotated[str | None, typer.Option("--version", help="A released version (default: latest).")] = None,
    path: Annotated[Path | None, typer.Option("--path", help="A local package folder instead of a release.")] = None,
    registry: Annotated[Path | None, typer.Option("--registry", help="Another registry file.")] = None,
    host: Annotated[str, typer.Option("--host", help="Address to serve on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=0, max=65535, help="Port to serve on (0: any free port).")] = 8001,
    open_browser: Annotated[bool, typer.Option("--open", help="Open the browser at the dataset.")] = False,
) -> None:
    """Browse a dataset version in the browser (Datasette): search turns, facets, a transcript as a conversation."""
    import importlib.util

    from .browse import BrowseError, datasette_command, package_folder, prepare, serve

    if version is not None and path is not None:
        raise _usage_error("give --version or --path, not both")
    if path is not None and not path.exists():
        raise _usage_error(f"{path}: no such file or folder")
    if importlib.util.find_spec("datasette") is None or importlib.util.find_spec("sqlite_utils") is None:
        typer.echo("diplomatic-transcripts: browse needs Datasette and sqlite-utils: "
                   "pip install 'diplomatic-transcripts[research]'", err=True)
        raise typer.Exit(1)
    try:
        prepared = prepare(package_folder(version, path, registry))
    except BrowseError as exc:
        typer.echo(f"diplomatic-transcripts: browse: {exc}", err=True)
        raise typer.Exit(1) from None
    shown = "localhost" if host in ("127.0.0.1", "::1") else host
    typer.echo(f"{'using' if prepared.reused else 'built'} {prepared.database}")
    typer.echo(f"serving version {prepared.version} at http://{shown}:{port}/diplomatic-transcripts "
               "(Ctrl-C stops)" if port else f"serving version {prepared.version} (Ctrl-C stops)")
    serve(datasette_command(prepared, host=host, port=port, open_browser=open_browser))


def _check_version_argument(version: str, name: str) -> None:
    import re

    if version != "latest" and not re.match(_SEMVER, version):
        raise _usage_error(f"{name} {version!r} is not X.Y.Z or latest")


def run() -> None:
    """Console entry point: usage errors exit 2, an unexpected failure is one line, not a traceback."""
    try:
        app()
    except KeyboardInterrupt:
        typer.echo("interrupted", err=True)
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(0)
    except Exception as exc:  # a bug: say so in one line; DIPLOMATIC_TRANSCRIPTS_DEBUG=1 shows the traceback
        import os

        if os.environ.get("DIPLOMATIC_TRANSCRIPTS_DEBUG"):
            raise
        typer.echo(f"diplomatic-transcripts: internal error: {type(exc).__name__}: {exc} "
                   "(set DIPLOMATIC_TRANSCRIPTS_DEBUG=1 for details, and please report it)", err=True)
        sys.exit(1)
