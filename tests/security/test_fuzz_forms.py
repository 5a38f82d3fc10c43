"""Hypothesis fuzzes every form of the site (the API: tests/api/test_schemathesis.py).

Each form is read from the page that serves it (its real field names, options and
hidden inputs), then posted with hostile values: no answer is a 5xx, and when the
answer is not a success (a redirect), nothing was stored. Few examples per form,
so the whole suite stays fast on 2 cores. The world is built once per module (and
process: `shared_world`), read afresh per form, and each
example runs in a savepoint that is rolled back (`rolled_back`), so every example
starts from the same data without rebuilding it.
"""

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import NoReverseMatch, reverse
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests.content.library.builders import pdf_bytes
from tests.security.forms import Field, forms_in
from tests.security.world import rolled_back

MAX_EXAMPLES = 10
NASTY = [
    "", " ", "0", "-1", "2147483648", "9" * 30, "1e309", "NaN", "-0.01", "1,5",
    "<script>alert(1)</script>", "\x00", "' OR '1'='1", "../../etc/passwd",
    "2024-02-30", "\u202e\u0000", "a" * 5000, "%00", "{{ 7|add:7 }}", "☃" * 50,
]  # fmt: skip
FILES = [
    ("deck.pdf", b"<html><script>alert(1)</script></html>"),  # HTML dressed as PDF
    ("image.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
    ("empty.pdf", b""),
    ("tool.exe", b"MZ\x90\x00\x03\x00"),
    ("page.html", b"<!doctype html><p>hi</p>"),
    ("real.pdf", None),  # a valid PDF, so success paths run too
]
# Rows that reads create (views, search logs): not "stored from the input".
READ_SIDE_EFFECTS = {"assetevent", "dailyassetstat", "searchlog", "sharevisit"}


def _page(name, **kwargs):
    return lambda w: reverse(name, kwargs={k: f(w) for k, f in kwargs.items()})


def _pk(attr):
    return lambda w: getattr(w, attr).pk


# (id, role, page that serves the form, url name the form posts to, its kwargs)
SOURCES = [
    ("asset_add", "marketer", _page("content:asset_add"), None),
    ("asset_edit", "marketer", _page("content:asset_edit", pk=_pk("draft")), None),
    ("version_add", "marketer", _page("content:version_add", pk=_pk("asset")), None),
    ("asset_retire", "marketer", _page("content:asset_retire", pk=_pk("asset")), None),
    ("bulk_upload", "marketer", _page("content:bulk_upload"), None),
    ("stage_add", "marketer", _page("content:stage_add"), None),
    ("stage_edit", "marketer", _page("content:stage_edit", pk=_pk("stage")), None),
    ("rate", "rep", _page("content:asset", pk=_pk("asset")), "content:rate"),
    ("usage_add", "rep", _page("content:asset", pk=_pk("asset")), "content:usage_add"),
    ("deal_add", "rep", _page("content:deal_add"), None),
    ("deal_edit", "rep", _page("content:deal_edit", pk=_pk("own_deal")), None),
    ("deal_outcome", "rep", _page("content:deal", pk=_pk("own_deal")),
     "content:deal_outcome"),
    ("request_add", "rep", _page("content:request_add"), None),
    ("share_add", "rep", _page("content:share_add", pk=_pk("partner_asset")), None),
    ("share_room_add", "rep", _page("content:share_room_add"), None),
    ("token_add", "rep", _page("accounts:token_add"), None),
    ("password_change", "rep", _page("accounts:password_change"), None),
    ("login", "anonymous", _page("accounts:login"), None),
    ("password_reset", "anonymous", _page("accounts:password_reset"), None),
    ("search", "rep", _page("content:search"), "content:search"),
    ("dashboard", "admin", _page("content:dashboard"), "content:dashboard"),
    ("play_edit", "marketer", lambda w: reverse("content:play_edit",
     kwargs={"slug": w.stage.slug}), None),
    ("deal_context", "rep", _page("content:deal", pk=_pk("own_deal")),
     "content:deal_context"),
    # A CRM id new in each example (the world is rebuilt, the database kept).
    ("embed_deal_create", "rep", lambda w: reverse("embed:deal",
     kwargs={"crm_id": f"FUZZ-{w.own_deal.pk}"}), "embed:deal_create"),
]  # fmt: skip


def _value(data, f: Field):
    # Options are picked by a bounded index: their number varies with the data,
    # and Hypothesis needs the same draws from one example to the next.
    if f.kind == "file":
        name, payload = FILES[data.draw(st.integers(0, len(FILES) - 1), label=f.name)]
        payload = pdf_bytes("Fuzzed") if payload is None else payload
        return SimpleUploadedFile(name, payload)
    nasty = st.sampled_from(NASTY)
    options = [o for o in f.options if o] or [""]
    pick = st.integers(0, 99).map(lambda i: options[i % len(options)])
    if f.kind in ("select", "radio"):
        return data.draw(st.one_of(pick, nasty), label=f.name)
    if f.kind == "checkbox":
        return data.draw(st.lists(st.one_of(pick, nasty), max_size=3), label=f.name)
    return data.draw(st.one_of(st.text(max_size=120), nasty), label=f.name)


def _counts() -> dict[str, int]:
    models = [
        m
        for label in ("content", "accounts", "taggit")
        for m in apps.get_app_config(label).get_models()
        if m._meta.model_name not in READ_SIDE_EFFECTS
    ]
    return {m._meta.label: m._default_manager.count() for m in models}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role,page,action", [s[1:] for s in SOURCES], ids=[s[0] for s in SOURCES]
)
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    # No shrinking: a failure is reported as found, which keeps the suite fast.
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_fuzzed_form_input_never_crashes_and_stores_nothing_invalid(
    world, role, page, action, data
):
    # A retire or an outcome changes the world: each example's writes are undone.
    with rolled_back():
        _fuzz_one_form(world, role, page, action, data)


@pytest.fixture
def world(shared_world):
    """Built once per module and process (tests/security/conftest.py), read afresh
    per form; the function-scoped fixture is shared by the form's examples."""
    return shared_world


def _fuzz_one_form(world, role, page, action, data) -> None:
    try:
        page_url = page(world)
        action_url = (
            reverse(action, kwargs=_action_kwargs(action, world)) if action else None
        )
    except NoReverseMatch:
        pytest.skip("this page does not exist yet")
    client = Client()
    if role != "anonymous":
        client.force_login(world.users[role])
    response = client.get(page_url)
    assert response.status_code == 200, (page_url, response.status_code)
    candidates = [
        f
        for f in forms_in(response.content.decode())
        if (f.action or page_url).split("?")[0] == (action_url or page_url)
    ]
    assert candidates, f"no form posting to {action_url or page_url} on {page_url}"
    form = candidates[0]
    payload = dict(form.hidden)
    for f in form.visible:
        if data.draw(st.booleans(), label=f"send {f.name}"):
            payload[f.name] = _value(data, f)
    target = action_url or page_url
    before = _counts()
    query = {k: v for k, v in payload.items() if isinstance(v, str | list)}
    if form.method == "get":
        response = client.get(target, query)
    else:
        response = client.post(target, payload)
    assert response.status_code < 500, (target, payload, response.status_code)
    # 201: a page that shows a secret once (a new API key or share link).
    success = (201, 204, 301, 302, 303)
    if response.status_code not in success and form.method == "post":
        assert _counts() == before, (target, payload, response.status_code)


def _action_kwargs(action: str, world) -> dict:
    if action in ("content:rate", "content:usage_add"):
        return {"pk": world.asset.pk}
    if action in ("content:deal_outcome", "content:deal_context"):
        return {"pk": world.own_deal.pk}
    if action == "embed:deal_create":
        return {"crm_id": f"FUZZ-{world.own_deal.pk}"}
    return {}
