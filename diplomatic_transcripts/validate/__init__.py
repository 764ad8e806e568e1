"""Validation of contributions (sources, sidecars) and of built packages."""

from .package import validate_package
from .paths import ChangedSinceError, validate_paths

__all__ = ["ChangedSinceError", "validate_package", "validate_paths"]
