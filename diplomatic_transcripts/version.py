"""The library's version, in a module of its own so any stage can name it without importing
the package's face (`diplomatic_transcripts/__init__.py`)."""

__version__ = "0.1.0"
SCHEMA_MAJOR = 1  # the major dataset version this library reads
