"""The known truth `seed_scale` plants in its deals, so the evidence can be
checked against it (tests/bench/evidence_eval.py).

- How far a deal gets decides most of its chance: 8 % of the deals lost at
  the first stage win ... 68 % at the last before onboarding, whatever they use.
  That is the stage bias a naive lift mistakes for an effect.
- Among the assets used in enough closed deals for an effect to be found
  (`detectable_deals()`), a fifth raise the chance of winning of the deals
  that use them at their stage by 15 to 25 points, a tenth lower it by as
  much, and the rest do nothing; every less used asset does nothing. Most
  assets have no effect.

Why only there: an effect on an asset with 15 closed deals cannot be told
from luck by any method (a 20-point effect is within the noise of 15 deals),
so planting there would grade the seeding, not the evidence. The line is
worked out from the planted sizes, not from the bench's results: the closed
deals a one-sided 5 % test (the lower bound of a 90 % interval) needs to find
the smallest planted effect at a 50 % win rate four times in five. The
library-wide correction (`adjust_for_many`) asks more than one test does, so
not every planted effect is expected to be found.

The truth is written next to the data (`truth_path()`, one file per database), as
JSON: asset id -> planted effect, for every asset (0 for none).
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import random
from collections.abc import Sequence
from pathlib import Path
from statistics import NormalDist

from django.conf import settings

BASE_WIN = (0.08, 0.18, 0.32, 0.50, 0.68)
REACH_WEIGHTS = (0.20, 0.25, 0.22, 0.18, 0.15)
HELPERS, HURTERS = 0.20, 0.10  # of the assets with enough closed deals
SMALLEST, LARGEST = 0.15, 0.25  # a planted effect, in win-rate points
LEVEL, POWER = 0.90, 0.80  # the interval's, and how often the smallest is found
MIN_CHANCE, MAX_CHANCE = 0.02, 0.95


def truth_path() -> Path:
    """The truth of the database in use: one file per database, so two seeded
    libraries (SQLite and PostgreSQL, or test workers) never mix their truths."""
    from django.db import connection

    database = connection.settings_dict
    name = f"{connection.vendor}|{database.get('HOST', '')}|{database.get('NAME', '')}"
    if connection.vendor == "sqlite" and "memory" in str(database.get("NAME", "")):
        name += f"|{os.getpid()}"  # an in-memory database lives in one process
    digest = hashlib.sha256(name.encode()).hexdigest()[:12]
    return Path(settings.BASE_DIR) / "var" / f"seed-scale-evidence-truth-{digest}.json"


def detectable_deals() -> int:
    """Closed deals an asset needs for its planted effect to count: 69.

    n = ((z_one_sided + z_power) * sd / smallest effect)^2 with sd = 0.5 (a
    50 % win rate, the widest); the comparison (every other deal that reached
    the stage) is so much larger that its own noise is left out.
    """
    normal = NormalDist()
    z = normal.inv_cdf(1 - (1 - LEVEL) / 2) + normal.inv_cdf(POWER)
    return math.ceil((z * 0.5 / SMALLEST) ** 2)


def plant(
    rng: random.Random, closed_deals: Sequence[int], live: Sequence[bool]
) -> list[float]:
    """The planted effect of each asset (by index), from its closed deals."""
    effects = [0.0] * len(closed_deals)
    enough = detectable_deals()
    for i, n in enumerate(closed_deals):
        if not live[i] or n < enough:
            continue
        roll = rng.random()
        if roll < HELPERS:
            effects[i] = rng.uniform(SMALLEST, LARGEST)
        elif roll < HELPERS + HURTERS:
            effects[i] = -rng.uniform(SMALLEST, LARGEST)
    return effects


def reach_of(rng: random.Random, stages: int) -> int:
    """How far a deal gets (a stage position), before it closes."""
    positions = min(stages, len(REACH_WEIGHTS))
    return rng.choices(range(positions), REACH_WEIGHTS[:positions])[0]


def win_chance(reach: int, effects: float) -> float:
    chance = BASE_WIN[min(reach, len(BASE_WIN) - 1)] + effects
    return min(MAX_CHANCE, max(MIN_CHANCE, chance))


def write_truth(effects: list[float], first_id: int) -> Path:
    path = truth_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        existing = json.loads(path.read_text()) if path.exists() else {}
    except ValueError:  # an interrupted earlier seeding: its truth is gone anyway
        existing = {}
    existing.update(
        {str(first_id + i): round(effect, 4) for i, effect in enumerate(effects)}
    )
    # Written whole, then moved into place: a reader never sees half a file.
    partial = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    partial.write_text(json.dumps(existing))
    partial.replace(path)
    return path
