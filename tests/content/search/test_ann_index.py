"""The nearest-neighbour index on disk (content.semantic.ann): built from the
rows, memory-mapped, refreshed without a restart, never the only copy."""

import pytest
from django.core.management import call_command

from content.models import SearchChunk
from content.selectors.search_page import search_results, semantic_matches
from content.semantic import ann
from content.semantic import index as semantic_index
from content.semantic.embedding import asset_embed, vectors_version_bump
from content.semantic.encoders import get_encoder
from tests.content.search.conftest import make_asset

pytestmark = pytest.mark.django_db


@pytest.fixture
def built(library):
    manifest = ann.build_index(get_encoder())
    vectors_version_bump()
    return manifest


def test_a_build_saves_the_graph_and_ids_and_names_them_last(built, settings):
    encoder = get_encoder()
    assert built["count"] == SearchChunk.objects.count()
    assert built["max_chunk_id"] == max(SearchChunk.objects.values_list("pk", flat=1))
    assert ann.read_manifest(encoder) == built
    names = sorted(path.name for path in settings.WINGMAN_SEARCH_INDEX_DIR.iterdir())
    key = f"{settings.CACHE_KEY_PREFIX}-{encoder.name}"
    assert names == sorted(
        [
            f"{key}.json",
            f"{key}-{built['build']}.usearch",
            f"{key}-{built['build']}-ids.npy",
        ]
    )


def test_a_worker_maps_the_build_and_scans_nothing_else(built, library):
    index = semantic_index.current_index()
    assert index.ann is not None and index.ann.build == built["build"]
    assert len(index.ann) == built["count"]
    assert len(index.exact) == 0  # no row is newer than the build
    # A view of the file: usearch reads it in place.
    assert index.ann.graph.size == built["count"]
    hits = index.nearest(
        get_encoder().encode(["renewal procurement calendar"])[0], assets=3
    )
    assert hits[0].asset_id == library["deck"].pk
    chunk = SearchChunk.objects.get(pk=hits[0].chunk_id)
    assert chunk.asset_id == library["deck"].pk


def test_new_chunks_are_found_by_the_exact_scan_without_a_restart(
    built, rep, stage, library
):
    before = semantic_index.current_index()
    new = make_asset(title="Onboarding kickoff calendar", stage=stage)
    vectors_version_bump()  # as the commit would
    after = semantic_index.current_index()
    assert after is not before and after.ann.build == before.ann.build
    assert set(after.exact.asset_ids.tolist()) == {new.pk}
    hits = semantic_matches(user=rep, query="onboarding kickoff")
    assert hits[0].asset_id == new.pk


def test_an_asset_written_again_drops_its_indexed_chunks(built, library):
    deck = library["deck"]
    asset_embed(asset_id=deck.pk)  # new rows, the indexed ones deleted
    vectors_version_bump()
    index = semantic_index.current_index()
    hits = index.nearest(
        get_encoder().encode(["renewal procurement calendar"])[0], assets=3
    )
    live = set(SearchChunk.objects.values_list("pk", flat=True))
    assert hits[0].asset_id == deck.pk
    assert all(hit.chunk_id in live for hit in hits)


def test_a_new_build_is_picked_up_without_a_restart(built, stage):
    first = semantic_index.current_index()
    make_asset(title="Security whitepaper", stage=stage)
    manifest = ann.build_index(get_encoder())
    vectors_version_bump()
    after = semantic_index.current_index()
    assert after.ann.build == manifest["build"] != first.ann.build
    assert len(after.ann) == SearchChunk.objects.count()
    assert len(after.exact) == 0
    # The old build's files are gone; its mapping stayed valid for `first`.
    assert len(list(ann.index_dir().glob(f"*{built['build']}*"))) == 0
    assert first.nearest(get_encoder().encode(["renewal"])[0], assets=2)


def test_without_an_index_file_the_search_scans_every_row(built, rep, library):
    ann.remove_index(get_encoder())
    vectors_version_bump()
    index = semantic_index.current_index()
    assert index.ann is None
    assert len(index.exact) == SearchChunk.objects.count()
    hits = semantic_matches(user=rep, query="renewal procurement calendar")
    assert hits[0].asset_id == library["deck"].pk


def test_a_broken_index_file_falls_back_to_the_exact_scan(built, library):
    for path in ann.index_dir().glob("*.usearch"):
        path.write_bytes(b"not an index")
    vectors_version_bump()
    semantic_index.reset()
    index = semantic_index.current_index()
    assert index.ann is None
    assert len(index.exact) == SearchChunk.objects.count()


def test_a_partner_never_gets_internal_assets_through_the_index(
    built, partner, rep, library
):
    internal = library["internal"].pk
    index = semantic_index.current_index()
    raw = index.nearest(get_encoder().encode(["margins discount floors"])[0], assets=10)
    assert internal in [hit.asset_id for hit in raw]  # the index has it...
    hits = semantic_matches(user=partner, query="margins discount floors")
    assert internal not in [hit.asset_id for hit in hits]  # ...the filter drops it
    results = search_results(user=partner, query="margins floors")
    assert internal not in [asset.pk for asset in results[0:50]]
    assert internal in [
        hit.asset_id
        for hit in semantic_matches(user=rep, query="margins discount floors")
    ]


def test_reindex_builds_the_index_past_the_threshold(library, settings, capsys):
    settings.WINGMAN_SEARCH_INDEX_MIN_CHUNKS = 1
    call_command("reindex_search")
    assert "Index of" in capsys.readouterr().out
    manifest = ann.read_manifest(get_encoder())
    # Every chunk was written again: the build covers the new rows.
    assert manifest["count"] == SearchChunk.objects.count()
    assert manifest["max_chunk_id"] == max(
        SearchChunk.objects.values_list("pk", flat=True)
    )


def test_reindex_below_the_threshold_removes_the_index(built, capsys):
    call_command("reindex_search")
    assert "exact search, no index file" in capsys.readouterr().out
    assert ann.read_manifest(get_encoder()) is None
    assert not list(ann.index_dir().glob("*.usearch"))


def test_reindex_index_only_embeds_nothing(library, settings, capsys):
    settings.WINGMAN_SEARCH_INDEX_MIN_CHUNKS = 1
    ids = set(SearchChunk.objects.values_list("pk", flat=True))
    call_command("reindex_search", "--index-only")
    assert set(SearchChunk.objects.values_list("pk", flat=True)) == ids
    assert ann.read_manifest(get_encoder())["count"] == len(ids)


def test_the_embed_task_starts_a_build_once_enough_rows_are_new(
    library, settings, run_tasks, marketer
):
    from content.services.library import asset_update

    settings.WINGMAN_SEARCH_INDEX_MIN_CHUNKS = 1
    with run_tasks():
        asset_update(actor=marketer, asset=library["pricing"], summary="Cheaper")
    manifest = ann.read_manifest(get_encoder())
    assert manifest is not None
    assert manifest["count"] == SearchChunk.objects.count()


def test_rebuild_thresholds():
    assert not ann.wants_rebuild(indexed=0, newer=10)
    assert ann.wants_rebuild(indexed=100_000, newer=10_001)
    assert not ann.wants_rebuild(indexed=100_000, newer=9_000)
    assert not ann.wants_rebuild(indexed=1_000, newer=500)  # at least 1,000 new
