"""200 prospects reading shared decks while their reps work: the engagement
scenario of `make loadtest` (tests/load/engagement.py prepares ENGAGE_PLAN).

Each Viewer opens one share link (a browser of its own: its own user agent, so
its own visit), reads the visit token from the page, and sends a heartbeat
every few seconds with the seconds since its last accepted one, as
static/js/share-engagement.js does. Every heartbeat the server accepts (204) is
appended to ENGAGE_ACKS with its visit token and seconds. A few Reps load their
deal pages, link pages and a stage page meanwhile, to time them.
"""

import json
import os
import random
import re
import threading
import time

from locust import HttpUser, between, constant, events, task

PLAN = json.loads(open(os.environ["ENGAGE_PLAN"]).read())  # noqa: PTH123, SIM115
ACKS_PATH = os.environ["ENGAGE_ACKS"]
BEAT_SECONDS = float(os.environ.get("ENGAGE_BEAT_SECONDS", "5"))
TOKEN_RE = re.compile(r'data-visit-token="([^"]+)"')
ITEM_RE = re.compile(r'data-share-item="(\d+)"')
_lock = threading.Lock()
_acks: list[dict] = []
_counter = iter(range(10**9))


@events.request.add_listener
def _count_5xx(request_type, name, response, exception, **kwargs):
    if response is not None and response.status_code >= 500:
        with _lock:
            _acks.append({"kind": "5xx", "name": name, "status": response.status_code})


@events.test_stop.add_listener
def _write_acks(**kwargs):
    with _lock, open(ACKS_PATH, "w") as out:  # noqa: PTH123
        json.dump(_acks, out)


class Viewer(HttpUser):
    wait_time = constant(BEAT_SECONDS)

    def on_start(self) -> None:
        n = next(_counter)
        self.link = PLAN["links"][n % len(PLAN["links"])]
        self.agent = f"Mozilla/5.0 (load viewer {n}) Firefox/140.0"
        self.token = ""
        self.page = 1
        response = self.client.get(
            f"/s/{self.link['token']}/",
            headers={"User-Agent": self.agent},
            name="/s/[token]/",
        )
        found = TOKEN_RE.search(response.text or "")
        item = ITEM_RE.search(response.text or "")
        if found and item:
            self.token = found.group(1)
            self.item = int(item.group(1))
        self.last = time.monotonic()

    @task
    def heartbeat(self) -> None:
        if not self.token:
            return
        now = time.monotonic()
        # A little less than the time since the last accepted beat, as a tab
        # that was visible all along would report.
        seconds = round(max(0.1, now - self.last - 0.2), 1)
        if random.random() < 0.3:
            self.page = min(self.page + 1, self.link["pages"])
        body = json.dumps({"t": self.token, "p": [[self.item, self.page, seconds]]})
        with self.client.post(
            f"/s/{self.link['token']}/beacon/",
            data=body,
            headers={"User-Agent": self.agent, "Content-Type": "text/plain"},
            name="/s/[token]/beacon/",
            catch_response=True,
        ) as response:
            if response.status_code == 204:
                self.last = now
                with _lock:
                    _acks.append({"kind": "beat", "t": self.token, "s": seconds})
                response.success()
            elif response.status_code == 400:
                # Refused by the rules: the browser drops those seconds.
                self.last = now
            elif response.status_code == 429:
                # Too soon after the last accepted beat: the browser keeps the
                # seconds for the next one (share-engagement.js), so do we.
                response.success()


class Rep(HttpUser):
    fixed_count = 5
    wait_time = between(0.5, 1.5)

    def on_start(self) -> None:
        self.client.cookies.set("sessionid", PLAN["rep_session"])

    @task(3)
    def deal_page(self) -> None:
        deal = random.choice(PLAN["deals"])
        self.client.get(f"/deals/{deal}/", name="rep: /deals/[pk]/")

    @task(2)
    def link_page(self) -> None:
        link = random.choice(PLAN["links"])
        self.client.get(f"/shares/{link['pk']}/", name="rep: /shares/[pk]/")

    @task(1)
    def stage_page(self) -> None:
        self.client.get(f"/stages/{PLAN['stage']}/", name="rep: /stages/[slug]/")
