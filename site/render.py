"""Build the site: every output file from the export document, published atomically.

The site is rendered from :func:`aiwire.export.export_document`, so readers and machines
see the same data. Each output has an input key (a hash of the data it is made from and
of the site's own code and templates); ``public/.manifest.json`` remembers the keys, so
the next build renders only outputs whose key changed and hard-links the rest from the
previous site. Everything is staged in a temporary folder next to the output and swapped
in at the end: a failed build leaves the previous site in place. A small change (a few
files of many) is instead moved into the previous site file by file, each with one rename,
while the manifest marks them pending. Stories' views and export entries are kept between
builds (:mod:`aiwire.site.parts`): a build works out only the stories that changed.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

from jinja2 import FileSystemBytecodeCache

from aiwire.export import export_document, week_documents
from aiwire.site.feeds import atom, feed_specs
from aiwire.site.fragments import Fragments
from aiwire.site.model import build_site_model
from aiwire.site.newsletter import email_html, email_text, week_view
from aiwire.site.pages import (all_pages, entity_page, entity_path, environment, render,
                               story_page, story_path)
from aiwire.site.parts import Corpus, StoryPart, cache_path, document_text, load_corpus
from aiwire.site.search import search_files
from aiwire.site.share import with_meta
from aiwire.site.stix import bundle_inputs, bundle_json
from aiwire.store import Store

MANIFEST = ".manifest.json"
MANIFEST_FORMAT = "aiwire.site-manifest/1"
EPOCH = "1970-01-01T00:00:00Z"
SITE_DIR = Path(__file__).parent


@dataclass(frozen=True)
class Output:
    """One file of the site: where it goes, what it is made from, how to make it.

    ``key`` is a hash of everything the content depends on; None means "always make it".
    """

    path: str
    key: str | None
    produce: Callable[[], str | bytes]


@dataclass
class BuildReport:
    files: int = 0                     # files in the published site (manifest excluded)
    rendered: list[str] = field(default_factory=list)   # made this build
    reused: int = 0                    # unchanged, linked from the previous build
    removed: list[str] = field(default_factory=list)    # in the previous build, gone now


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """A hash of the site's code, templates and static files: any change re-renders all."""
    digest = hashlib.sha256()
    for path in sorted(SITE_DIR.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(SITE_DIR).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _key(*parts: Any) -> str:
    text = json.dumps([code_fingerprint(), *parts], sort_keys=True, ensure_ascii=False,
                      default=str)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def site_outputs(document: dict[str, Any], site_url: str | None = None,
                 parts: dict[str, StoryPart] | None = None,
                 compiled: Path | None = None,
                 fragments: Path | None = None) -> list[Output]:
    """Every file of the site, sorted by path; each made only if the build needs it.

    ``site_url`` (feeds.yaml ``settings.site_url``) makes canonical, og:url, feed and
    email links absolute; without it the site stays relative. ``parts``
    (:mod:`aiwire.site.parts`, every story of ``document``) bring each story's view and
    content key: a story's page is then keyed by its content and made only when needed.
    ``compiled`` is a folder where compiled templates are kept between builds,
    ``fragments`` the file where story pages' pieces are (:mod:`aiwire.site.fragments`)."""
    parts = parts or {}
    site = build_site_model(document, {sid: p.view for sid, p in parts.items()},
                            {sid: p.refs for sid, p in parts.items()})
    env = environment()
    if compiled is not None:   # jinja checks each template's source against its copy
        compiled.mkdir(parents=True, exist_ok=True)
        env.bytecode_cache = FileSystemBytecodeCache(str(compiled))
    pages = [with_meta(page, site_url) for page in all_pages(site, stories=not parts)]
    keys = [_key(page.template, page.context) for page in pages]
    repeated = {k for k, n in Counter(keys).items() if n > 1}
    shared: dict[str, str | bytes] = {}
    outputs = [Output(page.path, key, _once(key, lambda page=page: render(env, page),
                                            shared if key in repeated else None))
               for page, key in zip(pages, keys)]
    if parts:   # the page is a function of the story's view, its weeks and the site URL
        kept = Fragments(fragments, code_fingerprint(), set(site.stories)) if fragments else None

        def make_story(sid: str) -> str:
            page = with_meta(story_page(site, sid), site_url)
            return kept.render(env, page, sid) if kept else render(env, page)

        outputs += [Output(story_path(site, sid),
                           _key("story.html", parts[sid].digest, site.stories[sid]["weeks"],
                                site_url),
                           lambda sid=sid: make_story(sid))
                    for sid in sorted(site.stories)]
        # an entity's page is a function of the stories that name it (and the site URL)
        outputs += [Output(entity_path(site, eid),
                           _key("entity.html", eid, [[sid, parts[sid].digest]
                                                     for sid in site.entities[eid]["stories"]],
                                site_url),
                           lambda eid=eid: render(env, with_meta(entity_page(site, eid),
                                                                 site_url)))
                    for eid in sorted(site.entities)]
    for path, args in feed_specs(site, site_url):
        outputs.append(Output(path, _key("atom", args), lambda args=args: atom(**args)))
    for week in site.weeks:  # the newsletter: digest/<week>/email.html and email.txt
        view = week_view(site, week, site_url)
        outputs.append(Output(f"digest/{week}/email.html", _key("email.html", view),
                              lambda view=view: email_html(env, view)))
        outputs.append(Output(f"digest/{week}/email.txt", _key("email.txt", view),
                              lambda view=view: email_text(view)))
    for week in site.weeks:
        outputs.append(Output(f"stix/{week}.json", _key("stix", bundle_inputs(site, week)),
                              lambda week=week: bundle_json(site, week)))
    generated = dict(search_files(site))
    # the export per ISO week: a new week adds a file, older weeks keep their bytes
    exports = {f"export/{week}.json": document_text(part, parts) + "\n"
               for week, part in week_documents(document).items()}
    # compact: the same document as `aiwire export`, without the indentation
    exports["export.json"] = document_text(document, parts) + "\n"
    outputs += [Output(path, _key(path, text), lambda text=text: text)
                for path, text in generated.items()]
    outputs += [Output(path, _key(path, _digest(text)), lambda text=text: text)
                for path, text in exports.items()]
    for file in sorted((SITE_DIR / "static").iterdir()):
        if file.is_file():
            outputs.append(Output(f"static/{file.name}", _key(file.name),
                                  lambda file=file: file.read_bytes()))
    return sorted(outputs, key=lambda o: o.path)


def _once(key: str, produce: Callable[[], str | bytes],
          made: dict[str, str | bytes] | None) -> Callable[[], str | bytes]:
    """``produce``, made once per build for pages that share their key: the same template
    and context give the same bytes (the pages left at every address merged into one
    story are one page, however many)."""
    if made is None:
        return produce

    def once() -> str | bytes:
        if key not in made:
            made[key] = produce()
        return made[key]
    return once


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _load_manifest(out: Path) -> dict[str, dict[str, Any]]:
    try:
        manifest = json.loads((out / MANIFEST).read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(manifest, dict) or manifest.get("format") != MANIFEST_FORMAT:
        return {}
    files = manifest.get("files")
    return files if isinstance(files, dict) else {}


def _reusable(out: Path, path: str, key: str | None, previous: dict[str, Any]) -> bool:
    entry = previous.get(path)
    if key is None or not isinstance(entry, dict) or entry.get("key") != key:
        return False
    try:
        return (out / path).stat().st_size == entry.get("size")
    except OSError:
        return False


def _link_or_copy(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def _swap_in(staging: Path, out: Path) -> None:
    old = None
    if out.exists():
        old = out.with_name(f".{out.name}-old-{os.getpid()}")
        if old.exists():
            shutil.rmtree(old)
        out.rename(old)
    staging.rename(out)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def publish(outputs: list[Output], out: Path,
            state: dict[str, Any] | None = None) -> BuildReport:
    """Write ``outputs`` as the site in ``out``: only what changed, never half a file.

    Changed files (up to half of them, :data:`IN_PLACE_SHARE`) are replaced in place in
    the previous build, each atomically; more, or no valid previous build, and the whole
    site is staged and swapped in. ``state`` (:func:`aiwire.site.incremental.build_state`)
    is kept in the manifest, so the next build with the same state need not build at all."""
    out = Path(out)
    previous = _load_manifest(out) if out.is_dir() else {}
    stale = {o.path for o in outputs if not _reusable(out, o.path, o.key, previous)}
    if previous:
        gone = sorted(set(previous) - {o.path for o in outputs})
        if len(stale) + len(gone) <= len(outputs) // IN_PLACE_SHARE:
            return _publish_in_place([o for o in outputs if o.path in stale], gone, out,
                                     previous, state, len(outputs))
    report = BuildReport()
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}-build-", dir=out.parent))
    try:
        manifest: dict[str, dict[str, Any]] = {}
        made_dirs: set[Path] = set()
        for output in outputs:
            target = staging / output.path
            if target.parent not in made_dirs:
                target.parent.mkdir(parents=True, exist_ok=True)
                made_dirs.add(target.parent)
            if output.path not in stale:
                _link_or_copy(out / output.path, target)
                manifest[output.path] = previous[output.path]
                report.reused += 1
                continue
            manifest[output.path] = _write(output, target)
            report.rendered.append(output.path)
        report.files = len(manifest)
        report.removed = sorted(set(previous) - set(manifest))
        _write_manifest(staging / MANIFEST, manifest, state)
        staging.chmod(0o755)
        _swap_in(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return report


# In place when at most this share of the files changes (1 in 2). A swap links every file
# of the site into a new folder and removes the old one, work that grows with the whole
# history (1,100 folders removed took 1.6 s in a 4,000-article week); in place, a build
# costs what it changes. Beyond half, a swap costs about the same and readers never see a
# half-updated site.
IN_PLACE_SHARE = 2
# A manifest entry for a file being replaced or removed: matches no key, so a build
# killed mid-way makes (or removes) the file again instead of trusting it.
PENDING = {"key": None, "size": -1, "sha256": None}


def _write(output: Output, target: Path) -> dict[str, Any]:
    content = output.produce()
    data = content.encode("utf-8") if isinstance(content, str) else content
    target.write_bytes(data)
    return {"key": output.key, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}


def _write_manifest(target: Path, files: dict[str, dict[str, Any]],
                    state: dict[str, Any] | None) -> None:
    target.write_text(json.dumps({"format": MANIFEST_FORMAT, "files": files, "state": state},
                                 indent=0, sort_keys=True) + "\n", encoding="utf-8")


def _replace_manifest(out: Path, staging: Path, files: dict[str, dict[str, Any]],
                      state: dict[str, Any] | None) -> None:
    _write_manifest(staging / MANIFEST, files, state)
    os.replace(staging / MANIFEST, out / MANIFEST)


def _prune(out: Path, folder: Path) -> None:
    """Remove ``folder`` and its parents up to ``out`` while they are empty."""
    while folder != out and out in folder.parents:
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent


def _publish_in_place(stale: list[Output], gone: list[str], out: Path,
                      previous: dict[str, dict[str, Any]], state: dict[str, Any] | None,
                      total: int) -> BuildReport:
    """Make the changed files in a staging folder beside the site (all of them first: an
    error leaves the site as it was), mark them pending in the manifest, move each into
    place with one rename, remove what is gone, then record the new manifest. A kill at
    any point leaves whole files and a manifest that claims nothing untrue."""
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}-build-", dir=out.parent))
    try:
        made = {output.path: _write(output, staging / str(i))
                for i, output in enumerate(stale)}
        files = dict(previous) | {path: dict(PENDING) for path in [*made, *gone]}
        _replace_manifest(out, staging, files, None)
        for i, output in enumerate(stale):
            target = out / output.path
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staging / str(i), target)
        for path in gone:
            (out / path).unlink(missing_ok=True)
            _prune(out, (out / path).parent)
            del files[path]
        files.update(made)
        _replace_manifest(out, staging, files, state)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return BuildReport(files=len(files), rendered=[o.path for o in stale],
                       reused=total - len(stale), removed=gone)


def site_document(store: Store) -> dict[str, Any]:
    """The export the site is built from; ``generated_at`` from the data, never the clock."""
    newest = store.scalar("SELECT max(published) FROM articles")
    return export_document(store, generated_at=newest or EPOCH)


def build(store: Store, out: Path, site_url: str | None = None) -> BuildReport:
    """Build the site for the store into ``out``, incrementally and atomically.

    Nothing changed since the build in ``out`` (same store changes, code and settings):
    no export, no rendering, the site stays as it is."""
    from aiwire.site.incremental import build_state, unchanged

    state = build_state(store, site_url=site_url)
    if unchanged(out, state, store):
        return BuildReport(files=len(_load_manifest(Path(out))),
                           reused=len(_load_manifest(Path(out))))
    corpus = site_corpus(store, out)
    return publish(site_outputs(corpus.document, site_url, corpus.parts,
                                templates_cache(out), fragment_cache(out)), out,
                   dict(state, content=corpus.content))


def templates_cache(out: Path) -> Path:
    """Compiled templates, kept beside the site with the story parts."""
    return cache_path(out).parent / "templates"


def fragment_cache(out: Path) -> Path:
    """Story pages' rendered pieces: a table of the site's parts cache file."""
    return cache_path(out)


def site_corpus(store: Store, out: Path) -> Corpus:
    """:func:`site_document` with every story's parts, made only for stories that changed
    since the last build into ``out`` (:mod:`aiwire.site.parts`)."""
    newest = store.scalar("SELECT max(published) FROM articles")
    return load_corpus(store, out, newest or EPOCH)


def build_site(store: Store, out: Path) -> int:
    """Render the site into ``out``; return the number of files it holds."""
    return build(store, out).files
