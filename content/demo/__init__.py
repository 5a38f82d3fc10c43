"""Demo data for `manage.py seed_demo`: one module per area, each idempotent."""

from collections.abc import Callable

from content.demo import analytics, base, library, playbook, plays, sharing

# Each area appends its seeding step here, in dependency order.
STEPS: list[Callable[[Callable[[str], None]], None]] = [
    base.seed,
    library.seed,
    playbook.seed,
    sharing.seed,
    analytics.seed,
    # Last: it fills in the deals every earlier step made.
    plays.seed,
]


def seed(log: Callable[[str], None]) -> None:
    for step in STEPS:
        step(log)
