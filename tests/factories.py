"""factory_boy factories for every model; tests build their data with these."""

import hashlib
from decimal import Decimal

import factory
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.text import slugify

from accounts.models import Role, User
from content.caching.keys import content_version_bump
from content.models import (
    Asset,
    AssetEvent,
    AssetKind,
    AssetStatus,
    Audience,
    ContentRequest,
    Deal,
    DealOutcome,
    EventKind,
    Rating,
    Stage,
    Usage,
    Version,
    VersionPage,
)
from content.rating import DEFAULT_MEAN_RATING, bayesian_score

PASSWORD = "wingman-test-pw"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    role = Role.REP
    password = factory.django.Password(PASSWORD)

    class Params:
        rep = factory.Trait(role=Role.REP)
        partner = factory.Trait(role=Role.PARTNER)
        marketer = factory.Trait(role=Role.MARKETER)
        admin = factory.Trait(role=Role.ADMIN, is_staff=True, is_superuser=True)


class StageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Stage
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Stage {n}")
    slug = factory.LazyAttribute(lambda s: slugify(s.name))
    order = factory.Sequence(lambda n: n)
    description = factory.Faker("sentence")
    exit_goal = factory.Faker("sentence")


class AssetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Asset
        skip_postgeneration_save = True

    kind = AssetKind.DECK
    title = factory.Sequence(lambda n: f"Asset {n}")
    summary = factory.Faker("sentence")
    audience = Audience.INTERNAL
    owner = factory.SubFactory(UserFactory, role=Role.MARKETER)
    status = AssetStatus.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)
    search_text = factory.LazyAttribute(lambda a: f"{a.title} {a.summary}")
    rating_count = 0
    rating_total = 0
    # As rating_set stores it, against the default library mean.
    rating_score = factory.LazyAttribute(
        lambda a: bayesian_score(
            total=a.rating_total, count=a.rating_count, mean=DEFAULT_MEAN_RATING
        )
    )

    class Params:
        draft = factory.Trait(status=AssetStatus.DRAFT, published_at=None)
        retired = factory.Trait(
            status=AssetStatus.RETIRED, retired_at=factory.LazyFunction(timezone.now)
        )
        for_partners = factory.Trait(audience=Audience.PARTNERS)

    @factory.post_generation
    def stages(self, create, extracted, **kwargs):
        if not create:
            return
        for stage in extracted or []:
            self.stages.add(stage)
        # As the library services do: cached library-wide counts are stale now.
        content_version_bump()


class VersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Version

    asset = factory.SubFactory(AssetFactory)
    number = factory.Sequence(lambda n: n + 1)
    original_name = "notes.txt"
    file = factory.LazyAttribute(
        lambda v: ContentFile(b"Plain text notes for reps.\n", name=v.original_name)
    )
    size = 27
    sha256 = hashlib.sha256(b"Plain text notes for reps.\n").hexdigest()
    content_type = "text/plain"
    uploaded_by = factory.LazyAttribute(lambda v: v.asset.owner)
    preview_status = "icon"


def _page_png(width: int = 32, height: int = 18) -> ContentFile:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), (31, 79, 209)).save(out, format="PNG")
    return ContentFile(out.getvalue(), name="page.png")


class VersionPageFactory(factory.django.DjangoModelFactory):
    """A page image of a version (the version's page_count is the caller's)."""

    class Meta:
        model = VersionPage

    version = factory.SubFactory(VersionFactory)
    number = factory.Sequence(lambda n: n + 1)
    image = factory.LazyFunction(_page_png)
    width = 32
    height = 18


class DealFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Deal

    name = factory.Sequence(lambda n: f"Deal {n}")
    account = factory.Faker("company")
    amount = Decimal("10000.00")
    stage = factory.SubFactory(StageFactory)
    owner = factory.SubFactory(UserFactory, role=Role.REP)
    outcome = DealOutcome.OPEN

    class Params:
        won = factory.Trait(
            outcome=DealOutcome.WON, closed_at=factory.LazyFunction(timezone.now)
        )
        lost = factory.Trait(
            outcome=DealOutcome.LOST, closed_at=factory.LazyFunction(timezone.now)
        )


class UsageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Usage

    deal = factory.SubFactory(DealFactory)
    asset = factory.SubFactory(AssetFactory)
    version = None
    stage = factory.LazyAttribute(lambda u: u.deal.stage)
    user = factory.LazyAttribute(lambda u: u.deal.owner)


class RatingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Rating

    asset = factory.SubFactory(AssetFactory)
    user = factory.SubFactory(UserFactory, role=Role.REP)
    stars = 4
    comment = ""


class ContentRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContentRequest

    title = factory.Sequence(lambda n: f"Missing content {n}")
    description = factory.Faker("sentence")
    requester = factory.SubFactory(UserFactory, role=Role.REP)


class AssetEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AssetEvent

    asset = factory.SubFactory(AssetFactory)
    kind = EventKind.VIEW
    user = factory.SubFactory(UserFactory, role=Role.REP)


# factories:playbook
class SubscriptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "content.Subscription"

    user = factory.SubFactory(UserFactory, role=Role.REP)
    stage = factory.SubFactory(StageFactory)


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "content.Notification"

    user = factory.SubFactory(UserFactory, role=Role.REP)
    verb = "asset_published"
    asset = factory.SubFactory(AssetFactory)
    message = factory.LazyAttribute(lambda n: f"New deck: {n.asset.title}")
