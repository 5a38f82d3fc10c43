"""The activity of a scale library: deals and usage, ratings, views and downloads.

A mixin of `content.scale.library.ScaleLibrary` (which plans the assets first):
each method streams one table's rows to the bulk writer and keeps the asset
counters the services would have kept.
"""

import hashlib
import math
from array import array
from collections import Counter
from datetime import timedelta

from content.models import (
    AssetEvent,
    AssetStatus,
    Audience,
    Deal,
    DealOutcome,
    EventKind,
    Rating,
    Usage,
)
from content.scale import evidence, words
from content.scale.bulk import (
    Pool,
    Table,
    next_id,
    split,
)

DAYS = 365

DEAL_COLUMNS = (
    "id name account crm_id amount stage_id outcome closed_at owner_id created_at "
    "updated_at competitor"
)

USAGE_COLUMNS = "id deal_id asset_id version_id stage_id user_id created_at"

RATING_COLUMNS = "id asset_id user_id stars comment created_at updated_at"

EVENT_COLUMNS = "id asset_id version_id user_id kind visitor_hash user_agent created_at"

USER_AGENT = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/126.0 Safari/537.36"


class ScaleActivity:
    # -- deals and usage -----------------------------------------------------

    def _deals_and_usages(self, n_deals: int, n_usages: int) -> None:
        rng = self.rng
        d0, u0 = next_id(Deal), next_id(Usage)
        sellers = self.reps + self.partners
        partners = set(self.partners)
        # The planted truth (content/scale/evidence.py): how far each deal gets
        # sets most of its chance; some well-used assets help or hurt at their
        # stage (the first of theirs: where they are used).
        position = {pk: n for n, pk in enumerate(self.stages)}
        self.used_at = [position[stages[0]] for stages in self.asset_stages]
        open_stages = max(1, len(self.stages) - 1)  # the last: after the sale
        competitors = [*words.COMPETITORS, ""]
        owner, start, end = array("q"), array("i"), array("i")
        stage, amount, competitor = array("q"), array("q"), []
        reaches = array("B")
        for _ in range(n_deals):
            who = rng.choice(sellers) if rng.random() < 0.12 else rng.choice(self.reps)
            s = rng.randrange(DAYS)
            reach = evidence.reach_of(rng, open_stages)
            owner.append(who)
            start.append(s)
            end.append(s + rng.randint(14, 150))
            reaches.append(reach)
            stage.append(self.stages[reach])
            competitor.append(rng.choice(competitors))
            amount.append(max(1000, int(round(math.exp(rng.gauss(10.0, 0.8)), -2))))
        # Usage: uneven amounts for each stage a deal went through, summing to
        # exactly n_usages. Each stage a deal reached gets its own amount, so
        # how much a deal uses at a stage never depends on how far it went on
        # (were a deal's uses spread over the stages it reached, deals that got
        # further would use each early asset less: an effect against every
        # early asset that no stage comparison can take out; evidence.py).
        slots = [(j, p) for j in range(n_deals) for p in range(reaches[j] + 1)]
        per_slot = split(n_usages, [rng.expovariate(1.0) + 0.05 for _ in slots])
        pools = self._stage_pools_by_day(open_stages)
        u_asset, u_day, u_deal = array("I"), array("I"), array("I")
        used: list[set[int]] = [set() for _ in range(n_deals)]
        for (j, p), k in zip(slots, per_slot, strict=True):
            s, e, who = start[j], end[j], owner[j]
            for _ in range(k):
                d = rng.randint(s, min(e, DAYS - 1))
                by_stage = pools[d][who in partners]
                picked = by_stage[p].pick(rng, 1)
                if not picked:
                    # No asset of that stage for this seller that day (a small
                    # library): one of another stage the deal went through.
                    others = [q for q in range(reaches[j] + 1) if by_stage[q].members]
                    picked = by_stage[rng.choice(others)].pick(rng, 1) if others else []
                if not picked:
                    continue
                i = picked[0]
                u_asset.append(i)
                u_day.append(d)
                u_deal.append(j)
                self.usage_count[i] += 1
                used[j].add(i)
        closed_deals = array("I", bytes(4 * self.n))
        for j, assets in enumerate(used):
            for i in assets:
                self.deal_count[i] += 1
                closed_deals[i] += end[j] < DAYS
        # Planted once the deals are known, on assets with enough closed deals
        # for an effect to be found (evidence.plant); whether a deal wins never
        # decides what it used.
        self.effects = evidence.plant(
            rng,
            closed_deals,
            # Published before the year began and used before the sale closes:
            # used all year, and shown by default.
            [
                status == AssetStatus.PUBLISHED
                and self.created[i] < 0
                and self.used_at[i] < open_stages
                for i, status in enumerate(self.status)
            ],
        )
        outcome = []
        for j in range(n_deals):
            if end[j] < DAYS:
                effects = sum(self.effects[i] for i in used[j])
                chance = evidence.win_chance(reaches[j], effects)
                won = rng.random() < chance
                outcome.append(DealOutcome.WON if won else DealOutcome.LOST)
            else:
                outcome.append(DealOutcome.OPEN)
        del used
        accounts = [
            f"{a} {b} {c}"
            for a in words.ACCOUNT_WORDS
            for b in words.ACCOUNT_WORDS
            for c in words.ACCOUNT_SUFFIX
        ]

        def deals():
            for j in range(len(owner)):
                pk = d0 + j
                account = accounts[pk % len(accounts)]
                opened = self.ts(start[j], 30600)
                closed = (
                    None if outcome[j] == DealOutcome.OPEN else self.ts(end[j], 61200)
                )
                topic = words.TOPICS[pk % len(words.TOPICS)]
                yield (pk, f"{account} – {topic} project", account, f"SCALE-{pk}",
                       f"{amount[j]}.00", stage[j], outcome[j], closed, owner[j],
                       opened, closed or opened, competitor[j])  # fmt: skip

        self.writer.write(Table(Deal, DEAL_COLUMNS), deals(), len(owner), "deals")
        evidence.write_truth(self.effects, self.a0)

        def usage_rows():
            for k, (i, d, j) in enumerate(zip(u_asset, u_day, u_deal, strict=True)):
                yield (u0 + k, d0 + j, i + self.a0, self._version_on(i, d),
                       self.asset_stages[i][0], owner[j],
                       self.ts(d, 28800 + k * 7919 % 36000))  # fmt: skip

        self.writer.write(
            Table(Usage, USAGE_COLUMNS), usage_rows(), len(u_asset), "usages"
        )

    def _stage_pools_by_day(self, stages: int) -> list[tuple[list[Pool], ...]]:
        """For each day, its pools (internal, partner) split by the stage their
        assets are used at."""
        split_up: dict[int, list[Pool]] = {}
        by_day = []
        for d in range(DAYS):
            pair = self._pools_on(d)
            for pool in pair:
                if id(pool) not in split_up:
                    split_up[id(pool)] = [
                        Pool([i for i in pool.members if self.used_at[i] == p],
                             self.popularity)
                        for p in range(stages)
                    ]  # fmt: skip
            by_day.append(tuple(split_up[id(pool)] for pool in pair))
        return by_day

    # -- ratings -------------------------------------------------------------

    def _ratings(self, n_ratings: int) -> None:
        """By popularity, one per person per asset, stars following quality."""
        rng = self.rng
        internal, everyone = self.internal_users, self.internal_users + self.partners

        def raters(i: int) -> list[int]:
            return everyone if self.audience[i] == Audience.PARTNERS else internal

        live = [i for i in range(self.n) if self.status[i] != AssetStatus.DRAFT]
        wanted: Counter = Counter()
        remaining = min(n_ratings, sum(len(raters(i)) for i in live))
        candidates = live
        while remaining > 0 and candidates:
            # Popular assets fill up (everyone rated them): the rest go elsewhere.
            for i in Pool(candidates, self.popularity).pick(rng, remaining):
                wanted[i] += 1
            remaining = 0
            for i in candidates:
                over = wanted[i] - len(raters(i))
                if over > 0:
                    remaining += over
                    wanted[i] -= over
            candidates = [i for i in candidates if wanted[i] < len(raters(i))]
        first = next_id(Rating)
        total = sum(wanted.values())

        def rows():
            pk = first
            for i in sorted(wanted):
                lo = min(max(self.created[i] + 1, 0), DAYS - 1)
                hi = max(lo, min(self.gone[i], DAYS) - 1)
                for user in rng.sample(raters(i), wanted[i]):
                    noise = rng.gauss(0, 0.8)
                    stars = min(5, max(1, round(1 + 4 * self.quality[i] + noise)))
                    comment = rng.choice(words.COMMENTS) if rng.random() < 0.2 else ""
                    when = self.ts(rng.randint(lo, hi), 43200 + pk % 14400)
                    self.rating_count[i] += 1
                    self.rating_total[i] += stars
                    yield (pk, i + self.a0, user, stars, comment, when, when)
                    pk += 1

        self.writer.write(Table(Rating, RATING_COLUMNS), rows(), total, "ratings")

    # -- views, downloads and the daily rollups ------------------------------

    def _events(self, n_views: int, n_downloads: int) -> None:
        rng = self.rng
        weekday = [
            1.0 if (self.day0 + timedelta(days=d)).weekday() < 5 else 0.25
            for d in range(DAYS)
        ]
        views_on, downloads_on = split(n_views, weekday), split(n_downloads, weekday)
        first_event = next_id(AssetEvent)
        visitors = [
            hashlib.sha256(f"visitor-{v}".encode()).hexdigest() for v in range(2000)
        ]
        partners = self.partners or self.internal_users
        VIEW, DOWNLOAD = EventKind.VIEW, EventKind.DOWNLOAD
        PROSPECT = EventKind.PROSPECT_VIEW

        def people(assets: list[int], users: list[int], kind: str) -> list[tuple]:
            chosen = rng.choices(users, k=len(assets))
            return [(i, kind, u, "", "") for i, u in zip(assets, chosen, strict=True)]

        def events():
            pk = first_event
            for d in range(DAYS):
                internal_pool, partner_pool = self._pools_on(d)
                n_v, n_d = views_on[d], downloads_on[d]
                n_prospect = n_v * 3 // 100
                n_pv = n_v * 5 // 100 if partner_pool.members else 0
                n_pd = n_d * 5 // 100 if partner_pool.members else 0
                iv = internal_pool.pick(rng, n_v - n_prospect - n_pv)
                pv = partner_pool.pick(rng, n_pv)
                xv = internal_pool.pick(rng, n_prospect)
                idl = internal_pool.pick(rng, n_d - n_pd)
                pdl = partner_pool.pick(rng, n_pd)
                rows = people(iv, self.internal_users, VIEW)
                rows += people(pv, partners, VIEW)
                rows += [
                    (i, PROSPECT, None, rng.choice(visitors), USER_AGENT) for i in xv
                ]
                rows += people(idl, self.internal_users, DOWNLOAD)
                rows += people(pdl, partners, DOWNLOAD)
                rng.shuffle(rows)
                seconds = sorted(rng.choices(range(86400), k=len(rows)))
                prefix, hms, tz = f"{self.day(d)} ", self.hms, self.tz
                v1, v2, v2_day = self.v1, self.v2, self.v2_day
                for (i, kind, user, visitor, agent), sec in zip(
                    rows, seconds, strict=True
                ):
                    version = v2[i] if d >= v2_day[i] else v1[i]
                    yield (pk, i + self.a0, version, user, kind, visitor, agent,
                           prefix + hms[sec] + tz)  # fmt: skip
                    pk += 1
                # The asset counters, as the services keep them.
                for i in iv + pv + xv:
                    self.view_count[i] += 1
                for i in idl + pdl:
                    self.download_count[i] += 1

        self.writer.write(
            Table(AssetEvent, EVENT_COLUMNS), events(), n_views + n_downloads, "events"
        )
