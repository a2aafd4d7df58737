"""The client's address, as far as it can be trusted.

Daphne runs without ``--proxy-headers``: ``REMOTE_ADDR`` is the socket's peer.
Only when that peer is one of ``GUICHET_TRUSTED_PROXIES`` (addresses or networks,
empty by default) does ``X-Forwarded-For`` count, read from the right: the
first address that is not itself a trusted proxy is the client. Anything a
client writes to the left of that is ignored, so a rotating forged header
cannot escape the rate limits."""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

from .middleware import SyncAndAsyncMiddleware

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(proxy.strip(), strict=False) for proxy in proxies if proxy.strip())


def _trusted(address: str, networks: tuple[Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip().strip("[]"))
    except ValueError:
        return False
    return any(ip in network for network in networks)


def real_client(peer: str, forwarded_for: str | None, proxies: tuple[str, ...]) -> str:
    networks = _networks(proxies)
    if not forwarded_for or not _trusted(peer, networks):
        return peer
    for hop in reversed(forwarded_for.split(",")):
        hop = hop.strip().strip("[]")
        try:
            ipaddress.ip_address(hop)
        except ValueError:
            return peer  # a malformed chain: keep what the socket says
        if not _trusted(hop, networks):
            return hop
    return peer


def _apply(request: HttpRequest) -> None:
    proxies = tuple(settings.GUICHET_TRUSTED_PROXIES)
    if proxies:
        peer = str(request.META.get("REMOTE_ADDR") or "")
        request.META["REMOTE_ADDR"] = real_client(peer, request.headers.get("X-Forwarded-For"), proxies)


class ClientAddressMiddleware(SyncAndAsyncMiddleware):
    """Set REMOTE_ADDR to the client's address behind trusted proxies."""

    def before(self, request: HttpRequest) -> None:
        _apply(request)
