"""feeds.yaml: the editors' list of feeds, validated with errors that name the line.

PyYAML gives us the node tree with line marks; pydantic gives precise validation.
We join them so every error says ``feeds.yaml:14: feeds[2].url ...`` and how to fix it.
"""

from __future__ import annotations

import ipaddress
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from aiwire.errors import InputError

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
DEFAULT_USER_AGENT = "aiwire/0.1 (+https://github.com/aiwire/aiwire)"
EMAIL = re.compile(r"^[^@\s<>]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$")


class SmtpSettings(BaseModel):
    """Where ``aiwire mail`` hands the newsletter over; the password is never in the file
    (it is read from the environment variable named by ``password_env``)."""

    model_config = ConfigDict(extra="forbid", strict=True)

    host: str = Field(min_length=1)
    port: int = Field(587, ge=1, le=65535)
    sender: str
    starttls: bool = True
    username: str | None = None
    password_env: str = Field("AIWIRE_SMTP_PASSWORD", pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")

    @field_validator("sender")
    @classmethod
    def _address(cls, value: str) -> str:
        if not EMAIL.match(value):
            raise ValueError("must be a mail address like digest@example.org")
        return value


class Settings(BaseModel):
    """Run-wide settings; every key is optional."""

    model_config = ConfigDict(extra="forbid", strict=True)

    user_agent: str = DEFAULT_USER_AGENT
    allow_private_networks: bool = False
    max_articles_per_feed: int = Field(50, ge=1, le=10_000)
    timeout_seconds: float = Field(20.0, gt=0, le=300)
    max_bytes: int = Field(5_000_000, ge=10_000, le=200_000_000)
    concurrency: int = Field(8, ge=1, le=64)
    per_host_concurrency: int = Field(2, ge=1, le=16)
    per_host_interval_seconds: float = Field(0.0, ge=0, le=60)
    # Reports this many days apart compare at full strength; later ones still join their
    # incident, with a match that softens over a year (nlp/stories.py).
    story_window_days: int = Field(21, ge=1, le=90)
    # time budgets: no feed, however hostile its pages, holds a run longer than these
    feed_budget_seconds: float = Field(120.0, gt=0, le=3600)
    run_budget_seconds: float = Field(1800.0, gt=0, le=6 * 3600)
    page_backoff_days: float = Field(14.0, gt=0, le=365)  # skip an over-budget page this long
    stale_after_weeks: int = Field(3, ge=1, le=52)   # exit 4 when nothing new for this long
    log_max_bytes: int = Field(5_000_000, ge=10_000, le=1_000_000_000)  # rotate the run log
    log_keep: int = Field(5, ge=1, le=100)           # rotated run logs kept
    site_url: str | None = None       # where the site is published: absolute links if set
    smtp: SmtpSettings | None = None  # for `aiwire mail`

    @field_validator("site_url")
    @classmethod
    def _site_url(cls, value: str | None) -> str | None:
        if value is not None:
            check_http_url(value)
            if urlsplit(value).query or urlsplit(value).fragment:
                raise ValueError("must not have a query or fragment")
        return value


class FeedConfig(BaseModel):
    """One feed as an editor lists it."""

    model_config = ConfigDict(extra="forbid", strict=True)

    id: str
    name: str = Field(min_length=1)
    url: str
    full_text: bool = True
    tags: list[str] = Field(default_factory=list)
    keywords: list[str] = Field(default_factory=list)

    @field_validator("id")
    @classmethod
    def _slug(cls, value: str) -> str:
        if not SLUG.match(value):
            raise ValueError("must be a slug: lowercase letters, digits and hyphens")
        return value

    @field_validator("url")
    @classmethod
    def _url(cls, value: str) -> str:
        check_http_url(value)
        return value


class FeedsFile(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    settings: Settings = Field(default_factory=Settings)
    feeds: list[FeedConfig] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique_ids(self) -> "FeedsFile":
        seen: dict[str, int] = {}
        for index, feed in enumerate(self.feeds):
            if feed.id in seen:
                raise DuplicateIdError(feed.id, index, seen[feed.id])
            seen[feed.id] = index
        return self


class DuplicateIdError(ValueError):
    def __init__(self, feed_id: str, index: int, first: int) -> None:
        super().__init__(f"duplicate feed id {feed_id!r}")
        self.feed_id, self.index, self.first = feed_id, index, first


def check_http_url(value: str) -> None:
    """Raise ValueError unless ``value`` is an absolute http(s) URL with a host."""
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https"):
        raise ValueError("must be an http:// or https:// URL")
    if not parts.hostname:
        raise ValueError("has no host name")
    host = parts.hostname
    try:
        ipaddress.ip_address(host)
    except ValueError:
        if not re.match(r"^[A-Za-z0-9.-]+$", host) or ".." in host:
            raise ValueError(f"host {host!r} is not a valid host name") from None
    try:
        parts.port
    except ValueError:
        raise ValueError("has an invalid port") from None


def _line_map(node: yaml.Node, path: tuple = (), out: dict | None = None,
              source: str = "") -> dict[tuple, int]:
    """Map each key path (('feeds', 2, 'url')) to its 1-based line; reject duplicate keys."""
    out = {} if out is None else out
    out.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        seen: set = set()
        for key_node, value_node in node.value:
            key = key_node.value
            if key in seen:
                raise InputError(f"duplicate key {key!r}", path=source,
                                 line=key_node.start_mark.line + 1,
                                 fix="remove one of the two entries")
            seen.add(key)
            out[path + (key,)] = key_node.start_mark.line + 1
            _line_map(value_node, path + (key,), out, source)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _line_map(item, path + (index,), out, source)
    return out


def _nearest_line(lines: dict[tuple, int], loc: tuple) -> int | None:
    for cut in range(len(loc), -1, -1):
        if loc[:cut] in lines:
            return lines[loc[:cut]]
    return None


def _fix_for(error: dict[str, Any], field_names: list[str]) -> str:
    kind = error["type"]
    if kind == "extra_forbidden":
        return f"remove it or use one of: {', '.join(field_names)}"
    if kind == "missing":
        return "add this key"
    if kind.endswith("_type") or kind.startswith("bool") or kind.startswith("int"):
        return f"give a value of the expected type ({error['msg'].lower()})"
    return "correct the value"


def parse_config(text: str, source: str = "feeds.yaml") -> FeedsFile:
    """Parse and validate feeds.yaml text; raise InputError naming the line."""
    try:
        root = yaml.compose(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise InputError(f"not valid YAML: {getattr(exc, 'problem', exc)}", path=source,
                         line=mark.line + 1 if mark else None,
                         fix="check indentation and quoting on this line") from None
    if root is None:
        return FeedsFile()
    lines = _line_map(root, source=source)
    data = yaml.safe_load(text)
    if not isinstance(data, dict):
        raise InputError("the top level must be a mapping with 'settings' and 'feeds'",
                         path=source, line=1, fix="start the file with 'feeds:'")
    if data.get("feeds", []) is None:
        data["feeds"] = []      # a bare `feeds:` is an empty list, for require_feeds
    try:
        return FeedsFile.model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        loc = tuple(error["loc"])
        dup = _find_duplicate(exc)
        if dup is not None:
            line = _nearest_line(lines, ("feeds", dup.index, "id"))
            first = _nearest_line(lines, ("feeds", dup.first, "id"))
            raise InputError(f"duplicate feed id {dup.feed_id!r} (first used on line {first})",
                             path=source, line=line, fix="give every feed a unique id") from None
        model = _model_at(loc)
        where = ".".join(f"[{p}]" if isinstance(p, int) else str(p) for p in loc).replace(".[", "[")
        msg = error["msg"].removeprefix("Value error, ")
        raise InputError(f"{where}: {msg}", path=source, line=_nearest_line(lines, loc),
                         fix=_fix_for(error, list(model.model_fields))) from None


def _find_duplicate(exc: ValidationError) -> DuplicateIdError | None:
    for error in exc.errors():
        ctx = error.get("ctx") or {}
        if isinstance(ctx.get("error"), DuplicateIdError):
            return ctx["error"]
    return None


def _model_at(loc: tuple) -> type[BaseModel]:
    if loc[:2] == ("settings", "smtp") and len(loc) > 2:
        return SmtpSettings
    if loc and loc[0] == "settings":
        return Settings
    if loc and loc[0] == "feeds":
        return FeedConfig
    return FeedsFile


def require_feeds(config: FeedsFile, path: str | Path) -> None:
    """A run needs at least one feed: an empty or feed-less file is bad input (exit 2)."""
    if config.feeds:
        return
    line = None
    try:
        for number, text in enumerate(Path(path).read_text("utf-8").splitlines(), 1):
            if re.match(r"^feeds\s*:", text):
                line = number
                break
    except OSError:
        pass
    what = "lists no feeds" if line else "has no 'feeds:' list (it is empty or has none)"
    raise InputError(what, path=str(path), line=line,
                     fix="add at least one feed under 'feeds:' (`aiwire feeds add URL` "
                         "finds one on a page; the README shows the format)")


def load_config(path: str | Path) -> FeedsFile:
    """Read feeds.yaml from disk (a missing file is an input error)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError("file not found", path=str(path),
                         fix="pass --feeds PATH or create feeds.yaml (see README)") from None
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text ({exc.reason})", path=str(path),
                         fix="save the file as UTF-8") from None
    return parse_config(text, source=str(path))
