"""The demo's data, checked without seeding it (the seeded demo: tests/demo/)."""

import pytest

from content.demo import playbook
from content.demo.library import ASSETS
from content.models import Deal


def test_demo_titles_are_unique_so_seeding_is_idempotent():
    titles = [spec.title for spec in ASSETS]
    assert len(titles) == len(set(titles))


@pytest.mark.django_db
def test_playbook_step_does_nothing_without_a_library():
    playbook.seed(lambda line: None)
    assert not Deal.objects.exists()
