"""Loaded by Datasette from the plugins folder of `diplomatic-transcripts browse`."""

from diplomatic_transcripts.browse_plugin import prepare_jinja2_environment, render_cell  # noqa: F401
