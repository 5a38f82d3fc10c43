"""Plays: marketing builds a stage's play; reps see it first on the stage page."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from content.models import Play, PlayActivity, PlayItem
from content.selectors.plays import play_for_stage
from content.services.plays import PlayItemInput, play_save
from tests.factories import AssetFactory

pytestmark = pytest.mark.django_db


def test_play_save_keeps_order_and_records_history(demo, marketer):
    play = Play.objects.get(stage=demo.stage)
    titles = list(play.items.values_list("asset__title", flat=True))
    assert titles == ["Demo deck", "Rivalry battle card", "Partner demo sheet"]
    assert play.question_list == ["Who signs?", "What does success look like?"]
    entry = PlayActivity.objects.get(play=play)
    assert entry.actor == marketer
    assert "1. Demo deck: Open every demo with it" in entry.detail


def test_play_save_refuses_reps(demo, rep):
    with pytest.raises(PermissionDenied):
        play_save(user=rep, stage=demo.stage, key_questions="", items=[])


@pytest.mark.parametrize(
    "bad, message",
    [
        ("draft", "is not published"),
        ("duplicate", "in the play twice"),
        ("no_when", "Say when to use"),
        ("other_stage", "is not mapped to Demo"),
    ],
)
def test_play_save_refuses_bad_items_and_writes_nothing(demo, marketer, bad, message):
    items = {
        "draft": [PlayItemInput(asset=demo.draft, when_to_use="x")],
        "duplicate": [
            PlayItemInput(asset=demo.deck, when_to_use="x"),
            PlayItemInput(asset=demo.deck, when_to_use="y"),
        ],
        "no_when": [PlayItemInput(asset=demo.deck, when_to_use="  ")],
        "other_stage": [
            PlayItemInput(
                asset=AssetFactory(stages=[demo.other_stage]), when_to_use="x"
            )
        ],
    }[bad]
    before = (PlayItem.objects.count(), PlayActivity.objects.count())
    with pytest.raises(ValidationError) as error:
        play_save(user=marketer, stage=demo.stage, key_questions="Q", items=items)
    assert message in " ".join(error.value.messages)
    assert (PlayItem.objects.count(), PlayActivity.objects.count()) == before
    assert Play.objects.get(stage=demo.stage).key_questions.startswith("Who signs")


def test_partner_sees_only_the_plays_partner_assets(demo, partner, rep):
    assert [
        i.asset.title for i in play_for_stage(user=partner, stage=demo.stage).items
    ] == ["Partner demo sheet"]
    assert len(play_for_stage(user=rep, stage=demo.stage).items) == 3


def _form_data(rows, questions="Who signs?"):
    data = {
        "key_questions": questions,
        "items-TOTAL_FORMS": str(len(rows)),
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "8",
    }
    for n, row in enumerate(rows):
        for key, value in row.items():
            data[f"items-{n}-{key}"] = value
    return data


def test_marketer_builds_the_demo_play_through_the_form(demo, marketer_client):
    url = reverse("content:play_edit", args=[demo.stage.slug])
    assert marketer_client.get(url).status_code == 200
    data = _form_data(
        [
            {"asset": demo.winner.pk, "when_to_use": "After the demo", "ORDER": "2"},
            {"asset": demo.card.pk, "when_to_use": "Rivalry in play", "ORDER": "1"},
            {"asset": demo.deck.pk, "when_to_use": "Opening", "ORDER": "3"},
            {"asset": "", "when_to_use": "", "ORDER": ""},
        ]
    )
    response = marketer_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    play = Play.objects.get(stage=demo.stage)
    assert [i.asset for i in play.items.all()] == [demo.card, demo.winner, demo.deck]
    assert PlayActivity.objects.filter(play=play).count() == 2
    page = marketer_client.get(url).content.decode()
    assert "History" in page and "Rivalry in play" in page


@pytest.mark.parametrize(
    "rows, message",
    [
        ([{"asset": "999999", "when_to_use": "x"}], "Select a valid choice"),
        ([{"asset": "", "when_to_use": "orphan line"}], "Choose the asset"),
        ([{"asset": "DECK", "when_to_use": ""}], "Say when a rep should use"),
        (
            [
                {"asset": "DECK", "when_to_use": "a"},
                {"asset": "DECK", "when_to_use": "b"},
            ],
            "only once",
        ),
        ([{"asset": "DRAFT", "when_to_use": "x"}], "Select a valid choice"),
        ([{"asset": "DECK", "when_to_use": "x" * 201}], "at most 200"),
        ([{"asset": "DECK", "when_to_use": "x", "ORDER": "first"}], "Enter a whole"),
    ],
)
def test_play_form_bad_input_is_400_and_writes_nothing(
    demo, marketer_client, rows, message
):
    ids = {"DECK": str(demo.deck.pk), "DRAFT": str(demo.draft.pk)}
    rows = [{**r, "asset": ids.get(r["asset"], r["asset"])} for r in rows]
    before = list(PlayItem.objects.values_list("pk", flat=True))
    response = marketer_client.post(
        reverse("content:play_edit", args=[demo.stage.slug]), _form_data(rows)
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert list(PlayItem.objects.values_list("pk", flat=True)) == before


def test_rep_cannot_edit_a_play(demo, rep_client):
    url = reverse("content:play_edit", args=[demo.stage.slug])
    assert rep_client.get(url).status_code == 403
    assert rep_client.post(url, _form_data([])).status_code == 403


def test_stage_page_opens_with_the_play_before_the_shelf(demo, rep_client):
    page = rep_client.get(demo.stage.get_absolute_url()).content.decode()
    play_at = page.index('id="play"')
    assert play_at < page.index("Goal of this stage") < page.index('class="tiles"')
    assert "Open every demo with it" in page
    assert "Ask about their renewal terms." in page
    assert "Who signs?" in page


def test_partner_stage_page_shows_no_internal_play_asset(demo, partner_client):
    page = partner_client.get(demo.stage.get_absolute_url()).content.decode()
    assert "Leave it behind" in page
    assert "Open every demo with it" not in page
    assert "Rivalry battle card" not in page


def test_list_layout_is_remembered(demo, rep_client):
    url = demo.stage.get_absolute_url()
    page = rep_client.get(url + "?layout=list").content.decode()
    assert 'class="asset-rows"' in page and 'class="tiles"' not in page
    page = rep_client.get(url).content.decode()
    assert 'class="asset-rows"' in page
    page = rep_client.get(url + "?layout=tiles").content.decode()
    assert 'class="tiles"' in page
    assert 'class="tiles"' in rep_client.get(url + "?layout=bogus").content.decode()


def test_stage_page_query_count_does_not_grow_with_the_play(
    demo, rep_client, marketer, django_assert_max_num_queries
):
    url = demo.stage.get_absolute_url()
    rep_client.get(url)
    with django_assert_max_num_queries(20):
        rep_client.get(url)
