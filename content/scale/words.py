"""The words seeded assets, deals and ratings are made of."""

from content.models import AssetKind

COMPETITORS = (
    "Acme Globex Initech Umbrella Hooli Vandelay Stark Cyberdyne Soylent Tyrell "
    "Wonka Aperture Oscorp Nakatomi Monarch Dunder Gekko Prestige Sirius Virtucon"
).split()
# Each asset is about one topic: a search for a topic matches ~1/20 of the library.
TOPICS = (
    "pricing security onboarding integration compliance renewal ROI migration "
    "analytics support implementation procurement scalability reporting automation "
    "forecasting adoption budget expansion uptime"
).split()
INDUSTRIES = [
    "healthcare", "manufacturing", "retail", "financial services", "public sector",
    "education", "logistics", "energy", "telecom", "media",
]  # fmt: skip
SEGMENTS = ["SMB", "mid-market", "enterprise"]
REGIONS = ["EMEA", "NA", "APAC", "LATAM"]
TAG_NAMES = (
    "competitive pricing security enterprise smb partner-ready new-messaging "
    "q3-launch customer-proof technical executive renewals upsell healthcare finance "
    "retail manufacturing public-sector integration compliance roi analytics mobile "
    "api onboarding migration support emea apac americas"
).split()
FIRST = "Avery Blake Casey Devon Emery Finley Harper Jamie Kai Logan Noa Quinn".split()
LAST = "Adams Baker Cruz Diaz Evans Fox Gray Hill Ito Jones Khan Lopez Moss".split()
ACCOUNT_WORDS = "Blue North Bright Iron Silver Green Summit River Stone Harbor".split()
ACCOUNT_SUFFIX = "Systems Health Logistics Foods Bank Energy Labs Retail Media".split()
COMMENTS = [
    "Used this on a call today, the prospect loved the proof points.",
    "Numbers are out of date, please refresh.",
    "Great for the first meeting.",
    "Too long for a busy buyer; a one-page version would help.",
    "Handled the objection perfectly.",
    "The competitor changed their pricing, this needs an update.",
]
KIND_WEIGHTS = {
    AssetKind.BATTLE_CARD: 15,
    AssetKind.OBJECTION_HANDLER: 12,
    AssetKind.DECK: 15,
    AssetKind.CASE_STUDY: 12,
    AssetKind.ONE_PAGER: 12,
    AssetKind.EMAIL_TEMPLATE: 10,
    AssetKind.CALL_SCRIPT: 8,
    AssetKind.COMPETITIVE_BRIEF: 8,
    AssetKind.VIDEO: 8,
}


def extracted_text(topic: str, industry: str) -> str:
    return (
        f"{topic.capitalize()} matters to every buyer. Our platform answers {topic} "
        f"questions with proof from customers in {industry}: faster rollouts, fewer "
        f"surprises and a clear path to value. Ask about {topic} early and tie it "
        "to the business case."
    )
