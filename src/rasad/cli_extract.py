"""`rasad actors|statements|threats|relations|reanalyze`: the knowledge base and what
extraction found, listed with filters; re-running extraction after an upgrade."""

from __future__ import annotations

import getpass
from typing import Annotated

import typer
from rich.table import Table

from rasad.cli_base import JsonOpt, _ctx, _print_json, out
from rasad.errors import BadInput

actors_app = typer.Typer(help="The knowledge base of actors and their aliases.", no_args_is_help=True)

LangOpt = Annotated[str | None, typer.Option("--lang", help="Only documents in this language (prs = Dari).")]
SinceOpt = Annotated[str | None, typer.Option(help="Documents published on or after YYYY-MM-DD.")]
LimitOpt = Annotated[int, typer.Option(min=1, max=5000)]
DocOpt = Annotated[int | None, typer.Option("--document", help="Only this document id.")]


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user name in a container: provenance stays "analyst"
        return ""


def _kb_session(ctx: typer.Context):
    """A session on a database whose starter knowledge base is seeded."""
    from rasad.pipeline.extraction import ensure_kb

    session = _ctx(ctx).db.new_session()
    ensure_kb(session)
    return session


# --- actors ----------------------------------------------------------------------------------


@actors_app.command("list")
def actors_list(
    ctx: typer.Context,
    kind: Annotated[str | None, typer.Option(help="person, organization, outlet, state, place or group.")] = None,
    query: Annotated[str | None, typer.Option("--query", "-q", help="Part of a name or alias, any script.")] = None,
    merged: Annotated[bool, typer.Option("--merged", help="Include actors merged into others.")] = False,
    limit: LimitOpt = 500,
    as_json: JsonOpt = False,
) -> None:
    """List actors, with their number of aliases."""
    from rasad.kb.store import list_actors

    with _kb_session(ctx) as session:
        rows = list_actors(session, kind=kind, query=query, include_merged=merged, limit=limit)
        session.commit()
    if as_json:
        _print_json(rows)
        return
    table = Table(title=f"{len(rows)} actor(s)")
    for col in ("id", "key", "canonical", "kind", "country", "aliases"):
        table.add_column(col)
    for r in rows:
        name = r["canonical"] + (f" → {r['merged_into']['canonical']}" if r["merged_into"] else "")
        table.add_row(str(r["id"]), r["key"] or "", name, r["kind"], r["country"], str(r["alias_count"]))
    out.print(table)


@actors_app.command("show")
def actors_show(ctx: typer.Context, actor: Annotated[str, typer.Argument(help="Id, key, name or alias.")],
                as_json: JsonOpt = False) -> None:
    """An actor with every alias and where it came from, and what it said and did."""
    from rasad.kb.store import actor_row
    from rasad.store.extracted import actor_activity, find_actor

    with _kb_session(ctx) as session:
        entity = find_actor(session, actor)
        row = actor_row(session, entity)
        row["roles"] = (entity.meta or {}).get("roles", [])
        row["activity"] = actor_activity(session, entity)
        session.commit()
    if as_json:
        _print_json(row)
        return
    out.print(f"[bold]{row['canonical']}[/bold] ({row['kind']}, key {row['key']}, id {row['id']})"
              f"{' ' + row['country'] if row['country'] else ''}")
    if row["description"]:
        out.print(row["description"], markup=False)
    for role in row["roles"]:
        out.print(f"role: {role['title']} ({role.get('start') or '?'}–{role.get('end') or ''})", markup=False)
    if row["merged_from"]:
        out.print("merged from: " + ", ".join(m["key"] or str(m["id"]) for m in row["merged_from"]))
    table = Table(title="aliases")
    for col in ("name", "lang", "script", "status", "provenance", "via"):
        table.add_column(col)
    for a in row["aliases"]:
        table.add_row(a["name"], a["language"], a["script"], a["status"], a["provenance"], a["via"] or "")
    out.print(table)
    act = row["activity"]
    out.print(f"{act['documents']} document(s) mention it; {act['statements']} statement(s) by it")
    for s in act["recent_statements"][:5]:
        out.print(f"  {s['date'] or s['document']['published'] or '-'}  {s['quote'][:120]}", markup=False)


@actors_app.command("add")
def actors_add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The canonical (English) name.")],
    kind: Annotated[str, typer.Option(help="person, organization, outlet, state, place or group.")],
    key: Annotated[str | None, typer.Option(help="Stable key (default: from the name).")] = None,
    country: Annotated[str, typer.Option(help="ISO 3166 code.")] = "",
    affiliation: Annotated[str, typer.Option()] = "",
    description: Annotated[str, typer.Option()] = "",
    alias: Annotated[list[str] | None, typer.Option(help="Another name (repeatable, any script).")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Add an actor (with aliases) to the knowledge base."""
    from rasad.kb.store import actor_row, add_actor, add_alias

    user = _user()
    with _kb_session(ctx) as session:
        entity = add_actor(session, name, kind, key=key, country=country, affiliation=affiliation,
                           description=description, user=user)
        for other in alias or []:
            add_alias(session, entity, other, provenance=f"analyst:{user}" if user else "analyst")
        row = actor_row(session, entity)
        session.commit()
    if as_json:
        _print_json(row)
    else:
        out.print(f"added {row['canonical']} (key {row['key']}, id {row['id']}) with {len(row['aliases'])} alias(es)")


@actors_app.command("alias")
def actors_alias(
    ctx: typer.Context,
    actor: Annotated[str, typer.Argument(help="Id, key, name or alias of the actor.")],
    name: Annotated[str, typer.Argument(help="The new name, in any script.")],
    lang: Annotated[str, typer.Option("--lang", help="Language of the name (en, fa, prs, ps, ar, ur).")] = "",
    reject: Annotated[bool, typer.Option("--reject", help="Reject a proposed alias instead.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Give an actor another name (or accept / reject one learned from a document)."""
    from sqlalchemy import select

    from rasad.kb.store import add_alias, audit
    from rasad.store.extracted import find_actor
    from rasad.store.tables import Alias
    from rasad.text.normalize import normalize

    user = _user()
    with _kb_session(ctx) as session:
        entity = find_actor(session, actor)
        if reject:
            row = session.scalars(select(Alias).where(Alias.entity_id == entity.id,
                                                      Alias.key == normalize(name))).first()
            if row is None:
                raise BadInput(f"{entity.canonical!r} has no alias {name!r}")
            row.status = "rejected"
            audit(session, "alias.reject", entity.key or str(entity.id), {"name": name, "by": user})
            status = "rejected"
        else:
            added = add_alias(session, entity, name, language=lang,
                              provenance=f"analyst:{user}" if user else "analyst")
            audit(session, "alias.add", entity.key or str(entity.id), {"name": name, "by": user})
            status = "added" if added is not None else "accepted"
        session.commit()
        result = {"actor": entity.canonical, "key": entity.key, "alias": name, "status": status}
    if as_json:
        _print_json(result)
    else:
        out.print(f"{status}: {name!r} for {result['actor']}", markup=False)


@actors_app.command("merge")
def actors_merge(
    ctx: typer.Context,
    source: Annotated[str, typer.Argument(help="The actor that goes (id, key or name).")],
    target: Annotated[str, typer.Argument(help="The actor that stays.")],
    as_json: JsonOpt = False,
) -> None:
    """Merge one actor into another (reversible with `unmerge`; aliases keep their provenance)."""
    from rasad.kb.store import get_entity, merge

    with _kb_session(ctx) as session:
        a, b = get_entity(session, source), get_entity(session, target)
        merge(session, a, b, user=_user())
        session.commit()
        result = {"merged": a.key, "into": b.key}
    if as_json:
        _print_json(result)
    else:
        out.print(f"merged {result['merged']} into {result['into']}")


@actors_app.command("unmerge")
def actors_unmerge(ctx: typer.Context, actor: Annotated[str, typer.Argument(help="The merged actor.")],
                   as_json: JsonOpt = False) -> None:
    """Undo a merge: the actor stands alone again with its own aliases."""
    from rasad.kb.store import get_entity, unmerge

    with _kb_session(ctx) as session:
        entity = get_entity(session, actor)
        target = unmerge(session, entity, user=_user())
        session.commit()
        result = {"unmerged": entity.key, "from": target.key}
    if as_json:
        _print_json(result)
    else:
        out.print(f"unmerged {result['unmerged']} from {result['from']}")


# --- what extraction found ---------------------------------------------------------------------


def statements(
    ctx: typer.Context,
    speaker: Annotated[str | None, typer.Option(help="Speaker: id, key, name or alias in any script.")] = None,
    actor: Annotated[str | None, typer.Option(help="Statements by or about this actor.")] = None,
    kind: Annotated[str | None, typer.Option(help="direct or indirect.")] = None,
    lang: LangOpt = None,
    since: SinceOpt = None,
    document: DocOpt = None,
    limit: LimitOpt = 50,
    as_json: JsonOpt = False,
) -> None:
    """List statements: who said what, when, in which outlet."""
    from rasad.store.extracted import list_statements

    with _ctx(ctx).db.session() as session:
        rows = list_statements(session, speaker=speaker, actor=actor, kind=kind, language=lang, since=since,
                               document=document, limit=limit)
    if as_json:
        _print_json(rows)
        return
    table = Table(title=f"{len(rows)} statement(s)", show_lines=True)
    for col in ("date", "speaker", "role", "quote", "outlet", "doc"):
        table.add_column(col)
    for r in rows:
        table.add_row(r["date"] or r["document"]["published"] or "", r["speaker"] or "?", r["speaker_role"] or "",
                      r["quote"][:200], r["outlet"] or "", str(r["document"]["id"]))
    out.print(table)


def threats(
    ctx: typer.Context,
    category: Annotated[str | None, typer.Option(help="A threat category, e.g. suicide_attack.")] = None,
    actor: Annotated[str | None, typer.Option(help="Only documents mentioning this actor.")] = None,
    min_score: Annotated[float, typer.Option(min=0.0, max=1.0, help="Lowest score shown.")] = 0.0,
    lang: LangOpt = None,
    since: SinceOpt = None,
    document: DocOpt = None,
    limit: LimitOpt = 50,
    as_json: JsonOpt = False,
) -> None:
    """List threat indicators, highest score first."""
    from rasad.store.extracted import list_threats

    with _ctx(ctx).db.session() as session:
        rows = list_threats(session, category=category, actor=actor, min_score=min_score, language=lang,
                            since=since, document=document, limit=limit)
    if as_json:
        _print_json(rows)
        return
    table = Table(title=f"{len(rows)} threat(s)", show_lines=True)
    for col in ("score", "category", "mode", "evidence", "doc"):
        table.add_column(col)
    for r in rows:
        table.add_row(f"{r['score']:.2f}", r["category"], r["mode"] + (" (negated)" if r["negated"] else ""),
                      r["evidence"][:200], str(r["document"]["id"]))
    out.print(table)


def relations(
    ctx: typer.Context,
    actor: Annotated[str | None, typer.Option(help="Relations from or to this actor.")] = None,
    source: Annotated[str | None, typer.Option(help="Relations from this actor.")] = None,
    target: Annotated[str | None, typer.Option(help="Relations to this actor.")] = None,
    type: Annotated[str | None, typer.Option("--type", help="criticize, praise, threaten, support, ally, "
                                                            "appeal, deny or refuse_comment.")] = None,
    lang: LangOpt = None,
    since: SinceOpt = None,
    document: DocOpt = None,
    limit: LimitOpt = 50,
    as_json: JsonOpt = False,
) -> None:
    """List relations between actors: who criticises, threatens, supports whom."""
    from rasad.store.extracted import list_relations

    with _ctx(ctx).db.session() as session:
        rows = list_relations(session, actor=actor, source=source, target=target, type=type, language=lang,
                              since=since, document=document, limit=limit)
    if as_json:
        _print_json(rows)
        return
    table = Table(title=f"{len(rows)} relation(s)", show_lines=True)
    for col in ("source", "type", "target", "evidence", "doc"):
        table.add_column(col)
    for r in rows:
        table.add_row(r["source"], r["type"], r["target"], r["evidence"][:160], str(r["document"]["id"]))
    out.print(table)


def reanalyze(
    ctx: typer.Context,
    everything: Annotated[bool, typer.Option("--all", help="Every document, not only those extracted "
                                                           "by an older version.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Run extraction again on stored documents (replacing only extraction's own results)."""
    from rasad.pipeline.extraction import VERSION, ExtractionStage, stale_documents

    stage = ExtractionStage()
    done, after = 0, 0
    db = _ctx(ctx).db
    while True:
        with db.session() as session:
            docs, last = stale_documents(session, everything=everything, after_id=after)
            if last is None:
                break
            done += stage.apply(session, docs)
            after = last
    if as_json:
        _print_json({"documents": done, "version": VERSION})
    else:
        out.print(f"extracted {done} document(s) with extraction version {VERSION}")


def register(app: typer.Typer) -> None:
    app.add_typer(actors_app, name="actors")
    app.command()(statements)
    app.command()(threats)
    app.command()(relations)
    app.command()(reanalyze)
