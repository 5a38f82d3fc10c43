"""The usage form's deal menu writes its options itself (content.forms.deals.DealMenu):
the same elements and attributes as Django's own Select template, escaped."""

from html.parser import HTMLParser

from django import forms

from content.forms.deals import DealMenu


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, tuple(sorted(attrs))))

    def handle_data(self, data):
        if data.strip():
            self.found.append(("text", data.strip()))


def _elements(html: str) -> list[tuple]:
    parser = _Elements()
    parser.feed(html)
    return parser.found


def test_the_deal_menu_matches_djangos_select_markup():
    menu = DealMenu(
        choices=[
            (1, "Acme & Co · Acme"),
            (2, 'Quote "<b>" · X'),
            ("new", "A new deal…"),
        ]
    )
    menu.stage_of = {"1": 3, "new": 4}
    attrs = {"id": "id_deal", "aria-describedby": "id_deal_help", "required": True}
    ours = menu.render("deal", 2, dict(attrs))
    djangos = forms.Select.render(menu, "deal", 2, dict(attrs))
    assert _elements(ours) == _elements(djangos)
    assert "<b>" not in ours and "&lt;b&gt;" in ours
    assert '<option value="2" selected>' in ours
    assert 'data-stage="4"' in ours
