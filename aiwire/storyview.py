"""`aiwire story list|show`: a story and its evidence in the terminal.

Built from the same export document as the site (``aiwire.export.story_document``), so
an editor checking a story before writing curation.yaml sees what readers will see, plus
what readers do not: the ids curation.yaml needs (story, contradiction) and hidden
stories.
"""

from __future__ import annotations

from pathlib import Path

from rich.console import Console, Group
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table

from aiwire.curation import dismissals, redirects, resolve, story_curation
from aiwire.errors import InputError
from aiwire.export import story_document
from aiwire.store import Store


def open_store(db: Path) -> Store:
    """The store for reading; a missing file is bad input, not a new empty database."""
    if not Path(db).exists():
        raise InputError("no such database", path=str(db),
                         fix="pass --db PATH, or run `aiwire run` first")
    return Store(db)


def story_rows(store: Store, week: str | None = None) -> list[dict]:
    """Every story (hidden ones too, marked), newest report first, as plain data."""
    from aiwire.site.model import week_bounds

    curated = story_curation(store)
    rows = store.rows("SELECT s.id, s.title, s.first_seen, s.last_seen, "
                      "(SELECT count(*) FROM story_articles a WHERE a.story_id = s.id) AS n, "
                      "(SELECT count(*) FROM contradictions c WHERE c.story_id = s.id) AS flags "
                      "FROM stories s ORDER BY s.last_seen DESC, s.id")
    if week is not None:
        from aiwire.run import check_week

        start, end = week_bounds(check_week(week))
        low, high = start.strftime("%Y-%m-%dT%H:%M:%S"), end.strftime("%Y-%m-%dT%H:%M:%S")
        rows = [r for r in rows if (r["last_seen"] or "") >= low and (r["first_seen"] or "") < high]
    out = []
    for row in rows:
        edits = curated.get(row["id"], {})
        marks = [m for m, on in (("pinned", edits.get("pinned")), ("hidden", edits.get("hidden")),
                                 ("retitled", edits.get("title")), ("note", edits.get("note")))
                 if on]
        out.append({"id": row["id"], "title": edits.get("title") or row["title"],
                    "reports": row["n"], "flags": row["flags"],
                    "first_seen": row["first_seen"], "last_seen": row["last_seen"],
                    "editors": marks})
    return out


def id_column(table: Table, name: str, ids: list[str]) -> None:
    """An id column that never wraps or folds: editors copy ids whole into curation.yaml."""
    table.add_column(name, no_wrap=True, overflow="ignore",
                     min_width=max([len(name), *map(len, ids)]))


def list_stories(store: Store, week: str | None = None) -> Table:
    """The stories as a table for the terminal (ids whole, titles folded)."""
    rows = story_rows(store, week)
    table = Table(title=f"{len(rows)} stor{'y' if len(rows) == 1 else 'ies'}")
    id_column(table, "id", [r["id"] for r in rows])
    table.add_column("title", overflow="fold", ratio=1)
    for column in ("reports", "flags", "last report", "editors"):
        table.add_column(column)
    for row in rows:
        marks = ", ".join(row["editors"])
        table.add_row(row["id"], escape(row["title"]), str(row["reports"]), str(row["flags"]),
                      (row["last_seen"] or "")[:10], f"[blue]{marks}[/]" if marks else "")
    return table


def plain_lines(rows: list[dict], columns: list[str]) -> str:
    """Tab-separated lines, one per row, for scripts and narrow terminals."""
    def cell(value: object) -> str:
        if isinstance(value, list):
            value = ",".join(map(str, value))
        return " ".join(str("" if value is None else value).split())

    return "".join("\t".join(cell(row[c]) for c in columns) + "\n" for row in rows)


def show_story(store: Store, story_id: str, console: Console) -> None:
    """Print a story; an id merged away is followed (and said so); unknown is bad input."""
    moved = redirects(store)
    current = resolve(story_id, moved)
    row = store.rows("SELECT * FROM stories WHERE id = ?", (current,))
    if not row:
        raise InputError(f"no story {story_id!r} in {store.path}",
                         fix="list the ids with `aiwire story list`")
    if current != story_id:
        console.print(f"[yellow]{escape(story_id)} was merged into {escape(current)}[/]")
    edits = story_curation(store).get(current, {})
    doc = story_document(store, row[0], edits, dismissals(store))
    head = [f"[bold]{escape(doc['title'])}[/]", f"id [cyan]{doc['id']}[/]",
            f"{len(doc['articles'])} report(s), first {doc['first_seen']} "
            f"({escape(doc['first_outlet'] or '?')}), last {doc['last_seen']}"]
    if doc.get("original_title"):
        head.append(f"retitled by the editors; aiwire's title: {escape(doc['original_title'])}")
    if doc.get("pinned"):
        head.append("[blue]pinned by the editors[/]")
    if edits.get("hidden"):
        head.append("[red]hidden by the editors: not on the site or in the export[/]")
    if doc.get("editor_note"):
        head.append(f"editors' note: {escape(doc['editor_note'])}")
    for pin in store.rows("SELECT p.story_id, a.url FROM article_pins p JOIN articles a "
                          "ON a.id = p.article_id ORDER BY a.url"):
        if pin["story_id"] != current and resolve(pin["story_id"], moved) != current:
            origin = store.rows("SELECT from_story FROM article_pins WHERE story_id = ?",
                                (pin["story_id"],))
            if origin and resolve(origin[0]["from_story"], moved) == current:
                head.append(f"split out by the editors: {escape(pin['url'])} -> "
                            f"[cyan]{pin['story_id']}[/]")
    console.print(Panel("\n".join(head), title="story", expand=False))
    console.print(_articles(doc))
    if doc["contradictions"]:
        console.print(_contradictions(doc))
    if doc["figures"]:
        console.print(_figures(doc))
    if doc["claims"]:
        console.print(_claims(doc))
    if doc["entities"] or doc["techniques"]:
        entities = ", ".join(f"{escape(e['name'])} ({e['mentions']})" for e in doc["entities"])
        techniques = ", ".join(f"{t['id']} {escape(t['name'])}" for t in doc["techniques"])
        console.print(Group(f"[bold]Entities:[/] {entities or '-'}",
                            f"[bold]Techniques:[/] {techniques or '-'}"))


def _articles(doc: dict) -> Table:
    table = Table(title="Reports", title_justify="left")
    for column in ("published", "outlet", "title", "url"):
        table.add_column(column, overflow="fold")
    for a in doc["articles"]:
        table.add_row((a["published"] or "")[:16], escape(a["source"] or "?"),
                      escape(a["title"] or ""), escape(a["url"]))
    return table


def _contradictions(doc: dict) -> Table:
    table = Table(title="Contradictions (ids for curation.yaml `dismiss`)", title_justify="left",
                  show_lines=True)
    for column in ("id", "what", "sides"):
        table.add_column(column, overflow="fold")
    for c in doc["contradictions"]:
        what = f"{c['kind']}: {c['topic']}" + (f" of {c['subject']}" if c["subject"] else "")
        if c.get("dismissed"):
            what = f"[dim]{escape(what)}\nDISMISSED: {escape(c['dismissed_reason'])}[/]"
        else:
            colour = "red" if c["severity"] == "high" else "yellow"
            what = f"[{colour}]{escape(what)} ({c['severity']})[/]"
        sides = "\n".join(f"{escape(str(s.get('text') or s['value']))} "
                          f"({escape(s.get('source') or '?')}): “{escape(s['quote'])}”"
                          for s in c["sides"])
        table.add_row(c["id"], what, sides)
    return table


def _figures(doc: dict) -> Table:
    table = Table(title="Figures", title_justify="left")
    for column in ("kind", "value", "subject", "outlet", "quote"):
        table.add_column(column, overflow="fold")
    for f in doc["figures"]:
        table.add_row(f["kind"], escape(f.get("text") or str(f["value"])),
                      escape(f["subject"] or "-"), escape(f["source"] or "?"),
                      escape(f["quote"]))
    return table


def _claims(doc: dict) -> Table:
    table = Table(title="Claims", title_justify="left")
    for column in ("speaker", "stance", "outlet", "quote"):
        table.add_column(column, overflow="fold")
    for c in doc["claims"]:
        table.add_row(escape(c["speaker"] or "-"), c["stance"], escape(c["source"] or "?"),
                      escape(c["quote"]))
    return table
