"""Item 23 of issue 12: the benchmark uses the database names it is given."""

import importlib.util
from pathlib import Path

import pytest

SCRIPT = Path(__file__).parent / "bench" / "run_bench.py"


@pytest.fixture(scope="module")
def run_bench():
    spec = importlib.util.spec_from_file_location("run_bench", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_item23_bench_derives_its_databases_from_database_url(run_bench, monkeypatch):
    monkeypatch.setenv(
        "DATABASE_URL", "postgres://bench@db.example:5433/wingman_perf?sslmode=require"
    )
    large = run_bench.db_env("postgres", "large")["DATABASE_URL"]
    small = run_bench.db_env("postgres", "small")["DATABASE_URL"]
    assert (
        large == "postgres://bench@db.example:5433/wingman_perf_large?sslmode=require"
    )
    assert (
        small == "postgres://bench@db.example:5433/wingman_perf_small?sslmode=require"
    )
    assert "wingman_bench" not in large + small


def test_item23_bench_refuses_a_url_without_a_database_name(run_bench, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://postgres@127.0.0.1:5432")
    with pytest.raises(SystemExit):
        run_bench.db_env("postgres", "large")
