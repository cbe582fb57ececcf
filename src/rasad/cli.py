"""The `rasad` command line (Typer + Rich).

Exit codes: 0 ok, 1 runtime failure, 2 bad usage or bad input. Errors are one line on
stderr; `--debug` shows the traceback instead.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from rasad.cli_alerts import register as register_alert_commands
from rasad.cli_base import Context, JsonOpt, _ctx, _print_json, err, out
from rasad.cli_extract import register as register_extraction_commands
from rasad.cli_users import register as register_user_commands
from rasad.config import load_settings
from rasad.errors import BadInput, RasadError

app = typer.Typer(help="Rasad: collect, archive, search and analyse militant and state media.",
                  no_args_is_help=True, pretty_exceptions_enable=False, add_completion=False)
sources_app = typer.Typer(help="Manage and poll sources (feeds, pages).", no_args_is_help=True)
app.add_typer(sources_app, name="sources")

@app.callback()
def main_options(
    ctx: typer.Context,
    db: Annotated[str | None, typer.Option("--db", help="Database URL (overrides RASAD_DB).")] = None,
    home: Annotated[Path | None, typer.Option("--home", help="Data folder (overrides RASAD_HOME).")] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks.")] = False,
) -> None:
    settings = load_settings(db=db, home=home)
    ctx.obj = Context(settings, debug)


@app.command()
def init(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """Create the database or migrate it to the current schema."""
    from rasad.store.db import current_revision

    c = _ctx(ctx)
    rev = current_revision(c.db.engine)
    c.backend  # noqa: B018 - create the index folder too
    info = {"database": c.db.engine.url.render_as_string(), "revision": rev,
            "home": str(c.settings.home.resolve()), "search": c.backend.name}
    if as_json:
        _print_json(info)
    else:
        out.print(f"database ready at revision {rev}: {info['database']} (search: {info['search']})")


def _report_items(report, as_json: bool) -> None:
    totals = report.totals()
    if as_json:
        _print_json({"job": report.job_id, **totals, "items": [
            {"target": i.target, "status": i.status, "error": i.error, "new": i.new,
             "updated": i.updated, "unchanged": i.unchanged, "failed_records": i.failed}
            for i in report.items]})
        return
    for item in report.items:
        if item.status in ("failed", "partial"):
            err.print(f"[red]{item.status}[/red] {item.target}: {item.error}", highlight=False,
                      markup=True)
    out.print(f"{totals['item_count']} item(s): {totals['documents_new']} new, "
              f"{totals['documents_updated']} updated, {totals['documents_unchanged']} unchanged "
              f"document(s); {totals['failed_items']} failed item(s)")


def _progress_runner(as_json: bool):
    if as_json or not sys.stderr.isatty():
        return None, None
    progress = Progress(TextColumn("[bold]ingest"), BarColumn(), MofNCompleteColumn(),
                        TimeElapsedColumn(), TextColumn("{task.description}"), console=err,
                        transient=True)
    task = progress.add_task("", total=None)
    return progress, task


@app.command()
def ingest(
    ctx: typer.Context,
    targets: Annotated[list[str], typer.Argument(help="Files, directories, page or feed URLs.")],
    source: Annotated[str | None, typer.Option(help="Attribute the items to this source.")] = None,
    lang: Annotated[str | None, typer.Option(help="Language hint: en, fa, prs, ps, ar, ur.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Ingest files (.txt .html .json .jsonl .xml/.rss .warc[.gz]), directories and URLs."""
    from rasad.collect.files import iter_input_files

    c = _ctx(ctx)
    ingester = c.ingester()
    progress, task = _progress_runner(as_json)
    if progress:  # the bar needs a total: walk the folders (only when someone watches)
        progress.update(task, total=sum(sum(1 for _ in iter_input_files(Path(t)))
                                        if Path(t).is_dir() else 1 for t in targets))
    try:
        if progress:
            with progress:
                report = ingester.run(targets, source=source, lang=lang,
                                      progress=lambda r: progress.update(task, advance=1,
                                                                         description=Path(r.target).name))
        else:
            report = ingester.run(targets, source=source, lang=lang)
    finally:
        ingester.close()
    _report_items(report, as_json)
    if report.items and len(report.failed) == len(report.items):
        raise typer.Exit(2 if all("no such file" in i.error or "too large" in i.error
                                  for i in report.failed) else 1)


@app.command()
def search(
    ctx: typer.Context,
    query: Annotated[str, typer.Argument(help='Words, "phrases", OR, -exclusions.')] = "",
    lang: Annotated[list[str] | None, typer.Option(help="Only these languages (repeatable; prs = Dari).")] = None,
    source: Annotated[list[str] | None, typer.Option(help="Only these sources (repeatable).")] = None,
    since: Annotated[str | None, typer.Option(help="Published on or after YYYY-MM-DD.")] = None,
    until: Annotated[str | None, typer.Option(help="Published before YYYY-MM-DD.")] = None,
    actor: Annotated[str | None, typer.Option(help="Only documents mentioning this actor (any alias).")] = None,
    threat: Annotated[str | None, typer.Option(help="Only documents with this threat category.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=500)] = 20,
    offset: Annotated[int, typer.Option(min=0)] = 0,
    sort: Annotated[str, typer.Option(help="relevance or newest.")] = "relevance",
    as_json: JsonOpt = False,
) -> None:
    """Full-text search in every language."""
    from rasad.search.base import SearchFilters, parse_filter_date
    from rasad.search.service import restrict_by_extraction, run_search
    from rasad.store.sources import get_source

    c = _ctx(ctx)
    if sort not in ("relevance", "newest"):
        raise BadInput("--sort must be relevance or newest")
    source_ids = []
    if source:
        with c.db.session() as session:
            source_ids = [get_source(session, name).id for name in source]
    filters = SearchFilters(languages=list(lang or []), source_ids=source_ids,
                            since=parse_filter_date(since, "--since"), until=parse_filter_date(until, "--until"))
    filters = restrict_by_extraction(c.db, filters, actor=actor, category=threat)
    results = run_search(c.db, c.backend, query, filters, limit=limit, offset=offset, order=sort)
    if as_json:
        _print_json(results.as_json())
        return
    from rasad.cli_render import snippet_to_rich

    table = Table(title=f"{results.total} result(s)", show_lines=True)
    for col in ("id", "lang", "published", "source", "title / snippet"):
        table.add_column(col)
    for r in results.results:
        lang_label = r.dialect if r.dialect == "prs" else r.language
        table.add_row(str(r.id), lang_label, (r.published or "")[:10], r.source,
                      snippet_to_rich(r.title, r.snippet))
    out.print(table)


@app.command()
def documents(
    ctx: typer.Context,
    lang: Annotated[str | None, typer.Option(help="Only this language (prs = Dari).")] = None,
    source: Annotated[str | None, typer.Option(help="Only this source.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=1000)] = 20,
    as_json: JsonOpt = False,
) -> None:
    """List the latest documents."""
    from rasad.store.queries import latest_documents

    c = _ctx(ctx)
    with c.db.session() as session:
        rows = latest_documents(session, language=lang, source=source, limit=limit)
    if as_json:
        _print_json(rows)
        return
    table = Table(title=f"latest {len(rows)} document(s)")
    for col in ("id", "lang", "published", "source", "title"):
        table.add_column(col)
    for r in rows:
        table.add_row(str(r["id"]), r["dialect"] or r["language"], (r["published"] or "")[:10],
                      r["source"] or "", r["title"][:80])
    out.print(table)


@app.command()
def show(ctx: typer.Context, doc_id: Annotated[int, typer.Argument(help="Document id.")],
         as_json: JsonOpt = False) -> None:
    """Show one document with its evidence capture."""
    from rasad.store.queries import document_detail

    c = _ctx(ctx)
    with c.db.session() as session:
        detail = document_detail(session, doc_id)
    if as_json:
        _print_json(detail)
        return
    out.print(f"[bold]{detail['title']}[/bold]  ({detail['language']}"
              f"{'/' + detail['dialect'] if detail['dialect'] else ''}, {detail['published'] or 'undated'})")
    out.print(f"url: {detail['url']}")
    cap = detail["capture"]
    out.print(f"capture {cap['id']}: sha256 {cap['sha256']}, fetched {cap['fetched_at']}, "
              f"HTTP {cap['http_status'] or '-'}, {cap['size']} bytes")
    out.print()
    out.print(detail["text"], highlight=False, markup=False)


@app.command()
def reindex(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """Rebuild the search index from the store."""
    from rasad.search.service import reindex as do_reindex

    c = _ctx(ctx)
    n = do_reindex(c.db, c.backend)
    if as_json:
        _print_json({"indexed": n, "backend": c.backend.name})
    else:
        out.print(f"indexed {n} document(s) ({c.backend.name})")


@app.command()
def analyze(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="A .txt, .html, .json/.jsonl or feed file.")],
    lang: Annotated[str | None, typer.Option(help="Language hint.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Run the pipeline on one file without storing it."""
    from rasad.pipeline.analyze import analyze_file

    results = analyze_file(file, _ctx(ctx).settings, hint=lang)
    data = results[0] if len(results) == 1 else results
    if as_json:
        _print_json(data)
        return
    for r in results:
        out.print(f"language {r['language']}"
                  f"{' (' + r['dialect'] + ')' if r['dialect'] else ''}, script {r['script']}, "
                  f"published {r['published'] or '-'}: {r['title']}", markup=False)
        for s in r["statements"]:
            out.print(f"  said: {s['speaker'] or '?'}{' (' + s['speaker_role'] + ')' if s['speaker_role'] else ''}"
                      f"{', ' + s['date'] if s['date'] else ''}: {s['quote'][:160]}", markup=False)
        for t in r["threats"]:
            out.print(f"  threat: {t['category']} {t['score']:.2f} ({t['mode']}): {t['evidence'][:160]}",
                      markup=False)
        for x in r["relations"]:
            out.print(f"  relation: {x['source']} {x['type']} {x['target']}", markup=False)
        names = sorted({e["canonical"] for e in r["entities"]})
        if names:
            out.print(f"  actors: {', '.join(names)}", markup=False)
        if r["dates"]:
            out.print("  dates: " + ", ".join(f"{d['text']} = {d['iso']}" for d in r["dates"]), markup=False)


@sources_app.command("add")
def sources_add(
    ctx: typer.Context,
    name: str,
    url: str,
    kind: Annotated[str, typer.Option(help="rss or web.")] = "rss",
    lang: Annotated[str, typer.Option(help="Language hint (prs = Dari).")] = "",
    country: Annotated[str, typer.Option()] = "",
    affiliation: Annotated[str, typer.Option(help='e.g. "state", "pro-Taliban".')] = "",
    title: Annotated[str, typer.Option(help="Display name.")] = "",
    every: Annotated[int, typer.Option(help="Poll interval in minutes.", min=1)] = 60,
    as_json: JsonOpt = False,
) -> None:
    """Add a source to poll."""
    from rasad.store.queries import source_row
    from rasad.store.sources import add_source

    c = _ctx(ctx)
    if kind not in ("rss", "web"):
        raise BadInput("--kind must be rss or web")
    with c.db.session() as session:
        src = add_source(session, name, url, kind, language=lang, country=country,
                         affiliation=affiliation, title=title or name, schedule_minutes=every)
        row = source_row(session, src)
    if as_json:
        _print_json(row)
    else:
        out.print(f"added source {name} ({kind}) {url}")


@sources_app.command("import")
def sources_import(ctx: typer.Context, file: Path, as_json: JsonOpt = False) -> None:
    """Add or update sources from a YAML list (name, url, kind, language, country, ...)."""
    from rasad.store.queries import import_sources

    c = _ctx(ctx)
    with c.db.session() as session:
        added, updated = import_sources(session, file)
    if as_json:
        _print_json({"added": added, "updated": updated})
    else:
        out.print(f"{added} source(s) added, {updated} updated")


@sources_app.command("list")
def sources_list(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """List sources with their health."""
    from rasad.store.queries import source_rows

    c = _ctx(ctx)
    with c.db.session() as session:
        rows = source_rows(session)
    if as_json:
        _print_json(rows)
        return
    table = Table(title=f"{len(rows)} source(s)")
    for col in ("name", "kind", "lang", "country", "affiliation", "docs", "last fetch", "status", "url"):
        table.add_column(col)
    for r in rows:
        table.add_row(r["name"], r["kind"], r["language"], r["country"], r["affiliation"],
                      str(r["documents"]), (r["last_fetched_at"] or "")[:16],
                      r["last_status"] + (f" ({r['last_error']})" if r["last_error"] else ""), r["url"])
    out.print(table)


@sources_app.command("fetch")
def sources_fetch(
    ctx: typer.Context,
    names: Annotated[list[str] | None, typer.Argument(help="Sources to poll (default: all due).")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Poll sources now (conditional GET; new entries and changed pages only)."""
    c = _ctx(ctx)
    ingester = c.ingester()
    try:
        report = ingester.poll(list(names or []))
    finally:
        ingester.close()
    _report_items(report, as_json)
    if report.items and len(report.failed) == len(report.items):
        raise typer.Exit(1)


@app.command()
def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option()] = "127.0.0.1",
    port: Annotated[int, typer.Option()] = 8000,
) -> None:
    """Serve the web UI and JSON API."""
    import uvicorn

    from rasad.web.app import create_app

    c = _ctx(ctx)
    out.print(f"Rasad on http://{host}:{port}/  (database {c.db.engine.url.render_as_string()})")
    # proxy headers are the app's to judge (RASAD_TRUST_PROXY), not uvicorn's
    uvicorn.run(create_app(c.settings, c.db, c.backend), host=host, port=port, log_level="warning",
                proxy_headers=False)


@app.command()
def demo(
    ctx: typer.Context,
    port: Annotated[int, typer.Option()] = 8000,
    serve_ui: Annotated[bool, typer.Option("--serve/--no-serve", help="Serve the UI afterwards.")] = True,
    data: Annotated[Path | None, typer.Option(help="Demo corpus folder.")] = None,
) -> None:
    """Load the bundled demo corpus and serve the UI."""
    from rasad.demo import load_demo

    c = _ctx(ctx)
    report = load_demo(c, data)
    _report_items(report, False)
    if serve_ui:
        serve(ctx, port=port)


# the command groups of other modules, listed after the core commands in `rasad --help`
register_extraction_commands(app)
register_user_commands(app)
register_alert_commands(app)

GLOBAL_OPTIONS = {"--db": True, "--home": True, "--debug": False}  # option -> takes a value


def hoist_global_options(args: list[str]) -> list[str]:
    """Let --db, --home and --debug stand anywhere (`rasad search x --db URL` too) by moving
    them in front of the command, where Typer expects them."""
    front, rest, i = [], [], 0
    while i < len(args):
        arg = args[i]
        name = arg.split("=", 1)[0]
        if arg == "--":
            rest.extend(args[i:])
            break
        if name in GLOBAL_OPTIONS:
            front.append(arg)
            if GLOBAL_OPTIONS[name] and "=" not in arg and i + 1 < len(args):
                front.append(args[i + 1])
                i += 1
        else:
            rest.append(arg)
        i += 1
    return front + rest


def main() -> None:
    debug = "--debug" in sys.argv
    command = typer.main.get_command(app)
    try:
        code = command.main(args=hoist_global_options(sys.argv[1:]), prog_name="rasad",
                            standalone_mode=False)
        if isinstance(code, int) and code:
            sys.exit(code)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        print("rasad: aborted", file=sys.stderr)
        sys.exit(1)
    except typer.exceptions.TyperException as exc:  # usage errors: bad option, no such command
        show = getattr(exc, "show", None)
        if show:
            show()
        else:
            print(f"rasad: error: {exc}", file=sys.stderr)
        sys.exit(getattr(exc, "exit_code", 2))
    except RasadError as exc:
        if debug:
            raise
        print(f"rasad: error: {exc}", file=sys.stderr)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as exc:
        if debug:
            raise
        print(f"rasad: internal error: {type(exc).__name__}: {exc} (run with --debug for details)",
              file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
