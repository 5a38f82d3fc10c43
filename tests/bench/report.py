"""The benchmark's result: a JSON document and its Markdown table."""

import datetime
import os


def report(db: str, large: dict, small: dict, args) -> dict:
    pages = large["pages"]
    floor = next((p for p in pages if p["page"] == "floor" and "wrk" in p), None)
    floor_rps = floor["wrk"]["rps"] if floor else None
    floor_p50 = floor.get("inproc_p50_ms") if floor else None
    small_stage = next((p for p in small["pages"] if p["page"] == "stage page"), {})
    rows = []
    for page in pages:
        row = {"page": page["page"], "status": page["status"], "url": page["url"]}
        if page["status"] == 200:
            w = page.get("wrk", {})
            row.update(
                rps=w.get("rps"), p50_ms=w.get("p50_ms"), p99_ms=w.get("p99_ms"),
                non_2xx=w.get("non_2xx"), queries=page.get("queries"),
                inproc_p50_ms=page.get("inproc_p50_ms"),
                inproc_requests=page.get("inproc_requests"),
            )  # fmt: skip
            if floor_rps and w.get("rps"):
                row["floor_ratio"] = round(w["rps"] / floor_rps, 4)
            if floor_p50 and page.get("inproc_p50_ms"):
                row["inproc_ratio"] = round(page["inproc_p50_ms"] / floor_p50, 1)
            if "python_heap" in page:
                row["python_heap"] = page["python_heap"]
            if "worker_peak_mb_after" in page:
                row["worker_peak_mb"] = [
                    page["worker_peak_mb_before"],
                    page["worker_peak_mb_after"],
                ]
        rows.append(row)
    stage = next((r for r in rows if r["page"] == "stage page"), {})
    scale = {}
    if stage.get("p50_ms") and small_stage.get("wrk", {}).get("p50_ms"):
        scale["wrk_p50_ratio"] = round(
            stage["p50_ms"] / small_stage["wrk"]["p50_ms"], 2
        )
    if stage.get("inproc_p50_ms") and small_stage.get("inproc_p50_ms"):
        scale["inproc_p50_ratio"] = round(
            stage["inproc_p50_ms"] / small_stage["inproc_p50_ms"], 2
        )
    scale["queries_1k"] = small_stage.get("queries")
    scale["queries_100k"] = stage.get("queries")
    return {
        "db": db,
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": f"{os.cpu_count()} cores",
        "settings": {
            "wrk_seconds": args.duration,
            "connections": 8,
            "gunicorn_workers": 2,
            "inproc_requests_per_page": args.requests,
        },  # fmt: skip
        "pages": rows,
        "stage_scale_100k_over_1k": scale,
        "upload_100mb": large.get("upload"),
        "hostile_uploads": large.get("hostile"),
    }


def markdown(result: dict) -> str:
    lines = [
        f"Benchmark on **{result['db']}**, {result['date']} ({result['machine']}; "
        f"wrk {result['settings']['wrk_seconds']} s per page at 8 connections after "
        "a 2 s warm-up, "
        "gunicorn 2 sync workers; 100,000 assets, 1,000,000 usages, 5,000,000 views)",
        "",
        "| page | req/s | p50 ms | p99 ms | × floor | SQL queries "
        "| in-process p50 ms (n) | × floor p50 |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in result["pages"]:
        if r["status"] != 200:
            lines.append(f"| {r['page']} | {r['status']} | | | | | | |")
            continue
        lines.append(
            f"| {r['page']} | {_fmt(r.get('rps'), 0)} | {_fmt(r.get('p50_ms'))} "
            f"| {_fmt(r.get('p99_ms'))} | {_fmt(r.get('floor_ratio'), 3)} "
            f"| {r.get('queries', '')} | {_fmt(r.get('inproc_p50_ms'), 2)} "
            f"({r.get('inproc_requests', 0):,}) "
            f"| {_fmt(r.get('inproc_ratio'), 1)} |"
        )
    scale = result["stage_scale_100k_over_1k"]
    lines += [
        "",
        f"Stage page p50 at 100,000 assets / at 1,000 assets: wrk "
        f"{_fmt(scale.get('wrk_p50_ratio'), 2)}, in-process "
        f"{_fmt(scale.get('inproc_p50_ratio'), 2)} (queries "
        f"{scale.get('queries_1k')} and {scale.get('queries_100k')}).",
    ]
    export = next((r for r in result["pages"] if r["page"].startswith("CSV")), {})
    if export.get("worker_peak_mb"):
        before, after = export["worker_peak_mb"]
        heap = " and ".join(
            f"+{h['peak_mb']} MB for {h['rows']:,} rows"
            for h in export.get("python_heap", [])
        )
        lines.append(
            f"CSV export: worker peak resident memory {before} MB before, {after} MB "
            f"after (with the database's page cache and mapped file); Python heap "
            f"while streaming: {heap or 'not measured'}."
        )
    upload = result.get("upload_100mb") or {}
    if "peak_growth_mb" in upload:
        lines.append(
            f"100 MB upload (HTTP {upload['status']}): worker peak memory "
            f"+{upload['peak_growth_mb']} MB."
        )
    lines += hostile_markdown(result.get("hostile_uploads"))
    return "\n".join(lines) + "\n"


def hostile_markdown(hostile: dict | None) -> list[str]:
    if not hostile or "quiet" not in hostile:
        return []
    quiet, busy = hostile["quiet"], hostile["busy"]
    lines = [
        "",
        "Rep's asset page at 8 connections, db_worker beside gunicorn:",
        "",
        "| asset page | req/s | p50 ms | p99 ms | non-2xx |",
        "|---|---:|---:|---:|---:|",
    ]
    for label, w in (("quiet site", quiet), ("hostile DOCX + 300-page PDF", busy)):
        lines.append(
            f"| {label} | {_fmt(w.get('rps'), 0)} | {_fmt(w.get('p50_ms'))} "
            f"| {_fmt(w.get('p99_ms'))} | {w.get('non_2xx', '')} |"
        )
    if quiet.get("p99_ms") and busy.get("p99_ms"):
        lines.append(f"\np99 during / quiet: {busy['p99_ms'] / quiet['p99_ms']:.2f}×.")
    for upload in hostile["uploads"]:
        lines.append(
            f"Upload {upload['file']} ({upload['bytes']:,} bytes): HTTP "
            f"{upload['status']} in {upload['seconds']} s."
        )
    for row in hostile["outcomes"]:
        lines.append(
            f"Job {row['file']}: {row['status']}, {row['note'] or 'no note'} "
            f"({row['detail'] or 'no detail'})."
        )
    alive = "yes" if hostile.get("worker_alive") else "no"
    lines.append(f"Worker alive until stopped: {alive}.")
    return lines


def _fmt(value, digits: int = 1) -> str:
    return "" if value is None else f"{value:,.{digits}f}"
