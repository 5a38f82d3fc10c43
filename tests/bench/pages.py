"""The benchmark's in-process measurement of every page (a child process with
the database's settings): queries counted, test-client timings."""

import json
import os
import re
import statistics
import time

from harness import RESULTS, SEARCH_TERM, log


def in_process(args) -> None:
    """Child mode: resolve the pages, count queries, time them with the test client,
    and print JSON (pages, session cookies for wrk) on stdout."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import NoReverseMatch, reverse

    from content.models import Asset, AssetStatus, Audience, Deal, Stage

    users = get_user_model().objects
    clients, cookies = {}, {}
    for role in ("rep", "admin"):
        client = Client()
        client.force_login(users.get(username=role))
        clients[role] = client
        cookies[role] = f"sessionid={client.cookies['sessionid'].value}"
    clients["anonymous"] = Client()
    cookies["anonymous"] = None
    stage = Stage.objects.get(slug="discovery")
    asset = (
        Asset.objects.filter(status=AssetStatus.PUBLISHED, audience=Audience.INTERNAL)
        .order_by("-usage_count")
        .first()
    )

    # The rep's busiest open deal: the workspace's recommendations (issue 14).
    deal = (
        Deal.objects.filter(owner__username="rep", outcome="open")
        .exclude(crm_id="")
        .order_by("-pk")
        .first()
    )

    def url(name: str, query: str = "", **kwargs) -> str | None:
        try:
            return reverse(name, kwargs=kwargs) + query
        except NoReverseMatch:
            return None

    pages = [
        ("floor", "anonymous", url("healthz")),
        ("floor, logged in", "rep", url("healthz")),
        ("stage page", "rep", url("content:stage", slug=stage.slug)),
        ("stage page, deep", "rep", url("content:stage", slug=stage.slug)),
        ("search", "rep", url("content:search", f"?q={SEARCH_TERM}")),
        ("asset page", "rep", url("content:asset", pk=asset.pk) if asset else None),
        ("deal page", "rep", url("content:deal", pk=deal.pk) if deal else None),
        (
            "recommendations API",
            "rep",
            url("api:deal-recommendations-by-crm-id", crm_id=deal.crm_id)
            if deal
            else None,
        ),
        ("dashboard, 90 days", "admin", url("content:dashboard", "?days=90")),
        ("CSV export, all usage", "admin", url("content:export_usage")),
    ]
    if args.only:
        pages = [p for p in pages if p[0].startswith(("floor", *args.only))]
    results = []
    for label, role, path in pages:
        entry = {"page": label, "role": role, "url": path, "status": "missing"}
        results.append(entry)
        if path is None:
            continue
        client = clients[role]
        if label == "stage page, deep":
            # templates/_pagination.html says "Page 1 of N".
            pages_of = re.search(
                r"Page 1 of ([\d,]+)", _body(client.get(path)).decode()
            )
            if pages_of is None:
                entry["status"] = "no pagination"
                continue
            deep = max(1, int(pages_of.group(1).replace(",", "")) // 2)
            entry["url"] = path = f"{path}?page={deep}"
        response = _get(client, path)
        entry["status"] = response.status_code
        entry["bytes"] = len(_body(response))
        if response.status_code != 200:
            continue
        with CaptureQueriesContext(connection) as queries:
            _body(_get(client, path))
        entry["queries"] = len(queries)
    if args.profile:
        _profile(args.profile, results, clients)
    # Interleaved rounds: every page in turn, three times; median of the rounds' p50.
    timed = [e for e in results if e["status"] == 200]
    rounds: dict[str, list[float]] = {e["page"]: [] for e in timed}
    counts: dict[str, int] = dict.fromkeys(rounds, 0)
    per_round = max(1, -(-args.requests // 3))
    for _ in range(3):
        for entry in timed:
            client = clients[entry["role"]]
            samples = []
            budget = time.perf_counter() + args.page_seconds / 3
            # Bounded: a page slower than its time budget gets fewer requests
            # (at least one per round), and the count is reported.
            while len(samples) < per_round and (
                not samples or time.perf_counter() < budget
            ):
                start = time.perf_counter()
                _body(_get(client, entry["url"]))
                samples.append((time.perf_counter() - start) * 1000)
            rounds[entry["page"]].append(statistics.median(samples))
            counts[entry["page"]] += len(samples)
    for entry in timed:
        entry["inproc_p50_ms"] = round(statistics.median(rounds[entry["page"]]), 3)
        entry["inproc_requests"] = counts[entry["page"]]
        if entry["page"].startswith("CSV"):
            entry["python_heap"] = _export_heap(clients[entry["role"]], entry["url"])
    print(json.dumps({"pages": results, "cookies": cookies}))  # noqa: T201


def _export_heap(client, path: str) -> list[dict]:
    """Python's own peak heap (tracemalloc) while streaming the export of the
    last 30 days and of everything: flat streaming keeps both the same. (The
    worker's resident memory also holds the database's page cache and mapped
    file, bounded by settings, not by the export's size.)"""
    import tracemalloc

    measured = []
    for query in ("?days=30", ""):
        tracemalloc.start()
        base = tracemalloc.get_traced_memory()[0]
        streamed = _get(client, path + query).streaming_content
        rows = sum(chunk.count(b"\n") for chunk in streamed)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        measured.append({"rows": rows - 1, "peak_mb": round((peak - base) / 1e6, 1)})
    return measured


def _get(client, path: str):
    return client.get(path)


def _body(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def _profile(label_prefix: str, results: list[dict], clients: dict) -> None:
    from pyinstrument import Profiler

    for entry in results:
        if entry["page"].startswith(label_prefix) and entry["status"] == 200:
            client = clients[entry["role"]]
            profiler = Profiler(interval=0.0005)
            with profiler:
                # 50 requests, or as many as fit in 20 s for the slow pages.
                budget = time.perf_counter() + 20
                for done in range(50):
                    _body(_get(client, entry["url"]))
                    if done and time.perf_counter() > budget:
                        break
            name = re.sub(r"\W+", "-", entry["page"]).strip("-")
            out = RESULTS / f"profile-{os.environ.get('BENCH_DB', 'db')}-{name}.txt"
            out.write_text(profiler.output_text(unicode=True, show_all=False))
            log(f"   profile of {entry['page']} ({done + 1} requests): {out}")
