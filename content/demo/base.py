"""The demo's people and the sales cycle's stages."""

from collections.abc import Callable

from django.utils.text import slugify

from accounts.models import Role, User
from accounts.services import user_create
from content.models import Stage

DEMO_PASSWORD = "wingman"  # noqa: S105 - documented demo login, never for production

DEMO_USERS = [
    # username, role, first, last, title
    ("rep", Role.REP, "Riley", "Park", "Account Executive"),
    ("partner", Role.PARTNER, "Pat", "Okafor", "Partner Sales, Northwind Resellers"),
    ("marketer", Role.MARKETER, "Morgan", "Reyes", "Product Marketing Manager"),
    ("admin", Role.ADMIN, "Alex", "Chen", "Head of Sales Enablement"),
    ("rep2", Role.REP, "Sam", "Novak", "Account Executive"),
    ("rep3", Role.REP, "Jordan", "Lee", "Senior Account Executive"),
    ("rep4", Role.REP, "Taylor", "Brooks", "Sales Development Rep"),
]

STAGES = [
    (
        "Prospecting",
        "Find and open conversations with accounts that fit our ideal customer.",
        "A qualified first meeting is booked with a decision maker.",
    ),
    (
        "Discovery",
        "Understand the prospect's pains, process, budget and decision makers.",
        "Pain, budget, authority and timeline are confirmed in writing.",
    ),
    (
        "Demo",
        "Show how our platform solves the pains found in discovery.",
        "The champion agrees the demo solved their top three pains.",
    ),
    (
        "Proposal & negotiation",
        "Send the proposal, handle objections and negotiate terms.",
        "Commercial terms agreed with the economic buyer.",
    ),
    (
        "Closing",
        "Get the contract signed and the purchase order issued.",
        "Signed contract and purchase order received.",
    ),
    (
        "Onboarding & expansion",
        "Launch the customer successfully and grow the account.",
        "Customer live, with an expansion opportunity identified.",
    ),
]


def seed(log: Callable[[str], None]) -> None:
    for username, role, first, last, title in DEMO_USERS:
        if User.objects.filter(username=username).exists():
            continue
        user_create(
            username=username,
            password=DEMO_PASSWORD,
            role=role,
            email=f"{username}@example.com",
            first_name=first,
            last_name=last,
            title=title,
        )
        log(f"user {username} ({role})")
    for order, (name, description, goal) in enumerate(STAGES, start=1):
        _, created = Stage.objects.get_or_create(
            slug=slugify(name),
            defaults={
                "name": name,
                "order": order,
                "description": description,
                "exit_goal": goal,
            },
        )
        if created:
            log(f"stage {name}")
