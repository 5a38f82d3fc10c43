"""Where a form may send the user back to: the one check for `next` parameters."""

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request: HttpRequest, default: str | None = None) -> str | None:
    """The form's `next` URL when it points back into this site, else `default`.

    Off-site URLs (`https://evil.example/`, `//evil.example/`), other schemes
    (`javascript:`) and anything malformed fall back to `default`, so a crafted
    link can neither send a user elsewhere nor make the redirect fail.
    """
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default
