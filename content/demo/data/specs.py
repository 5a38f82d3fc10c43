"""What a demo asset is (DemoAsset, DemoFile), the stage slugs and the file makers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from content.demo import documents as doc
from content.demo.documents import Page
from content.models import Audience

PROSPECTING = "prospecting"
DISCOVERY = "discovery"
DEMO = "demo"
PROPOSAL = "proposal-negotiation"
CLOSING = "closing"
ONBOARDING = "onboarding-expansion"
LETTER = (612, 792)


@dataclass
class DemoFile:
    name: str
    make: Callable[[], bytes]
    note: str = ""


@dataclass
class DemoAsset:
    title: str
    kind: str
    stages: list[str]
    summary: str
    tags: list[str] = field(default_factory=list)
    audience: str = Audience.INTERNAL
    files: list[DemoFile] = field(default_factory=list)
    card: dict[str, str] = field(default_factory=dict)
    draft: bool = False
    review_in_days: int | None = None  # backdate or bring forward the review date
    verified: bool = False
    retire: tuple[str, str] | None = None  # (reason, title of the replacement)


def _md(text: str) -> Callable[[], bytes]:
    return lambda: text.strip().encode() + b"\n"


def _deck_pdf(title: str, slides: list[Page], accent=doc.BLUE) -> Callable[[], bytes]:
    cover = Page(
        title, ["Brightwave revenue analytics"], kicker="Brightwave", cover=True
    )
    return lambda: doc.pdf_document([cover, *slides], accent=accent)


def _letter_pdf(pages: list[Page], accent=doc.BLUE) -> Callable[[], bytes]:
    return lambda: doc.pdf_document(pages, size=LETTER, accent=accent)


def _pptx(title: str, slides: list[Page], accent=doc.BLUE) -> Callable[[], bytes]:
    cover = Page(title, kicker="Brightwave · revenue analytics")
    return lambda: doc.pptx_document([cover, *slides], accent=accent)


def _docx(title: str, sections: list[Page]) -> Callable[[], bytes]:
    return lambda: doc.docx_document(title, sections)


def _png(title: str, lines: list[str], bars=(), accent=doc.BLUE) -> Callable[[], bytes]:
    return lambda: doc.png_image(title, lines, bars=bars, accent=accent)


DEMO_DECK_SLIDES = [
    Page(
        "The problem",
        [
            "- Forecasts live in spreadsheets and miss by 20% or more",
            "- Pipeline reviews argue about data instead of deals",
            "- Leaders learn about slipped deals after the quarter",
        ],
        kicker="Why revenue teams switch",
    ),
    Page(
        "Brightwave in one picture",
        [
            "- Connects to your CRM, calendar and email in a day",
            "- AI forecast with a confidence range, by team and segment",
            "- Pipeline health scores that flag risk weeks earlier",
        ],
    ),
    Page(
        "Live demo flow",
        [
            "- 1. Forecast roll-up for the CRO",
            "- 2. Deal inspection: what changed this week",
            "- 3. Win-rate by stage and by competitor",
        ],
    ),
    Page(
        "Total cost of ownership",
        [
            "- No data team required: total cost of ownership 40% below building it",
            "- Live in 30 days, not two quarters",
            "- One price per seat, integrations included",
        ],
    ),
    Page(
        "Customers",
        [
            "- Northpeak Logistics: forecast error down from 18% to 11%",
            "- Lumen Health: 9 hours a week back for every manager",
            "- Orbit Retail: from 40 to 600 seats in a year",
        ],
    ),
]
