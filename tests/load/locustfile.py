"""50 people using Wingman at once: browse, search, rate, record usage, download.

Run by tests/load/run_load.py (`make loadtest`), which prepares the sessions and
ids in LOAD_PLAN (a JSON file) and afterwards checks every write that answered
success against the database. Each acknowledged write is appended to LOAD_ACKS.
"""

import json
import os
import random
import threading
import uuid

from locust import HttpUser, between, events, task

PLAN = json.loads(open(os.environ["LOAD_PLAN"]).read())  # noqa: PTH123, SIM115
ACKS_PATH = os.environ["LOAD_ACKS"]
_lock = threading.Lock()
_acks: list[dict] = []
_people = iter(range(10**9))


@events.request.add_listener
def _count_5xx(request_type, name, response, exception, **kwargs):
    # Locust counts failures; the plan's checker wants 5xx by themselves.
    if response is not None and response.status_code >= 500:
        with _lock:
            _acks.append({"kind": "5xx", "name": name, "status": response.status_code})


@events.test_stop.add_listener
def _write_acks(**kwargs):
    with _lock, open(ACKS_PATH, "w") as out:  # noqa: PTH123
        json.dump(_acks, out)


class Person(HttpUser):
    wait_time = between(0.3, 1.5)

    def on_start(self) -> None:
        person = PLAN["people"][next(_people) % len(PLAN["people"])]
        self.person = person
        self.client.cookies.set("sessionid", person["session"])
        self.client.cookies.set("csrftoken", PLAN["csrf_token"])
        self.headers = {"X-CSRFToken": PLAN["csrf_token"]}

    def _ack(self, **write) -> None:
        with _lock:
            _acks.append({"user": self.person["id"], **write})

    def _asset(self) -> int:
        return random.choice(self.person["assets"])

    @task(4)
    def browse_stage(self) -> None:
        stage = random.choice(PLAN["stages"])
        page = random.choice(["", "?page=2", "?page=5"])
        self.client.get(f"/stages/{stage['slug']}/{page}", name="/stages/[slug]/")

    @task(3)
    def open_asset(self) -> None:
        with self.client.get(
            f"/assets/{self._asset()}/", name="/assets/[pk]/", catch_response=True
        ) as response:
            if response.status_code == 200:
                self._ack(kind="view")

    @task(3)
    def search(self) -> None:
        term = random.choice(PLAN["search_terms"])
        self.client.get(f"/search/?q={term}", name="/search/?q=")

    @task(2)
    def rate(self) -> None:
        asset, stars = self._asset(), random.randint(1, 5)
        with self.client.post(
            f"/assets/{asset}/rate/",
            data={"stars": stars, "comment": "load test"},
            headers=self.headers,
            allow_redirects=False,
            name="/assets/[pk]/rate/",
            catch_response=True,
        ) as response:
            if response.status_code == 302:
                self._ack(kind="rating", asset=asset, stars=stars, seq=_seq())

    @task(2)
    def record_usage(self) -> None:
        if not self.person["deals"]:
            return
        asset, key = self._asset(), uuid.uuid4().hex
        with self.client.post(
            f"/assets/{asset}/usage/",
            data={
                "deal": random.choice(self.person["deals"]),
                "stage": random.choice(PLAN["stages"])["id"],
                "note": "load test",
                "idempotency_key": key,
            },
            headers=self.headers,
            allow_redirects=False,
            name="/assets/[pk]/usage/",
            catch_response=True,
        ) as response:
            if response.status_code == 302:
                self._ack(kind="usage", asset=asset, key=key)

    @task(1)
    def download(self) -> None:
        asset = random.choice(self.person["downloads"])
        with self.client.get(
            f"/versions/{asset['version']}/download/",
            name="/versions/[pk]/download/",
            catch_response=True,
        ) as response:
            if response.status_code == 200:
                self._ack(kind="download")


_counter = iter(range(10**12))


def _seq() -> int:
    # Order of acknowledged ratings: the last one for (person, asset) must win.
    return next(_counter)
