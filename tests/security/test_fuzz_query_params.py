"""Every query parameter of every site page that reads one, and every number in a
site URL, gets out-of-range numbers, impossible dates and garbage: no answer is
a 5xx. (The API's filters: tests/api/. Posted forms: test_fuzz_forms.py.)

A page's parameters are the ones listed here (what its view reads) plus every
field of the GET forms the page really serves, so a new filter is fuzzed as soon
as it appears on the page.
"""

import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests.security.forms import forms_in
from tests.security.world import rolled_back

BIG = "9223372036854775808"  # 2**63: one past the largest database integer
# Each parameter alone gets the sharpest values (database integer overflow, UTC
# conversion past the calendar's edges, NUL); combinations draw from all of them.
# Few, because the sweep is parameters x values requests on every page.
SHARP = [
    BIG, "9" * 23, "-1",
    "0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00", "\x00",
]  # fmt: skip
MORE = [
    "-" + BIG, "0", "1e309", "NaN", "0x10", "1.5", "٣",
    "0001-01-01", "9999-12-31", "2024-02-30", "0000-00-00", "2024-13-01T25:61:61",
    "-2024-01-01", "", " ", "%00", "abc", "☃" * 40, "a" * 3000, "[]", "{}", "'\"",
]  # fmt: skip
VALUES = SHARP + MORE


def _pk(attr):
    return lambda w: {"pk": getattr(w, attr).pk}


NO_KWARGS = lambda w: {}  # noqa: E731

# (url name, kwargs, role, parameters its view reads besides its GET forms' fields)
PAGES = [
    ("home", NO_KWARGS, "rep", []),
    ("content:search", NO_KWARGS, "rep", ["q", "page", "stage", "tag", "kind"]),
    ("content:stage", lambda w: {"slug": w.stage.slug}, "rep",
     ["kind", "sort", "page"]),
    ("content:whats_new", NO_KWARGS, "rep", ["since", "page"]),
    ("content:deal_list", NO_KWARGS, "rep", ["outcome", "page"]),
    ("content:request_list", NO_KWARGS, "rep", ["tab", "mine", "stage", "page"]),
    ("content:request_add", NO_KWARGS, "rep", ["title", "stage", "kind"]),
    ("content:notifications", NO_KWARGS, "rep", ["page"]),
    ("content:share_list", NO_KWARGS, "rep", ["page"]),
    ("content:share_room_add", NO_KWARGS, "rep", ["deal"]),
    ("content:asset", _pk("asset"), "rep", []),
    ("content:download", lambda w: {"pk": w.asset.current_version_id}, "rep",
     ["inline"]),
    ("content:my_content", NO_KWARGS, "marketer",
     ["owner", "kind", "stage", "title", "status", "q", "page"]),
    ("content:review_queue", NO_KWARGS, "marketer", ["page"]),
    ("content:stage_list", NO_KWARGS, "marketer", []),
    ("content:dashboard", NO_KWARGS, "admin",
     ["days", "start", "end", "stage", "kind", "owner", "tag", "status", "sort",
      "page"]),
    ("content:asset_report", _pk("asset"), "admin", ["days", "start", "end"]),
    ("content:unused", NO_KWARGS, "admin", ["days", "start", "end", "page"]),
    ("content:stale", NO_KWARGS, "admin", ["page"]),
    ("content:low_rated", NO_KWARGS, "admin", ["days", "start", "end", "page"]),
    ("content:coverage", NO_KWARGS, "admin", ["days", "start", "end"]),
    ("content:analytics_requests", NO_KWARGS, "admin", ["days", "start", "end"]),
    ("content:search_gaps", NO_KWARGS, "admin", ["days", "start", "end", "page"]),
    ("content:export_dashboard", NO_KWARGS, "admin",
     ["days", "start", "end", "stage", "kind", "owner", "tag", "status", "sort"]),
    ("content:export_ratings", NO_KWARGS, "admin", ["days", "start", "end"]),
    ("content:export_usage", NO_KWARGS, "admin", ["days", "start", "end"]),
    ("accounts:profile", NO_KWARGS, "rep", []),
]  # fmt: skip
IDS = [p[0].split(":")[-1] for p in PAGES]


def _client(world, role: str) -> Client:
    client = Client(raise_request_exception=True)
    client.force_login(world.users[role])
    return client


def _params(client: Client, url: str, listed: list[str]) -> list[str]:
    page = client.get(url)
    assert page.status_code == 200, (url, page.status_code)
    names = set(listed)
    if "html" in page.get("Content-Type", "") and not page.streaming:
        for form in forms_in(page.content.decode()):
            if form.method == "get" and (form.action or url).split("?")[0] == url:
                names.update(f.name for f in form.visible)
                names.update(form.hidden)
    return sorted(names)


def _drain(response) -> None:
    if response.streaming:
        b"".join(response.streaming_content)


@pytest.mark.django_db
@pytest.mark.parametrize("name,kwargs,role,listed", PAGES, ids=IDS)
def test_every_query_parameter_survives_out_of_range_and_garbage_values(
    world, name, kwargs, role, listed
):
    """Each parameter alone, with each sharp value: no 5xx."""
    client = _client(world, role)
    url = reverse(name, kwargs=kwargs(world))
    params = _params(client, url, listed)
    for param in params:
        for value in SHARP:
            response = client.get(url, {param: value})
            _drain(response)
            assert response.status_code < 500, (url, param, value)


@pytest.mark.django_db
@pytest.mark.parametrize("name,kwargs,role,listed", PAGES, ids=IDS)
@settings(
    max_examples=6,
    deadline=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_query_parameters_in_hostile_combinations(
    world, name, kwargs, role, listed, data
):
    """All of a page's parameters at once, mixed with Hypothesis' own text. The
    world is built once per page; each example's reads (view events, search logs)
    are rolled back, so every example sees the same data."""
    with rolled_back():
        client = _client(world, role)
        url = reverse(name, kwargs=kwargs(world))
        query = {}
        for param in _params(client, url, listed):
            value = data.draw(
                st.one_of(st.sampled_from(VALUES), st.text(max_size=40)), label=param
            )
            query[param] = value
        response = client.get(url, query)
        _drain(response)
        assert response.status_code < 500, (url, query)


@pytest.fixture
def world(shared_world):
    """Built once per module and process (tests/security/conftest.py), read afresh
    per test; a function-scoped fixture is shared by the test's examples."""
    return shared_world


def _int_routes():
    """(name, [int kwargs], other kwargs) for every named site route with an
    <int:...> in its path."""

    def walk(patterns, namespace=""):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                prefix = f"{entry.namespace}:" if entry.namespace else namespace
                yield from walk(entry.url_patterns, prefix)
            elif isinstance(entry, URLPattern) and entry.name:
                route = str(entry.pattern)
                ints = re.findall(r"<int:(\w+)>", route)
                if ints:
                    others = re.findall(r"<(?:str|slug):(\w+)>", route)
                    yield namespace + entry.name, ints, others

    return [
        route
        for route in walk(get_resolver().url_patterns)
        if not route[0].startswith(("admin:", "api"))
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("number", [BIG, "9" * 23])
def test_out_of_range_ids_in_site_urls_are_not_found_not_errors(world, number):
    client = _client(world, "admin")
    checked = 0
    for name, ints, others in _int_routes():
        kwargs = {key: number for key in ints}
        for key in others:
            kwargs[key] = world.stage.slug if key == "slug" else "stage"
        url = reverse(name, kwargs=kwargs)
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            _drain(response)
            assert response.status_code < 500, (method, url)
        checked += 1
    assert checked >= 15
