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
