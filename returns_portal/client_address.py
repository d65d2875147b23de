"""The client's address as our own proxies saw it: X-Forwarded-For is read only behind trusted proxies."""

import ipaddress
from functools import lru_cache

from django.conf import settings


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(proxy.strip(), strict=False) for proxy in proxies if proxy.strip())


def _is_ip(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def _trusted(address: str, networks: tuple) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_address(request) -> str | None:
    """The address of the client, never one the client could have written itself.

    Each proxy appends the address it received the request from to X-Forwarded-For, so only the entries
    on the right, written by our own proxies, can be believed; whatever a client sends sits on the left.
    ``TRUSTED_PROXIES`` (addresses or networks) walks the chain from the right past our proxies;
    ``TRUSTED_PROXY_COUNT`` takes the entry that many places from the right. With neither set (the
    default) the header is ignored and the connecting address is the client. django-ipware was tried
    and not used: its proxy count counts the header's entries, and its default left-most choice returns
    the address a client put in the header itself.
    """
    remote = request.META.get("REMOTE_ADDR") or None
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    networks = _networks(tuple(settings.TRUSTED_PROXIES))
    if networks:
        if remote is None or not _trusted(remote, networks):
            return remote
        chain = [remote, *reversed(forwarded)]
        for address in chain:
            if not _trusted(address, networks):
                return address if _is_ip(address) else None
        return chain[-1]
    count = settings.TRUSTED_PROXY_COUNT
    if count > 0 and len(forwarded) >= count:
        address = forwarded[-count]
        # A header the proxy did not write as we expect gives no address rather than a made-up one.
        return address if _is_ip(address) else remote
    return remote
