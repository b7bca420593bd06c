"""The demo events that `flask seed-demo` loads: webinars, workshops, convenings, office
hours and cohort sessions over the eight practice areas, some coming up and some past.

Every word is invented for this demo. The cities are real places to meet in; the venues
are described, never named, and links point at example.org. Dates are relative to the
day of seeding: `weeks` from today (negative for the past), then the first `weekday`
(0 is Monday) on or after that day, at a wall-clock time in the event's own time zone."""

from dataclasses import dataclass
from datetime import time

from wwc_community.discussions.demo_threads import (
    BUDGETING,
    CONTRACTING,
    DATA_GOVERNANCE,
    ENGAGEMENT,
    EVALUATIONS,
    LEADERSHIP,
    OPEN_DATA,
    PERFORMANCE,
)
from wwc_community.events.models import EventType, QuestionKind

NEW_YORK = "America/New_York"
CHICAGO = "America/Chicago"
DENVER = "America/Denver"
LOS_ANGELES = "America/Los_Angeles"


@dataclass(frozen=True)
class DemoQuestion:
    kind: str
    prompt: str
    required: bool = False
    choices: tuple[str, ...] = ()
    # What registrants answer to a text question, taken in turn.
    answers: tuple[str, ...] = ()


@dataclass(frozen=True)
class DemoEvent:
    title: str
    event_type: str
    topics: tuple[str, ...]
    weeks: int
    weekday: int
    starts: time
    ends: time
    time_zone: str
    capacity: int
    # How many demo members register; those beyond the capacity join the waitlist.
    registrants: int
    description: str
    is_public: bool = False
    location: str = ""  # empty: online
    # Hosts: a demo account's display name, or "org:<slug>" / "city:<slug>" for the
    # first demo member of that organisation or city.
    hosts: tuple[str, ...] = ()
    questions: tuple[DemoQuestion, ...] = ()
    # Past events: how many confirmed registrants came.
    attended: int = 0
    # The demo practitioner (Pat) registers "first" (a seat) or "last" (in line).
    practitioner: str = ""


DEMO_EVENTS = (
    # Coming up ----------------------------------------------------------------------------
    DemoEvent(
        title="Building a data inventory your departments will keep up to date",
        event_type=EventType.WEBINAR,
        topics=(DATA_GOVERNANCE,),
        weeks=2,
        weekday=1,
        starts=time(13, 0),
        ends=time(14, 0),
        time_zone=NEW_YORK,
        capacity=300,
        registrants=34,
        is_public=True,
        hosts=("org:open-data-collaborative",),
        practitioner="first",
        description="""\
Most cities have tried to list their datasets at least once. The list is usually out of
date within a year, because nobody's job includes keeping it current.

This webinar walks through a lighter approach: a short inventory form that lives with
each department's data steward, a quarterly reminder, and a review that takes an hour
rather than a week. We will cover:

- the eight fields worth collecting, and the twenty that are not;
- how to name stewards without creating a new position;
- what to do with the systems nobody will admit to owning.

Bring your current inventory, however rough. There will be twenty minutes for questions.""",
    ),
    DemoEvent(
        title="Writing outcome-based scopes of work: a drafting workshop",
        event_type=EventType.WORKSHOP,
        topics=(CONTRACTING,),
        weeks=5,
        weekday=3,
        starts=time(9, 0),
        ends=time(15, 30),
        time_zone=DENVER,
        capacity=24,
        registrants=28,
        location="Denver, CO (downtown conference center, room details sent to registrants)",
        hosts=("org:results-procurement-institute", "city:denver-co"),
        practitioner="last",
        questions=(
            DemoQuestion(
                QuestionKind.SHORT_TEXT,
                "Which contract or solicitation will you bring to work on?",
                required=True,
                answers=(
                    "Workforce training contract up for renewal next spring",
                    "Homeless outreach services RFP",
                    "Street tree maintenance",
                    "Youth summer jobs program",
                    "Senior meal delivery",
                    "Janitorial services for city buildings",
                    "Small business technical assistance grants",
                ),
            ),
            DemoQuestion(
                QuestionKind.ONE_CHOICE,
                "What is your role in the procurement?",
                required=True,
                choices=("Program staff", "Procurement or purchasing", "Legal", "Budget office"),
            ),
        ),
        description="""\
A full day for program and procurement staff to rewrite a real scope of work so that it
pays for results instead of activities. Come with a contract you expect to bid in the
next year; you will leave with a draft you can take back to your team.

In the morning we define two or three outcomes a vendor can actually influence and
agree how each will be measured. In the afternoon we turn those into contract language,
reporting requirements and a payment schedule, and test them against the questions your
legal team will ask.

Seats are limited so every table gets a coach. Lunch is provided.""",
    ),
    DemoEvent(
        title="Evaluation office hours: finding a fair comparison group",
        event_type=EventType.OFFICE_HOURS,
        topics=(EVALUATIONS,),
        weeks=3,
        weekday=2,
        starts=time(11, 0),
        ends=time(12, 0),
        time_zone=CHICAGO,
        capacity=8,
        registrants=11,
        hosts=("Priya Partner",),
        practitioner="first",
        questions=(
            DemoQuestion(
                QuestionKind.LONG_TEXT,
                "Tell us about the program and what you want to learn from it.",
                required=True,
                answers=(
                    "We expanded a home repair grant to two new neighborhoods and want to "
                    "know whether it reduced code violations compared with similar blocks.",
                    "Our library started text reminders for overdue items. Returns went up, "
                    "but so did everything else that season.",
                    "A pilot that sends a caseworker with police on mental health calls. "
                    "We only run it on weekdays and wonder if weekends can be our comparison.",
                    "Summer youth employment. More applicants than slots, so we may be able "
                    "to use the lottery.",
                    "Free transit passes for community college students. Enrollment data "
                    "is held by the college, not by us.",
                ),
            ),
        ),
        description="""\
An hour with the Civic Evidence Lab for members who are planning an evaluation and are
stuck on the same question: compared with what?

Each registered city gets about ten minutes to describe a program, and we work through
the options together: waitlists and lotteries, staggered rollouts, neighboring areas,
and what to do when none of those fit. Others listen in, which is often where the best
ideas come from.

Tell us about your program when you register, so we can order the conversation.""",
    ),
    DemoEvent(
        title="Heartland Performance Convening",
        event_type=EventType.CONVENING,
        topics=(PERFORMANCE, LEADERSHIP),
        weeks=8,
        weekday=3,
        starts=time(9, 0),
        ends=time(16, 30),
        time_zone=CHICAGO,
        capacity=60,
        registrants=38,
        location="Tulsa, OK (venue near downtown; directions in the confirmation e-mail)",
        hosts=("Casey Coordinator", "city:tulsa-ok"),
        practitioner="first",
        questions=(
            DemoQuestion(
                QuestionKind.SEVERAL_CHOICES,
                "Which afternoon sessions would you like to join?",
                choices=(
                    "Running a stat meeting that leads to decisions",
                    "Measures residents understand",
                    "Building analytics skills across departments",
                    "Keeping momentum through a change of administration",
                ),
            ),
            DemoQuestion(
                QuestionKind.YES_NO,
                "Will you stay for the informal dinner after the convening?",
            ),
        ),
        description="""\
A day for performance managers, analysts and the leaders they report to, from cities
across the middle of the country. The morning is short talks from peers about what
changed in their cities when they started managing by the numbers, including what did
not work the first time.

After lunch we split into small groups on the topics you choose when you register.
We close with a conversation about keeping a performance program alive when budgets
tighten or leadership changes.

There is no registration fee. Travel is up to each city.""",
    ),
    DemoEvent(
        title="Budgeting for Results cohort, session 3: reading your program inventory",
        event_type=EventType.COHORT_SESSION,
        topics=(BUDGETING,),
        weeks=3,
        weekday=1,
        starts=time(10, 0),
        ends=time(11, 30),
        time_zone=LOS_ANGELES,
        capacity=30,
        registrants=17,
        hosts=("Casey Coordinator",),
        description="""\
The third session of this season's Budgeting for Results cohort. Each city has now
listed its programs with their cost and what they are meant to achieve.

This time we ask what the inventory tells us. Which programs have no measure at all?
Which ones overlap? Where is spending rising with no change in results? Teams share
one finding each, and we talk through how to bring it to a budget director without it
sounding like a list of cuts.

For cohort members. Please have your inventory open during the session.""",
    ),
    DemoEvent(
        title="Publishing 311 data without exposing residents",
        event_type=EventType.WEBINAR,
        topics=(OPEN_DATA, DATA_GOVERNANCE),
        weeks=6,
        weekday=2,
        starts=time(12, 0),
        ends=time(13, 0),
        time_zone=LOS_ANGELES,
        capacity=500,
        registrants=29,
        is_public=True,
        hosts=("org:open-data-collaborative",),
        description="""\
Service request data is among the most requested datasets a city can publish, and
among the easiest to get wrong. Free-text descriptions name neighbors, exact addresses
point to homes, and some request types say more about a person than they meant to share.

We will go through a practical review before each release: which fields to drop,
how to generalize locations, which request types to hold back entirely, and how to
explain those choices on the portal so that the data is still trusted.""",
    ),
    DemoEvent(
        title="Listening sessions that reach renters and shift workers",
        event_type=EventType.WORKSHOP,
        topics=(ENGAGEMENT,),
        weeks=5,
        weekday=1,
        starts=time(14, 0),
        ends=time(16, 0),
        time_zone=NEW_YORK,
        capacity=40,
        registrants=22,
        is_public=True,
        hosts=("org:community-insight-partners",),
        description="""\
A public meeting at 6 p.m. in city hall hears from the same residents every time.
This online workshop is about hearing from the others: people who rent, work evenings,
care for family members, or do not speak English at home.

We will plan a listening session together, step by step: where to hold it, when, who
should invite people, what to pay participants, and how to report back so residents
see that what they said was used. Expect to work in small groups for most of the
two hours.""",
    ),
    DemoEvent(
        title="Open data portal office hours",
        event_type=EventType.OFFICE_HOURS,
        topics=(OPEN_DATA,),
        weeks=7,
        weekday=1,
        starts=time(10, 0),
        ends=time(11, 0),
        time_zone=DENVER,
        capacity=10,
        registrants=6,
        hosts=("org:open-data-collaborative",),
        description="""\
Drop-in time for anyone running a city data portal. Recent questions have included
retiring datasets nobody maintains, writing metadata that people read, and handling
requests to take a dataset down.

Register so we know how many to expect, and bring your own question.""",
    ),
    DemoEvent(
        title="New performance managers cohort: running your first stat meeting",
        event_type=EventType.COHORT_SESSION,
        topics=(PERFORMANCE, LEADERSHIP),
        weeks=9,
        weekday=2,
        starts=time(13, 0),
        ends=time(14, 30),
        time_zone=NEW_YORK,
        capacity=20,
        registrants=13,
        hosts=("Casey Coordinator",),
        description="""\
For members who have taken on a performance role in the last year. This session covers
the meeting itself: choosing the two or three measures to discuss, preparing the
department ahead of time, keeping the tone on problem solving rather than blame, and
writing down who will do what by when.

We will watch a short recording of a practice meeting and take it apart together.""",
    ),
    # Past -----------------------------------------------------------------------------------
    DemoEvent(
        title="What counts as evidence? A plain-language tour of evaluation designs",
        event_type=EventType.WEBINAR,
        topics=(EVALUATIONS,),
        weeks=-10,
        weekday=1,
        starts=time(14, 0),
        ends=time(15, 0),
        time_zone=NEW_YORK,
        capacity=400,
        registrants=31,
        attended=22,
        is_public=True,
        hosts=("Priya Partner",),
        description="""\
An introduction for city staff who are asked for evidence and are not sure what counts.
We compare the common designs, from a simple before-and-after to a randomized trial,
using one example program throughout, and say plainly what each can and cannot tell you.

No statistics background needed.""",
    ),
    DemoEvent(
        title="Front Range Data Leaders Convening",
        event_type=EventType.CONVENING,
        topics=(LEADERSHIP, DATA_GOVERNANCE),
        weeks=-20,
        weekday=3,
        starts=time(9, 0),
        ends=time(16, 0),
        time_zone=DENVER,
        capacity=45,
        registrants=33,
        attended=27,
        location="Fort Collins, CO (community meeting space, details sent to registrants)",
        hosts=("city:fort-collins-co", "city:denver-co"),
        description="""\
A day for chief data officers, analytics leads and the department heads who work with
them, from cities large and small in the Mountain West. Sessions covered making the
case for data staff in a tight budget, sharing data across departments without a
year of legal review, and what small cities can do with a team of one.""",
    ),
    DemoEvent(
        title="Results-driven contracting clinic",
        event_type=EventType.WORKSHOP,
        topics=(CONTRACTING,),
        weeks=-14,
        weekday=2,
        starts=time(9, 30),
        ends=time(15, 0),
        time_zone=CHICAGO,
        capacity=30,
        registrants=33,
        attended=26,
        location="San Antonio, TX (city training room, details sent to registrants)",
        hosts=("org:results-procurement-institute", "city:san-antonio-tx"),
        description="""\
Coaches worked with teams from several cities on contracts they were about to renew:
setting two or three outcome measures, agreeing on the data the vendor would report,
and planning the first quarterly performance conversation with the vendor.""",
    ),
    DemoEvent(
        title="Performance dashboard office hours",
        event_type=EventType.OFFICE_HOURS,
        topics=(PERFORMANCE,),
        weeks=-9,
        weekday=3,
        starts=time(10, 0),
        ends=time(11, 0),
        time_zone=LOS_ANGELES,
        capacity=8,
        registrants=6,
        attended=5,
        hosts=("Casey Coordinator",),
        description="""\
An hour of help with public dashboards: which measures to show, how often to update
them, and what to say when a number moves the wrong way.""",
    ),
    DemoEvent(
        title="Budgeting for Results cohort, session 1: why start with an inventory",
        event_type=EventType.COHORT_SESSION,
        topics=(BUDGETING,),
        weeks=-6,
        weekday=1,
        starts=time(10, 0),
        ends=time(11, 30),
        time_zone=LOS_ANGELES,
        capacity=30,
        registrants=18,
        attended=15,
        hosts=("Casey Coordinator",),
        description="""\
The first session of this season's cohort. Teams introduced themselves and their budget
calendars, and we explained why the work starts by listing programs rather than
departments, and what a good inventory entry looks like.""",
    ),
    DemoEvent(
        title="Bringing residents into budget decisions: lessons from pilot cities",
        event_type=EventType.WEBINAR,
        topics=(ENGAGEMENT, BUDGETING),
        weeks=-24,
        weekday=2,
        starts=time(12, 0),
        ends=time(13, 0),
        time_zone=CHICAGO,
        capacity=250,
        registrants=27,
        attended=18,
        is_public=True,
        hosts=("org:community-insight-partners",),
        description="""\
Staff from three cities described how they asked residents to help set budget
priorities: what they asked, how they reached people who do not usually take part, and
how they showed residents which of their suggestions made it into the adopted budget.""",
    ),
)
