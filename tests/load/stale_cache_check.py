"""Stale-cache check (issue 11): after a retire and an audience change, does any
worker still show the asset? Run it against a live server with `make run`'s
defaults (gunicorn, 2 workers, no REDIS_URL) and the demo data:

    .venv/bin/python tests/load/stale_cache_check.py --base-url http://127.0.0.1:8000

As the demo's marketer, through the site's own forms, it picks two partner assets
that the rep and the partner both see on a stage page, warms every worker's
caches, then retires the first and moves the second to internal only. After each
change it loads the stage page, a search and the API list 40 times each as the
rep and as the partner, and counts how often the changed asset appears. Every
count must be 0 (the rep may still see the asset moved to internal only; that
count is shown apart, as a check that the pages still list what they should).
It changes the database: run it on a throwaway demo. Exit status 1 on any
appearance. A script that prints figures, not a CI test.
"""

import argparse
import re
import sys
from html.parser import HTMLParser

import requests

PASSWORD = "wingman"  # noqa: S105 - the demo's published password
LOADS = 40
ASSET_LINK = re.compile(r'href="/assets/(\d+)/"')


class FormFields(HTMLParser):
    """What a browser would send for the form with `action`, as (name, value)s."""

    def __init__(self, action: str) -> None:
        super().__init__()
        self.action = action
        self.inside = False
        self.fields: list[tuple[str, str]] = []
        self._select: str | None = None
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = dict(attrs)
        if tag == "form":
            self.inside = a.get("action", "") in (self.action, "")
        if not self.inside:
            return
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("submit", "button"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            if a.get("type") != "file":
                self.fields.append((name, a.get("value", "")))
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in a:
            self.fields.append((self._select, a.get("value", "")))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea:
            self.fields.append((self._textarea, "".join(self._text).lstrip("\n")))
            self._textarea = None


def login(base: str, username: str) -> requests.Session:
    session = requests.Session()
    page = session.get(f"{base}/accounts/login/", timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    response = session.post(
        f"{base}/accounts/login/",
        data={
            "csrfmiddlewaretoken": token.group(1) if token else "",
            "username": username,
            "password": PASSWORD,
        },
        headers={"Referer": f"{base}/accounts/login/"},
        timeout=30,
    )
    if "sessionid" not in session.cookies:
        sys.exit(f"could not log in as {username}: {response.status_code}")
    return session


def submit(session: requests.Session, base: str, path: str, **changes: str) -> None:
    """GET the form at `path`, change some fields, POST it as a browser would."""
    page = session.get(f"{base}{path}", timeout=30)
    parser = FormFields(path)
    parser.feed(page.text)
    fields = [(k, v) for k, v in parser.fields if k not in changes]
    fields += list(changes.items())
    response = session.post(
        f"{base}{path}",
        data=fields,
        headers={"Referer": f"{base}{path}"},
        timeout=30,
        allow_redirects=False,
    )
    if response.status_code != 302:
        sys.exit(f"POST {path} answered {response.status_code}, not a redirect")


def api_asset(session: requests.Session, base: str, pk: int) -> dict:
    return session.get(f"{base}/api/v1/assets/{pk}/", timeout=30).json()


class Views:
    """The three lists a reader finds an asset in, for one asset."""

    def __init__(self, base: str, asset: dict, stage: str) -> None:
        self.base = base
        self.stage_url = f"{base}/stages/{stage}/?kind={asset['kind']}"
        self.search = {"q": f'"{asset["title"]}"'}
        self.api = {"q": f'"{asset["title"]}"', "page_size": 100}

    def appearances(self, session: requests.Session, pk: int) -> dict[str, bool]:
        stage = session.get(self.stage_url, timeout=30)
        search = session.get(f"{self.base}/search/", params=self.search, timeout=30)
        api = session.get(f"{self.base}/api/v1/assets/", params=self.api, timeout=30)
        for response in (stage, search, api):
            response.raise_for_status()
        return {
            "stage page": str(pk) in ASSET_LINK.findall(stage.text),
            "search": str(pk) in ASSET_LINK.findall(search.text),
            "api": any(row["id"] == pk for row in api.json()["results"]),
        }


def count(views: Views, session: requests.Session, pk: int) -> dict[str, int]:
    totals = {"stage page": 0, "search": 0, "api": 0}
    for _ in range(LOADS):
        for where, seen in views.appearances(session, pk).items():
            totals[where] += seen
    return totals


def pick_assets(base: str, sessions: dict) -> list[tuple[dict, str]]:
    """Two partner assets both the rep and the partner see on a stage page."""
    marketer = sessions["marketer"]
    stages = marketer.get(f"{base}/api/v1/stages/", timeout=30).json()
    picked: list[tuple[dict, str]] = []
    for stage in stages:
        page = sessions["partner"].get(f"{base}/stages/{stage['slug']}/", timeout=30)
        for pk in dict.fromkeys(int(x) for x in ASSET_LINK.findall(page.text)):
            asset = api_asset(marketer, base, pk)
            if asset.get("audience") != "partners" or asset.get("status") not in (
                None,
                "published",
            ):
                continue
            views = Views(base, asset, stage["slug"])
            if all(
                all(views.appearances(sessions[role], pk).values())
                for role in ("rep", "partner")
            ):
                picked.append((asset, stage["slug"]))
            if len(picked) == 2:
                return picked
    sys.exit("the demo has no two partner assets shown on a stage page")


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    base = parser.parse_args().base_url.rstrip("/")
    sessions = {role: login(base, role) for role in ("marketer", "rep", "partner")}
    (retired, retired_stage), (moved, moved_stage) = pick_assets(base, sessions)
    views = {
        retired["id"]: Views(base, retired, retired_stage),
        moved["id"]: Views(base, moved, moved_stage),
    }
    # Warm every worker's caches with both assets listed (the keep-alive-free
    # requests spread over the workers).
    for _ in range(10):
        for role in ("rep", "partner"):
            for pk, view in views.items():
                view.appearances(sessions[role], pk)

    failed = False
    say(f"{LOADS} loads each; appearances of the changed asset (must be 0)")
    say(f"retire: asset {retired['id']} “{retired['title']}”")
    submit(
        sessions["marketer"],
        base,
        f"/assets/{retired['id']}/retire/",
        reason="Stale-cache check: retired",
    )
    for role in ("rep", "partner"):
        totals = count(views[retired["id"]], sessions[role], retired["id"])
        failed |= any(totals.values())
        say(f"  {role:8} " + "  ".join(f"{k}: {v}" for k, v in totals.items()))

    say(f"audience change to internal only: asset {moved['id']} “{moved['title']}”")
    submit(
        sessions["marketer"], base, f"/assets/{moved['id']}/edit/", audience="internal"
    )
    totals = count(views[moved["id"]], sessions["partner"], moved["id"])
    failed |= any(totals.values())
    say("  partner  " + "  ".join(f"{k}: {v}" for k, v in totals.items()))
    still = count(views[moved["id"]], sessions["rep"], moved["id"])
    say(
        "  (rep, who may still see it: "
        + "  ".join(f"{k}: {v}" for k, v in still.items())
        + ")"
    )
    say("FAIL" if failed else "OK: 0 appearances")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
