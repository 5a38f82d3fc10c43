"""The client's network address, the one rule every throttle and counter uses.

Behind N reverse proxies (load balancers) that each append the address they
received the request from to `X-Forwarded-For`, the client's address is the N-th
entry from the right: anything further left was written by the client and can be
anything. With WINGMAN_TRUSTED_PROXY_COUNT = 0 (the default) the header is
ignored and the address is the socket's peer (REMOTE_ADDR).
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest

UNKNOWN_ADDRESS = "0.0.0.0"  # noqa: S104 - a placeholder, never bound


def _valid(candidate: str) -> str | None:
    candidate = candidate.strip()
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str:
    """The address of whoever sent `request`, as far as trusted proxies vouch for it.

    Also django-axes' AXES_CLIENT_IP_CALLABLE, so login lockouts and prospect
    visit counting can never disagree about who the client is.
    """
    remote = _valid(request.META.get("REMOTE_ADDR", "")) or UNKNOWN_ADDRESS
    trusted = max(0, int(getattr(settings, "WINGMAN_TRUSTED_PROXY_COUNT", 0)))
    if trusted == 0:
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    hops = [part.strip() for part in forwarded if part.strip()] + [remote]
    # hops[-1] is our peer (the nearest proxy); each trusted proxy vouches for
    # the hop left of it. Fewer hops than proxies: the request skipped a proxy,
    # so the leftmost address is the best anyone vouched for.
    chosen = hops[max(0, len(hops) - 1 - trusted)]
    return _valid(chosen) or remote
