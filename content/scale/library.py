"""Plan a large library in memory, then bulk-load it table by table.

What is written is what the services would have written: each Asset counter
equals the rows behind it, the DailyAssetStat rows are rebuilt from the events
and usages by the services' own rollup (`daily_stats_rebuild`), each usage and
event points at the version that was current on its day, and `search_text` is
built as `build_search_text` does.
Popularity is skewed (weight 1 / (rank + 20)), deals are open, won or lost with
amounts and close dates, and deals that used better content win more often.
Activity spans the last 365 days: day 0 is 365 days ago, day 364 is yesterday.
New ids start past the largest existing ones, so loads add to what is there.
"""

import hashlib
import random
from array import array
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone
from taggit.models import Tag, TaggedItem

from accounts.models import Role, User
from content.models import (
    ActivityVerb,
    Asset,
    AssetActivity,
    AssetEvent,
    AssetKind,
    AssetStatus,
    Audience,
    DailyAssetStat,
    Deal,
    Rating,
    SearchChunk,
    Stage,
    Usage,
    Version,
)
from content.scale import words
from content.scale.activity import DAYS, ScaleActivity
from content.scale.bulk import (
    BulkWriter,
    Pool,
    Table,
    next_id,
    secondary_indexes_dropped,
)
from content.scale.search import write_chunks
from content.services.events import daily_stats_rebuild
from content.services.library import CARD_FIELDS

NEW_FROM_DAY = 335  # assets created in the last 30 days are "what's new"
RETIRED_FROM_DAY = 170  # retired assets left between days 170 and 199
SHARED_FILE = "assets/seed-scale-sample.pdf"
SCALE_PASSWORD = "wingman"  # noqa: S105 - generated benchmark users, like the demo's
SMALL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
USER_SHARES = [
    ("rep", Role.REP, 0.80),
    ("partner", Role.PARTNER, 0.12),
    ("marketer", Role.MARKETER, 0.06),
    ("admin", Role.ADMIN, 0.02),
]
VERSION_COLUMNS = (
    "id asset_id number file original_name size sha256 content_type thumbnail "
    "preview_status preview_error extracted_text uploaded_by_id change_note "
    "created_at updated_at"
)
ACTIVITY_COLUMNS = "id asset_id actor_id verb detail created_at"
ASSET_COLUMNS = (
    "id kind title summary audience owner_id status review_by published_at "
    "retired_at retired_reason current_version_id search_text rating_count "
    "rating_total usage_count deal_count view_count download_count created_at "
    "updated_at " + " ".join(CARD_FIELDS)
)


class ScaleLibrary(ScaleActivity):
    def __init__(self, *, writer: BulkWriter, seed: int = 42) -> None:
        self.writer = writer
        self.rng = random.Random(seed)  # noqa: S311 - reproducible test data
        self.day0 = timezone.localdate() - timedelta(days=DAYS)
        self.kind_labels = dict(AssetKind.choices)
        self.tz = "+00" if connection.vendor == "postgresql" else ""
        self._days: dict[int, str] = {}
        self.hms = [
            f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}" for s in range(86400)
        ]

    def load(
        self, *, users: int, assets: int, deals: int, usages: int, ratings: int,
        views: int, downloads: int,
    ) -> None:  # fmt: skip
        self._users(users)
        self.stages = list(Stage.objects.order_by("order").values_list("pk", flat=True))
        if not self.stages:
            raise CommandError("seed_scale needs the stages (seed_demo makes them).")
        self._tags()
        self._plan_assets(assets)
        big = [AssetEvent, DailyAssetStat, Usage, Rating, Deal, AssetActivity, Asset,
               SearchChunk]  # fmt: skip
        with secondary_indexes_dropped(big, self.writer.stream):
            self._versions_and_links()
            self._deals_and_usages(deals, usages)
            self._ratings(ratings)
            self._events(views, downloads)
            self._assets()
            # What the embed task writes: chunks and vectors (docs/search.md).
            write_chunks(self)
        # The daily rollups and each asset's last active day, from the events
        # and usages just written: the one rebuild the services use.
        daily_stats_rebuild()
        # Every asset's stored rank score from its seeded counters, in one UPDATE.
        from content.services.feedback import rating_scores_refresh

        rating_scores_refresh()

    # -- time ----------------------------------------------------------------

    def day(self, d: int) -> str:
        value = self._days.get(d)
        if value is None:
            value = self._days[d] = (self.day0 + timedelta(days=d)).isoformat()
        return value

    def ts(self, d: int, second: int) -> str:
        return f"{self.day(d)} {self.hms[second]}{self.tz}"

    # -- people, stages, tags ------------------------------------------------

    def _users(self, count: int) -> None:
        rng = self.rng
        password = make_password(SCALE_PASSWORD)  # hashed once for all of them
        existing = set(
            User.objects.filter(username__startswith="scale-").values_list(
                "username", flat=True
            )
        )
        new = []
        for prefix, role, share in USER_SHARES:
            for n in range(1, max(1, round(count * share)) + 1):
                username = f"scale-{prefix}-{n}"
                if username in existing:
                    continue
                new.append(
                    User(
                        username=username,
                        email=f"{username}@example.com",
                        first_name=rng.choice(words.FIRST),
                        last_name=rng.choice(words.LAST),
                        role=role,
                        is_staff=role == Role.ADMIN,
                        is_superuser=role == Role.ADMIN,
                        password=password,
                    )
                )
        User.objects.bulk_create(new)
        by_role: dict[str, list[int]] = {r: [] for r in Role.values}
        for pk, role in User.objects.filter(is_active=True).values_list("pk", "role"):
            by_role[role].append(pk)
        self.reps = by_role[Role.REP]
        self.partners = by_role[Role.PARTNER]
        self.marketers = by_role[Role.MARKETER] + by_role[Role.ADMIN]
        self.internal_users = self.reps + self.marketers
        if not self.reps or not self.marketers:
            raise CommandError("seed_scale needs at least one rep and one marketer.")

    def _tags(self) -> None:
        existing = set(Tag.objects.values_list("name", flat=True))
        Tag.objects.bulk_create(
            [Tag(name=t, slug=t) for t in words.TAG_NAMES if t not in existing]
        )
        tags = Tag.objects.filter(name__in=words.TAG_NAMES).values_list("pk", "name")
        self.tag_names = dict(tags)

    # -- the plan ------------------------------------------------------------

    def _plan_assets(self, count: int) -> None:
        """Everything about each asset that later tables depend on, in arrays."""
        rng = self.rng
        self.a0 = next_id(Asset)
        self.n = count
        kinds = list(words.KIND_WEIGHTS)
        self.kind = rng.choices(
            kinds, weights=list(words.KIND_WEIGHTS.values()), k=count
        )
        self.status: list[str] = []
        self.audience: list[str] = []
        self.created = array("i")  # day the asset was created (negative: before)
        self.gone = array("i")  # first day it was retired (DAYS if never)
        self.topic = array("B")
        self.industry = array("B")
        self.quality: list[float] = []  # hidden: drives stars (wins: evidence.py)
        for _ in range(count):
            roll = rng.random()
            gone = DAYS
            if roll < 0.05:
                status, created = AssetStatus.DRAFT, rng.randrange(300, DAYS)
            elif roll < 0.11:
                status, created = AssetStatus.RETIRED, rng.randrange(-700, -30)
                gone = rng.randrange(RETIRED_FROM_DAY, RETIRED_FROM_DAY + 30)
            elif roll < 0.16:
                status, created = (
                    AssetStatus.PUBLISHED,
                    rng.randrange(NEW_FROM_DAY, DAYS),
                )
            else:
                status, created = AssetStatus.PUBLISHED, rng.randrange(-700, -1)
            self.status.append(status)
            self.created.append(created)
            self.gone.append(gone)
            partners = rng.random() < 0.3
            self.audience.append(Audience.PARTNERS if partners else Audience.INTERNAL)
            self.topic.append(rng.randrange(len(words.TOPICS)))
            self.industry.append(rng.randrange(len(words.INDUSTRIES)))
            self.quality.append(rng.betavariate(2.5, 2.5))
        ranks = list(range(count))
        rng.shuffle(ranks)
        self.popularity = [1.0 / (r + 20) for r in ranks]
        for i in range(count):
            if self.status[i] == AssetStatus.RETIRED:
                self.popularity[i] *= 0.3  # what was retired was used less
        # One version each; a fifth get a second one, current from its day on.
        self.v0 = next_id(Version)
        self.v1 = array("q")
        self.v2 = array("q")
        self.v2_day = array("i")
        version_id = self.v0
        for i in range(count):
            self.v1.append(version_id)
            version_id += 1
            lo, hi = max(self.created[i] + 1, 0), self.gone[i]
            live = self.status[i] != AssetStatus.DRAFT
            if live and hi - lo > 10 and rng.random() < 0.2:
                self.v2.append(version_id)
                self.v2_day.append(rng.randrange(lo, hi))
                version_id += 1
            else:
                self.v2.append(0)
                self.v2_day.append(DAYS + 1)
        self.n_versions = version_id - self.v0
        # One to three stages each; usage happens at the first.
        self.asset_stages = [
            tuple(rng.sample(self.stages, min(len(self.stages), k)))
            for k in rng.choices((1, 2, 3), weights=(6, 3, 1), k=count)
        ]
        tag_ids = list(self.tag_names)
        self.asset_tags = [
            tuple(rng.sample(tag_ids, min(len(tag_ids), rng.choice((0, 1, 2, 2, 3)))))
            for _ in range(count)
        ]
        # Who can be picked on a day: retired assets until they left, new ones
        # from their month on; partners only ever see partner assets.
        live = [i for i in range(count) if self.status[i] != AssetStatus.DRAFT]
        old = [i for i in live if self.created[i] < 0]
        phases = {
            "early": old,
            "mid": [i for i in old if self.status[i] == AssetStatus.PUBLISHED],
            "late": [i for i in live if self.status[i] == AssetStatus.PUBLISHED],
        }
        self.pools = {
            phase: (
                Pool(members, self.popularity),
                Pool(
                    [i for i in members if self.audience[i] == Audience.PARTNERS],
                    self.popularity,
                ),
            )
            for phase, members in phases.items()
        }
        zeros = bytes(4 * count)
        self.rating_count, self.rating_total = array("I", zeros), array("I", zeros)
        self.usage_count, self.deal_count = array("I", zeros), array("I", zeros)
        self.view_count, self.download_count = array("I", zeros), array("I", zeros)

    def _pools_on(self, d: int) -> tuple[Pool, Pool]:
        if d < RETIRED_FROM_DAY:
            return self.pools["early"]
        return self.pools["mid" if d < NEW_FROM_DAY else "late"]

    def _version_on(self, i: int, d: int) -> int:
        return self.v2[i] if d >= self.v2_day[i] else self.v1[i]

    def _owner(self, i: int) -> int:
        return self.marketers[i % len(self.marketers)]

    # -- versions, stages, tags, history -------------------------------------

    def _versions_and_links(self) -> None:
        sha = hashlib.sha256(SMALL_PDF).hexdigest()
        extracts = {
            (t, n): words.extracted_text(topic, industry)
            for t, topic in enumerate(words.TOPICS)
            for n, industry in enumerate(words.INDUSTRIES)
        }
        self.file_name = [
            f"{words.TOPICS[self.topic[i]].lower()}-{self.kind[i]}.pdf"
            for i in range(self.n)
        ]
        self.extract = [
            extracts[self.topic[i], self.industry[i]] for i in range(self.n)
        ]

        def versions():
            for i in range(self.n):
                asset, name, owner = i + self.a0, self.file_name[i], self._owner(i)
                when = self.ts(max(self.created[i], -720), 32400)
                yield (self.v1[i], asset, 1, SHARED_FILE, name, len(SMALL_PDF), sha,
                       "application/pdf", "", "icon", "", self.extract[i], owner,
                       "First version", when, when)  # fmt: skip
                if self.v2[i]:
                    when = self.ts(self.v2_day[i], 36000)
                    yield (self.v2[i], asset, 2, SHARED_FILE, name, len(SMALL_PDF), sha,
                           "application/pdf", "", "icon", "", self.extract[i], owner,
                           "Refreshed numbers", when, when)  # fmt: skip

        self.writer.write(
            Table(Version, VERSION_COLUMNS), versions(), self.n_versions, "versions"
        )
        through = Asset.stages.through
        first_link = next_id(through)
        links = [
            (i + self.a0, stage)
            for i in range(self.n)
            for stage in self.asset_stages[i]
        ]
        self.writer.write(
            Table(through, "id asset_id stage_id"),
            ((first_link + k, *link) for k, link in enumerate(links)),
            len(links),
            "stages",
        )
        content_type = ContentType.objects.get_for_model(Asset).pk
        first_tag = next_id(TaggedItem)
        tagged = [
            (tag, i + self.a0) for i in range(self.n) for tag in self.asset_tags[i]
        ]
        self.writer.write(
            Table(TaggedItem, "id tag_id content_type_id object_id"),
            (
                (first_tag + k, tag, content_type, obj)
                for k, (tag, obj) in enumerate(tagged)
            ),
            len(tagged),
            "tags",
        )
        history = []
        for i in range(self.n):
            created = max(self.created[i], -720)
            history.append((i, ActivityVerb.CREATED, created))
            if self.status[i] != AssetStatus.DRAFT:
                history.append((i, ActivityVerb.PUBLISHED, min(created + 1, DAYS - 1)))
            if self.v2[i]:
                history.append((i, ActivityVerb.VERSION_UPLOADED, self.v2_day[i]))
            if self.status[i] == AssetStatus.RETIRED:
                history.append((i, ActivityVerb.RETIRED, self.gone[i]))
        first = next_id(AssetActivity)
        self.writer.write(
            Table(AssetActivity, ACTIVITY_COLUMNS),
            (
                (first + k, i + self.a0, self._owner(i), verb, "", self.ts(d, 39600))
                for k, (i, verb, d) in enumerate(history)
            ),
            len(history),
            "activity",
        )

    # -- the assets, last: their counters are known now ----------------------

    def asset_words(self, i: int) -> tuple[str, str, dict[str, str]]:
        """Asset i's title, summary and card fields (also its search chunks')."""
        kind = self.kind[i]
        labels = self.kind_labels
        topic = words.TOPICS[self.topic[i]]
        industry = words.INDUSTRIES[self.industry[i]]
        segment, region = words.SEGMENTS[i % 3], words.REGIONS[i // 3 % 4]
        competitor = words.COMPETITORS[i % len(words.COMPETITORS)]
        card = dict.fromkeys(CARD_FIELDS, "")
        if kind == AssetKind.BATTLE_CARD:
            title = f"{competitor} battle card: {topic} ({region})"
            card.update(
                competitor=competitor,
                their_strengths=f"Strong brand in {industry}.",
                their_weaknesses=f"Weak on {topic}.",
                landmines=f"Ask how they handle {topic} at scale.",
                how_we_win=f"Lead with our {topic} proof.",
                proof_points=f"Customers in {industry} report faster {topic}.",
            )
        elif kind == AssetKind.OBJECTION_HANDLER:
            title = f"Objection: “{topic} is a concern” ({segment})"
            card.update(
                objection=f"We are worried about {topic}.",
                response=f"Acknowledge it, then show {topic} proof.",
                proof_points=f"Customers in {industry} report faster {topic}.",
                when_to_use="When the buyer raises it late in the deal.",
            )
        else:
            title = f"{topic.capitalize()} {labels[kind].lower()} for {industry}"
            title += f" ({region})"
        summary = f"How to win {topic} conversations with {segment} buyers."
        return title, summary, card

    def _assets(self) -> None:
        rng = self.rng
        labels = self.kind_labels
        today = self.day0 + timedelta(days=DAYS)

        def rows():
            for i in range(self.n):
                kind, status = self.kind[i], self.status[i]
                title, summary, card = self.asset_words(i)
                tags = sorted(self.tag_names[t] for t in self.asset_tags[i])
                # As build_search_text: title, summary, kind, card fields, tags, file.
                search = [title, summary, labels[kind], *card.values(), *tags]
                search += [self.file_name[i], self.extract[i]]
                created = max(self.created[i], -720)
                published = None
                if status != AssetStatus.DRAFT:
                    published = min(created + 1, DAYS - 1)
                retired = self.gone[i] if status == AssetStatus.RETIRED else None
                review_by = None
                if status == AssetStatus.PUBLISHED:
                    review_by = (
                        today + timedelta(days=rng.randrange(-40, 180))
                    ).isoformat()
                last_change = max(created, published or created, retired or created)
                yield (
                    i + self.a0, kind, title, summary, self.audience[i], self._owner(i),
                    status, review_by,
                    None if published is None else self.ts(published, 34200),
                    None if retired is None else self.ts(retired, 50400),
                    "Replaced by newer messaging" if retired is not None else "",
                    self.v2[i] or self.v1[i],
                    "\n".join(part for part in search if part),
                    self.rating_count[i], self.rating_total[i], self.usage_count[i],
                    self.deal_count[i], self.view_count[i], self.download_count[i],
                    self.ts(created, 32400), self.ts(last_change, 50400),
                    *card.values(),
                )  # fmt: skip

        self.writer.write(Table(Asset, ASSET_COLUMNS), rows(), self.n, "assets")
