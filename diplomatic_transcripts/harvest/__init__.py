"""Harvest: bring transcripts in from the publishers' own sites.

`harvest(targets, out)` walks feeds, sitemaps and news listings (or a preset naming a
publisher's), fetches each item's page politely, and keeps everything in a harvest folder
(see `store`) that `diplomatic-transcripts build` reads as it is.  One module a job:
`presets` (the table of publishers), `fetch` (HTTP, robots.txt, pacing, retries),
`feeds`, `sitemaps`, `listings`, `pages` (reading what was fetched), `lines` (the
feed-export line), `store` (the folder), `run` (the walk).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .fetch import FetchPolicy, Fetcher
from .presets import PresetError, Target, presets, resolve_targets
from .run import HarvestOptions, HarvestReport, Harvester, Outcome
from .store import HarvestStore, StoreError

__all__ = ["FetchPolicy", "HarvestOptions", "HarvestReport", "Outcome", "PresetError", "StoreError", "Target",
           "harvest", "presets", "resolve_targets"]


def harvest(targets: list[str] | list[Target], out: Path, *, options: HarvestOptions | None = None,
            policy: FetchPolicy | None = None, sitemaps: bool = False, match: str | None = None,
            transport: object = None, on_progress: Callable[[int, int | None, str], None] | None = None
            ) -> HarvestReport:
    """Harvest preset names or URLs into the folder `out`.

    Raises PresetError for a target that is neither, StoreError for a folder harvest may
    not write into; everything that goes wrong with a response is an outcome in the report."""
    resolved = [t for t in targets if isinstance(t, Target)] + resolve_targets(
        [t for t in targets if isinstance(t, str)], sitemaps=sitemaps, match=match)
    with HarvestStore.open(Path(out)) as store, Fetcher(policy or FetchPolicy(), transport=transport) as fetcher:  # type: ignore[arg-type]
        return Harvester(store, fetcher, options, on_progress).run(resolved)
