"""Demo assets of the later stages: proposal, closing, onboarding; the retired deck."""

from __future__ import annotations

from content.demo import documents as doc
from content.demo.data.specs import (
    CLOSING,
    DEMO,
    DISCOVERY,
    ONBOARDING,
    PROPOSAL,
    DemoAsset,
    DemoFile,
    _deck_pdf,
    _docx,
    _letter_pdf,
    _md,
    _pptx,
)
from content.demo.documents import Page
from content.models import AssetKind, Audience

ASSETS: list[DemoAsset] = [
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
