"""The command line: wires the stages together and nothing else.

Exit status everywhere: 0 no errors, 1 errors found, 2 usage error or an input that cannot
be opened.  Never a traceback.
"""

from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from . import __version__

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
