"""Link controls: the email gate, the passcode, no download, the watermark; the
page images served through the token; the rep's form; what the rep sees."""

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from content.models import ShareLink, ShareVisit
from content.services import engagement
from content.services.engagement import BeatEntry
from content.services.sharing import share_create, share_revoke
from tests.content.sharing.conftest import png_bytes, public_url, with_pages

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0"
TITLE = "Platform overview deck"


@pytest.fixture
def deck(assets):
    with_pages(assets["deck"], 5)
    return assets["deck"]


def _link(rep, deck, deal, **controls):
    return share_create(
        user=rep,
        assets=[deck],
        recipient="jane@globex.example",
        deal=deal,
        message="Secret message",
        **controls,
    )


def _page_url(token, item, number):
    return reverse(
        "content:share_public_page",
        kwargs={"token": token, "item_pk": item.pk, "number": number},
    )


def _file_url(token, item):
    return reverse("content:share_public_file", args=[token, item.pk])


# The email gate -----------------------------------------------------------------


def test_an_email_gated_link_shows_nothing_before_the_email(client, rep, deck, deal):
    share, token = _link(rep, deck, deal, require_email=True)
    item = share.items.get()
    response = client.get(public_url(token), HTTP_USER_AGENT=BROWSER)
    body = response.content.decode()
    assert response.status_code == 200
    assert 'name="email"' in body
    for secret in (TITLE, "Secret message", rep.get_full_name(), "page-viewer"):
        assert secret not in body
    assert not ShareVisit.objects.exists()
    # Nor do the link's other addresses answer before the gate.
    for url in (_page_url(token, item, 1), _file_url(token, item)):
        assert client.get(url).status_code == 403


def test_a_bad_email_is_refused_by_the_field(client, rep, deck, deal):
    _share, token = _link(rep, deck, deal, require_email=True)
    response = client.post(public_url(token), {"email": "not an email"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "like name@example.com" in body and TITLE not in body


def test_the_email_opens_the_link_and_is_recorded_on_the_visit(client, rep, deck, deal):
    share, token = _link(rep, deck, deal, require_email=True)
    response = client.post(
        public_url(token), {"email": "CFO@Globex.example"}, HTTP_USER_AGENT=BROWSER
    )
    assert response.status_code == 302
    page = client.get(public_url(token), HTTP_USER_AGENT=BROWSER)
    assert TITLE in page.content.decode()
    assert ShareVisit.objects.get(share=share).email == "cfo@globex.example"
    item = share.items.get()
    assert client.get(_page_url(token, item, 2)).status_code == 200


# The passcode -------------------------------------------------------------------


def test_a_wrong_passcode_is_refused_without_the_title(client, rep, deck, deal):
    share, token = _link(rep, deck, deal, passcode="open sesame")
    assert share.passcode_hash and "open sesame" not in share.passcode_hash
    assert 'name="passcode"' in client.get(public_url(token)).content.decode()
    response = client.post(public_url(token), {"passcode": "guess"})
    assert response.status_code == 403
    body = response.content.decode()
    assert "not right" in body
    assert TITLE not in body and "Secret message" not in body
    ok = client.post(public_url(token), {"passcode": "open sesame"})
    assert ok.status_code == 302
    assert TITLE in client.get(public_url(token)).content.decode()


def test_passcode_tries_are_limited(client, rep, deck, deal):
    _share, token = _link(rep, deck, deal, passcode="open sesame")
    statuses = [
        client.post(public_url(token), {"passcode": f"guess{i}"}).status_code
        for i in range(6)
    ]
    assert statuses == [403] * 5 + [429]
    # Even the right code waits out the window.
    right = client.post(public_url(token), {"passcode": "open sesame"})
    assert right.status_code == 429


def test_a_pass_from_an_old_passcode_no_longer_opens(client, rep, deck, deal):
    share, token = _link(rep, deck, deal, passcode="open sesame")
    client.post(public_url(token), {"passcode": "open sesame"})
    ShareLink.objects.filter(pk=share.pk).update(passcode_hash="pbkdf2$other$hash")
    assert TITLE not in client.get(public_url(token)).content.decode()


# Download -----------------------------------------------------------------------


def test_a_no_download_link_offers_no_download(client, rep, deck, deal):
    share, token = _link(rep, deck, deal, allow_download=False)
    item = share.items.get()
    body = client.get(public_url(token)).content.decode()
    assert _file_url(token, item) not in body
    assert "Download" not in body
    assert client.get(_file_url(token, item)).status_code == 403
    assert client.get(_file_url(token, item) + "?view=1").status_code == 403
    # The pages still show.
    assert client.get(_page_url(token, item, 1)).status_code == 200


def test_a_download_link_offers_the_original(client, rep, deck, deal):
    share, token = _link(rep, deck, deal)
    item = share.items.get()
    assert _file_url(token, item) in client.get(public_url(token)).content.decode()
    assert client.get(_file_url(token, item)).status_code == 200


# Page images --------------------------------------------------------------------


def test_page_images_only_for_the_links_current_pages(client, rep, deck, deal, assets):
    share, token = _link(rep, deck, deal)
    item = share.items.get()
    response = client.get(_page_url(token, item, 5))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert client.get(_page_url(token, item, 6)).status_code == 404
    other, _ = share_create(user=rep, assets=[assets["case"]], recipient="x")
    assert client.get(_page_url(token, other.items.get(), 1)).status_code == 404
    share_revoke(user=rep, share=share)
    assert client.get(_page_url(token, item, 1)).status_code == 410


def test_expired_links_serve_no_pages(client, rep, deck, deal):
    share, token = _link(rep, deck, deal)
    item = share.items.get()
    ShareLink.objects.filter(pk=share.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    assert client.get(_page_url(token, item, 1)).status_code == 410


def test_the_watermark_draws_the_viewers_email(client, rep, deck, deal):
    share, token = _link(rep, deck, deal, require_email=True, watermark=True)
    client.post(public_url(token), {"email": "cfo@globex.example"})
    item = share.items.get()
    response = client.get(_page_url(token, item, 1))
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("private")
    marked = response.content
    assert marked != png_bytes()
    with Image.open(io.BytesIO(marked)) as image:
        colours = image.convert("RGB").getcolors(maxcolors=100_000)
    assert len(colours) > 1  # white page plus ink
    again = client.get(_page_url(token, item, 1), HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


# The rep's form -----------------------------------------------------------------


@pytest.mark.parametrize(
    "data,field,message",
    [
        ({"passcode": "abc"}, "passcode", "at least 4 characters"),
        ({"watermark": "on"}, "watermark", "Ask for an email"),
    ],
)
def test_bad_controls_are_refused_by_the_field(rep_client, deck, data, field, message):
    url = reverse("content:share_add", kwargs={"pk": deck.pk})
    response = rep_client.post(
        url,
        {
            "recipient": "Jane",
            "expires_on": (timezone.localdate() + timedelta(days=3)).isoformat(),
            **data,
        },
    )
    assert response.status_code == 400
    assert message in str(response.context["form"].errors[field])
    assert not ShareLink.objects.exists()


def test_the_form_creates_a_link_with_its_controls(rep_client, deck):
    url = reverse("content:share_add", kwargs={"pk": deck.pk})
    response = rep_client.post(
        url,
        {
            "recipient": "Jane",
            "expires_on": (timezone.localdate() + timedelta(days=3)).isoformat(),
            "require_email": "on",
            "passcode": "open sesame",
            "watermark": "on",
        },
    )
    assert response.status_code == 201
    share = ShareLink.objects.get()
    assert share.require_email and share.watermark and not share.allow_download
    assert share.has_passcode and "open sesame" not in share.passcode_hash
    assert "Asks for an email" in response.content.decode()


# What the rep sees --------------------------------------------------------------


def _visit_with_pages(share, seconds_by_page, *, visitor="v1", email=""):
    t0 = timezone.now() - timedelta(minutes=5)
    visit = engagement.visit_start(
        share=share, visitor_hash=visitor, user_agent=BROWSER, email=email, now=t0
    )
    item = share.items.get()
    engagement.beat_record(
        share=share,
        token=engagement.visit_token(visit),
        entries=[
            BeatEntry(item_id=item.pk, number=n, seconds=s)
            for n, s in seconds_by_page.items()
        ],
        page_counts={item.pk: 5},
        now=t0 + timedelta(seconds=sum(seconds_by_page.values()) + 1),
    )
    return visit


def test_the_deal_page_shows_each_visit_page_by_page(
    rep_client, rep, deck, deal, django_assert_max_num_queries
):
    share, _ = _link(rep, deck, deal)
    _visit_with_pages(share, {1: 2.0, 3: 5.0}, email="cfo@globex.example")
    _visit_with_pages(share, {1: 1.0}, visitor="v2")
    url = reverse("content:deal", kwargs={"pk": deal.pk})
    body = rep_client.get(url).content.decode()
    assert "cfo@globex.example" in body
    assert body.count('class="share-visit"') == 2
    assert '<tr data-page="3">' in body and 'value="5.000000"' in body
    # A constant number of queries, whatever the number of visits.
    for n in range(3):
        _visit_with_pages(share, {2: 1.0}, visitor=f"more{n}")
    with django_assert_max_num_queries(40) as few:
        rep_client.get(url)
    for n in range(3):
        _visit_with_pages(share, {2: 1.0}, visitor=f"even-more{n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        rep_client.get(url)


def test_another_rep_sees_no_visits_of_the_deal(client_for, other_rep, rep, deck, deal):
    share, _ = _link(rep, deck, deal)
    _visit_with_pages(share, {1: 2.0}, email="cfo@globex.example")
    from content.selectors.engagement import deal_visits

    assert deal_visits(user=other_rep, deal=deal) == []
    assert len(deal_visits(user=rep, deal=deal)) == 1


def test_the_asset_report_shows_page_attention(marketer, rep, deck, deal, client_for):
    share, _ = _link(rep, deck, deal)
    _visit_with_pages(share, {1: 4.0, 2: 10.0, 3: 2.0}, visitor="a")
    _visit_with_pages(share, {1: 6.0, 2: 2.0}, visitor="b")
    _visit_with_pages(share, {1: 8.0}, visitor="c")
    from content.selectors.engagement import asset_page_attention

    visits, pages = asset_page_attention(asset=deck)
    assert visits == 3
    assert [(p.number, p.median_seconds, p.reached_percent) for p in pages] == [
        (1, 6.0, 100),
        (2, 6.0, 67),
        (3, 2.0, 33),
        (4, 0.0, 0),
        (5, 0.0, 0),
    ]
    client = client_for(marketer)
    body = client.get(reverse("content:asset_report", kwargs={"pk": deck.pk}))
    text = body.content.decode()
    assert "Page attention of prospects" in text
    assert "Across 3 prospect visits" in text
    assert '<td class="num" data-reached>67%</td>' in text
