"""Item 19 of issue 12: every form of the site, read from its rendered HTML.

For every page a role may open (the permission matrix's GET rows), every form:
no control is rendered twice under one name (the asset page once sent its deal
menu twice, and the second, empty value won), every label points at a control,
and ids are unique. Search and filter forms are then sent exactly as a browser
sends them with their defaults, and must answer with the page, not an error.
Forms that change data are submitted as a browser would in their own tests
(tests/content/playbook/test_usage_form.py, analytics/test_period.py, ...).
"""

from collections import Counter

import pytest
from django.test import Client
from django.urls import reverse
from lxml import html as lxml_html

from tests.content.browser_forms import browser_data, controls_of
from tests.security.test_permission_matrix import MATRIX, OK, ROLES
from tests.security.world import build_world

pytestmark = pytest.mark.django_db

NOT_PAGES = ("api:", "admin:", "healthz")
NOT_PAGE_NAMES = {
    "content:download",
    "content:thumbnail",
    "content:share_public_file",
    "content:share_public_thumbnail",
}
MULTI = {"radio", "checkbox"}


def _pages(role):
    for name, kwargs, method, *expected in MATRIX:
        status = dict(zip(ROLES, expected, strict=True))[role]
        if method != "get" or status != OK or name in NOT_PAGE_NAMES:
            continue
        if name.startswith(NOT_PAGES) or name.startswith("content:export_"):
            continue
        yield name, kwargs


def _problems(path, page) -> list[str]:
    problems = []
    ids = Counter(el.get("id") for el in page.iter() if el.get("id"))
    problems += [f"{path}: id {i!r} used {n} times" for i, n in ids.items() if n > 1]
    for label in page.xpath("//label[@for]"):
        if not ids.get(label.get("for")):
            problems.append(f"{path}: label for={label.get('for')!r} has no control")
    for form in page.xpath("//form"):
        names = Counter(
            el.get("name")
            for el in controls_of(form)
            if el.get("name")
            and el.tag != "button"
            and (el.get("type") or "").lower() not in MULTI | {"submit"}
        )
        action = form.get("action") or path
        problems += [
            f"{path}: form to {action} renders {n} controls named {name!r}"
            for name, n in names.items()
            if n > 1
        ]
    return problems


@pytest.mark.parametrize("role", ROLES)
def test_item19_every_site_form_renders_each_control_once(role):
    world = build_world()
    client = Client()
    if role != "anonymous":
        client.force_login(world.users[role])
    problems, checked = [], 0
    for name, kwargs in _pages(role):
        path = reverse(name, kwargs=kwargs(world))
        response = client.get(path)
        if "text/html" not in response.get("Content-Type", ""):
            continue
        page = lxml_html.fromstring(response.content.decode())
        problems += _problems(path, page)
        for form in page.xpath("//form"):
            checked += 1
            sent = browser_data(form)
            if sent.method != "get":
                continue
            # A search or filter form sent with its defaults shows its page.
            target = sent.action or path
            answer = client.get(target, sent.query())
            if answer.status_code != 200:
                problems.append(f"{path}: GET form to {target} -> {answer.status_code}")
    assert checked, f"no forms found for {role}"
    assert not problems, "\n".join(problems)
