"""E-mail: a multipart message (plain text and HTML) sent over SMTP.

Settings: ``RASAD_SMTP_HOST`` (unset: no mail is sent and e-mail rows wait, retrying),
``RASAD_SMTP_PORT`` (587; 465 means TLS from the first byte), ``RASAD_SMTP_STARTTLS``
(true), ``RASAD_SMTP_USER`` / ``RASAD_SMTP_PASSWORD`` (log in when set; refused over an
unencrypted connection to anything but this machine), ``RASAD_SMTP_FROM``.

Every value from outside (titles, snippets, source names, the alert's own name) is
escaped in the HTML part and flattened to one line in headers, so a document cannot add
markup, scripts or headers to a message. Text in right-to-left scripts is marked
``dir="auto"`` so that each item reads in its own direction.
"""

from __future__ import annotations

import html
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

import nh3

from rasad.alerts.messages import AlertInfo, Item
from rasad.alerts.spec import one_line
from rasad.config import Settings
from rasad.errors import DeliveryError
from rasad.store.tables import utcnow

SMTP_TIMEOUT = 30.0
SUBJECT_CHARS = 180
LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})
PERIODS = {"hourly": "hourly digest", "daily": "daily digest"}


def subject(alert: AlertInfo, items: list[Item]) -> str:
    name = one_line(alert.name, 80)
    if alert.frequency in PERIODS:
        n = len(items)
        text = f"[Rasad] {name}: {n} new item{'s' if n != 1 else ''} ({PERIODS[alert.frequency]})"
    else:
        text = f"[Rasad] {name}: {one_line(items[0].title, SUBJECT_CHARS)}" if items else f"[Rasad] {name}"
    return one_line(text, SUBJECT_CHARS)


def _meta(item: Item) -> str:
    parts = [item.source or "unknown source", item.language_label]
    if item.published:
        parts.append(item.published.date().isoformat())
    if item.threat_category:
        parts.append(f"threat: {item.threat_category} {item.threat_score:.2f}")
    return " · ".join(parts)


def text_body(alert: AlertInfo, items: list[Item]) -> str:
    lines = [f"Rasad alert “{one_line(alert.name, 300)}”"
             + (f" — {PERIODS[alert.frequency]}" if alert.frequency in PERIODS else ""),
             f"Query: {alert.query}" if alert.query else "Query: (filters only)", ""]
    for n, item in enumerate(items, 1):
        lines += [f"{n}. {one_line(item.title, 500)}", f"   {one_line(_meta(item), 500)}",
                  f"   {one_line(item.snippet, 1000)}", f"   {item.link}"]
        if item.url.startswith(("http://", "https://")):
            lines.append(f"   original: {item.url}")
        lines.append("")
    lines += ["--", f"Alert settings, history and muting: {alert.link}"]
    return "\n".join(lines) + "\n"


def _snippet_html(item: Item) -> str:
    """The snippet is already escaped text plus <mark>; cleaned again so that nothing else
    can ever pass."""
    return nh3.clean(item.snippet_html, tags={"mark"}, attributes={}, url_schemes=set(),
                     strip_comments=True)


def _href(url: str) -> str:
    return html.escape(url, quote=True) if url.startswith(("http://", "https://")) else ""


def html_body(alert: AlertInfo, items: list[Item]) -> str:
    e = html.escape
    out = ['<!doctype html><html><head><meta charset="utf-8"></head>'
           '<body style="font-family: sans-serif; line-height: 1.4">',
           f'<p>Rasad alert <strong dir="auto">{e(one_line(alert.name, 300))}</strong>'
           + (f" — {PERIODS[alert.frequency]}" if alert.frequency in PERIODS else "") + "</p>"]
    if alert.query:
        out.append(f'<p>Query: <code dir="auto">{e(alert.query)}</code></p>')
    out.append("<ol>")
    for item in items:
        lang = f' lang="{e(item.html_lang)}"' if item.html_lang else ""
        title = e(one_line(item.title, 500))
        link = _href(item.link)
        out.append("<li>")
        out.append(f'<p><a href="{link}" dir="auto"{lang}>{title}</a><br>' if link
                   else f'<p><span dir="auto"{lang}>{title}</span><br>')
        out.append(f'<small>{e(_meta(item))}</small></p>')
        out.append(f'<p dir="auto"{lang}>{_snippet_html(item)}</p>')
        if _href(item.url):
            out.append(f'<p><small>original: <a href="{_href(item.url)}">{e(item.url)}</a></small></p>')
        out.append("</li>")
    out.append("</ol>")
    out.append(f'<p><small>Alert settings, history and muting: <a href="{_href(alert.link)}">'
               f'{e(alert.link)}</a></small></p></body></html>')
    return "\n".join(out)


def sender(settings: Settings) -> str:
    if settings.smtp_from:
        return settings.smtp_from
    if "@" in settings.smtp_user:
        return settings.smtp_user
    return "rasad@localhost"


def build_message(settings: Settings, alert: AlertInfo, items: list[Item], to: list[str]) -> EmailMessage:
    msg = EmailMessage()
    msg["Subject"] = subject(alert, items)
    msg["From"] = sender(settings)
    msg["To"] = ", ".join(to)
    msg["Date"] = format_datetime(utcnow())
    msg["Message-ID"] = make_msgid(domain="rasad.invalid")
    msg["Auto-Submitted"] = "auto-generated"  # RFC 3834: no auto-replies, please
    msg["X-Rasad-Alert"] = str(alert.id)
    msg["X-Rasad-Delivery"] = ",".join(str(i.delivery_id) for i in items)
    msg.set_content(text_body(alert, items))
    msg.add_alternative(html_body(alert, items), subtype="html")
    return msg


class EmailChannel:
    name = "email"

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def send(self, alert: AlertInfo, items: list[Item]) -> str:
        """Send one message to the alert's addresses; returns a note (refused addresses)."""
        s = self.settings
        to = list(alert.channels.get("email") or [])
        if not to:
            raise DeliveryError("the alert has no e-mail address")
        if not s.smtp_host:
            raise DeliveryError("e-mail is not set up: set RASAD_SMTP_HOST (and RASAD_SMTP_FROM)")
        msg = build_message(s, alert, items, to)
        implicit_tls = s.smtp_port == 465
        if s.smtp_user and not (implicit_tls or s.smtp_starttls) and s.smtp_host not in LOOPBACK_HOSTS:
            raise DeliveryError("refusing to send the SMTP password unencrypted: turn "
                                "RASAD_SMTP_STARTTLS on or use port 465")
        try:
            context = ssl.create_default_context()
            if implicit_tls:
                client = smtplib.SMTP_SSL(s.smtp_host, s.smtp_port, timeout=SMTP_TIMEOUT, context=context)
            else:
                client = smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=SMTP_TIMEOUT)
            with client:
                client.ehlo()
                if not implicit_tls and s.smtp_starttls:
                    client.starttls(context=context)
                    client.ehlo()
                if s.smtp_user:
                    client.login(s.smtp_user, s.smtp_password)
                refused = client.send_message(msg, from_addr=sender(s), to_addrs=to)
        except smtplib.SMTPRecipientsRefused as exc:
            raise DeliveryError(f"SMTP server refused every recipient: {', '.join(exc.recipients)}") from exc
        except (smtplib.SMTPException, OSError) as exc:
            raise DeliveryError(f"SMTP {s.smtp_host}:{s.smtp_port}: {one_line(str(exc), 300) or type(exc).__name__}") from exc
        if refused:
            return "refused by the SMTP server: " + ", ".join(sorted(refused))
        return ""
