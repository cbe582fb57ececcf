"""`rasad users add|list|set-role|deactivate|token|tokens|revoke-token`: accounts for the
web UI and API tokens, managed by whoever runs the server. Every change is audited with
the operating-system user that made it."""

from __future__ import annotations

import getpass
import sys
from typing import Annotated

import typer
from rich.table import Table

from rasad.cli_base import JsonOpt, _ctx, _print_json, err, out
from rasad.errors import BadInput

users_app = typer.Typer(help="User accounts (admin, analyst, subscriber) and API tokens.",
                        no_args_is_help=True)

EmailArg = Annotated[str, typer.Argument(help="The user's email address.")]
ROLE_HELP = "subscriber, analyst or admin."  # rasad.store.users.ROLES; not imported: keeps startup quick


def _origin():
    from rasad.store.audit import Origin

    try:
        os_user = getpass.getuser()
    except Exception:  # no user name in a container
        os_user = ""
    return Origin(via="cli", os_user=os_user)


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            raise BadInput("--password-stdin: no password on standard input")
        return password
    return typer.prompt("Password", hide_input=True, confirmation_prompt=True, err=True)


@users_app.command("add")
def users_add(
    ctx: typer.Context,
    email: EmailArg,
    role: Annotated[str, typer.Option("--role", help=ROLE_HELP)],
    name: Annotated[str, typer.Option("--name", help="Display name.")] = "",
    password_stdin: Annotated[bool, typer.Option(
        "--password-stdin", help="Read the password from the first line of standard input.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Add a user; the password is asked twice (hidden) unless --password-stdin."""
    from rasad.store.users import check_role, create_user, normalize_email, user_row

    email = normalize_email(email)  # bad input fails before the password is asked for
    check_role(role)
    password = _read_password(password_stdin)
    with _ctx(ctx).db.session() as session:
        row = user_row(create_user(session, email, password, role, name=name, origin=_origin()))
    if as_json:
        _print_json(row)
    else:
        out.print(f"added {row['email']} ({row['role']})", highlight=False)


@users_app.command("list")
def users_list(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """List users with their role, state and number of live API tokens."""
    from rasad.store.users import list_users

    with _ctx(ctx).db.session() as session:
        rows = list_users(session)
    if as_json:
        _print_json(rows)
        return
    table = Table(title=f"{len(rows)} user(s)")
    for col in ("id", "email", "name", "role", "active", "tokens", "last login"):
        table.add_column(col)
    for r in rows:
        table.add_row(str(r["id"]), r["email"], r["name"], r["role"], "yes" if r["active"] else "no",
                      str(r["tokens"]), (r["last_login_at"] or "")[:16])
    out.print(table)


@users_app.command("set-role")
def users_set_role(
    ctx: typer.Context,
    email: EmailArg,
    role: Annotated[str, typer.Argument(help=ROLE_HELP)],
    as_json: JsonOpt = False,
) -> None:
    """Change a user's role."""
    from rasad.store.users import check_role, get_user, set_role, user_row

    check_role(role)
    with _ctx(ctx).db.session() as session:
        row = user_row(set_role(session, get_user(session, email), role, _origin()))
    if as_json:
        _print_json(row)
    else:
        out.print(f"{row['email']} is now {row['role']}", highlight=False)


@users_app.command("deactivate")
def users_deactivate(ctx: typer.Context, email: EmailArg, as_json: JsonOpt = False) -> None:
    """Deactivate a user: no more logins, sessions or API tokens; the record stays."""
    from rasad.store.users import deactivate, get_user, user_row

    with _ctx(ctx).db.session() as session:
        row = user_row(deactivate(session, get_user(session, email), _origin()))
    if as_json:
        _print_json(row)
    else:
        out.print(f"deactivated {row['email']}", highlight=False)


@users_app.command("token")
def users_token(
    ctx: typer.Context,
    email: EmailArg,
    label: Annotated[str, typer.Option("--label", help="What the token is for.")] = "",
    as_json: JsonOpt = False,
) -> None:
    """Make an API token for a user and print it, once: only its hash is kept."""
    from rasad.store.users import create_api_token, get_user

    with _ctx(ctx).db.session() as session:
        user = get_user(session, email)
        row, token = create_api_token(session, user, label, _origin())
        info = {"id": row.id, "user": user.email, "label": row.label, "token": token}
    if as_json:
        _print_json(info)
        return
    sys.stdout.write(token + "\n")
    err.print(f"token {info['id']} for {info['user']}: copy it now, it is not shown again. "
              "Use it as 'Authorization: Bearer TOKEN'.", highlight=False)


@users_app.command("tokens")
def users_tokens(ctx: typer.Context, email: EmailArg, as_json: JsonOpt = False) -> None:
    """List a user's API tokens (their first characters, never the tokens)."""
    from rasad.store.users import get_user, token_rows

    with _ctx(ctx).db.session() as session:
        rows = token_rows(session, get_user(session, email))
    if as_json:
        _print_json(rows)
        return
    table = Table(title=f"{len(rows)} token(s)")
    for col in ("id", "label", "starts with", "created", "last used", "revoked"):
        table.add_column(col)
    for r in rows:
        table.add_row(str(r["id"]), r["label"], r["prefix"] + "…", r["created_at"][:16],
                      (r["last_used_at"] or "")[:16], (r["revoked_at"] or "")[:16])
    out.print(table)


@users_app.command("revoke-token")
def users_revoke_token(
    ctx: typer.Context,
    token_id: Annotated[int, typer.Argument(help="The token's id (rasad users tokens EMAIL).")],
    as_json: JsonOpt = False,
) -> None:
    """Revoke an API token."""
    from rasad.store.users import revoke

    with _ctx(ctx).db.session() as session:
        row = revoke(session, token_id, _origin())
        info = {"id": row.id, "revoked_at": row.revoked_at.isoformat()}
    if as_json:
        _print_json(info)
    else:
        out.print(f"revoked token {info['id']}")


def register(app: typer.Typer) -> None:
    app.add_typer(users_app, name="users")
