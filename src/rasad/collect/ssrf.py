"""SSRF guard: never fetch from the network Rasad itself runs in.

Monitored sites, feed entries and redirects choose the URLs the fetcher requests, so every
URL is untrusted. The guard refuses a host that is, or resolves to, an address that is
not public unicast (private, loopback, link-local, multicast, reserved, unspecified,
carrier-grade NAT, and the same wrapped in IPv6: IPv4-mapped, NAT64, 6to4, Teredo,
IPv4-compatible), unless ``settings.allow_private`` lists the host name, the address or
a network containing it.

Two checks, one rule:

* ``AddressGuard.check_host`` runs before anything is sent and needs no DNS. It reads IP
  literals in every spelling a resolver accepts (``2130706433``, ``0x7f.1``, ``127.1``,
  ``[::ffff:127.0.0.1]``) and refuses ``localhost`` names.
* ``GuardedTransport`` (httpx's own transport with ``GuardedBackend`` as its network
  layer) resolves the host itself when it opens a connection, refuses if *any* address
  is not allowed, and connects only to the addresses it checked. Nothing resolves the
  name again between check and connect, so DNS rebinding cannot swap an internal address
  in. TLS still verifies the certificate against the host name, and the connection pool
  is still keyed by host name.

Residual risks, by design:

* A transport passed to ``Fetcher(transport=...)`` (tests, ``httpx.MockTransport``) gets
  only the DNS-free ``check_host``; where such a transport connects is its business.
* Proxies are not supported: a proxy resolves names itself, out of the guard's sight, so
  the fetcher ignores ``HTTP_PROXY`` and friends.
* ``GuardedTransport`` installs its connection pool in the private ``_pool`` attribute of
  ``httpx.HTTPTransport`` (stable from httpx 0.18 to 0.28). If httpx ever changes that,
  the constructor raises instead of fetching unguarded.
"""

from __future__ import annotations

import functools
import ipaddress
import re
import socket
import ssl
import time
from collections.abc import Callable, Iterable
from typing import Any

import httpcore
import httpx

from rasad.errors import ConfigError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
Resolver = Callable[..., list[tuple[Any, ...]]]

_THIS_NETWORK = ipaddress.IPv4Network("0.0.0.0/8")
_CARRIER_GRADE_NAT = ipaddress.IPv4Network("100.64.0.0/10")
_BROADCAST = ipaddress.IPv4Address("255.255.255.255")
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
_IPV4_COMPATIBLE = ipaddress.IPv6Network("::/96")
_UNIQUE_LOCAL = ipaddress.IPv6Network("fc00::/7")
_LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"})
# one part of an inet_aton() address: hex, octal or decimal
_IPV4_PART = re.compile(r"0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*")


class BlockedAddress(Exception):
    """The host is, or resolves to, an address the guard refuses; the message says why.

    Internal: the fetcher turns it into ``FetchRefused`` naming the URL.
    """


class UnresolvableHost(Exception):
    """DNS has no address for the host; the message says why.

    Internal: the fetcher turns it into ``FetchError`` naming the URL.
    """


def ip_literal(host: str) -> IPAddress | None:
    """The address ``host`` denotes without DNS, or None if it is a name.

    Besides the standard forms this reads what ``inet_aton()`` (and so ``getaddrinfo``)
    reads: one to four parts, each decimal, octal (leading 0) or hex (0x), the last
    filling the remaining bytes, so ``2130706433``, ``0x7f.1`` and ``127.1`` all mean
    127.0.0.1.
    """
    text = host.strip().strip("[]").rstrip(".")
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        pass
    parts = text.split(".")
    if not 1 <= len(parts) <= 4 or not all(_IPV4_PART.fullmatch(part) for part in parts):
        return None
    values = [int(part, 16) if part[:2].lower() == "0x" else int(part, 8) if part.startswith("0")
              else int(part) for part in parts]
    *head, last = values
    if any(value > 255 for value in head) or last >= 256 ** (4 - len(head)):
        return None
    number = last
    for index, value in enumerate(head):
        number += value << (24 - 8 * index)
    return ipaddress.IPv4Address(number)


def embedded_ipv4(address: IPAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address carries (mapped, NAT64, 6to4, Teredo, compatible)."""
    if isinstance(address, ipaddress.IPv4Address):
        return None
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address in _NAT64 or (address in _IPV4_COMPATIBLE and int(address) > 1):
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]
    return None


def non_public(address: IPAddress) -> tuple[str, IPAddress] | None:
    """Why ``address`` is not public unicast: (kind, the address that kind is about).

    None when it is public. For an IPv6 address carrying an IPv4 one, the IPv4 address
    is judged first, because that is where the packets go.
    """
    if isinstance(address, ipaddress.IPv4Address):
        kind = _ipv4_kind(address)
        return (kind, address) if kind else None
    inner = embedded_ipv4(address)
    if inner is not None:
        kind = _ipv4_kind(inner)
        if kind:
            return kind, inner
        if address.ipv4_mapped is not None or address in _NAT64:
            return None  # a public IPv4 address reached over IPv6 (e.g. DNS64)
    kind = _ipv6_kind(address)
    return (kind, address) if kind else None


def _ipv4_kind(address: ipaddress.IPv4Address) -> str | None:
    if address in _THIS_NETWORK:
        return "unspecified"  # 0.0.0.0 reaches the local host on Linux
    if address.is_loopback:
        return "loopback"
    if address.is_link_local:
        return "link-local"
    if address.is_multicast:
        return "multicast"
    if address in _CARRIER_GRADE_NAT:
        return "carrier-grade NAT"
    if address == _BROADCAST:
        return "broadcast"
    if address.is_reserved:
        return "reserved"
    if address.is_private:
        return "private"
    if not address.is_global:
        return "non-public"
    return None


def _ipv6_kind(address: ipaddress.IPv6Address) -> str | None:
    if address.is_unspecified:
        return "unspecified"
    if address.is_loopback:
        return "loopback"
    if address.is_link_local:
        return "link-local"
    if address.is_multicast:
        return "multicast"
    if address.is_site_local:
        return "site-local"
    if address in _UNIQUE_LOCAL:
        return "private"
    if address.is_reserved:
        return "reserved"
    if address.is_private:
        return "private"
    if not address.is_global:
        return "non-public"
    return None


def _normalise(host: str) -> str:
    return host.strip().strip("[]").rstrip(".").lower()


class AddressGuard:
    """Decides which hosts and addresses may be fetched.

    ``allow_private`` entries are host names (matched exactly, case-insensitively), IP
    addresses or CIDR networks; an allowed name may resolve to anything.
    """

    def __init__(self, allow_private: Iterable[str] = (), *, resolver: Resolver | None = None):
        self._names: set[str] = set()
        self._networks: list[IPNetwork] = []
        for entry in allow_private:
            text = _normalise(entry)
            try:
                self._networks.append(ipaddress.ip_network(text, strict=False))
                continue
            except ValueError:
                pass
            if not text or "/" in text:
                raise ConfigError(f"RASAD_ALLOW_PRIVATE entry {entry!r} is not a host name, "
                                  "an IP address or a CIDR network")
            self._names.add(text)
        self._resolver = resolver  # None: socket.getaddrinfo, looked up at call time

    def check_host(self, host: str) -> None:
        """Refuse a non-public IP literal or a localhost name. Needs no DNS."""
        name = _normalise(host)
        if name in self._names:
            return
        address = ip_literal(name)
        if address is not None:
            self._check_address(host, address, resolved=False)
        elif name in _LOOPBACK_NAMES or name.endswith(".localhost"):
            raise BlockedAddress(f"{host} is a loopback host name")

    def resolve(self, host: str, port: int) -> list[str]:
        """The addresses of ``host``, every one checked; connect only to these."""
        self.check_host(host)
        resolver = self._resolver or socket.getaddrinfo
        try:
            infos = resolver(host, port, type=socket.SOCK_STREAM)
        except socket.gaierror as exc:
            raise UnresolvableHost(f"could not resolve {host} ({exc.strerror or exc})") from exc
        except (UnicodeError, OSError) as exc:
            raise UnresolvableHost(f"could not resolve {host} ({exc})") from exc
        addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
        if not addresses:
            raise UnresolvableHost(f"could not resolve {host} (no addresses)")
        if _normalise(host) not in self._names:
            for text in addresses:
                self._check_address(host, ipaddress.ip_address(text), resolved=True)
        return addresses

    def _allowed(self, address: IPAddress) -> bool:
        candidates = [address]
        inner = embedded_ipv4(address)
        if inner is not None:
            candidates.append(inner)
        return any(candidate in network for candidate in candidates for network in self._networks
                   if network.version == candidate.version)

    def _check_address(self, host: str, address: IPAddress, *, resolved: bool) -> None:
        if self._allowed(address):
            return
        verdict = non_public(address)
        if verdict is None:
            return
        kind, subject = verdict
        article = "an" if kind[0] in "aeiou" else "a"
        if resolved:
            raise BlockedAddress(f"{host} resolves to {subject}, {article} {kind} address")
        if _normalise(host) == str(subject):
            raise BlockedAddress(f"{host} is {article} {kind} address")
        raise BlockedAddress(f"{host} is {subject}, {article} {kind} address")


class GuardedBackend(httpcore.SyncBackend):
    """httpcore's socket backend, connecting only to addresses the guard checked."""

    def __init__(self, guard: AddressGuard) -> None:
        self._guard = guard

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        addresses = self._guard.resolve(host, port)
        deadline = None if timeout is None else time.monotonic() + timeout
        failure: Exception | None = None
        for address in addresses:
            remaining = None if deadline is None else max(deadline - time.monotonic(), 0.001)
            try:
                return super().connect_tcp(address, port, remaining, local_address, socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                failure = exc
        assert failure is not None  # resolve() never returns an empty list
        raise failure


@functools.cache
def _ssl_context() -> ssl.SSLContext:
    """httpx's default context (certifi, or SSL_CERT_FILE / SSL_CERT_DIR), built once:
    loading the CA bundle takes tens of milliseconds and the context is shareable."""
    return httpx.create_ssl_context()


class GuardedTransport(httpx.HTTPTransport):
    """httpx's default transport whose every connection goes through ``GuardedBackend``."""

    def __init__(self, guard: AddressGuard) -> None:
        super().__init__(verify=_ssl_context())
        stock = getattr(self, "_pool", None)
        if not isinstance(stock, httpcore.ConnectionPool):
            raise RuntimeError("httpx.HTTPTransport no longer keeps its pool in _pool; "
                               "the SSRF guard cannot be installed with this httpx version")
        stock.close()
        self._pool = httpcore.ConnectionPool(
            ssl_context=_ssl_context(),
            max_connections=100,  # httpx's defaults
            max_keepalive_connections=20,
            keepalive_expiry=5.0,
            network_backend=GuardedBackend(guard),
        )
