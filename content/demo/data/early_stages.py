"""Demo assets of the first stages: prospecting, discovery and the demo."""

from __future__ import annotations

from content.demo import documents as doc
from content.demo.data.specs import (
    DEMO,
    DEMO_DECK_SLIDES,
    DISCOVERY,
    PROPOSAL,
    PROSPECTING,
    DemoAsset,
    DemoFile,
    _deck_pdf,
    _docx,
    _letter_pdf,
    _md,
    _png,
    _pptx,
)
from content.demo.documents import Page
from content.models import AssetKind, Audience

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
]
