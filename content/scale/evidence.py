"""The known truth `seed_scale` plants in its deals, so the evidence can be
checked against it (tests/bench/evidence_eval.py).

- How far a deal gets decides most of its chance: 8 % of the deals lost at
  the first stage win ... 68 % at the last before onboarding, whatever they use.
  That is the stage bias a naive lift mistakes for an effect.
- Among the most used assets (the top `PLANTED_SHARE` by popularity), a fifth
  raise the chance of winning of the deals that use them at their stage by
  15 to 25 points, a tenth lower it by as much, and the rest do nothing; every
  less used asset does nothing. Most assets have no effect.

The truth is written next to the data (`truth_path()`, one file per database), as
JSON: asset id -> planted effect, for every asset (0 for none).
"""

from __future__ import annotations

import hashlib
import json
import os
import random
from pathlib import Path

from django.conf import settings

BASE_WIN = (0.08, 0.18, 0.32, 0.50, 0.68)
REACH_WEIGHTS = (0.20, 0.25, 0.22, 0.18, 0.15)
PLANTED_SHARE = 0.05  # of assets, the most used ones
HELPERS, HURTERS = 0.20, 0.10  # of the planted share
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


def plant(rng: random.Random, popularity: list[float], live: list[bool]) -> list[float]:
    """The planted effect of each asset (by index), from its popularity rank."""
    count = len(popularity)
    effects = [0.0] * count
    ranked = sorted((i for i in range(count) if live[i]), key=lambda i: -popularity[i])
    for i in ranked[: max(1, int(count * PLANTED_SHARE))]:
        roll = rng.random()
        if roll < HELPERS:
            effects[i] = rng.uniform(0.15, 0.25)
        elif roll < HELPERS + HURTERS:
            effects[i] = -rng.uniform(0.15, 0.25)
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
