from accounts.models import User
from content.models import ShareLink


def test_demo_rep_has_share_links_with_prospect_opens(demo_site, client):
    rep = User.objects.get(username="rep")
    links = list(ShareLink.objects.filter(created_by=rep))
    assert len(links) == 2
    assert all(link.open_count and link.last_opened_at for link in links)
    client.force_login(rep)
    body = client.get(links[0].deal.get_absolute_url()).content.decode()
    assert "Prospect engagement" in body
    assert links[0].recipient in body


def test_demo_links_have_visits_page_by_page_and_the_rep_was_told(demo_site, client):
    from content.models import Notification, NotificationVerb, ShareVisit

    rep = User.objects.get(username="rep")
    visits = ShareVisit.objects.filter(share__created_by=rep)
    assert visits.count() == 4
    assert all(visit.pages.exists() for visit in visits)
    assert visits.filter(email="dana.cho@prospect.example").exists()
    verbs = set(
        Notification.objects.filter(user=rep, share__isnull=False).values_list(
            "verb", flat=True
        )
    )
    assert verbs == {NotificationVerb.SHARE_OPENED, NotificationVerb.SHARE_RETURNED}
    client.force_login(rep)
    link = ShareLink.objects.get(created_by=rep, require_email=True)
    body = client.get(link.deal.get_absolute_url()).content.decode()
    assert "dana.cho@prospect.example" in body and "visit-bars" in body
