"""The analyse stage on Ray: the same records as the local worker pool, from Ray actors.

Optional (``pip install 'aiwire[ray]'``). Each actor loads the model once and runs
:func:`aiwire.nlp.batch.analyse_batch` on chunks of rows; records come back in the order
of the rows, and an article whose analysis fails comes back as an error record, exactly
as from :func:`aiwire.nlp.batch.iter_records_parallel`. So the store's side (loading the
records, then stories, contradictions and the site) does not know where the NLP ran.

``address=None`` starts a local Ray instance for the run (and stops it after); an address
("auto", "ray://head:10001") joins a running cluster, whose nodes need aiwire installed.
"""

from __future__ import annotations

import os
from typing import Any, Iterator

RAY_MISSING = ("the Ray executor needs Ray: pip install 'aiwire[ray]' (or pip install ray), "
               "or use the local executor")


class RayUnavailable(RuntimeError):
    """Ray is not installed, or the cluster cannot be reached."""


def require_ray() -> Any:
    try:
        import ray
    except ImportError as exc:
        raise RayUnavailable(RAY_MISSING) from exc
    return ray


def iter_records_ray(rows: list[dict[str, Any]], *, actors: int = 2, chunk_size: int = 16,
                     address: str | None = None) -> Iterator[dict[str, Any]]:
    """Records for ``rows`` in order, analysed by ``actors`` Ray actors."""
    if not rows:
        return
    ray = require_ray()
    started_here = not ray.is_initialized()
    if started_here:
        # a run must not phone home: Ray's usage reporting stays off unless asked for
        os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
        try:
            options: dict[str, Any] = {"address": address, "include_dashboard": False,
                                       "log_to_driver": False}
            if address is None:
                options["num_cpus"] = actors
            ray.init(**options)
        except Exception as exc:       # noqa: BLE001 - Ray raises many kinds here
            where = address or "a local instance"
            raise RayUnavailable(f"could not start or reach Ray ({where}): {exc}") from exc
    try:
        from ray.util.actor_pool import ActorPool

        analyser = ray.remote(num_cpus=1)(_Analyser)
        pool = ActorPool([analyser.remote() for _ in range(max(1, actors))])
        chunks = [rows[i:i + chunk_size] for i in range(0, len(rows), chunk_size)]
        for records in pool.map(lambda actor, chunk: actor.analyse.remote(chunk), chunks):
            yield from records
    finally:
        if started_here:
            ray.shutdown()


class _Analyser:
    """One Ray actor: the model loaded once, chunks analysed as the local workers do."""

    def analyse(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        from aiwire.nlp.batch import _analyse_chunk

        return _analyse_chunk(rows)
