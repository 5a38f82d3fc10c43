"""The CSV exports: header, rows, formula escaping, streaming, spreadsheet-ready."""

import csv
import io
from decimal import Decimal

import pytest
from django.http import StreamingHttpResponse
from django.urls import reverse

from content.analytics_csv import BOM, csv_lines, escape_cell

pytestmark = pytest.mark.django_db


def read(response) -> list[list[str]]:
    assert isinstance(response, StreamingHttpResponse)
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith(BOM)
    return list(csv.reader(io.StringIO(body[len(BOM) :])))


@pytest.mark.parametrize(
    "value,expected",
    [
        ("=1+2", "'=1+2"),
        ("+SUM(A1)", "'+SUM(A1)"),
        ("-2+3", "'-2+3"),
        ("@cmd", "'@cmd"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("plain text", "plain text"),
        ("a=b", "a=b"),
        (None, ""),
        (-5, -5),
        (Decimal("-1.50"), "-1.50"),
        (True, "yes"),
    ],
)
def test_cells_that_a_spreadsheet_would_run_are_neutralised(value, expected):
    assert escape_cell(value) == expected


def test_csv_lines_start_with_a_bom_and_chunk_rows():
    chunks = list(csv_lines(["a", "b"], ([i, f"row {i}"] for i in range(1200))))
    assert chunks[0] == BOM + "a,b\r\n"
    assert len(chunks) == 1 + 3  # 500 + 500 + 200 rows
    assert chunks[-1].endswith("1199,row 1199\r\n")


def test_usage_export_has_the_header_and_one_row_per_use(world, admin_client_):
    response = admin_client_.get(reverse("content:export_usage"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="wingman')
    assert response["Content-Disposition"].endswith('.csv"')
    rows = read(response)
    header = rows[0]
    assert header[:4] == ["usage id", "used at", "used by", "asset id"]
    assert "outcome" in header and "amount" in header and "deal" in header
    assert len(rows) - 1 == 10  # every use, all time
    by_id = {row[0]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    d1 = [r for r in by_id.values() if r["deal"] == world.deals["d1"].name]
    assert {r["asset"] for r in d1} == {"Platform deck", "Acme battle card"}
    assert {r["outcome"] for r in d1} == {"won"}
    assert {r["amount"] for r in d1} == {"1000.00"}
    assert {r["kind"] for r in d1} == {"Deck", "Battle card"}


def test_usage_export_can_be_limited_to_a_period(world, admin_client_):
    rows = read(admin_client_.get(reverse("content:export_usage"), {"days": 90}))
    assert len(rows) - 1 == 9  # not the use of 210 days ago
    rows = read(admin_client_.get(reverse("content:export_usage"), {"days": 30}))
    assert len(rows) - 1 == 8  # nor the one of 30 days ago


def test_ratings_export_escapes_formulas_in_comments(rated, marketer_client):
    rows = read(marketer_client.get(reverse("content:export_ratings")))
    header = rows[0]
    assert header == [
        "rating id",
        "asset id",
        "asset",
        "kind",
        "rated by",
        "role",
        "stars",
        "comment",
        "rated at",
        "changed at",
    ]
    comments = {row[7] for row in rows[1:]}
    assert "'=HYPERLINK(1)" in comments
    assert "=HYPERLINK(1)" not in comments
    assert "Won us Acme" in comments
    assert len(rows) - 1 == 6


def test_titles_that_look_like_formulas_are_escaped_everywhere(world, admin_client_):
    world.deck.title = "=cmd|' /C calc'!A0"
    world.deck.save(update_fields=["title"])
    usage = read(admin_client_.get(reverse("content:export_usage")))
    dashboard = read(admin_client_.get(reverse("content:export_dashboard")))
    assert "'=cmd|' /C calc'!A0" in {row[4] for row in usage[1:]}
    assert "'=cmd|' /C calc'!A0" in {row[1] for row in dashboard[1:]}


def test_dashboard_export_has_every_row_with_its_figures(world, admin_client_):
    rows = read(admin_client_.get(reverse("content:export_dashboard"), {"days": 90}))
    header = rows[0]
    assert header[:3] == ["asset id", "title", "kind"]
    data = {row[1]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    assert list(data) == ["Platform deck", "Acme battle card", "Old one-pager"]
    deck = data["Platform deck"]
    assert deck["influenced revenue"] == "3000.00"
    assert deck["closed deals (n)"] == "3"
    assert deck["won deals"] == "2"
    assert deck["win rate %"] == ""  # not enough closed deals
    assert deck["deals"] == "4"
    assert deck["report"].endswith(
        reverse("content:asset_report", args=[world.deck.pk])
    )


def test_dashboard_export_follows_filters_and_sort(world, admin_client_):
    rows = read(
        admin_client_.get(
            reverse("content:export_dashboard"), {"stage": "demo", "sort": "title"}
        )
    )
    assert [row[1] for row in rows[1:]] == ["Acme battle card", "Old one-pager"]


def test_exports_stream_from_an_iterator_without_loading_all_rows(
    world, admin_client_, django_assert_max_num_queries
):
    response = admin_client_.get(reverse("content:export_usage"))
    assert response.streaming
    # Nothing was read before the body is consumed...
    iterator = iter(response.streaming_content)
    first = next(iterator)
    assert first.decode().startswith(BOM + "usage id")
    # ...and the rows come from one chunked query.
    with django_assert_max_num_queries(2):
        rest = b"".join(iterator)
    assert rest.count(b"\r\n") == 10
