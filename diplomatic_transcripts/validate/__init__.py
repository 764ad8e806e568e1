"""Validation of contributions (sources, sidecars) and of built packages."""

from .package import validate_package
from .paths import validate_paths

__all__ = ["validate_package", "validate_paths"]
