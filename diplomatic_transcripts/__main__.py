"""`python -m diplomatic_transcripts` runs the command line."""

from .cli import run

run()
