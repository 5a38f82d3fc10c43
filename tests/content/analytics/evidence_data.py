"""Closed deals made in bulk for the evidence tests."""

import datetime

from django.utils import timezone

from content.models import Deal, DealOutcome, Usage
from tests.factories import UserFactory


class Deals:
    """Closed deals made in bulk: `add(n, won=..., at=stage, used=[(asset, stage)])`."""

    def __init__(self):
        self.owner = UserFactory(role="rep")
        self.number = 0

    def add(self, n, *, won, at, used=(), competitor="", days=10):
        closed_at = timezone.now() - datetime.timedelta(days=days)
        deals = Deal.objects.bulk_create(
            [
                Deal(
                    name=f"D{self.number + i}",
                    account="A",
                    stage=at,
                    outcome=DealOutcome.WON if won else DealOutcome.LOST,
                    closed_at=closed_at,
                    owner=self.owner,
                    competitor=competitor,
                )
                for i in range(n)
            ]
        )
        self.number += n
        Usage.objects.bulk_create(
            [
                Usage(deal=deal, asset=asset, stage=stage, user=self.owner)
                for deal in deals
                for asset, stage in used
            ]
        )
        return deals
