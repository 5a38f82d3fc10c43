"""The demo library: Brightwave's sales content, mapped to the six stages.

Brightwave sells a revenue analytics platform (forecasting, pipeline health, win
rates) to B2B companies; its competitors are Rivalry Inc and Acme Analytics. Every
file is generated here (PDF decks, PowerPoint, Word, PNG) and goes through the
same `version_upload` service as a marketer's upload, so previews and search
work on first start. Idempotent: an asset whose title exists is left alone.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import User
from content.demo import documents as doc
from content.demo.documents import Page
from content.models import Asset, AssetKind, Audience, Stage
from content.services import library as services

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

ASSETS: list[DemoAsset] = [
    # Prospecting -----------------------------------------------------------------
    DemoAsset(
        "Cold email sequence: VP of Revenue",
        AssetKind.EMAIL_TEMPLATE,
        [PROSPECTING],
        "Three short emails for revenue leaders at 200-2,000 employee companies.",
        tags=["outbound", "email"],
        audience=Audience.PARTNERS,
        files=[
            DemoFile(
                "vp-revenue-sequence.md",
                _md(
                    """
# Cold email sequence: VP of Revenue

## Email 1 - subject: forecast calls
Hi {{first_name}}, most revenue leaders I talk to spend Monday defending a
forecast built in a spreadsheet. Brightwave gives you a forecast with a confidence
range, straight from your CRM. Worth 20 minutes to see it on your own pipeline?

## Email 2 - subject: the deals that slip
Northpeak Logistics cut forecast error from 18% to 11% in one quarter. Happy to
show how they spot slipping deals three weeks earlier.

## Email 3 - subject: close the loop
Should I stop reaching out, or is forecasting on your list for next quarter?
"""
                ),
            )
        ],
    ),
    DemoAsset(
        "Cold call opener for revenue leaders",
        AssetKind.CALL_SCRIPT,
        [PROSPECTING],
        "A 30-second opener and three discovery hooks that get a meeting booked.",
        tags=["outbound", "calls"],
        files=[
            DemoFile(
                "cold-call-opener.md",
                _md(
                    """
# Cold call opener

"Hi {{first_name}}, it's {{rep}} from Brightwave. You weren't expecting my call:
can I take 30 seconds to tell you why I called, and you decide if we keep talking?"

Why I called: revenue leaders tell us the forecast call is the worst hour of their
week. We give them a forecast they can defend, built from CRM activity.

Hooks:
- How far off was last quarter's forecast?
- How do you find out a big deal has slipped?
- Who builds the forecast today, and how long does it take?
"""
                ),
            )
        ],
    ),
    DemoAsset(
        "Brightwave in 60 seconds",
        AssetKind.ONE_PAGER,
        [PROSPECTING, DISCOVERY],
        "The one-page overview to attach to a first email or leave after a meeting.",
        tags=["overview"],
        audience=Audience.PARTNERS,
        verified=True,
        files=[
            DemoFile(
                "brightwave-overview.pdf",
                _letter_pdf(
                    [
                        Page(
                            "Brightwave in 60 seconds",
                            [
                                "Brightwave is the revenue analytics platform for "
                                "B2B sales teams that need a forecast they can trust.",
                                "- AI forecast with a confidence range",
                                "- Pipeline health scores that flag risk early",
                                "- Win rates by stage, segment and competitor",
                                "Customers cut forecast error by a third in their "
                                "first quarter and go live in 30 days.",
                            ],
                            kicker="Overview",
                        )
                    ]
                ),
            )
        ],
    ),
    DemoAsset(
        "Prospecting deck: the cost of revenue blind spots",
        AssetKind.DECK,
        [PROSPECTING],
        "Five slides for a first meeting: what a missed forecast costs, and why.",
        tags=["first meeting"],
        files=[
            DemoFile(
                "revenue-blind-spots.pptx",
                _pptx(
                    "The cost of revenue blind spots",
                    [
                        Page(
                            "A missed forecast is expensive",
                            [
                                "Hiring plans built on the wrong number",
                                "Board credibility lost in one quarter",
                                "Reps chasing deals that were never real",
                            ],
                            kicker="Ask: what did last quarter's miss cost you?",
                        ),
                        Page(
                            "Where the blind spots come from",
                            [
                                "CRM fields updated on Friday afternoons",
                                "Deal risk hidden in email threads",
                                "Spreadsheets that only one analyst understands",
                            ],
                        ),
                        Page(
                            "What good looks like",
                            [
                                "A forecast within 5% by week 6 of the quarter",
                                "Every slipping deal flagged with a reason",
                                "Managers coaching on deals, not chasing updates",
                            ],
                        ),
                    ],
                ),
            )
        ],
    ),
    DemoAsset(
        "LinkedIn outreach templates",
        AssetKind.EMAIL_TEMPLATE,
        [PROSPECTING],
        "Connection notes and follow-ups for social selling. Still being tested.",
        tags=["outbound", "social"],
        draft=True,
        files=[
            DemoFile(
                "linkedin-templates.md",
                _md(
                    """
# LinkedIn outreach (draft)

Connection note: "Saw your post on forecast accuracy. We help revenue teams
like yours call the number with confidence. Happy to connect."
"""
                ),
            )
        ],
    ),
    # Discovery ---------------------------------------------------------------------
    DemoAsset(
        "Discovery call script: MEDDICC questions",
        AssetKind.CALL_SCRIPT,
        [DISCOVERY],
        "The questions that qualify a deal: metrics, buyer, criteria, process, pain.",
        tags=["qualification", "MEDDICC"],
        audience=Audience.PARTNERS,
        files=[
            DemoFile(
                "discovery-meddicc.docx",
                _docx(
                    "Discovery call script: MEDDICC",
                    [
                        Page(
                            "Metrics",
                            [
                                "- How accurate was your forecast last quarter?",
                                "- What would a 10% better forecast be worth?",
                            ],
                        ),
                        Page(
                            "Economic buyer and decision criteria",
                            [
                                "- Who signs off on tools for the revenue team?",
                                "- What must be true for you to choose a vendor?",
                            ],
                        ),
                        Page(
                            "Decision process and paper process",
                            [
                                "- Walk me through how you bought your last tool.",
                                "- Who reviews security and legal terms?",
                            ],
                        ),
                        Page(
                            "Identify pain and champion",
                            [
                                "- What happens if nothing changes this year?",
                                "- Who else feels this pain every Monday?",
                            ],
                        ),
                    ],
                ),
            )
        ],
    ),
    DemoAsset(
        "Objection: “We already have dashboards in our CRM”",
        AssetKind.OBJECTION_HANDLER,
        [DISCOVERY, DEMO],
        "When the prospect thinks CRM reports are enough.",
        tags=["objection", "CRM"],
        audience=Audience.PARTNERS,
        card={
            "objection": "We already have dashboards in our CRM; we don't need "
            "another tool.",
            "response": "Dashboards show what reps typed in. Brightwave reads the "
            "activity behind the deals (emails, meetings, stage changes) and tells "
            "you which numbers to believe.\n\nAsk: when did a dashboard last warn "
            "you about a deal before it slipped?",
            "proof_points": "Northpeak Logistics kept their CRM dashboards and cut "
            "forecast error from 18% to 11%\nSetup takes a day; nothing to rebuild",
            "when_to_use": "Discovery, when the prospect's ops team joins the call.",
        },
    ),
    DemoAsset(
        "Objection: “Now is not a good time”",
        AssetKind.OBJECTION_HANDLER,
        [PROSPECTING, DISCOVERY],
        "Timing pushback on a first or second call.",
        tags=["objection", "timing"],
        audience=Audience.PARTNERS,
        card={
            "objection": "This isn't a priority right now. Call me next quarter.",
            "response": "Totally fair. Most teams find the forecast problem at the "
            "end of a quarter, when it's too late to fix. Could we put 20 minutes "
            "in the calendar for week 2 of next quarter, so you start it with a "
            "number you trust?",
            "proof_points": "Customers go live in 30 days on average",
            "when_to_use": "When the prospect agrees there is pain but pushes the "
            "timing.",
        },
    ),
    DemoAsset(
        "Pain-finder worksheet",
        AssetKind.ONE_PAGER,
        [DISCOVERY],
        "Fill it in with the champion to put numbers on forecast pain.",
        tags=["worksheet", "business case"],
        files=[
            DemoFile(
                "pain-finder.docx",
                _docx(
                    "Pain-finder worksheet",
                    [
                        Page(
                            "Forecast accuracy",
                            [
                                "Last quarter's forecast: ____  Actual: ____",
                                "Cost of a 10% miss (hiring, spend): ____",
                            ],
                        ),
                        Page(
                            "Time spent",
                            [
                                "Hours a week managers spend on forecast calls: ____",
                                "Hours a week analysts spend on spreadsheets: ____",
                            ],
                        ),
                    ],
                ),
            )
        ],
    ),
    DemoAsset(
        "Competitive brief: Acme Analytics",
        AssetKind.COMPETITIVE_BRIEF,
        [DISCOVERY, DEMO],
        "Who Acme Analytics is, where they win, and how their pricing works.",
        tags=["competitive", "Acme Analytics"],
        review_in_days=-3,
        files=[
            DemoFile(
                "acme-analytics-brief.pdf",
                _letter_pdf(
                    [
                        Page(
                            "Acme Analytics at a glance",
                            [
                                "Founded 2014, about 900 customers, strong in "
                                "manufacturing and mid-market.",
                                "- BI-style dashboards on top of the CRM",
                                "- Sold per analyst seat, not per rep",
                                "- Professional services for every rollout",
                            ],
                            kicker="Competitive brief",
                        ),
                        Page(
                            "Where they win and where they lose",
                            [
                                "- Win: teams with a data analyst who wants SQL",
                                "- Lose: revenue leaders who want a forecast, not a "
                                "BI project",
                                "- Lose: fast rollouts; theirs take 3-6 months",
                            ],
                        ),
                        Page(
                            "Pricing intelligence",
                            [
                                "- List: $90k a year for 5 analyst seats",
                                "- Services: typically $40k for the rollout",
                                "- Discounts up to 30% at quarter end",
                            ],
                        ),
                    ],
                    accent=doc.AMBER,
                ),
            )
        ],
    ),
    # Demo ---------------------------------------------------------------------------
    DemoAsset(
        "Product demo deck 2025",
        AssetKind.DECK,
        [DEMO],
        "The standard demo storyline: forecast, deal inspection, win rates.",
        tags=["demo", "flagship"],
        audience=Audience.PARTNERS,
        verified=True,
        files=[
            DemoFile(
                "brightwave-demo-2025.pptx",
                _pptx("Brightwave product demo", DEMO_DECK_SLIDES[:3]),
                "First version for the 2025 launch",
            ),
            DemoFile(
                "brightwave-demo-2025-v2.pptx",
                _pptx("Brightwave product demo", DEMO_DECK_SLIDES),
                "Added total cost of ownership and customer slides",
            ),
        ],
    ),
    DemoAsset(
        "Forecasting demo video: storyboard",
        AssetKind.VIDEO,
        [DEMO],
        "The 3-minute forecasting demo, frame by frame, for reps who record "
        "their own walkthrough.",
        tags=["demo", "video"],
        files=[
            DemoFile(
                "forecast-demo-storyboard.png",
                _png(
                    "Forecasting demo in 3 minutes",
                    [
                        "0:00 The CRO's Monday question",
                        "0:40 Forecast roll-up with confidence range",
                        "1:50 The deal that is slipping, and why",
                        "2:40 Call to action: a trial on your data",
                    ],
                    bars=(2, 4, 6, 9),
                    accent=doc.PURPLE,
                ),
            )
        ],
    ),
    DemoAsset(
        "Battle card: Rivalry Inc",
        AssetKind.BATTLE_CARD,
        [DEMO, PROPOSAL],
        "How to beat Rivalry Inc on time to value and total cost.",
        tags=["competitive", "Rivalry Inc"],
        verified=True,
        card={
            "competitor": "Rivalry Inc",
            "their_strengths": "Well-known brand with big enterprise logos\n"
            "Cheap entry tier for small teams\nLarge partner ecosystem",
            "their_weaknesses": "Forecasting is an add-on, sold separately\n"
            "SSO and audit logs only in the enterprise tier\n"
            "Rollouts take 4-6 months with their services team",
            "landmines": "Ask how they price API calls beyond the included quota\n"
            "Ask to see the forecast on the prospect's own data in the trial\n"
            "Ask what happens to dashboards when the CRM changes fields",
            "how_we_win": "Live in 30 days with a forecast on their own data\n"
            "One price per seat, forecasting and integrations included\n"
            "Show deal inspection: Rivalry has no equivalent",
            "proof_points": "Northpeak Logistics switched from Rivalry Inc in six "
            "weeks\nLumen Health: 9 hours a week back per manager\n"
            "Total cost of ownership 40% lower over three years",
        },
        files=[
            DemoFile(
                "rivalry-inc-comparison.pdf",
                _deck_pdf(
                    "Brightwave vs Rivalry Inc",
                    [
                        Page(
                            "Side by side",
                            [
                                "- Forecasting: included vs paid add-on",
                                "- Time to live: 30 days vs 4-6 months",
                                "- SSO: every plan vs enterprise only",
                            ],
                        ),
                        Page(
                            "Three-year total cost of ownership",
                            [
                                "- Brightwave: $180k, services included",
                                "- Rivalry Inc: $300k with forecasting and services",
                            ],
                        ),
                    ],
                    accent=doc.RED,
                ),
            )
        ],
    ),
    DemoAsset(
        "Battle card: Acme Analytics",
        AssetKind.BATTLE_CARD,
        [DISCOVERY, DEMO],
        "Acme sells BI dashboards; we sell a forecast. Here is how to show it.",
        tags=["competitive", "Acme Analytics"],
        audience=Audience.PARTNERS,
        card={
            "competitor": "Acme Analytics",
            "their_strengths": "Flexible dashboards that analysts love\n"
            "SQL access for data teams\nStrong in manufacturing",
            "their_weaknesses": "No forecast model: customers build their own\n"
            "Every rollout needs paid professional services\n"
            "Priced per analyst, so reps rarely see it",
            "landmines": "Ask who will maintain the forecast model after go-live\n"
            "Ask how many reps will actually open it each week",
            "how_we_win": "Lead with the forecast on their data in week one\n"
            "Bring the CRO into the demo, not only the analyst\n"
            "Price the services Acme needs into the comparison",
            "proof_points": "Orbit Retail chose Brightwave after a 4-week bake-off "
            "against Acme Analytics\n600 Orbit reps use Brightwave weekly",
        },
    ),
    DemoAsset(
        "Demo environment checklist",
        AssetKind.ONE_PAGER,
        [DEMO],
        "What to check before a live demo so nothing breaks in front of the buyer.",
        tags=["demo", "checklist"],
        review_in_days=6,
        files=[
            DemoFile(
                "demo-checklist.pdf",
                _letter_pdf(
                    [
                        Page(
                            "Before every live demo",
                            [
                                "- Refresh the demo tenant data the day before",
                                "- Load the prospect's logo and segment names",
                                "- Check the forecast view loads in under 3 seconds",
                                "- Have the recorded backup ready in a tab",
                            ],
                            kicker="Checklist",
                        )
                    ],
                    accent=doc.GREEN,
                ),
            )
        ],
    ),
    DemoAsset(
        "Integration architecture diagram",
        AssetKind.ONE_PAGER,
        [DEMO, PROPOSAL],
        "How Brightwave connects to CRM, email and calendar, for technical buyers.",
        tags=["technical", "integrations"],
        files=[
            DemoFile(
                "integration-architecture.png",
                _png(
                    "How Brightwave connects",
                    [
                        "CRM (Salesforce, HubSpot) - read-only API sync every 15 min",
                        "Email and calendar - activity metadata, never message bodies",
                        "SSO (SAML, OIDC) on every plan",
                        "Data stays in the EU or US region you choose",
                    ],
                ),
            )
        ],
    ),
    # Proposal & negotiation ---------------------------------------------------------
    DemoAsset(
        "Objection: “You're more expensive than Rivalry Inc”",
        AssetKind.OBJECTION_HANDLER,
        [PROPOSAL],
        "Price pushback when Rivalry Inc's entry tier is on the table.",
        tags=["objection", "pricing", "Rivalry Inc"],
        card={
            "objection": "Rivalry Inc quoted us 30% less. Why should we pay more?",
            "response": "Let's compare like for like. Rivalry's quote leaves out "
            "forecasting (an add-on) and the services to roll it out. Over three "
            "years our total cost of ownership is about 40% lower.\n\nOffer to "
            "build the comparison with the buyer's own numbers.",
            "proof_points": "Three-year TCO: $180k vs $300k\nNorthpeak Logistics "
            "switched from Rivalry Inc in six weeks",
            "when_to_use": "Proposal and negotiation, once a competing quote is "
            "mentioned.",
        },
        files=[
            DemoFile(
                "tco-comparison.pdf",
                _letter_pdf(
                    [
                        Page(
                            "Three-year total cost of ownership",
                            [
                                "- Brightwave: licences $165k, services $15k",
                                "- Rivalry Inc: licences $180k, forecasting add-on "
                                "$60k, services $60k",
                                "Assumes 100 reps, list prices, 2025.",
                            ],
                            kicker="TCO",
                        )
                    ]
                ),
            )
        ],
    ),
    DemoAsset(
        "Objection: “We need a discount to sign this quarter”",
        AssetKind.OBJECTION_HANDLER,
        [PROPOSAL, CLOSING],
        "Trading, not giving: what to ask for in return for a discount.",
        tags=["objection", "negotiation"],
        card={
            "objection": "If you can do 25% off, we'll sign by the end of the month.",
            "response": "We can look at the price if we can look at the terms. "
            "What we can offer in exchange for a two-year term or a case study is "
            "a 10% reduction; anything beyond that needs the deal desk.",
            "proof_points": "Average discount on closed-won deals last year: 9%",
            "when_to_use": "Late in negotiation, when procurement asks for a "
            "quarter-end discount.",
        },
    ),
    DemoAsset(
        "ROI and total cost of ownership deck",
        AssetKind.DECK,
        [PROPOSAL, CLOSING],
        "Build the business case with the champion: ROI, payback and three-year "
        "total cost.",
        tags=["business case", "ROI", "pricing"],
        files=[
            DemoFile(
                "roi-and-tco.pptx",
                _pptx(
                    "ROI and total cost of ownership",
                    [
                        Page(
                            "Where the return comes from",
                            [
                                "Forecast accuracy: fewer hiring and spend mistakes",
                                "Manager time: 9 hours a week back",
                                "Win rate: +4 points from earlier risk alerts",
                            ],
                        ),
                        Page(
                            "Total cost of ownership over three years",
                            [
                                "Licences, services and admin time included",
                                "40% below building it in-house",
                                "Payback in under 7 months",
                            ],
                        ),
                    ],
                    accent=doc.GREEN,
                ),
            )
        ],
    ),
    DemoAsset(
        "Pricing and packaging one-pager",
        AssetKind.ONE_PAGER,
        [PROPOSAL],
        "Plans, what each includes, and list prices for 2025.",
        tags=["pricing"],
        audience=Audience.PARTNERS,
        review_in_days=-12,
        files=[
            DemoFile(
                "pricing-2025.pdf",
                _letter_pdf(
                    [
                        Page(
                            "Plans and pricing 2025",
                            [
                                "- Team: $49 per seat a month, forecast and pipeline",
                                "- Business: $79 per seat a month, adds deal "
                                "inspection and win rates",
                                "- Enterprise: custom, adds data residency and "
                                "premium support",
                                "SSO and every integration are included in all plans.",
                            ],
                            kicker="Pricing",
                        )
                    ]
                ),
            )
        ],
    ),
    DemoAsset(
        "Security and compliance overview",
        AssetKind.ONE_PAGER,
        [PROPOSAL, CLOSING],
        "SOC 2 Type II, GDPR, data residency and SSO: answers for the security review.",
        tags=["security", "compliance"],
        files=[
            DemoFile(
                "security-overview.pdf",
                _letter_pdf(
                    [
                        Page(
                            "Security at Brightwave",
                            [
                                "- SOC 2 Type II audited every year",
                                "- GDPR: EU data residency available",
                                "- SSO with SAML or OIDC on every plan",
                                "- Encryption in transit and at rest",
                            ],
                            kicker="Security",
                        ),
                        Page(
                            "What we read from your systems",
                            [
                                "- CRM objects: accounts, opportunities, activities",
                                "- Email and calendar metadata only, never bodies",
                                "- Read-only access; nothing is written back",
                            ],
                        ),
                    ],
                    accent=doc.INK,
                ),
            )
        ],
    ),
    DemoAsset(
        "Case study: Northpeak Logistics cuts forecast error by a third",
        AssetKind.CASE_STUDY,
        [PROPOSAL, CLOSING],
        "A 300-rep logistics company switched from Rivalry Inc and went from 18% "
        "to 11% forecast error.",
        tags=["case study", "logistics", "Rivalry Inc"],
        files=[
            DemoFile(
                "northpeak-case-study.pdf",
                _letter_pdf(
                    [
                        Page(
                            "Northpeak Logistics",
                            [
                                "Challenge: a forecast built in spreadsheets, 18% "
                                "off on average, and a board losing patience.",
                                "Solution: Brightwave live in six weeks, replacing "
                                "Rivalry Inc's dashboards.",
                                "Result: forecast error down to 11% in one quarter.",
                            ],
                            kicker="Case study",
                        ),
                        Page(
                            "In their words",
                            [
                                '"For the first time I walk into the board meeting '
                                'with a number I can defend." - CRO, Northpeak',
                            ],
                        ),
                    ],
                    accent=doc.GREEN,
                ),
            )
        ],
    ),
    DemoAsset(
        "Case study: Lumen Health gives managers 9 hours a week back",
        AssetKind.CASE_STUDY,
        [DEMO, PROPOSAL],
        "Healthcare SaaS, 120 reps: forecast calls went from 2 hours to 20 minutes.",
        tags=["case study", "healthcare"],
        audience=Audience.PARTNERS,
        files=[
            DemoFile(
                "lumen-health-case-study.docx",
                _docx(
                    "Lumen Health",
                    [
                        Page(
                            "Challenge",
                            [
                                "Managers spent Mondays chasing reps for updates.",
                            ],
                        ),
                        Page(
                            "Result",
                            [
                                "- Forecast call from 2 hours to 20 minutes",
                                "- 9 hours a week back for every manager",
                                "- Win rate up 4 points in two quarters",
                            ],
                        ),
                    ],
                ),
            )
        ],
    ),
    # Closing --------------------------------------------------------------------------
    DemoAsset(
        "Mutual close plan template",
        AssetKind.ONE_PAGER,
        [CLOSING],
        "Agree the steps to signature with the champion, with dates and owners.",
        tags=["close plan"],
        audience=Audience.PARTNERS,
        files=[
            DemoFile(
                "mutual-close-plan.docx",
                _docx(
                    "Mutual close plan",
                    [
                        Page(
                            "Steps to go live",
                            [
                                "- Security review complete - owner: IT - date: ___",
                                "- Legal redlines agreed - owner: Legal - date: ___",
                                "- Order form signed - owner: CFO - date: ___",
                                "- Kickoff call - owner: Brightwave CSM - date: ___",
                            ],
                        )
                    ],
                ),
            )
        ],
    ),
    DemoAsset(
        "Executive sponsor email: final approval",
        AssetKind.EMAIL_TEMPLATE,
        [CLOSING],
        "A short note from our executive sponsor to theirs, to unblock signature.",
        tags=["email", "executive"],
        files=[
            DemoFile(
                "exec-sponsor-email.md",
                _md(
                    """
# Executive sponsor email

Subject: Brightwave and {{company}}: next step

Hi {{exec_name}}, your team has run a thorough evaluation and we are ready to
start. I'll personally sponsor your rollout; you will have a forecast on your own
data within 30 days. Is anything still standing between us and a signature?
"""
                ),
            )
        ],
    ),
    DemoAsset(
        "Closing call script: procurement",
        AssetKind.CALL_SCRIPT,
        [CLOSING],
        "What to say when procurement joins the deal in the last week.",
        tags=["procurement", "calls"],
        files=[
            DemoFile(
                "procurement-call.md",
                _md(
                    """
# Procurement call

1. Confirm the timeline and the paper process.
2. Trade, don't give: any discount needs a longer term or a reference.
3. Repeat the business case in numbers: payback in under 7 months.
"""
                ),
            )
        ],
    ),
    DemoAsset(
        "Battle card: spreadsheets and the status quo",
        AssetKind.BATTLE_CARD,
        [DISCOVERY, CLOSING],
        "The most common competitor is doing nothing. How to make the status quo "
        "feel risky.",
        tags=["competitive", "status quo"],
        card={
            "competitor": "Spreadsheets (status quo)",
            "their_strengths": "Free and familiar\nFully flexible\nNo change "
            "management",
            "their_weaknesses": "One analyst knows how it works\nAlways a week "
            "out of date\nNo warning before deals slip",
            "landmines": "Ask what happens when the analyst who owns the sheet is "
            "on holiday\nAsk how long the Monday forecast call takes",
            "how_we_win": "Quantify the cost of last quarter's miss\nShow the "
            "forecast on their data in a trial\nMake the analyst the champion",
            "proof_points": "Lumen Health replaced a 40-tab spreadsheet in 30 days",
        },
    ),
    # Onboarding & expansion ---------------------------------------------------------
    DemoAsset(
        "Customer onboarding kickoff deck",
        AssetKind.DECK,
        [ONBOARDING],
        "The kickoff meeting: goals, timeline, owners and the first 30 days.",
        tags=["onboarding", "kickoff"],
        audience=Audience.PARTNERS,
        files=[
            DemoFile(
                "onboarding-kickoff.pptx",
                _pptx(
                    "Welcome to Brightwave",
                    [
                        Page(
                            "Your first 30 days",
                            [
                                "Week 1: connect the CRM, calendar and email",
                                "Week 2: forecast categories and teams",
                                "Week 3: manager training",
                                "Week 4: first forecast call in Brightwave",
                            ],
                        ),
                        Page(
                            "Who does what",
                            [
                                "Your admin: CRM access and SSO",
                                "Your CSM: configuration and training",
                                "Your sponsor: the first forecast review",
                            ],
                        ),
                    ],
                    accent=doc.GREEN,
                ),
            )
        ],
    ),
    DemoAsset(
        "Expansion playbook: from one team to the whole company",
        AssetKind.ONE_PAGER,
        [ONBOARDING],
        "Signals that an account is ready to expand, and the pitch for each.",
        tags=["expansion", "upsell"],
        files=[
            DemoFile(
                "expansion-playbook.pdf",
                _letter_pdf(
                    [
                        Page(
                            "Expansion signals",
                            [
                                "- Weekly active managers above 80%",
                                "- A second region asks for access",
                                "- The CFO starts using the forecast view",
                            ],
                            kicker="Playbook",
                        ),
                        Page(
                            "The pitch",
                            [
                                "- Business plan for deal inspection and win rates",
                                "- Enterprise for data residency and premium support",
                            ],
                        ),
                    ]
                ),
            )
        ],
    ),
    DemoAsset(
        "Case study: Orbit Retail grows from 40 to 600 seats",
        AssetKind.CASE_STUDY,
        [ONBOARDING, PROPOSAL],
        "Started with one sales team, rolled out company-wide within a year.",
        tags=["case study", "retail", "expansion", "Acme Analytics"],
        files=[
            DemoFile(
                "orbit-retail-case-study.pdf",
                _letter_pdf(
                    [
                        Page(
                            "Orbit Retail",
                            [
                                "Orbit chose Brightwave over Acme Analytics after a "
                                "four-week bake-off.",
                                "- Started with 40 seats in one region",
                                "- 600 seats across four regions within a year",
                                "- Forecast within 4% by week 6 of each quarter",
                            ],
                            kicker="Case study",
                        )
                    ],
                    accent=doc.GREEN,
                ),
            )
        ],
    ),
    DemoAsset(
        "Quarterly business review email",
        AssetKind.EMAIL_TEMPLATE,
        [ONBOARDING],
        "Invite the customer's sponsor to a QBR with their own results.",
        tags=["QBR", "email"],
        files=[
            DemoFile(
                "qbr-invite.md",
                _md(
                    """
# QBR invitation

Subject: Your quarter in Brightwave

Hi {{sponsor}}, your forecast landed within {{accuracy}}% this quarter. Let's
spend 45 minutes on what worked, what's next, and where the other teams stand.
"""
                ),
            )
        ],
    ),
    DemoAsset(
        "Renewal risk call script",
        AssetKind.CALL_SCRIPT,
        [ONBOARDING],
        "For accounts with falling usage 90 days before renewal. Being rewritten.",
        tags=["renewal", "calls"],
        draft=True,
        files=[
            DemoFile(
                "renewal-risk-call.docx",
                _docx(
                    "Renewal risk call",
                    [Page("Opening", ["- Share the usage trend before asking why."])],
                ),
            )
        ],
    ),
    DemoAsset(
        "Objection: “We'll build it in-house”",
        AssetKind.OBJECTION_HANDLER,
        [PROPOSAL],
        "When the data team offers to build a forecast themselves.",
        tags=["objection", "build vs buy"],
        draft=True,
        card={
            "objection": "Our data team can build this in a quarter.",
            "when_to_use": "When a technical buyer pushes build over buy.",
        },
    ),
    DemoAsset(
        "Competitive brief: Rivalry Inc",
        AssetKind.COMPETITIVE_BRIEF,
        [DEMO, PROPOSAL],
        "Rivalry Inc's packaging, pricing and roadmap, updated for 2025.",
        tags=["competitive", "Rivalry Inc"],
        files=[
            DemoFile(
                "rivalry-inc-brief.pdf",
                _letter_pdf(
                    [
                        Page(
                            "Rivalry Inc at a glance",
                            [
                                "- About 2,500 customers, strong in enterprise",
                                "- Forecasting sold as a separate add-on",
                                "- New AI assistant announced, not yet shipped",
                            ],
                            kicker="Competitive brief",
                        ),
                        Page(
                            "Packaging and price",
                            [
                                "- Starter: $35 per seat, dashboards only",
                                "- Enterprise: $95 per seat plus forecasting add-on",
                            ],
                        ),
                    ],
                    accent=doc.RED,
                ),
            )
        ],
    ),
    # Retired: replaced by the 2025 deck ---------------------------------------------
    DemoAsset(
        "Product demo deck 2024",
        AssetKind.DECK,
        [DEMO],
        "Last year's demo storyline.",
        tags=["demo"],
        files=[
            DemoFile(
                "brightwave-demo-2024.pdf",
                _deck_pdf(
                    "Brightwave product demo 2024",
                    [Page("Dashboards", ["- Pipeline dashboards", "- Weekly email"])],
                ),
            )
        ],
        retire=(
            "Replaced by the 2025 storyline; the old pricing slide is wrong.",
            "Product demo deck 2025",
        ),
    ),
]


def _upload(demo_file: DemoFile) -> SimpleUploadedFile:
    return SimpleUploadedFile(demo_file.name, demo_file.make())


def seed(log: Callable[[str], None]) -> None:
    marketer = User.objects.filter(username="marketer").first()
    if marketer is None:
        return
    stages = {stage.slug: stage for stage in Stage.objects.all()}
    existing = set(Asset.objects.values_list("title", flat=True))
    created: dict[str, Asset] = {}
    for spec in ASSETS:
        if spec.title in existing:
            continue
        created[spec.title] = _create(spec, marketer=marketer, stages=stages)
        log(f"asset {spec.title}")
    # Retire after everything exists, so the replacement can be pointed at.
    for spec in ASSETS:
        if spec.retire and spec.title in created:
            reason, replacement_title = spec.retire
            services.asset_retire(
                actor=marketer,
                asset=created[spec.title],
                reason=reason,
                replaced_by=Asset.objects.filter(title=replacement_title).first(),
            )


def _create(spec: DemoAsset, *, marketer: User, stages: dict[str, Stage]) -> Asset:
    first, *later = spec.files or [None]
    asset = services.asset_create(
        actor=marketer,
        kind=spec.kind,
        title=spec.title,
        summary=spec.summary,
        stages=[stages[slug] for slug in spec.stages if slug in stages],
        tags=spec.tags,
        audience=spec.audience,
        file=_upload(first) if first else None,
        change_note=first.note if first else "",
        **spec.card,
    )
    for demo_file in later:
        services.version_upload(
            actor=marketer,
            asset=asset,
            file=_upload(demo_file),
            change_note=demo_file.note,
        )
    if spec.draft:
        return asset
    services.asset_publish(actor=marketer, asset=asset)
    if spec.verified:
        services.asset_verify(actor=marketer, asset=asset)
    if spec.review_in_days is not None:
        # Demo time travel: this one has been waiting for its review.
        review_by = timezone.localdate() + datetime.timedelta(days=spec.review_in_days)
        Asset.objects.filter(pk=asset.pk).update(review_by=review_by)
        asset.review_by = review_by
    return asset
