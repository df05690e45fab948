"""A build that costs what changed: with nothing new, a manifest check instead of a rebuild.

The store's change log (``story_changes``, filled by triggers on every table a story's
page is made from) gives a change number. The build state is that number plus the
schema, a fingerprint of the site's and the export's code, the newest report and the
build settings; ``public/.manifest.json`` keeps the state of the build it describes, with a
hash of the content it was made from (checked against the parts cache of
:mod:`aiwire.site.parts`, so a restored or copied database is not taken for this one). When
the state is the same, the site in ``public/`` is already what a full build would write:
nothing is exported, modelled, hashed or linked; only the outputs that are always made
(the editors' run report) are rewritten in place.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from aiwire.store import Store

AIWIRE_DIR = Path(__file__).resolve().parents[1] / "aiwire"


def _export_code() -> str:
    """What the export document depends on besides the store: its code."""
    digest = hashlib.sha256()
    for name in ("export.py", "curation.py", "__init__.py"):
        path = AIWIRE_DIR / name
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def build_state(store: Store, **settings: Any) -> dict[str, Any]:
    """Everything a build's output depends on, in a few cheap index reads."""
    from aiwire.site.render import code_fingerprint

    return {"changes": store.change_seq(), "schema": store.version,
            "site_code": code_fingerprint(), "export_code": _export_code(),
            "newest": store.scalar("SELECT max(published) FROM articles"),
            "settings": {k: settings[k] for k in sorted(settings)}}


def _manifest(out: Path) -> dict[str, Any] | None:
    from aiwire.site.render import MANIFEST, MANIFEST_FORMAT

    try:
        manifest = json.loads((Path(out) / MANIFEST).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(manifest, dict) or manifest.get("format") != MANIFEST_FORMAT:
        return None
    return manifest if isinstance(manifest.get("files"), dict) else None


def unchanged(out: Path, state: dict[str, Any], store: Store) -> bool:
    """Is the site in ``out`` the build of exactly this state, every file in place?

    A change number alone does not name a state: a database restored from a backup, or
    another copy, reaches the same number with other content. So the manifest also holds
    a hash of the content it was built from, which must be the hash the parts cache
    (:mod:`aiwire.site.parts`) recorded for this very store at this very number.
    (One ``stat`` per file: a file removed or truncated by hand is made again.)"""
    from aiwire.site.parts import kept_content

    manifest = _manifest(out)
    kept = dict(manifest.get("state") or {}) if manifest is not None else {}
    content = kept.pop("content", None)
    if manifest is None or kept != state or not isinstance(content, str):
        return False
    if kept_content(store, out, state["changes"]) != content:
        return False
    for path, entry in manifest["files"].items():
        try:
            if (Path(out) / path).stat().st_size != entry.get("size"):
                return False
        except OSError:
            return False
    return True


def publish_in_place(outputs: list, out: Path):
    """Write ``outputs`` into the existing site ``out`` (each file atomically) and record
    them in its manifest; the rest of the site is left as it is. A ``BuildReport``."""
    from aiwire.site.render import _publish_in_place

    out = Path(out)
    manifest = _manifest(out) or {"files": {}, "state": None}
    files = manifest["files"]
    total = len(set(files) | {o.path for o in outputs})
    return _publish_in_place(list(outputs), [], out, files, manifest.get("state"), total)
