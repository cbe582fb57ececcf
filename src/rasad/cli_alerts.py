"""`rasad alerts add|list|test|mute|unmute|remove|feed-token|deliver|history`: saved
searches matched on ingest, and the worker that delivers their messages."""

from __future__ import annotations

import signal
import threading
from typing import Annotated

import typer
from rich.table import Table

from rasad.cli_base import JsonOpt, _ctx, _print_json, err, out

alerts_app = typer.Typer(help="Alerts: saved searches matched on ingest, delivered by e-mail, "
                              "signed webhook and Atom feed.", no_args_is_help=True)

NameArg = Annotated[str, typer.Argument(help="The alert's name (or id).")]
UserOpt = Annotated[str | None, typer.Option("--user", help="The owner's email, when several users "
                                                             "have an alert of that name.")]


def _find(session, name: str, user: str | None):
    from rasad.alerts.saved import get_alert
    from rasad.store.users import get_user

    return get_alert(session, name, owner=get_user(session, user) if user else None)


def _feed_url(c, row: dict) -> str:
    return f"{c.settings.base_url.rstrip('/')}{row['feed_path']}" if row.get("feed_path") else ""


@alerts_app.command("add")
def alerts_add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="A name for the alert (unique for its user).")],
    user: Annotated[str, typer.Option("--user", help="The user the alert belongs to.")],
    query: Annotated[str, typer.Option("--query", "-q", help='Words, "phrases", OR, -exclusions '
                                                              "(the search syntax).")] = "",
    lang: Annotated[list[str] | None, typer.Option("--lang", help="Only these languages "
                                                                  "(repeatable; prs = Dari).")] = None,
    source: Annotated[list[str] | None, typer.Option("--source", help="Only these sources "
                                                                      "(repeatable).")] = None,
    category: Annotated[list[str] | None, typer.Option("--category", help="Only documents with a "
                                                       "threat of these categories (repeatable).")] = None,
    actor: Annotated[str, typer.Option("--actor", help="Only documents mentioning or quoting this "
                                                       "actor (id, key, name or alias).")] = "",
    min_score: Annotated[float, typer.Option("--min-score", min=0.0, max=1.0,
                                             help="Only documents with a threat scoring at least this.")] = 0.0,
    email: Annotated[list[str] | None, typer.Option("--email", help="Send to this address "
                                                                    "(repeatable).")] = None,
    webhook: Annotated[str, typer.Option("--webhook", help="POST signed JSON to this URL.")] = "",
    secret: Annotated[str, typer.Option("--secret", help="The webhook's signing secret "
                                                         "(16+ characters).")] = "",
    digest: Annotated[str | None, typer.Option("--digest", help="hourly or daily: one message per "
                                                                "period instead of one per document.")] = None,
    atom: Annotated[bool, typer.Option("--atom/--no-atom", help="Keep an Atom feed of the matches.")] = True,
    all_dates: Annotated[bool, typer.Option("--all-dates", help="Also alert on items dated before "
                                                                "the alert was made (backfills).")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Add an alert: the query and filters are matched against every new document on ingest."""
    from rasad.alerts.saved import alert_rows, create_alert
    from rasad.alerts.spec import AlertSpec
    from rasad.errors import BadInput
    from rasad.store.users import get_user

    if digest is not None and digest not in ("hourly", "daily"):
        raise BadInput("--digest must be hourly or daily")
    spec = AlertSpec(name=name, query=query, languages=list(lang or []), sources=list(source or []),
                     categories=list(category or []), actor=actor, min_score=min_score,
                     emails=list(email or []), webhook_url=webhook, webhook_secret=secret,
                     atom=atom, frequency=digest or "immediate", new_only=not all_dates)
    c = _ctx(ctx)
    with c.db.session() as session:
        row = create_alert(session, get_user(session, user), spec)
        info = alert_rows(session, rows=[row])[0]
    info["feed_url"] = _feed_url(c, info) or None
    if as_json:
        _print_json(info)
        return
    out.print(f"added alert {info['name']!r} (id {info['id']}) for {info['user']}", highlight=False,
              markup=False)
    if info["feed_url"]:
        out.print(f"Atom feed: {info['feed_url']}", highlight=False, markup=False)


@alerts_app.command("list")
def alerts_list(ctx: typer.Context, user: UserOpt = None, as_json: JsonOpt = False) -> None:
    """List alerts with their owner, channels and delivery counts."""
    from rasad.alerts.saved import alert_rows
    from rasad.store.users import get_user

    c = _ctx(ctx)
    with c.db.session() as session:
        rows = alert_rows(session, user_id=get_user(session, user).id if user else None)
    for row in rows:
        row["feed_url"] = _feed_url(c, row) or None
    if as_json:
        _print_json(rows)
        return
    table = Table(title=f"{len(rows)} alert(s)")
    for col in ("id", "name", "user", "query / filters", "channels", "frequency", "state", "sent", "waiting"):
        table.add_column(col)
    for r in rows:
        f = r["filters"]
        filters = " ".join([r["query"]] + [f"lang:{x}" for x in f["languages"]]
                           + [f"source:{x}" for x in f["sources"]] + [f"threat:{x}" for x in f["categories"]]
                           + ([f"actor:{f['actor_name']}"] if f["actor"] else [])
                           + ([f"score>={r['min_score']:g}"] if r["min_score"] else [])).strip()
        ch = r["channels"]
        channels = ", ".join(ch["email"] + (["webhook"] if ch["webhook"] else []) + (["atom"] if ch["atom"] else []))
        d = r["deliveries"]
        table.add_row(str(r["id"]), r["name"], r["user"] or "", filters, channels, r["frequency"],
                      "muted" if r["muted"] else "on", str(d.get("delivered", 0)),
                      str(d.get("pending", 0) + d.get("retry", 0) + d.get("sending", 0)))
    out.print(table)


@alerts_app.command("test")
def alerts_test(
    ctx: typer.Context,
    name: NameArg,
    days: Annotated[int, typer.Option("--days", min=1, max=366, help="Look this many days back.")] = 7,
    user: UserOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """What the alert would have matched in the last days (from the archive)."""
    from rasad.alerts.preview import preview

    c = _ctx(ctx)
    with c.db.session() as session:
        row = _find(session, name, user)
        alert_id, alert_name = row.id, row.name
    result = preview(c.db, c.backend, alert_id, days=days, base_url=c.settings.base_url)
    if as_json:
        _print_json({"alert": {"id": alert_id, "name": alert_name}, **result.as_json()})
        return
    more = " (only the newest candidates were checked)" if result.truncated else ""
    table = Table(title=f"{alert_name}: {result.matched} match(es) in the last {days} day(s), "
                        f"{result.checked} candidate(s) checked{more}", show_lines=True)
    for col in ("id", "lang", "published", "source", "threat", "title / snippet"):
        table.add_column(col)
    for item in result.items:
        threat = f"{item.threat_category} {item.threat_score:.2f}" if item.threat_category else ""
        table.add_row(str(item.document_id), item.dialect if item.dialect == "prs" else item.language,
                      item.published.date().isoformat() if item.published else "", item.source,
                      threat, f"{item.title}\n{item.snippet}")
    out.print(table)


def _set_muted(ctx: typer.Context, name: str, user: str | None, muted: bool, as_json: bool) -> None:
    from rasad.alerts.saved import set_muted

    with _ctx(ctx).db.session() as session:
        row = set_muted(session, _find(session, name, user), muted)
        info = {"id": row.id, "name": row.name, "muted": row.muted}
    if as_json:
        _print_json(info)
    else:
        out.print(f"{'muted' if muted else 'unmuted'} alert {info['name']!r}", highlight=False, markup=False)


@alerts_app.command("mute")
def alerts_mute(ctx: typer.Context, name: NameArg, user: UserOpt = None, as_json: JsonOpt = False) -> None:
    """Stop matching and sending; what was waiting is cancelled."""
    _set_muted(ctx, name, user, True, as_json)


@alerts_app.command("unmute")
def alerts_unmute(ctx: typer.Context, name: NameArg, user: UserOpt = None, as_json: JsonOpt = False) -> None:
    """Match and send again (from now on)."""
    _set_muted(ctx, name, user, False, as_json)


@alerts_app.command("remove")
def alerts_remove(ctx: typer.Context, name: NameArg, user: UserOpt = None, as_json: JsonOpt = False) -> None:
    """Delete an alert and its delivery history."""
    from rasad.alerts.saved import delete_alert

    with _ctx(ctx).db.session() as session:
        row = _find(session, name, user)
        info = {"id": row.id, "name": row.name, "removed": True}
        delete_alert(session, row)
    if as_json:
        _print_json(info)
    else:
        out.print(f"removed alert {info['name']!r}", highlight=False, markup=False)


@alerts_app.command("feed-token")
def alerts_feed_token(ctx: typer.Context, name: NameArg, user: UserOpt = None,
                      as_json: JsonOpt = False) -> None:
    """Give the alert's Atom feed a new address; the old one stops working."""
    import secrets

    from rasad.alerts.saved import FEED_TOKEN_BYTES
    from rasad.errors import BadInput

    c = _ctx(ctx)
    with c.db.session() as session:
        row = _find(session, name, user)
        if not (row.channels or {}).get("atom"):
            raise BadInput(f"alert {row.name!r} has no Atom feed")
        row.feed_token = secrets.token_urlsafe(FEED_TOKEN_BYTES)
        info = {"id": row.id, "name": row.name,
                "feed_url": f"{c.settings.base_url.rstrip('/')}/alerts/feed/{row.feed_token}.atom"}
    if as_json:
        _print_json(info)
    else:
        out.print(info["feed_url"], highlight=False, markup=False)


@alerts_app.command("history")
def alerts_history(
    ctx: typer.Context,
    name: NameArg,
    user: UserOpt = None,
    limit: Annotated[int, typer.Option("--limit", min=1, max=10_000)] = 50,
    as_json: JsonOpt = False,
) -> None:
    """What the alert matched and what became of each message, newest first."""
    from rasad.alerts.saved import history_rows

    with _ctx(ctx).db.session() as session:
        row = _find(session, name, user)
        rows = history_rows(session, row, limit=limit)
        alert = {"id": row.id, "name": row.name}
    if as_json:
        _print_json({"alert": alert, "deliveries": rows})
        return
    table = Table(title=f"{alert['name']}: {len(rows)} delivery row(s)")
    for col in ("matched", "document", "channel", "status", "attempts", "delivered / next", "error"):
        table.add_column(col)
    for r in rows:
        doc = r["document"]
        table.add_row(r["matched_at"][:16], f"{doc['id']} {doc['title'][:60]}", r["channel"], r["status"],
                      str(r["attempts"]), (r["delivered_at"] or r["next_attempt_at"] or "")[:16],
                      r["last_error"] or "")
    out.print(table)


@alerts_app.command("deliver")
def alerts_deliver(
    ctx: typer.Context,
    once: Annotated[bool, typer.Option("--once", help="Deliver what is due now, then exit.")] = False,
    interval: Annotated[float | None, typer.Option(
        "--interval", min=1.0, help="Seconds between looks for due messages (RASAD_ALERTS_POLL).")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Send due alert messages (e-mail, webhooks); without --once, keep doing so."""
    from rasad.alerts.worker import DeliveryWorker

    c = _ctx(ctx)
    settings = c.settings.with_overrides(alerts_poll_seconds=interval)
    worker = DeliveryWorker(settings, c.db)
    try:
        if once:
            report = worker.run_once()
            if as_json:
                _print_json(report.as_json())
            else:
                for line in report.errors:
                    err.print(line, highlight=False, markup=False)
                out.print(f"{report.messages} message(s) sent: {report.delivered} delivered, "
                          f"{report.retried} to retry, {report.failed} failed, "
                          f"{report.cancelled} cancelled")
            return
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())

        def show(report) -> None:
            if as_json:
                _print_json(report.as_json())
            else:
                err.print(f"{report.messages} message(s): {report.delivered} delivered, "
                          f"{report.retried} to retry, {report.failed} failed, "
                          f"{report.cancelled} cancelled", highlight=False)

        err.print(f"delivering alerts every {settings.alerts_poll_seconds:g}s (Ctrl-C to stop)")
        try:
            worker.run_forever(stop, on_report=show)
        except KeyboardInterrupt:
            pass
    finally:
        worker.close()


def register(app: typer.Typer) -> None:
    app.add_typer(alerts_app, name="alerts")
