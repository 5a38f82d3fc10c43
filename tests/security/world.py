"""One small library with every object variant the permission matrix needs."""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db import transaction

from accounts.models import Role
from content.models import AssetKind
from tests.factories import (
    AssetFactory,
    DealFactory,
    StageFactory,
    UserFactory,
    VersionFactory,
)


@dataclass
class World:
    users: dict[str, Any]
    stage: Any
    asset: Any  # published, internal only
    partner_asset: Any  # published, internal and partners
    draft: Any
    retired: Any
    own_deal: Any  # the rep's
    other_deal: Any  # another rep's
    extra: dict[str, Any] = field(default_factory=dict)

    def reloaded(self) -> "World":
        """The same rows read again, with an empty `extra`: what a test gets from a
        world built once and shared (`shared_world`), so that nothing a previous,
        rolled-back test set on an object in memory (a deal's CRM id, a share made
        on first use) reaches this one."""

        def again(obj):
            return type(obj).objects.get(pk=obj.pk)

        return World(
            users={role: again(user) for role, user in self.users.items()},
            stage=again(self.stage),
            asset=again(self.asset),
            partner_asset=again(self.partner_asset),
            draft=again(self.draft),
            retired=again(self.retired),
            own_deal=again(self.own_deal),
            other_deal=again(self.other_deal),
        )


def build_world() -> World:
    users = {
        "partner": UserFactory(username="m-partner", role=Role.PARTNER),
        "rep": UserFactory(username="m-rep", role=Role.REP),
        "marketer": UserFactory(username="m-marketer", role=Role.MARKETER),
        "admin": UserFactory(
            username="m-admin", role=Role.ADMIN, is_staff=True, is_superuser=True
        ),
    }
    other_rep = UserFactory(username="m-other-rep", role=Role.REP)
    stage = StageFactory(name="Discovery", slug="discovery")
    owner = users["marketer"]
    asset = AssetFactory(title="Internal deck", owner=owner, stages=[stage])
    partner_asset = AssetFactory(
        title="Partner one-pager",
        owner=owner,
        stages=[stage],
        for_partners=True,
        kind=AssetKind.ONE_PAGER,
    )
    draft = AssetFactory(title="Draft card", owner=owner, stages=[stage], draft=True)
    retired = AssetFactory(title="Old deck", owner=owner, stages=[stage], retired=True)
    for item in (asset, partner_asset, draft, retired):
        version = VersionFactory(asset=item, number=1)
        item.current_version = version
        item.save(update_fields=["current_version"])
    own_deal = DealFactory(owner=users["rep"], stage=stage, name="Own deal")
    other_deal = DealFactory(owner=other_rep, stage=stage, name="Other deal")
    return World(
        users=users,
        stage=stage,
        asset=asset,
        partner_asset=partner_asset,
        draft=draft,
        retired=retired,
        own_deal=own_deal,
        other_deal=other_deal,
    )


@contextmanager
def rolled_back() -> Iterator[None]:
    """One Hypothesis example, undone when it ends, so the next starts from the same
    world: its writes (a retire, an outcome, a view event) in a savepoint rolled back
    inside the test's transaction, and the cache it filled emptied first (a cached
    version or id list from an undone write must not reach the next example).

    Building the world once per test and rolling back each example costs a savepoint
    instead of a dozen factory rows per example (issue 13: the form fuzzing spent
    most of its 340 s rebuilding the world).
    """
    cache.clear()
    with transaction.atomic():
        yield
        transaction.set_rollback(True)
