"""Webhooks: a signed JSON POST per message.

Headers:

    Content-Type: application/json
    X-Rasad-Timestamp: 1733312000            (Unix seconds when signed)
    X-Rasad-Signature: sha256=<hex>           HMAC-SHA256, key = the alert's secret,
                                              message = "<timestamp>." + the raw body
    X-Rasad-Delivery: 41,42                   the outbox ids in this message

A receiver recomputes the HMAC over the timestamp, a dot and the bytes it received,
compares in constant time, and refuses a timestamp more than a few minutes from its
clock, so that a captured request cannot be replayed later (docs/ALERTS.md has code).
The URL is reached through the fetcher's SSRF guard: private and loopback addresses
only when ``RASAD_ALLOW_PRIVATE`` lists them. Redirects are not followed.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time

import httpx

from rasad.alerts.messages import AlertInfo, Item
from rasad.alerts.spec import one_line
from rasad.collect.ssrf import AddressGuard, BlockedAddress, GuardedTransport, UnresolvableHost
from rasad.config import Settings
from rasad.errors import DeliveryError

WEBHOOK_TIMEOUT = 15.0
SIGNATURE_HEADER = "X-Rasad-Signature"
TIMESTAMP_HEADER = "X-Rasad-Timestamp"
DELIVERY_HEADER = "X-Rasad-Delivery"


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """The signature header's value for ``body`` sent at ``timestamp``."""
    mac = hmac.new(secret.encode("utf-8"), timestamp.encode("ascii") + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def verify(secret: str, timestamp: str, body: bytes, signature: str, *, now: float | None = None,
           tolerance: float = 300.0) -> bool:
    """What a receiver does (also used by the tests): signature and freshness."""
    try:
        age = abs((now if now is not None else time.time()) - int(timestamp))
    except ValueError:
        return False
    return age <= tolerance and hmac.compare_digest(sign(secret, timestamp, body), signature)


def payload(alert: AlertInfo, items: list[Item], timestamp: int) -> dict:
    return {"type": "rasad.alert", "timestamp": timestamp, "alert": alert.as_json(),
            "digest": alert.frequency if alert.frequency != "immediate" else None,
            "items": [item.as_json() for item in items]}


class WebhookChannel:
    name = "webhook"

    def __init__(self, settings: Settings, transport: httpx.BaseTransport | None = None) -> None:
        self.guard = AddressGuard(settings.allow_private)
        self.client = httpx.Client(
            transport=transport if transport is not None else GuardedTransport(self.guard),
            timeout=WEBHOOK_TIMEOUT, follow_redirects=False, trust_env=False,
            headers={"User-Agent": settings.user_agent})

    def close(self) -> None:
        self.client.close()

    def send(self, alert: AlertInfo, items: list[Item]) -> str:
        hook = alert.channels.get("webhook") or {}
        url, secret = hook.get("url", ""), hook.get("secret", "")
        if not url or not secret:
            raise DeliveryError("the alert has no webhook URL and secret")
        now = int(time.time())
        body = json.dumps(payload(alert, items, now), ensure_ascii=False,
                          separators=(",", ":")).encode("utf-8")
        stamp = str(now)
        headers = {"Content-Type": "application/json", TIMESTAMP_HEADER: stamp,
                   SIGNATURE_HEADER: sign(secret, stamp, body),
                   DELIVERY_HEADER: ",".join(str(i.delivery_id) for i in items)}
        try:
            self.guard.check_host(httpx.URL(url).host)
            response = self.client.post(url, content=body, headers=headers)
        except BlockedAddress as exc:
            raise DeliveryError(f"webhook {url}: {exc} (allow it with RASAD_ALLOW_PRIVATE)") from exc
        except UnresolvableHost as exc:
            raise DeliveryError(f"webhook {url}: {exc}") from exc
        except (httpx.HTTPError, httpx.InvalidURL) as exc:
            raise DeliveryError(f"webhook {url}: {one_line(str(exc), 300) or type(exc).__name__}") from exc
        if not 200 <= response.status_code < 300:
            raise DeliveryError(f"webhook {url} answered HTTP {response.status_code}")
        return ""
