"""curation.yaml: the editors' corrections, checked line by line and applied on every build.

The file sits beside feeds.yaml. Editors merge two stories, split an article out of a
story, pin, hide or retitle a story, add a note, dismiss a contradiction flag with a
reason, and correct entities and ATLAS techniques::

    merge:
      - into: anthropic-accuses-alibaba-3f2a9c
        stories: [alibaba-shares-slide-81be07]
    split:
      - article: https://example.org/2026/11/explainer.html
        from: anthropic-accuses-alibaba-3f2a9c
    stories:
      - id: anthropic-accuses-alibaba-3f2a9c
        pin: true
        title: Anthropic accuses Alibaba of distilling Claude
        note: Alibaba's statement is expected on Monday.
    dismiss:
      - contradiction: 5d41402abc4b
        reason: The two figures count different things.
    entities:
      - id: open-weights          # noise: not an entity
        reject: true
      - id: qwen
        type: PRODUCT             # retype
      - id: alibaba-cloud
        alias_to: alibaba         # the same entity under another id
    techniques:
      - story: anthropic-accuses-alibaba-3f2a9c
        remove: [AML.T0051]
        add: [AML.T0024]

The file is stored as *intent* (tables ``story_curation``, ``curation_merges``,
``article_pins``, ``contradiction_dismissals``, ``entity_curation``,
``technique_curation``), apart from the analysis tables, so a re-analysis never erases
it; :func:`enforce` re-asserts it after every analysis, because the clusterer may later
join what an editor separated and the analyser re-derives entities and techniques.
Merges use the clusterer's tombstones (``story_redirects``), so old ids keep redirecting.

Every entry is checked on its own, syntax and references, and every problem is reported
at once with its line, a fix and the nearest known id (:class:`Issue`). ``aiwire
curation check`` only reads; ``aiwire run`` skips the bad entries and applies the rest.
"""

from __future__ import annotations

import difflib
import hashlib
import re
import sqlite3
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Literal

import yaml
from pydantic import (BaseModel, ConfigDict, Field, PrivateAttr, ValidationError,
                      field_validator, model_validator)

from aiwire.config import _fix_for, _nearest_line, check_http_url
from aiwire.errors import InputError
from aiwire.queries import Queries

if TYPE_CHECKING:       # the store pulls in sqlite-utils (and numpy): not for a quick check
    from aiwire.store import Store

CURATION_FILE = "curation.yaml"
ENTITY_TYPES = ("ORG", "PERSON", "PRODUCT", "THREAT_ACTOR", "CVE", "GPE")   # as in the KB
TECHNIQUE_ID = re.compile(r"^AML\.T\d{4}(\.\d{3})?$")
FIX_STORY = "use an id from `aiwire story list` (or the export)"
FIX_FLAG = "use an id from `aiwire story show STORY` (ids change when stories merge)"
FIX_ENTITY = "use an entity id from `aiwire review` or the export (`entities[].id`)"
FIX_TECHNIQUE = "use an ATLAS id from nlp/kb/atlas.yaml, like AML.T0051"


class _Loader(yaml.SafeLoader):
    """YAML without implicit numbers: ids are hex hashes, and an all-digit one
    (``000123456789``) must stay the string an editor copied, not become an int."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers
            if tag not in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}


# --- the entries ------------------------------------------------------------------------
class _Edit(BaseModel):
    """One entry of a section; remembers its place in the file for error lines."""

    model_config = ConfigDict(extra="forbid", strict=True, populate_by_name=True)
    _at: int = PrivateAttr(default=0)


class MergeEdit(_Edit):
    """Fold ``stories`` into ``into``; their ids redirect to it, its title stays."""

    into: str = Field(min_length=1)
    stories: list[str] = Field(min_length=1)


class SplitEdit(_Edit):
    """Take one article out of a story into a story of its own, for good."""

    article: str
    from_story: str = Field(alias="from", min_length=1)

    @field_validator("article")
    @classmethod
    def _url(cls, value: str) -> str:
        check_http_url(value)
        return value


class StoryEdit(_Edit):
    """Pin, hide, retitle or annotate one story."""

    id: str = Field(min_length=1)
    pin: bool = False
    hide: bool = False
    title: str | None = Field(None, min_length=1, max_length=300)
    note: str | None = Field(None, min_length=1, max_length=2000)

    @model_validator(mode="after")
    def _not_both(self) -> "StoryEdit":
        if self.pin and self.hide:
            raise ValueError("a story cannot be both pinned and hidden; drop `pin` or `hide`")
        return self


class DismissEdit(_Edit):
    """A contradiction flag an editor checked and found wanting, and why."""

    contradiction: str = Field(min_length=1)
    reason: str = Field(min_length=3, max_length=1000)


class EntityEdit(_Edit):
    """Reject a noise entity, retype one, or make it an alias of another id."""

    id: str = Field(min_length=1)
    reject: bool = False
    type: Literal[ENTITY_TYPES] | None = None  # type: ignore[valid-type]
    alias_to: str | None = Field(None, min_length=1)

    @model_validator(mode="after")
    def _one_action(self) -> "EntityEdit":
        if sum((self.reject, self.type is not None, self.alias_to is not None)) != 1:
            raise ValueError("give exactly one of `reject: true`, `type:` or `alias_to:`")
        return self

    @property
    def action(self) -> tuple[str, str | None]:
        if self.reject:
            return "reject", None
        return ("retype", self.type) if self.type else ("alias", self.alias_to)


class TechniqueEdit(_Edit):
    """Remove or add ATLAS techniques on one story."""

    story: str = Field(min_length=1)
    add: list[str] = Field(default_factory=list)
    remove: list[str] = Field(default_factory=list)

    @field_validator("add", "remove")
    @classmethod
    def _ids(cls, value: list[str]) -> list[str]:
        for item in value:
            if not TECHNIQUE_ID.match(item):
                raise ValueError(f"{item!r} is not an ATLAS technique id (like AML.T0051)")
        return value

    @model_validator(mode="after")
    def _something(self) -> "TechniqueEdit":
        if not self.add and not self.remove:
            raise ValueError("give `add:` or `remove:` (a list of technique ids)")
        if set(self.add) & set(self.remove):
            raise ValueError("a technique cannot be both added and removed")
        return self


SECTIONS: dict[str, type[_Edit]] = {
    "merge": MergeEdit, "split": SplitEdit, "stories": StoryEdit, "dismiss": DismissEdit,
    "entities": EntityEdit, "techniques": TechniqueEdit}


class CurationFile(BaseModel):
    """The valid entries of each section (bad ones are left out and reported)."""

    merge: list[MergeEdit] = Field(default_factory=list)
    split: list[SplitEdit] = Field(default_factory=list)
    stories: list[StoryEdit] = Field(default_factory=list)
    dismiss: list[DismissEdit] = Field(default_factory=list)
    entities: list[EntityEdit] = Field(default_factory=list)
    techniques: list[TechniqueEdit] = Field(default_factory=list)


# --- problems -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Issue:
    """One problem in curation.yaml: where, what, how to fix it, the nearest known id."""

    path: str
    line: int | None
    message: str
    fix: str
    suggestion: str | None = None

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        text = f"{where}: {self.message}"
        if self.suggestion:
            text += f" (did you mean {self.suggestion!r}?)"
        return f"{text}\n  fix: {self.fix}"

    def as_dict(self) -> dict[str, Any]:
        return {"path": self.path, "line": self.line, "message": self.message,
                "fix": self.fix, "suggestion": self.suggestion}


class CurationError(InputError):
    """curation.yaml has problems: all of them, one per line of the message (exit 2)."""

    def __init__(self, issues: list[Issue]) -> None:
        first = issues[0]
        super().__init__(first.message, path=first.path, line=first.line, fix=first.fix)
        self.issues = issues
        count = f"\n{len(issues)} problems in {first.path}" if len(issues) > 1 else ""
        self.args = ("\n".join(str(i) for i in issues) + count,)

    def __str__(self) -> str:
        return self.args[0]


def nearest(value: str, candidates: Iterable[str]) -> str | None:
    """The known id closest to a mistyped one, if any is close enough to be a typo."""
    found = difflib.get_close_matches(value, list(candidates), n=1, cutoff=0.6)
    return found[0] if found else None


# --- the parsed file ----------------------------------------------------------------------
@dataclass
class Curation:
    """A read curation.yaml: its valid entries, the line of every key, and its problems.

    ``readable`` is False when the file could not be read as a whole (bad YAML, not a
    mapping): then a run keeps the intent stored from the last good file instead of
    dropping every pin and hide.
    """

    edits: CurationFile = field(default_factory=CurationFile)
    source: str = CURATION_FILE
    lines: dict[tuple, int] = field(default_factory=dict)
    issues: list[Issue] = field(default_factory=list)
    readable: bool = True
    syntax_issues: int | None = None   # how many of ``issues`` come from reading the file

    def line(self, *loc: Any) -> int | None:
        return _nearest_line(self.lines, tuple(loc)) if self.lines else None

    def issue(self, message: str, loc: tuple, fix: str, suggestion: str | None = None) -> Issue:
        found = Issue(self.source, self.line(*loc), message, fix, suggestion)
        self.issues.append(found)
        return found

    def raise_if_issues(self) -> None:
        if self.issues:
            raise CurationError(sorted(self.issues, key=_issue_order))


def _issue_order(issue: Issue) -> tuple:
    return (issue.line or 0, issue.message)


@dataclass
class CurationReport:
    merged: int = 0           # merges that moved articles this time
    split: int = 0            # articles moved back into their own story this time
    pinned: int = 0
    hidden: int = 0
    retitled: int = 0
    notes: int = 0
    dismissed: int = 0
    entities: int = 0         # entity corrections in force
    techniques: int = 0       # technique corrections in force
    changed: bool = False     # stories or contradictions were recomputed
    skipped: list[str] = field(default_factory=list)   # bad entries left out (a run)

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _lines(node: yaml.Node, curation: Curation, path: tuple = ()) -> None:
    """Record the 1-based line of each key path; a duplicate key is an issue."""
    curation.lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        seen: set = set()
        for key_node, value_node in node.value:
            key = key_node.value
            line = key_node.start_mark.line + 1
            if key in seen:
                curation.issues.append(Issue(curation.source, line, f"duplicate key {key!r}",
                                             "remove one of the two entries"))
            seen.add(key)
            curation.lines.setdefault(path + (key,), line)
            _lines(value_node, curation, path + (key,))
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _lines(item, curation, path + (index,))


def read_curation_text(text: str, source: str = CURATION_FILE) -> Curation:
    """Parse curation.yaml text, keeping every valid entry and noting every bad one."""
    curation = Curation(source=source)
    try:
        root = yaml.compose(text, Loader=_Loader)
        data = yaml.load(text, Loader=_Loader)  # noqa: S506 (a safe loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        curation.readable = False
        curation.issues.append(Issue(source, mark.line + 1 if mark else None,
                                     f"not valid YAML: {getattr(exc, 'problem', exc)}",
                                     "check indentation and quoting on this line"))
        return curation
    if root is None:
        return curation
    _lines(root, curation)
    if not isinstance(data, dict):
        curation.readable = False
        curation.issue("the top level must be a mapping (" + ", ".join(SECTIONS) + ")", (),
                       "start the file with one of those keys")
        return curation
    for key, value in data.items():
        model = SECTIONS.get(key)
        if model is None:
            curation.issue(f"unknown section {key!r}", (key,),
                           f"use one of: {', '.join(SECTIONS)}",
                           nearest(str(key), SECTIONS))
            continue
        if value is None:
            continue
        if not isinstance(value, list):
            curation.issue(f"{key}: must be a list of entries (lines starting with '- ')",
                           (key,), f"write `{key}:` then one `- ...` entry per line")
            continue
        kept = getattr(curation.edits, key)
        for index, item in enumerate(value):
            entry = _validate(curation, key, model, index, item)
            if entry is not None:
                kept.append(entry)
    _no_duplicates(curation)
    return curation


def _validate(curation: Curation, key: str, model: type[_Edit], index: int,
              item: Any) -> _Edit | None:
    try:
        entry = model.model_validate(item)
    except ValidationError as exc:
        names = [f.alias or n for n, f in model.model_fields.items()]
        for error in exc.errors():
            loc = (key, index, *error["loc"])
            where = ".".join(f"[{p}]" if isinstance(p, int) else str(p) for p in loc)
            msg = error["msg"].removeprefix("Value error, ")
            suggestion = None
            if error["type"] == "extra_forbidden":
                suggestion = nearest(str(error["loc"][-1]), names)
            curation.issue(f"{where.replace('.[', '[')}: {msg}", loc,
                           _fix_for(error, names), suggestion)
        return None
    entry._at = index
    return entry


def _no_duplicates(curation: Curation) -> None:
    """One entry per story in `stories`, per entity in `entities`; later ones are bad."""
    for section, attr in (("stories", "id"), ("entities", "id"), ("techniques", "story")):
        seen: dict[str, int] = {}
        kept = []
        for entry in getattr(curation.edits, section):
            value = getattr(entry, attr)
            if value in seen:
                curation.issue(f"{value!r} is listed twice in `{section}` (first on line "
                               f"{curation.line(section, seen[value])})",
                               (section, entry._at, attr),
                               "put every change to one item in one entry")
                continue
            seen[value] = entry._at
            kept.append(entry)
        setattr(curation.edits, section, kept)


def parse_curation(text: str, source: str = CURATION_FILE) -> Curation:
    """Parse and validate curation.yaml text; raise CurationError naming every bad line."""
    curation = read_curation_text(text, source)
    curation.raise_if_issues()
    return curation


def read_curation(path: str | Path) -> Curation:
    """Read curation.yaml, noting problems instead of raising; a missing file is empty."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Curation(source=str(path))
    except UnicodeDecodeError as exc:
        return Curation(source=str(path), readable=False, issues=[Issue(
            str(path), None, f"not UTF-8 text ({exc.reason})", "save the file as UTF-8")])
    except OSError as exc:
        return Curation(source=str(path), readable=False, issues=[Issue(
            str(path), None, f"cannot be read ({exc.strerror})",
            "check the path and its permissions")])
    return read_curation_text(text, source=str(path))


def load_curation(path: str | Path) -> Curation:
    """Read curation.yaml; raise CurationError on any problem. A missing file is empty."""
    curation = read_curation(path)
    curation.raise_if_issues()
    return curation


def curation_path_for(feeds: Path) -> Path:
    """The default curation.yaml: beside feeds.yaml."""
    return Path(feeds).parent / CURATION_FILE


# --- reading the store without writing ----------------------------------------------------
READ_TABLES = {"articles", "stories", "story_articles", "story_redirects", "contradictions",
               "entities", "mentions", "story_techniques", "article_techniques", "runs",
               "article_pins", "story_curation", "contradiction_dismissals",
               "entity_curation", "technique_curation", "merge_titles"}


class ReadOnlyStore(Queries):
    """The database opened read-only (``mode=ro``): what `curation check` and `review`
    read through, so they cannot change it."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        if not self.path.is_file():
            raise InputError("no such database", path=str(path),
                             fix="pass --db PATH, or run `aiwire run` first")
        # With a WAL beside it, read through it (it may hold the newest commits); with
        # none, open the file as immutable so SQLite creates no -wal/-shm files either.
        wal = self.path.with_name(self.path.name + "-wal").exists()
        uri = f"{self.path.resolve().as_uri()}?mode=ro" + ("" if wal else "&immutable=1")
        try:
            self.conn = sqlite3.connect(uri, uri=True)
            tables = {r[0] for r in self.conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'")}
        except sqlite3.DatabaseError as exc:
            raise InputError(f"cannot read the database ({exc})", path=str(path),
                             fix="check the file is an aiwire database") from None
        # the tables this module reads (not the schema version: importing the store
        # module costs more than the whole check)
        missing = sorted(READ_TABLES - tables)
        if missing:
            self.conn.close()
            raise InputError(f"not an aiwire database of this version (no table "
                             f"{missing[0]})", path=str(path),
                             fix="run `aiwire build` once with this aiwire to upgrade it, "
                                 "or pass the right --db")

    def close(self) -> None:
        self.conn.close()


# --- the store's view of stories ----------------------------------------------------------
def redirects(store: Any) -> dict[str, str]:
    return {r["old_id"]: r["new_id"] for r in store.rows("SELECT * FROM story_redirects")}


def resolve(story_id: str, moved: dict[str, str]) -> str:
    """Follow merge tombstones to the story an id stands for now."""
    seen = {story_id}
    while story_id in moved:
        story_id = moved[story_id]
        if story_id in seen:
            break
        seen.add(story_id)
    return story_id


def _story_ids(store: Any) -> set[str]:
    return {r["id"] for r in store.rows("SELECT id FROM stories")}


def _known_story_ids(store: Any) -> set[str]:
    """Ids an editor may cite: live stories, merged-away ids, split stories."""
    known = _story_ids(store) | set(redirects(store))
    known |= {r["story_id"] for r in store.rows("SELECT story_id FROM article_pins")}
    return known


def _article_for(store: Any, url: str) -> dict[str, Any] | None:
    found = store.rows("SELECT id, url, title FROM articles WHERE url = ? OR original_url = ?",
                       (url, url))
    if not found:
        from aiwire.collector.urls import canonical_url

        found = store.rows("SELECT id, url, title FROM articles WHERE url = ?",
                           (canonical_url(url),))
    return found[0] if found else None


def _story_of(store: Any, article_id: int) -> str | None:
    return store.scalar("SELECT story_id FROM story_articles WHERE article_id = ?",
                        (article_id,))


def _split_story_id(store: Any, article: dict[str, Any], origin: str) -> str:
    """A new, stable id for a split article: from its title and url, never one in use."""
    from aiwire.nlp.stories import story_id_for

    taken = _story_ids(store) | set(redirects(store)) | {origin}
    candidate = story_id_for(article["title"] or "", article["url"])
    n = 1
    while candidate in taken:      # another hash, not a suffix: ids stay within 40 chars
        candidate = story_id_for(article["title"] or "", f"{article['url']}#split{n}")
        n += 1
    return candidate


# --- references: check every entry against the store, keep the good ones -----------------
@dataclass
class Intent:
    """The rows each intent table should hold, from the entries that passed."""

    merges: list[tuple] = field(default_factory=list)
    pins: list[tuple] = field(default_factory=list)
    stories: list[tuple] = field(default_factory=list)
    dismissals: list[tuple] = field(default_factory=list)
    entities: list[tuple] = field(default_factory=list)
    techniques: list[tuple] = field(default_factory=list)


def check_references(store: Any, curation: Curation) -> Intent:
    """Check every reference of every entry against the store, reading only.

    A bad entry becomes an :class:`Issue` on ``curation`` and is left out of the
    returned intent; the rest stands. Stories a split creates are citable in the same
    file. Checking again (after a run has collected and analysed) replaces the reference
    problems found before: an article that arrived meanwhile is no longer missing.
    """
    if curation.syntax_issues is None:
        curation.syntax_issues = len(curation.issues)
    del curation.issues[curation.syntax_issues:]
    merges, pins = _structural_intent(store, curation)
    split_ids = {story_id for _a, story_id, _f in pins}
    return Intent(merges=merges, pins=pins,
                  stories=_story_intent(store, curation, split_ids),
                  dismissals=_dismiss_intent(store, curation),
                  entities=_entity_intent(store, curation),
                  techniques=_technique_intent(store, curation, split_ids))


def _unknown_story(curation: Curation, story_id: str, loc: tuple, known: set[str]) -> None:
    curation.issue(f"unknown story id {story_id!r}", loc, FIX_STORY, nearest(story_id, known))


def _structural_intent(store: Any, curation: Curation) -> tuple[list[tuple], list[tuple]]:
    """Check merge and split references; return the rows for their intent tables."""
    edits = curation.edits
    known = _known_story_ids(store)
    moved = redirects(store)
    merges: dict[str, str] = {}
    merge_entry: dict[str, int] = {}
    for merge in edits.merge:
        i = merge._at
        if merge.into not in known:
            _unknown_story(curation, merge.into, ("merge", i, "into"), known)
            continue
        for j, other in enumerate(merge.stories):
            if other not in known:
                _unknown_story(curation, other, ("merge", i, "stories", j), known)
                continue
            if other == merge.into or other in merges:
                curation.issue(f"story {other!r} is merged twice or into itself",
                               ("merge", i, "stories", j), "list each story once")
                continue
            merges[other] = merge.into
            merge_entry[other] = i
    pinned = {r["article_id"]: r for r in store.rows("SELECT * FROM article_pins")}
    pins: list[tuple] = []
    for split in edits.split:
        i = split._at
        article = _article_for(store, split.article)
        if article is None:
            urls = [r["url"] for r in store.rows("SELECT url FROM articles")]
            curation.issue(f"no article with URL {split.article!r} in the store",
                           ("split", i, "article"), "copy the URL from the story page",
                           nearest(split.article, urls))
            continue
        if split.from_story not in known:
            _unknown_story(curation, split.from_story, ("split", i, "from"), known)
            continue
        previous = pinned.get(article["id"])
        if previous is not None and previous["from_story"] == split.from_story:
            pins.append((article["id"], previous["story_id"], split.from_story))
            continue
        origin = resolve(split.from_story, moved)
        current = _story_of(store, article["id"])
        if current != origin:
            curation.issue(
                f"article {split.article!r} is not in story {split.from_story!r}"
                + (f" (it is in {current!r})" if current else " (it is in no story)"),
                ("split", i, "from"), "name the story the article is in now", current)
            continue
        count = store.scalar("SELECT count(*) FROM story_articles WHERE story_id = ?",
                             (origin,))
        if count < 2:
            curation.issue(f"story {split.from_story!r} has only this article",
                           ("split", i, "article"), "remove this split: nothing to split")
            continue
        pins.append((article["id"], _split_story_id(store, article, origin), split.from_story))
    split_ids = {story_id for _a, story_id, _f in pins}
    for absorb in list(merges):
        if absorb in split_ids:
            curation.issue(f"story {absorb!r} is both split and merged",
                           ("merge", merge_entry[absorb]), "keep either the split or the merge")
            del merges[absorb]
    return sorted(merges.items()), pins


def _story_intent(store: Any, curation: Curation, split_ids: set[str]) -> list[tuple]:
    known = _known_story_ids(store) | split_ids
    rows = []
    for edit in curation.edits.stories:
        if edit.id not in known:
            _unknown_story(curation, edit.id, ("stories", edit._at, "id"), known)
            continue
        rows.append((edit.id, int(edit.pin), int(edit.hide), edit.title, edit.note))
    return rows


def _dismiss_intent(store: Any, curation: Curation) -> list[tuple]:
    known = {r["id"] for r in store.rows("SELECT id FROM contradictions")}
    known |= {r["contradiction_id"] for r in store.rows(
        "SELECT contradiction_id FROM contradiction_dismissals")}
    rows = []
    for edit in curation.edits.dismiss:
        if edit.contradiction not in known:
            curation.issue(f"unknown contradiction id {edit.contradiction!r}",
                           ("dismiss", edit._at, "contradiction"), FIX_FLAG,
                           nearest(edit.contradiction, known))
            continue
        rows.append((edit.contradiction, edit.reason))
    return rows


def _entity_intent(store: Any, curation: Curation) -> list[tuple]:
    known = {r["id"] for r in store.rows("SELECT id FROM entities")}
    edits = curation.edits.entities
    moving = {e.id for e in edits if e.reject or e.alias_to}
    rows = []
    for edit in edits:
        if edit.id not in known:
            curation.issue(f"unknown entity id {edit.id!r}", ("entities", edit._at, "id"),
                           FIX_ENTITY, nearest(edit.id, known))
            continue
        action, value = edit.action
        if action == "alias":
            if value not in known:
                curation.issue(f"unknown entity id {value!r}",
                               ("entities", edit._at, "alias_to"), FIX_ENTITY,
                               nearest(value, known))
                continue
            if value == edit.id or value in moving:
                curation.issue(f"entity {edit.id!r} cannot be an alias of {value!r}: it is "
                               "itself, or rejected or an alias", ("entities", edit._at,
                                                                    "alias_to"),
                               "point `alias_to` at the id that stays")
                continue
        rows.append((edit.id, action, value))
    return rows


def _technique_intent(store: Any, curation: Curation, split_ids: set[str]) -> list[tuple]:
    if not curation.edits.techniques:
        return []
    names = known_techniques()
    stories = _known_story_ids(store) | split_ids
    rows = []
    for edit in curation.edits.techniques:
        if edit.story not in stories:
            _unknown_story(curation, edit.story, ("techniques", edit._at, "story"), stories)
            continue
        for action, ids in (("add", edit.add), ("remove", edit.remove)):
            for j, technique in enumerate(ids):
                if technique not in names:
                    curation.issue(f"unknown ATLAS technique {technique!r}",
                                   ("techniques", edit._at, action, j), FIX_TECHNIQUE,
                                   nearest(technique, names))
                    continue
                rows.append((edit.story, technique, action))
    return rows


@lru_cache(maxsize=1)
def known_techniques() -> dict[str, str]:
    """ATLAS ids and names of the knowledge base, read without compiling its cue patterns
    (which the tagger needs and a check of ids does not)."""
    from importlib import resources

    text = resources.files("aiwire.nlp").joinpath("kb/atlas.yaml").read_text("utf-8")
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)     # libyaml when built with it
    return {t["id"]: t["name"] for t in yaml.load(text, Loader=loader)["techniques"]}  # noqa: S506


def check_file(path: str | Path, db: str | Path | None) -> tuple[Curation, bool]:
    """`aiwire curation check`: every problem of a curation.yaml, reading only.

    Returns the curation (with ``issues``) and whether references were checked (False
    when there is no database yet).
    """
    curation = read_curation(path)
    if db is None or not Path(db).is_file():
        return curation, False
    store = ReadOnlyStore(db)
    try:
        check_references(store, curation)
    finally:
        store.close()
    curation.issues.sort(key=_issue_order)
    return curation, True


# --- intent: store what editors asked for -------------------------------------------------
def _sync(store: Store, table: str, columns: tuple[str, ...], rows: list[tuple]) -> bool:
    """Make ``table`` hold exactly ``rows``; write nothing when it already does."""
    order = ", ".join(columns)
    current = [tuple(r[c] for c in columns)
               for r in store.rows(f"SELECT {order} FROM {table} ORDER BY {order}")]
    wanted = sorted(set(rows), key=lambda r: tuple("" if v is None else str(v) for v in r))
    if sorted(current, key=lambda r: tuple("" if v is None else str(v) for v in r)) == wanted:
        return False
    store.conn.execute(f"DELETE FROM {table}")
    store.conn.executemany(
        f"INSERT INTO {table} ({order}) VALUES ({', '.join('?' * len(columns))})", wanted)
    return True


def apply_curation(store: Store, curation: Curation, *, skip_bad: bool = False
                   ) -> CurationReport:
    """Check every reference, store the intent and apply it, all in one transaction.

    Run after analysis. By default any problem raises :class:`CurationError` naming
    every bad line, and nothing of the file is stored. With ``skip_bad`` (the weekly
    run) bad entries are left out, listed in ``report.skipped``, and the rest applies;
    a file that cannot be read at all leaves the stored intent as it was. Applying the
    same file twice changes nothing.
    """
    if not skip_bad and not curation.readable:
        curation.raise_if_issues()
    with store.transaction():
        if curation.readable:
            intent = check_references(store, curation)
            if not skip_bad:
                curation.raise_if_issues()      # every problem at once; nothing stored
            _sync(store, "curation_merges", ("absorb", "into_id"), intent.merges)
            _sync(store, "article_pins", ("article_id", "story_id", "from_story"), intent.pins)
            _sync(store, "story_curation", ("story_id", "pinned", "hidden", "title", "note"),
                  intent.stories)
            _sync(store, "entity_curation", ("entity_id", "action", "value"), intent.entities)
            if _sync(store, "technique_curation", ("story_id", "technique_id", "action"),
                     intent.techniques):
                _recompute(store)   # a removed line's technique comes back, an added goes
        report = enforce(store)
        if curation.readable:
            _sync(store, "contradiction_dismissals", ("contradiction_id", "reason"),
                  intent.dismissals)
        report = _count(store, report)
    seen: set[str] = set()
    for issue in sorted(curation.issues, key=_issue_order):
        if str(issue) not in seen:
            seen.add(str(issue))
            report.skipped.append(str(issue))
    return report


def _count(store: Store, report: CurationReport) -> CurationReport:
    for name, sql in (("pinned", "pinned = 1"), ("hidden", "hidden = 1"),
                      ("retitled", "title IS NOT NULL"), ("notes", "note IS NOT NULL")):
        setattr(report, name, store.scalar(f"SELECT count(*) FROM story_curation WHERE {sql}"))
    report.dismissed = store.scalar("SELECT count(*) FROM contradiction_dismissals")
    report.entities = store.scalar("SELECT count(*) FROM entity_curation")
    report.techniques = store.scalar("SELECT count(*) FROM technique_curation")
    return report


# --- effect: re-assert merges, splits, entities, techniques, titles -----------------------
def enforce(store: Store) -> CurationReport:
    """Re-assert stored intent; recompute stories and flags only on a change.

    Idempotent: when everything is already as editors asked, nothing is written.
    """
    from aiwire.nlp.stories import fold_story

    report = CurationReport()
    with store.transaction():
        live = _story_ids(store)
        for row in store.rows("SELECT absorb, into_id FROM curation_merges ORDER BY absorb"):
            moved = redirects(store)
            absorb, keep = resolve(row["absorb"], moved), resolve(row["into_id"], moved)
            if absorb != keep and absorb in live and keep in live:
                # the target keeps the title it had: the merged-in reports do not rename it
                store.conn.execute("INSERT OR IGNORE INTO merge_titles (story_id, title) "
                                   "SELECT id, title FROM stories WHERE id = ?", (keep,))
                fold_story(store, keep=keep, absorb=absorb)
                live.discard(absorb)
                report.merged += 1
        for pin in store.rows("SELECT * FROM article_pins ORDER BY article_id"):
            current = _story_of(store, pin["article_id"])
            if current is None or current == pin["story_id"]:
                continue      # not analysed now (a duplicate, off-topic) or already in place
            title = store.scalar("SELECT title FROM articles WHERE id = ?",
                                 (pin["article_id"],)) or ""
            store.conn.execute("DELETE FROM story_redirects WHERE old_id = ?",
                               (pin["story_id"],))
            store.conn.execute("INSERT OR IGNORE INTO stories (id, title) VALUES (?, ?)",
                               (pin["story_id"], title))
            store.conn.execute("UPDATE story_articles SET story_id = ? WHERE article_id = ?",
                               (pin["story_id"], pin["article_id"]))
            report.split += 1
        entities_changed = _enforce_entities(store)
        if report.merged or report.split or entities_changed:
            _recompute(store)
            report.changed = True
        _enforce_techniques(store)
        _enforce_titles(store)
    return report


def _enforce_entities(store: Store) -> bool:
    """Reject, retype and alias entities in the analysis tables; True if a row moved."""
    moved = 0
    known = {r["id"] for r in store.rows("SELECT id FROM entities")}
    for row in store.rows("SELECT * FROM entity_curation ORDER BY entity_id"):
        entity, action, value = row["entity_id"], row["action"], row["value"]
        if action == "retype":
            store.conn.execute("UPDATE entities SET type = ? WHERE id = ? AND type != ?",
                               (value, entity, value))
            continue
        if action == "alias" and value not in known:
            continue          # the target is gone from the store: nothing to point at
        target = value if action == "alias" else None
        cursor = (store.conn.execute("DELETE FROM mentions WHERE entity_id = ?", (entity,))
                  if target is None else
                  store.conn.execute("UPDATE mentions SET entity_id = ? WHERE entity_id = ?",
                                     (target, entity)))
        moved += cursor.rowcount
        for table, column in (("figures", "subject"), ("claims", "speaker"),
                              ("assertions", "subject")):
            moved += store.conn.execute(f"UPDATE {table} SET {column} = ? WHERE {column} = ?",
                                        (target, entity)).rowcount
    return moved > 0


def _enforce_techniques(store: Store) -> None:
    rows = store.rows("SELECT * FROM technique_curation ORDER BY story_id, technique_id")
    if not rows:
        return
    names = known_techniques()
    moved = redirects(store)
    live = _story_ids(store)
    for row in rows:
        story = resolve(row["story_id"], moved)
        if story not in live:
            continue
        technique = row["technique_id"]
        if row["action"] == "remove":
            store.conn.execute("DELETE FROM story_techniques WHERE story_id = ? AND "
                               "technique_id = ?", (story, technique))
            continue
        if store.scalar("SELECT 1 FROM story_techniques WHERE story_id = ? AND "
                        "technique_id = ?", (story, technique)):
            continue
        url = store.scalar("SELECT a.url FROM story_articles s JOIN articles a ON "
                           "a.id = s.article_id WHERE s.story_id = ? ORDER BY a.published, "
                           "a.url LIMIT 1", (story,))
        store.conn.execute("INSERT INTO story_techniques (story_id, technique_id, name, "
                           "evidence, url) VALUES (?, ?, ?, ?, ?)",
                           (story, technique, names.get(technique, technique),
                            "added by the editors", url or ""))


def _enforce_titles(store: Store) -> None:
    """A story editors merged others into keeps its own title, not a merged-in one."""
    store.conn.execute("UPDATE stories SET title = (SELECT m.title FROM merge_titles m "
                       "WHERE m.story_id = stories.id) WHERE id IN (SELECT story_id FROM "
                       "merge_titles m WHERE m.title != stories.title)")


def _recompute(store: Store) -> None:
    from aiwire.nlp.contradictions import update_contradictions
    from aiwire.nlp.stories import (Similarity, drop_empty_stories, load_features,
                                    refresh_story_metadata)

    drop_empty_stories(store)
    features = load_features(store)
    refresh_story_metadata(store, features, Similarity(features))
    update_contradictions(store)


def intent_fingerprint(store: Store) -> str:
    """A short hash of the stored intent (for the run report and log)."""
    digest = hashlib.sha256()
    for table in ("story_curation", "curation_merges", "article_pins",
                  "contradiction_dismissals", "entity_curation", "technique_curation"):
        for row in store.rows(f"SELECT * FROM {table} ORDER BY 1"):
            digest.update(repr(sorted(row.items())).encode())
    return digest.hexdigest()[:12]


# --- reading, for the export and the terminal ---------------------------------------------
def story_curation(store: Any) -> dict[str, dict[str, Any]]:
    """Editors' changes per live story id (ids resolved through merges)."""
    moved = redirects(store)
    out: dict[str, dict[str, Any]] = {}
    for row in store.rows("SELECT * FROM story_curation ORDER BY story_id"):
        entry = out.setdefault(resolve(row["story_id"], moved),
                               {"pinned": False, "hidden": False, "title": None, "note": None})
        entry["pinned"] = entry["pinned"] or bool(row["pinned"])
        entry["hidden"] = entry["hidden"] or bool(row["hidden"])
        entry["title"] = row["title"] or entry["title"]
        entry["note"] = row["note"] or entry["note"]
    return out


def dismissals(store: Any) -> dict[str, str]:
    return {r["contradiction_id"]: r["reason"]
            for r in store.rows("SELECT * FROM contradiction_dismissals")}


def precheck(curation: Curation, db: str | Path) -> bool:
    """The weekly run's check before it collects: references against the store as it is,
    reading only. False when there is no database (of this schema) to check against;
    the references are checked again after analysis either way."""
    if not curation.readable or not Path(db).is_file():
        return False
    try:
        store = ReadOnlyStore(db)
    except InputError:
        return False
    try:
        check_references(store, curation)
    finally:
        store.close()
    return True
