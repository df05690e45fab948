"""The ``aiwire`` command: a thin click layer over the library.

Library errors become click exceptions here, with DESIGN.md's exit codes:
0 ok; 1 the run finished but some feeds failed; 2 bad input (file, line, fix);
3 a storage or output fault, nothing published (file, how to recover); 4 every feed
failed, or nothing new for ``stale_after_weeks``. Never a traceback for any of them.
"""

from __future__ import annotations

import json
import sqlite3
import sys
from pathlib import Path

import click
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from aiwire import __version__
from aiwire.errors import AiwireError, storage_error

console = Console(stderr=True)

FEEDS_OPTION = click.option("--feeds", "feeds", type=click.Path(path_type=Path),
                            default=Path("feeds.yaml"), show_default=True,
                            help="The editors' feeds file.")
def _remember(ctx: click.Context, param: click.Parameter, value: object) -> object:
    """Keep --db/--out where the error handler can name them (ctx.meta is shared)."""
    ctx.meta[f"aiwire.{param.name}"] = value
    return value


DB_OPTION = click.option("--db", "db", type=click.Path(path_type=Path),
                         default=Path("aiwire.db"), show_default=True, callback=_remember,
                         help="The SQLite database every stage reads and writes.")
OUT_OPTION = click.option("--out", "out", type=click.Path(path_type=Path),
                          default=Path("public"), show_default=True, callback=_remember,
                          help="Where the static site is written.")


class AiwireGroup(click.Group):
    """Turns library errors into clean messages and exit codes."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except AiwireError as exc:
            # soft wrap: a path or a command in the message is never broken across lines
            console.print(f"[bold red]error:[/] {exc}", highlight=False, soft_wrap=True)
            sys.exit(exc.exit_code)
        except (sqlite3.Error, OSError) as exc:
            # a storage or output fault outside `run` (build, collect, export...): exit 3
            fault = storage_error(exc, db=_meta_path(ctx, "db"), out=_meta_path(ctx, "out"))
            if fault is None:
                raise
            console.print(f"[bold red]error:[/] {fault}", highlight=False, soft_wrap=True)
            sys.exit(fault.exit_code)


def _meta_path(ctx: click.Context, name: str) -> str | None:
    value = ctx.meta.get(f"aiwire.{name}")
    return None if value is None else str(value)


def _progress() -> Progress:
    return Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TimeElapsedColumn(), console=console, transient=False)


def _collect_with_progress(config, store):
    from aiwire.collector.collect import collect

    with _progress() as progress:
        task = progress.add_task("collect feeds", total=len(config.feeds))
        return collect(config, store, lambda _report: progress.advance(task))


def _analyze_with_progress(store, window_days: int = 21, **executor):
    from aiwire.nlp.analyze import analyze

    with _progress() as progress:
        task = progress.add_task("analyse articles", total=None)

        def step(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        report = analyze(store, step, window_days, **executor)
        progress.update(task, total=max(report.analysed, 1), completed=max(report.analysed, 1))
        return report


def _print_collect_report(report) -> None:
    table = Table(title="Feeds", show_lines=False)
    for column in ("feed", "status", "new", "errors"):
        table.add_column(column)
    colours = {"ok": "green", "unchanged": "cyan", "degraded": "yellow", "failed": "red"}
    for feed in sorted(report.feeds, key=lambda f: f.feed_id):
        table.add_row(feed.feed_id, f"[{colours.get(feed.status, 'white')}]{feed.status}[/]",
                      str(feed.new_articles), "; ".join(feed.errors)[:160])
    console.print(table)


def executor_options(command):
    """``--executor``, ``--ray-address``, ``--ray-actors``: where the NLP runs."""
    command = click.option("--ray-actors", type=click.IntRange(min=1), default=None,
                           help="With --executor ray: how many actors (default: 2 on a "
                                "local instance).")(command)
    command = click.option("--ray-address", default=None, metavar="ADDRESS",
                           help="With --executor ray: a running cluster (\"auto\", "
                                "\"ray://head:10001\"); default: a local Ray instance for "
                                "this run.")(command)
    return click.option("--executor", type=click.Choice(["local", "ray"]), default="local",
                        show_default=True,
                        help="Where the NLP runs: local worker processes, or Ray actors "
                             "(pip install 'aiwire[ray]').")(command)


def _executor(executor: str, ray_address: str | None, ray_actors: int | None) -> dict:
    """The analyse stage's executor settings; Ray's absence is a clear error up front."""
    if executor == "ray":
        from aiwire.nlp.ray_executor import RayUnavailable, require_ray

        try:
            require_ray()
        except RayUnavailable as exc:
            raise click.ClickException(str(exc)) from exc
    elif ray_address or ray_actors:
        raise click.ClickException("--ray-address and --ray-actors need --executor ray")
    return {"executor": executor, "ray_address": ray_address, "ray_actors": ray_actors}


@click.group(cls=AiwireGroup)
@click.version_option(__version__, prog_name="aiwire")
def main() -> None:
    """aiwire: collect AI-security news, reconcile claims and figures, publish a digest."""


CURATION_OPTION = click.option(
    "--curation", "curation", type=click.Path(path_type=Path), default=None,
    help="The editors' curation.yaml (default: curation.yaml beside --feeds; may be absent).")


@main.command()
@FEEDS_OPTION
@DB_OPTION
@OUT_OPTION
@CURATION_OPTION
@click.option("--log", "log", type=click.Path(path_type=Path), default=None,
              help="The JSON-lines run log (default: <db name>.log.jsonl beside --db).")
@click.option("--week", default=None, metavar="YYYY-Www",
              help="Only rebuild that ISO week's digest and its stories from the store "
                   "(no collection), e.g. 2026-W47.")
@executor_options
def run(feeds: Path, db: Path, out: Path, curation: Path | None, log: Path | None,
        week: str | None, executor: str, ray_address: str | None,
        ray_actors: int | None) -> None:
    """Collect, analyse, apply curation.yaml and publish: the weekly job.

    Incremental (a run with nothing new changes nothing), one at a time per database
    (a second run exits 1 naming the holder), safe to kill: the next run resumes.
    Exit codes: 0 ok; 1 some feeds failed, or another run holds the lock; 2 bad input
    (an empty feeds.yaml too); 3 a storage or output fault, nothing published; 4 every
    feed failed, or nothing new for settings.stale_after_weeks.
    """
    from aiwire.report import REPORT_PATH, print_report
    from aiwire.run import run as run_job

    where = _executor(executor, ray_address, ray_actors)
    result = run_job(feeds, db, out, curation=curation, log=log, week=week,
                     collect_stage=_collect_with_progress,
                     analyze_stage=lambda store, window: _analyze_with_progress(
                         store, window, **where))
    print_report(result.as_dict(), console)
    for line in (result.curation.skipped if result.curation else []):
        console.print(f"[yellow]curation: skipped[/] {escape(line)}", highlight=False)
    stories = result.analyze.stories if result.analyze else None
    flags = result.analyze.contradictions if result.analyze else None
    done = (f"analysed {result.analyze.analysed} new articles; {stories} stories, {flags} "
            f"contradictions; " if result.analyze else f"rebuilt {week}; ")
    console.print(f"{done}{result.pages} files in {out}/ (run report: {out}/{REPORT_PATH})",
                  highlight=False)
    if result.alert:
        console.print(f"[bold red]alert (exit {result.exit_code}):[/] {result.alert}",
                      highlight=False)
    if result.exit_code:
        sys.exit(result.exit_code)


@main.command()
@FEEDS_OPTION
@DB_OPTION
@click.option("--from", "from_path", type=click.Path(path_type=Path), default=None,
              help="Import saved pages (.html/.txt files or a folder) instead of feeds.")
def collect(feeds: Path, db: Path, from_path: Path | None) -> None:
    """Fetch feeds and article pages into the database."""
    from aiwire.store import Store

    store = Store(db)
    try:
        if from_path is not None:
            from aiwire.collector.collect import import_files

            added = import_files(from_path, store)
            console.print(f"imported {added} new article(s) from {from_path}")
            return
        from aiwire.config import load_config, require_feeds

        config = load_config(feeds)
        require_feeds(config, feeds)        # an empty feeds.yaml is bad input (exit 2)
        report = _collect_with_progress(config, store)
    finally:
        store.close()
    _print_collect_report(report)
    for feed in sorted(report.feeds, key=lambda f: f.feed_id):
        if feed.consecutive_failures:
            console.print(f"[red]{feed.feed_id}[/]: {feed.health}", highlight=False)
    console.print(f"{report.new_articles} new article(s)")
    if report.failed:
        sys.exit(1)


@main.command()
@DB_OPTION
@executor_options
def analyze(db: Path, executor: str, ray_address: str | None, ray_actors: int | None) -> None:
    """Extract entities, figures and claims; group stories; flag contradictions."""
    from aiwire.store import Store

    where = _executor(executor, ray_address, ray_actors)
    store = Store(db)
    try:
        report = _analyze_with_progress(store, **where)
    finally:
        store.close()
    console.print(f"analysed {report.analysed} article(s); {report.stories} stories, "
                  f"{report.contradictions} contradictions")
    for detail in report.errors:     # such an article is tried again on the next run
        console.print(f"[yellow]analysis failed:[/] {escape(detail)}", highlight=False)


@main.command()
@DB_OPTION
@OUT_OPTION
@click.option("--feeds", "feeds", type=click.Path(path_type=Path), default=None,
              help="feeds.yaml for settings.site_url (default: ./feeds.yaml if present).")
def build(db: Path, out: Path, feeds: Path | None) -> None:
    """Render the static site from the database."""
    from aiwire.config import load_config
    from aiwire.run import build as build_site
    from aiwire.store import Store

    if feeds is None and Path("feeds.yaml").is_file():
        feeds = Path("feeds.yaml")
    site_url = load_config(feeds).settings.site_url if feeds is not None else None
    store = Store(db)
    try:
        pages = build_site(store, out, site_url)
    finally:
        store.close()
    console.print(f"wrote {pages} files to {out}/")


@main.command()
@DB_OPTION
@click.option("--since", default=None, metavar="DATE",
              help="Only stories with a report on or after this ISO date.")
def export(db: Path, since: str | None) -> None:
    """Print the analysed corpus as one aiwire.export/1 JSON document."""
    from aiwire.export import dumps, export_document
    from aiwire.store import Store

    if not db.exists():
        raise click.UsageError(f"{db}: no such database (run `aiwire run` first)")
    store = Store(db)
    try:
        click.echo(dumps(export_document(store, since=since)), nl=False)
    finally:
        store.close()


def output_options(command):
    """--plain (tab-separated lines) and --json for the editors' list commands."""
    command = click.option("--json", "as_json", is_flag=True,
                           help="Print JSON (one object per row) instead of a table.")(command)
    return click.option("--plain", is_flag=True,
                        help="Print tab-separated lines (ids whole, no table).")(command)


def _one_format(plain: bool, as_json: bool) -> None:
    if plain and as_json:
        raise click.UsageError("--plain and --json: choose one")


def _emit(rows: list[dict], columns: list[str], plain: bool, as_json: bool) -> bool:
    """Print ``rows`` as --plain or --json output; False when a table is wanted."""
    _one_format(plain, as_json)
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
    elif plain:
        from aiwire.storyview import plain_lines

        click.echo(plain_lines(rows, columns), nl=False)
    return plain or as_json


@main.group()
def feeds() -> None:
    """Check, add and list the feeds in feeds.yaml (for editors)."""


@feeds.command("list")
@FEEDS_OPTION
@output_options
def feeds_list(feeds: Path, plain: bool, as_json: bool) -> None:
    """List the feeds in feeds.yaml."""
    from aiwire.config import load_config
    from aiwire.storyview import id_column

    config = load_config(feeds)
    rows = [{"id": f.id, "name": f.name, "url": f.url, "full_text": f.full_text,
             "tags": list(f.tags), "keywords": list(f.keywords or [])} for f in config.feeds]
    if _emit(rows, ["id", "name", "url", "full_text", "tags"], plain, as_json):
        return
    table = Table()
    id_column(table, "id", [f.id for f in config.feeds])
    for column in ("name", "url", "full text", "tags"):
        table.add_column(column, overflow="fold")
    for feed in config.feeds:
        table.add_row(feed.id, feed.name, feed.url, "yes" if feed.full_text else "no",
                      ", ".join(feed.tags))
    Console().print(table)


@feeds.command("check")
@FEEDS_OPTION
@DB_OPTION
@click.option("--offline", is_flag=True, help="Only validate feeds.yaml; do not probe feeds.")
def feeds_check(feeds: Path, db: Path, offline: bool) -> None:
    """Validate feeds.yaml and probe every feed."""
    from aiwire.config import load_config
    from aiwire.editors import probe_feeds

    config = load_config(feeds)
    console.print(f"[green]{feeds}: {len(config.feeds)} feed(s), valid[/]")
    if offline:
        return
    rows = probe_feeds(config, db if db.exists() else None)
    table = Table(title="Feed check")
    for column in ("feed", "status", "items", "newest", "extraction", "robots", "health"):
        table.add_column(column)
    for row in rows:
        colour = "green" if row["ok"] else "red"
        table.add_row(row["id"], f"[{colour}]{row['status']}[/]", str(row["items"]),
                      row["newest"] or "-", row["extraction"], row["robots"], row["health"])
    Console().print(table)
    if any(not row["ok"] for row in rows):
        sys.exit(1)


@feeds.command("add")
@click.argument("url")
@FEEDS_OPTION
@click.option("--id", "feed_id", default=None, help="Feed id (default: from the site name).")
@click.option("--allow-private", is_flag=True, help="Allow a loopback/private address.")
@click.option("--tags", "tags", multiple=True, metavar="TAG[,TAG…]",
              help="Tags for the feed (comma-separated or repeated).")
@click.option("--keywords", "keywords", multiple=True, metavar="WORD[,WORD…]",
              help="Relevance keywords: keep only articles that mention one.")
@click.option("--no-full-text", is_flag=True,
              help="Use the feed's own text instead of fetching each article page.")
def feeds_add(url: str, feeds: Path, feed_id: str | None, allow_private: bool,
              tags: tuple[str, ...], keywords: tuple[str, ...], no_full_text: bool) -> None:
    """Find the feed for URL (the feed, or a page that links it, or a usual feed path
    on its site) and append it to feeds.yaml, leaving every other line as it was."""
    from aiwire.editors import add_feed

    entry = add_feed(url, feeds, feed_id=feed_id, allow_private=allow_private,
                     tags=_words(tags), keywords=_words(keywords), full_text=not no_full_text)
    console.print(f"added [bold]{entry['id']}[/] ({entry['url']}) to {feeds}", highlight=False, soft_wrap=True)


def _words(values: tuple[str, ...]) -> list[str]:
    return [w.strip() for value in values for w in value.split(",") if w.strip()]


@feeds.command("import")
@click.argument("opml", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@FEEDS_OPTION
@click.option("--allow-private", is_flag=True, help="Allow loopback/private addresses.")
@click.option("--no-full-text", is_flag=True,
              help="Use the feeds' own text instead of fetching each article page.")
def feeds_import(opml: Path, feeds: Path, allow_private: bool, no_full_text: bool) -> None:
    """Add the feeds of an OPML file (from Miniflux, FreshRSS, any reader) to feeds.yaml.

    Feeds already listed are skipped; each new one is checked like `feeds add`. Exit
    codes: 0 all imported or present; 2 some could not be added (listed with the line).
    """
    from aiwire.opml import import_opml

    report = import_opml(opml, feeds, allow_private=allow_private, full_text=not no_full_text)
    for entry in report.added:
        console.print(f"added [bold]{entry['id']}[/] ({entry['url']})", highlight=False, soft_wrap=True)
    for url in report.present:
        console.print(f"[cyan]already in {feeds}:[/] {url}", highlight=False, soft_wrap=True)
    for line in report.failed:
        console.print(f"[red]skipped:[/] {escape(line)}", highlight=False, soft_wrap=True)
    console.print(f"{len(report.added)} added, {len(report.present)} already present, "
                  f"{len(report.failed)} skipped", highlight=False)
    if report.failed:
        sys.exit(2)


@feeds.command("export")
@FEEDS_OPTION
def feeds_export(feeds: Path) -> None:
    """Print feeds.yaml as OPML 2.0 on stdout (for any feed reader)."""
    from aiwire.config import load_config
    from aiwire.opml import export_opml

    click.echo(export_opml(load_config(feeds)), nl=False)


@main.group()
def curation() -> None:
    """Check curation.yaml (for editors)."""


@curation.command("check")
@click.option("--curation", "path", type=click.Path(path_type=Path),
              default=Path("curation.yaml"), show_default=True, help="The file to check.")
@DB_OPTION
def curation_check(path: Path, db: Path) -> None:
    """Check curation.yaml offline: syntax and every id against the database.

    Reports every problem at once (file:line, what, the fix, the nearest known id) and
    writes nothing (the database is opened read-only). Exit codes: 0 valid; 2 problems.
    """
    from aiwire.curation import check_file

    if not path.exists():
        raise click.UsageError(f"{path}: no such file (pass --curation PATH)")
    checked, against_db = check_file(path, db)
    for issue in checked.issues:
        click.echo(str(issue))
    if not against_db:
        console.print(f"[yellow]{db}: no database, so ids were not checked[/] "
                      "(pass --db PATH)", highlight=False)
    if checked.issues:
        console.print(f"[red]{len(checked.issues)} problem(s) in {path}[/]", highlight=False)
        sys.exit(2)
    entries = sum(len(getattr(checked.edits, name)) for name in type(checked.edits).model_fields)
    console.print(f"[green]{path}: {entries} entr{'y' if entries == 1 else 'ies'}, valid[/]",
                  highlight=False)


@main.command()
@DB_OPTION
@output_options
def review(db: Path, plain: bool, as_json: bool) -> None:
    """The review queue: what the last run brought, with curation lines to paste.

    New and updated stories, contradiction flags, entities seen for the first time and
    techniques, each with entries for curation.yaml (hide, merge, split, dismiss,
    reject/retype/alias an entity, remove/add a technique). Reads only; the same queue
    is written to _editors/review.html on every build.
    """
    from aiwire.curation import ReadOnlyStore
    from aiwire.review import plain_review, review_queue

    _one_format(plain, as_json)
    store = ReadOnlyStore(db)
    try:
        queue = review_queue(store)
    finally:
        store.close()
    if as_json:
        click.echo(json.dumps(queue, ensure_ascii=False, indent=2))
        return
    if plain:
        click.echo(plain_review(queue), nl=False)
        return
    _print_review(queue)


def _print_review(queue: dict) -> None:
    out = Console()
    out.print(f"[bold]Review queue[/]: new since {queue['since'] or 'the start (no run yet)'}",
              highlight=False)
    for line in queue.get("skipped", []):
        out.print(f"[red]skipped by the last run:[/] {escape(line)}", highlight=False,
                  soft_wrap=True)
    titles = {"stories": lambda s: f"{s['status']}: {s['title']} ({s['new_reports']} new "
                                   f"of {s['reports']})",
              "flags": lambda f: f"{f['severity']} {f['kind']}: {f['topic']} "
                                 f"({f['story']})",
              "entities": lambda e: f"{e['type']} {e['name']} ({e['mentions']} mentions)",
              "techniques": lambda t: f"{t['id']} {t['name']} "
                                      f"({'on' if t['on_story'] else 'not on'} {t['story']})"}
    for key, title in titles.items():     # soft wrap: no line breaks inside an entry
        out.print(f"\n[bold]{key}[/] ({len(queue[key])})", highlight=False)
        for item in queue[key]:
            out.print(f"  {escape(title(item))}", highlight=False, soft_wrap=True)
            for suggestion in item["lines"]:
                out.print(f"    [dim]under {suggestion['section']}:[/] "
                          f"{escape(suggestion['entry'])}", highlight=False, soft_wrap=True)


@main.group()
def story() -> None:
    """Look at stories in the terminal (for editors writing curation.yaml)."""


@story.command("list")
@DB_OPTION
@click.option("--week", default=None, metavar="YYYY-Www", help="Only stories reported that week.")
@output_options
def story_list(db: Path, week: str | None, plain: bool, as_json: bool) -> None:
    """List story ids with their titles, newest first, marked as editors changed them."""
    from aiwire.storyview import list_stories, open_store, story_rows

    store = open_store(db)
    try:
        if not _emit(story_rows(store, week), ["id", "title", "reports", "flags", "last_seen",
                                               "editors"], plain, as_json):
            Console().print(list_stories(store, week))
    finally:
        store.close()


@story.command("show")
@click.argument("story_id")
@DB_OPTION
def story_show(story_id: str, db: Path) -> None:
    """Print one story with its evidence: reports, figures, claims, contradictions."""
    from aiwire.storyview import open_store, show_story

    store = open_store(db)
    try:
        show_story(store, story_id, Console())
    finally:
        store.close()


@main.command()
@click.option("--workdir", type=click.Path(path_type=Path), default=Path("demo"),
              show_default=True, help="Where the demo writes feeds.yaml, the database and public/.")
def demo(workdir: Path) -> None:
    """Run the whole pipeline on the bundled sample web, served on loopback."""
    from aiwire.demo import run_demo

    result = run_demo(workdir, console=console, collect=_collect_with_progress,
                      analyze=_analyze_with_progress)
    _print_collect_report(result["collect"])
    console.print(f"[bold green]done:[/] {result['stories']} stories, "
                  f"{result['contradictions']} contradictions, {result['pages']} files")
    console.print(f"open [bold]{result['index']}[/] or run "
                  f"[bold]aiwire serve --out {result['out']}[/]")


@main.command()
@click.option("--week", required=True, metavar="YYYY-Www",
              help="The built weekly digest to send, e.g. 2026-W47.")
@click.option("--to", "recipients", multiple=True, required=True, metavar="ADDRESS",
              help="A recipient; repeat for several.")
@FEEDS_OPTION
@OUT_OPTION
def mail(week: str, recipients: tuple[str, ...], feeds: Path, out: Path) -> None:
    """Send a week's newsletter (OUT/digest/WEEK/email.html and email.txt) by SMTP.

    The server is settings.smtp in feeds.yaml; the password, when a username is set,
    comes from $AIWIRE_SMTP_PASSWORD (or the variable settings.smtp.password_env names).
    Exit codes: 0 sent; 1 the SMTP server failed or refused; 2 bad input.
    """
    from aiwire.mailer import MailError, mail_week

    try:
        subject = mail_week(feeds, out, week, list(recipients))
    except MailError as exc:
        raise click.ClickException(str(exc)) from None
    console.print(f"sent {subject!r} to {', '.join(recipients)}", highlight=False)


@main.command()
@OUT_OPTION
@click.option("--port", default=8000, show_default=True,
              help="Port on 127.0.0.1 (0 picks a free one).")
def serve(out: Path, port: int) -> None:
    """Serve the built site on http://127.0.0.1:PORT for browsing.

    Every response carries the security headers (CSP with frame-ancestors 'none',
    X-Frame-Options, X-Content-Type-Options, Referrer-Policy, Permissions-Policy).
    """
    from aiwire.serve import make_server

    if not (out / "index.html").exists():
        raise click.UsageError(f"{out}/index.html not found: run `aiwire build` or `aiwire demo`")
    with make_server(out, port) as httpd:
        port = httpd.server_address[1]
        console.print(f"serving {out}/ on http://127.0.0.1:{port}/ (Ctrl-C to stop)")
        try:
            httpd.serve_forever()
        except KeyboardInterrupt:
            pass


@main.command("eval")
@click.option("--corpus", "corpus", type=click.Path(path_type=Path, file_okay=False),
              default=None, help="A labelled corpus folder (articles/*.txt + gold.yaml) "
              "instead of the bundled sample.")
@click.option("--same-week", is_flag=True,
              help="With --corpus: re-date every article into one week, then score.")
@click.option("--keep-db", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="With --corpus: write the evaluation database here to inspect it.")
@click.option("--floors", type=click.Path(path_type=Path, dir_okay=False, exists=True),
              default=None, help="With --corpus: a YAML file of pinned floors; exit 1 when a "
              "score falls below one (the CI gate).")
@click.option("--json", "as_json", is_flag=True, help="Print scores as JSON.")
@click.option("--details", is_flag=True, help="List every false positive and negative.")
def eval_command(corpus: Path | None, same_week: bool, keep_db: Path | None,
                 floors: Path | None, as_json: bool, details: bool) -> None:
    """Score the pipeline against gold labels: the bundled sample, or a labelled corpus."""
    if corpus is not None:
        return _eval_corpus(corpus, same_week, as_json, details, keep_db, floors)
    if floors is not None:
        raise click.UsageError("--floors needs --corpus DIR")
    if same_week:
        raise click.UsageError("--same-week needs --corpus DIR")
    from aiwire.evaluate import evaluate

    scores = evaluate(core_names=True)
    total, generic, ours = scores.pop("core_names")
    if as_json:
        click.echo(json.dumps(_scores_json(scores)
                              | {"core_names": {"mentions": total, "generic_ner_right": generic,
                                                "aiwire_right": ours}}, indent=2))
        return
    _print_scores(scores, "aiwire eval (bundled sample vs gold)")
    click.echo(f"core names (Anthropic, Alibaba, OpenAI, Claude, Qwen): {total} mentions; "
               f"generic NER right on {generic}, aiwire right on {ours}")
    if details:
        _print_details(scores)


def _scores_json(scores: dict) -> dict:
    return {name: {"precision": round(s.precision, 4), "recall": round(s.recall, 4),
                   "f1": round(s.f1, 4), "tp": s.tp, "fp": s.fp, "fn": s.fn}
            for name, s in scores.items()}


def _print_scores(scores: dict, title: str) -> None:
    table = Table(title=title)
    for column in ("category", "precision", "recall", "F1", "tp", "fp", "fn"):
        table.add_column(column, justify="right" if column != "category" else "left")
    for name, s in scores.items():
        table.add_row(name, f"{s.precision:.3f}", f"{s.recall:.3f}", f"{s.f1:.3f}",
                      str(s.tp), str(s.fp), str(s.fn))
    Console().print(table)


def _print_details(scores: dict) -> None:
    for name, s in scores.items():
        for label, items in (("FP", s.false_positives), ("FN", s.false_negatives)):
            for item in items:
                click.echo(f"{name} {label} {item}")


def _eval_corpus(folder: Path, same_week: bool, as_json: bool, details: bool,
                 keep_db: Path | None = None, floors: Path | None = None) -> None:
    from aiwire.corpus_eval import evaluate_corpus

    if keep_db is not None and keep_db.exists():
        raise click.ClickException(f"{keep_db} exists; --keep-db writes a new database")
    with _progress() as progress:
        feeds = progress.add_task("collect the corpus", total=None)
        articles = progress.add_task("analyse articles", total=None)
        result = evaluate_corpus(
            folder, one_week=same_week, db_path=keep_db,
            collect_step=lambda done, total: progress.update(feeds, completed=done, total=total),
            analyse_step=lambda done, total: progress.update(articles, completed=done,
                                                             total=total))
    junk, entities = result.junk
    extra = {"junk_entities": {"junk": junk, "entities": entities,
                               "rate": round(junk / entities, 4) if entities else 0.0},
             "cross_incident_flags": result.cross_incident_flags,
             "seed_checks": result.seed_checks}
    if as_json:
        click.echo(json.dumps(_scores_json(result.scores) | extra, indent=2))
        return
    week = ", every article re-dated into one week" if same_week else ""
    _print_scores(result.scores, f"aiwire eval --corpus {folder}{week}")
    click.echo(f"junk entities: {junk} of {entities} "
               f"({extra['junk_entities']['rate']:.1%}); flags across incidents: "
               f"{result.cross_incident_flags}")
    for check, ok in result.seed_checks.items():
        click.echo(f"seed pages: {check}: {'yes' if ok else 'NO'}")
    if details:
        _print_details(result.scores)
        for entity_id, name, kind, why in result.junk_details:
            click.echo(f"junk {why}: {entity_id} ({kind}) {name!r}")
    if floors is not None:
        from aiwire.corpus_eval import check_floors

        failures = check_floors(result, floors, same_week)
        for failure in failures:
            click.echo(f"BELOW FLOOR: {failure}", err=True)
        if failures:
            raise SystemExit(1)
        click.echo(f"all floors in {floors} hold")
