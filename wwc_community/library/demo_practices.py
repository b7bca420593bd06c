"""The demo library that `flask seed-demo` loads: guides, case studies, toolkits, policy
templates, evaluation reports and dataset standards from the partner organisations, with
their evidence, and what demo cities did with them.

Every word is invented for this demo. The places the results come from are invented
("a city of about 180,000"), and every figure is illustrative, as each entry says; the
people are the members of core/demo_people.py and the demo accounts, named by display
name. Links point at example.org, never at a real site."""

from dataclasses import dataclass

from wwc_community.discussions.demo_threads import (
    BUDGETING,
    CONTRACTING,
    DATA_GOVERNANCE,
    ENGAGEMENT,
    EVALUATIONS,
    LEADERSHIP,
    OPEN_DATA,
    PERFORMANCE,
    DemoAnswer,
    DemoComment,
    DemoThread,
)
from wwc_community.library.models import AdaptationStatus, EvaluationDesign, PracticeKind

EVIDENCE_LAB = "civic-evidence-lab"
OPEN_DATA_COLLABORATIVE = "open-data-collaborative"
PROCUREMENT_INSTITUTE = "results-procurement-institute"
INSIGHT_PARTNERS = "community-insight-partners"

PLANNING = AdaptationStatus.PLANNING
PILOTING = AdaptationStatus.PILOTING
IN_PLACE = AdaptationStatus.IN_PLACE

# The demo practitioner (Pat, Austin) has saved these for later.
PRACTITIONER_EMAIL = "analyst@austin.example.gov"


@dataclass(frozen=True)
class DemoResult:
    """One measured result; dates are ISO dates."""

    measure: str
    unit: str
    baseline: str
    baseline_date: str
    result: str
    result_date: str


@dataclass(frozen=True)
class DemoUpdate:
    """A later published version of an entry and what it brought to it."""

    days_ago: float
    # The heading (without "## ") of the body section this version added.
    section: str = ""
    # The summary as it read before this version; empty when it did not change.
    summary_before: str = ""
    # How many of the entry's last results this version added.
    results_added: int = 0


@dataclass(frozen=True)
class DemoAdaptation:
    """A member's record that their city adapted an entry."""

    member: str
    status: str
    days_ago: float
    changes: str
    outcome: str = ""


@dataclass(frozen=True)
class DemoPractice:
    slug: str
    title: str
    kind: str
    organisation: str
    # The member who wrote and published it.
    author: str
    topics: tuple[str, ...]
    # First publication (or, for a draft, when it was last edited).
    days_ago: float
    summary: str
    problem: str
    intervention: str
    outcome_measure: str
    design: str | None
    results: tuple[DemoResult, ...]
    cost: str
    time_to_implement: str
    links: tuple[tuple[str, str], ...]
    body: str
    updates: tuple[DemoUpdate, ...] = ()
    # "published", "draft" or "unpublished" (published once, then taken down).
    status: str = "published"
    featured: bool = False
    adaptations: tuple[DemoAdaptation, ...] = ()
    helpful: tuple[str, ...] = ()
    bookmarked_by_practitioner: bool = False


DEMO_PRACTICES = (
    # Civic Evidence Lab ------------------------------------------------------------------
    DemoPractice(
        slug="reminder-letters-randomised-trial",
        title="Testing reminder letters with a randomised trial",
        kind=PracticeKind.EVALUATION_REPORT,
        organisation=EVIDENCE_LAB,
        author="Beatriz Flores",
        topics=(EVALUATIONS, BUDGETING),
        days_ago=284,
        featured=True,
        bookmarked_by_practitioner=True,
        summary=(
            "A utilities department sent three versions of its overdue-bill letter to "
            "randomly chosen accounts. The plain-language letter with a due date in bold "
            "raised on-time payment the most, at no extra cost."
        ),
        problem=(
            "About one account in five paid its water bill late, and each late account "
            "cost staff time in follow-up calls and shut-off notices."
        ),
        intervention=(
            "Rewrite the reminder letter in plain language, put the amount and due date at "
            "the top, and test it against the old letter by random assignment."
        ),
        outcome_measure="Share of reminded accounts paid in full within 30 days",
        design=EvaluationDesign.RANDOMISED_TRIAL,
        results=(
            DemoResult(
                "Accounts paid within 30 days of the reminder",
                "%",
                "61",
                "2025-03-01",
                "67",
                "2025-06-30",
            ),
            DemoResult(
                "Follow-up calls by staff per 1,000 reminders",
                "calls",
                "212",
                "2025-03-01",
                "171",
                "2025-06-30",
            ),
        ),
        cost="Under $2,000 (design time and printing; postage unchanged)",
        time_to_implement="3 to 4 months, including two billing cycles of follow-up",
        links=(
            ("The three letters, as sent", "https://evidence-lab.example.org/letters/reminders"),
            (
                "Pre-analysis plan",
                "https://evidence-lab.example.org/plans/reminder-letters-2025",
            ),
        ),
        body="""
        ## What was tested

        A city of about 180,000 sends roughly 4,000 overdue-bill reminders a month. Over
        one billing quarter every overdue account was assigned at random to one of three
        letters:

        1. **The old letter**: two pages, legal notice first, amount on page two.
        2. **Plain language**: one page, the amount and due date in bold at the top.
        3. **Plain language plus a social norm**: as 2, with "Nine in ten of your
           neighbours pay on time."

        ## Results (illustrative figures)

        - Letter 2 raised payment within 30 days from 61% to 67% of accounts.
        - Letter 3 did no better than letter 2; the extra sentence annoyed some callers.
        - Staff made about a fifth fewer follow-up calls.

        ## How to run it in your city

        1. Agree on the outcome before the first letter goes out, and write it down.
        2. Let the billing system assign letters by the last digit of the account number;
           it is random enough and needs no new software.
        3. Run it for at least two billing cycles so seasonal bills do not mislead you.
        4. Compare the share paid within 30 days, not the average amount paid.

        ## Caveats

        - Results from one city and one quarter; your residents may respond differently.
        - Accounts on payment plans were left out, so the result says nothing about them.
        """,
        adaptations=(
            DemoAdaptation(
                "Amara Flores",
                IN_PLACE,
                201,
                "Used the plain-language letter for **parking fines** instead of water bills, "
                "and assigned letters by ticket number.",
                "Fines paid within 30 days rose from 48% to 53% over one quarter.",
            ),
            DemoAdaptation(
                "Ben Usman",
                PILOTING,
                96,
                "Testing two letters only (old and plain language) because our billing "
                "vendor can print just two templates.",
            ),
            DemoAdaptation(
                "Pat Practitioner",
                PLANNING,
                31,
                "Planning a trial on **utility deposit refunds**, which residents often fail "
                "to claim.",
            ),
            DemoAdaptation(
                "Hana Okafor",
                IN_PLACE,
                150,
                "Added a Spanish version printed on the back of the same page.",
                "On-time payment up four points; the Spanish side made no measurable "
                "difference on its own.",
            ),
        ),
        helpful=(
            "Victor Yilmaz",
            "Lena Lopez",
            "Quinn Lopez",
            "Amara Flores",
            "Hana Okafor",
            "Grace Usman",
            "Ben Usman",
            "Fatima Okafor",
            "Isaac Rivera",
            "Pat Practitioner",
        ),
    ),
    DemoPractice(
        slug="write-the-evaluation-plan-before-the-pilot",
        title="Write the evaluation plan before the pilot starts",
        kind=PracticeKind.GUIDE,
        organisation=EVIDENCE_LAB,
        author="Jada Yilmaz",
        topics=(EVALUATIONS, LEADERSHIP),
        days_ago=262,
        summary=(
            "A two-page plan, agreed before a pilot begins, settles what will count as "
            "success and how it will be measured, so the results cannot be argued away."
        ),
        problem=(
            "Pilots end with data nobody planned to collect and no agreement on what "
            "would have counted as success."
        ),
        intervention=(
            "A short evaluation plan, signed off by the department head and the budget "
            "office before launch: question, outcome, comparison, data source, decision rule."
        ),
        outcome_measure="Pilots with a usable answer at the end",
        design=None,
        results=(
            DemoResult(
                "Pilots ending with a clear keep, change or stop decision",
                "pilots of 10",
                "3",
                "2024-07-01",
                "8",
                "2025-07-01",
            ),
        ),
        cost="Staff time only: about 6 hours per pilot",
        time_to_implement="2 weeks before each pilot",
        links=(
            (
                "Two-page plan template (DOCX)",
                "https://evidence-lab.example.org/templates/evaluation-plan",
            ),
        ),
        body="""
        ## Why before, not after

        Once a pilot has started, every team finds a measure that makes it look good. A
        plan written first protects the pilot from its champions and from its critics.

        ## The five questions the plan answers

        1. **What question** will this pilot answer? One sentence.
        2. **What outcome** tells us it worked, and by how much?
        3. **Compared with what**: last year, a waiting list, a neighbouring district?
        4. **Where the data comes from**, and who pulls it.
        5. **The decision rule**: what we do if the result is good, flat or bad.

        ## Steps

        1. Draft the plan with the program lead in one hour-long meeting.
        2. Send it to the budget office, who must agree the decision rule.
        3. File it where anyone can find it, dated, before the pilot starts.
        4. At the end, report against the plan, including what you changed and why.

        ## Caveats

        - The figures below come from one partner city's pilots and are illustrative.
        - There is no comparison group here: cities that adopt plans may also be the ones
          that run better pilots anyway.
        """,
        adaptations=(
            DemoAdaptation(
                "Grace Usman",
                IN_PLACE,
                180,
                "Made the plan a required attachment to every **innovation fund** request.",
                "All nine pilots funded this year have a plan on file.",
            ),
            DemoAdaptation(
                "Ximena Washington",
                IN_PLACE,
                140,
                "Cut it to one page and added a line for the equity question we ask of every "
                "program.",
            ),
            DemoAdaptation(
                "Isaac Alvarez",
                PLANNING,
                40,
                "Will trial it with the parks department's two summer pilots.",
            ),
        ),
        helpful=(
            "Grace Usman",
            "Ximena Washington",
            "Isaac Alvarez",
            "Lena Lopez",
            "Tanya Thompson",
            "Jonah Sato",
            "Pat Practitioner",
        ),
        bookmarked_by_practitioner=True,
    ),
    DemoPractice(
        slug="summer-youth-employment-pre-post",
        title="Summer youth employment: what a pre/post evaluation can and cannot tell you",
        kind=PracticeKind.CASE_STUDY,
        organisation=EVIDENCE_LAB,
        author="Priya Partner",
        topics=(EVALUATIONS, PERFORMANCE),
        days_ago=233,
        summary=(
            "A city compared school attendance of summer job participants before and after "
            "the program. Attendance rose, and this case study explains why that alone "
            "does not prove the jobs caused it."
        ),
        problem=(
            "The council asked whether six weeks of paid summer work changed anything for "
            "young people once school started again."
        ),
        intervention=(
            "Six weeks of paid work (20 hours a week) with a mentor, for residents aged 16 "
            "to 19, with a data-sharing agreement with the school district."
        ),
        outcome_measure="School attendance rate in the autumn term",
        design=EvaluationDesign.PRE_POST,
        results=(
            DemoResult(
                "Autumn-term attendance of participants",
                "%",
                "84",
                "2024-11-30",
                "88",
                "2025-11-30",
            ),
            DemoResult(
                "Participants completing all six weeks",
                "%",
                "71",
                "2024-08-15",
                "79",
                "2025-08-15",
            ),
        ),
        cost="About $3,100 per participant (wages are most of it)",
        time_to_implement="9 months from agreement with the school district to results",
        links=(
            (
                "Data-sharing agreement with the school district",
                "https://evidence-lab.example.org/agreements/school-attendance",
            ),
            ("Case study slides", "https://evidence-lab.example.org/slides/summer-jobs"),
        ),
        body="""
        ## The setting

        A city of about 650,000 places 1,200 young people in summer jobs each year. In
        2025 it agreed with the school district to compare each participant's attendance
        in the autumn term with the same student's attendance the year before.

        ## What we found (illustrative figures)

        - Attendance rose from 84% to 88% among participants.
        - Completion of the six weeks rose after mentors started weekly check-ins.

        ## Why this is promising, not proof

        Attendance usually rises between the junior and senior year anyway, as students
        who struggle leave school. Without a comparison group the four points may be
        mostly that. The next step is a lottery: the program is oversubscribed two to
        one, so choosing by lottery is both fair and a randomised trial.

        ## Steps to repeat it

        1. Sign the data-sharing agreement first; it took four months.
        2. Agree the measure (attendance, not grades) with the district's research office.
        3. Collect consent at application, not at the end of the summer.
        4. Report the limits of the design in the same paragraph as the result.
        """,
        adaptations=(
            DemoAdaptation(
                "Victor Yilmaz",
                PILOTING,
                120,
                "Running the comparison with **a lottery** among applicants, as the case "
                "study recommends.",
            ),
            DemoAdaptation(
                "Lena Lopez",
                PLANNING,
                60,
                "Negotiating the data agreement; the district wants aggregate figures only.",
            ),
        ),
        helpful=("Victor Yilmaz", "Lena Lopez", "Rosa Flores", "Isaac Jensen", "Tanya Thompson"),
    ),
    DemoPractice(
        slug="staggered-rollout-toolkit",
        title="Staggered rollouts: a toolkit for a fair comparison when you cannot randomise",
        kind=PracticeKind.TOOLKIT,
        organisation=EVIDENCE_LAB,
        author="Beatriz Flores",
        topics=(EVALUATIONS, PERFORMANCE),
        days_ago=251,
        updates=(
            DemoUpdate(
                days_ago=170,
                section="Worked example: street-light repairs",
                results_added=1,
            ),
            DemoUpdate(
                days_ago=45,
                section="When not to use it",
                summary_before=(
                    "When a program reaches districts one after another, the districts still "
                    "waiting make a comparison group."
                ),
            ),
        ),
        summary=(
            "When a program reaches districts one after another, the districts still "
            "waiting make a comparison group. This toolkit shows how to plan the order, "
            "collect the data and read the results, and when the method misleads."
        ),
        problem=(
            "Most city programs roll out in phases for budget reasons, and the chance to "
            "learn from the phasing is usually lost."
        ),
        intervention=(
            "Decide the rollout order in advance (by lottery where possible), measure every "
            "district from the start, and compare early districts with those still waiting."
        ),
        outcome_measure="Change in the program's main measure, early versus waiting districts",
        design=EvaluationDesign.QUASI_EXPERIMENTAL,
        results=(
            DemoResult(
                "Days to repair a reported pothole, early districts",
                "days",
                "9.1",
                "2024-09-01",
                "5.2",
                "2025-03-01",
            ),
            DemoResult(
                "Street lights out for more than a week",
                "lights per month",
                "140",
                "2025-01-01",
                "85",
                "2025-09-01",
            ),
        ),
        cost="Staff time; a spreadsheet template is included",
        time_to_implement="1 month of planning before the first phase",
        links=(
            (
                "Rollout planning spreadsheet (XLSX)",
                "https://evidence-lab.example.org/toolkits/staggered-rollout.xlsx",
            ),
            (
                "Slides from the staggered-rollout webinar",
                "https://evidence-lab.example.org/webinars/staggered-rollout",
            ),
        ),
        body="""
        ## What is in the toolkit

        - A one-page explainer for department heads.
        - A spreadsheet that draws the rollout order by lottery and records it.
        - A checklist of the measures to collect before the first district starts.

        ## Steps

        1. List the districts (or routes, or schools) the program will reach.
        2. Draw the order by lottery in a public meeting, or with the spreadsheet.
        3. Measure every district for at least three months before phase one.
        4. After each phase, compare the change in districts that started with the change
           in districts still waiting.

        ## Worked example: street-light repairs

        A city of about 300,000 moved to a repair contract with response times, district
        by district. Lights out for more than a week fell from about 140 to 85 a month in
        the districts on the new contract, while waiting districts barely moved
        (illustrative figures).

        ## When not to use it

        - When the first districts are chosen because they need it most: they would have
          improved anyway, and the comparison flatters the program.
        - When the phases are so quick that there is no waiting period to measure.
        - When districts share crews, so that the program changes the waiting ones too.
        """,
        adaptations=(
            DemoAdaptation(
                "Victor Nakamura",
                IN_PLACE,
                200,
                "Used it for the rollout of **new recycling bins** across 12 routes.",
                "Contamination fell faster on early routes (about 3 points) than on waiting ones.",
            ),
            DemoAdaptation(
                "Tanya Thompson",
                PILOTING,
                110,
                "Applying it to library opening hours, branch by branch.",
            ),
            DemoAdaptation(
                "Pat Practitioner",
                PLANNING,
                20,
                "Proposing a lottery for the order of the sidewalk repair program.",
            ),
            DemoAdaptation(
                "Fatima Okafor",
                IN_PLACE,
                90,
                "Smaller city, so we used **four wards** instead of districts.",
                "Too few wards to be confident; we report it as promising only.",
            ),
        ),
        helpful=(
            "Victor Nakamura",
            "Tanya Thompson",
            "Fatima Okafor",
            "Amara Flores",
            "Hana Okafor",
            "Pedro Hughes",
            "Zoe Flores",
            "Pat Practitioner",
        ),
    ),
    DemoPractice(
        slug="evidence-ratings-in-budget-requests",
        title="Evidence ratings in budget requests: a policy template",
        kind=PracticeKind.POLICY_TEMPLATE,
        organisation=EVIDENCE_LAB,
        author="Jada Yilmaz",
        topics=(BUDGETING, EVALUATIONS),
        days_ago=215,
        summary=(
            "A budget instruction that asks each department to say how strong the evidence "
            "is for every program it asks money for, with a four-level scale and examples."
        ),
        problem=(
            "Council votes on programs without knowing which have been shown to work and "
            "which are untested."
        ),
        intervention=(
            "Add an evidence rating (strong, moderate, promising, emerging, or none) to each "
            "budget request, checked by the budget office."
        ),
        outcome_measure="Share of new spending going to programs rated promising or better",
        design=EvaluationDesign.PRE_POST,
        results=(
            DemoResult(
                "New spending on programs rated promising or better",
                "%",
                "22",
                "2024-06-30",
                "41",
                "2025-06-30",
            ),
        ),
        cost="Staff time: about one analyst for four weeks in the first budget season",
        time_to_implement="One budget cycle",
        links=(
            (
                "Budget instruction template (DOCX)",
                "https://evidence-lab.example.org/templates/budget-evidence-instruction",
            ),
            ("Rating scale with examples", "https://evidence-lab.example.org/evidence-scale"),
        ),
        body="""
        ## The template

        The instruction adds one section to each budget request:

        > **Evidence.** Rate the evidence for this program as strong, moderate, promising,
        > emerging or none, using the scale attached. Name the study or data behind the
        > rating. "None" is an acceptable answer.

        ## Putting it in place

        1. Adopt the scale with the budget director, not as an add-on from the
           evaluation team.
        2. Train budget analysts to check ratings in a one-hour session with examples.
        3. Publish the ratings with the proposed budget.
        4. In the second year, ask for an evaluation plan for every large program rated
           "none".

        ## Caveats

        - Shares of spending are illustrative figures from one partner city, before and
          after adoption; other budget pressures changed in the same year.
        - Ratings can be gamed. Spot-check a sample each year.
        - Do not cut a program only because it is untested; test it.
        """,
        adaptations=(
            DemoAdaptation(
                "Beatriz Diallo",
                IN_PLACE,
                160,
                "Adopted with a **three-level scale** that our council found easier to read.",
                "Council asked for evaluations of two large programs rated 'none'.",
            ),
            DemoAdaptation(
                "Yusuf Kim",
                PILOTING,
                100,
                "Trying it with three departments before rolling it out to all.",
            ),
            DemoAdaptation(
                "Zoe Usman",
                IN_PLACE,
                70,
                "Added the rating to our capital requests as well as operating ones.",
            ),
        ),
        helpful=(
            "Beatriz Diallo",
            "Yusuf Kim",
            "Zoe Usman",
            "Farid Gupta",
            "Ximena Hughes",
            "Hana Patel",
        ),
    ),
    DemoPractice(
        slug="low-cost-trial-checklist",
        title="A checklist for low-cost randomised trials in city services",
        kind=PracticeKind.TOOLKIT,
        organisation=EVIDENCE_LAB,
        author="Priya Partner",
        topics=(EVALUATIONS, LEADERSHIP),
        days_ago=176,
        summary=(
            "Twelve questions to ask before a quick randomised trial of a letter, a text "
            "message or a form, from ethics to the size you need, with a worked example."
        ),
        problem=(
            "Staff hear that trials are expensive and slow, so small changes to letters and "
            "forms are made on a hunch and never tested."
        ),
        intervention=(
            "A checklist and a short coaching session that lets a department run its first "
            "trial using its own systems."
        ),
        outcome_measure="Departments that completed a first trial within six months",
        design=EvaluationDesign.RANDOMISED_TRIAL,
        results=(
            DemoResult(
                "Departments completing a trial within six months (coached vs not)",
                "% of departments",
                "15",
                "2025-01-01",
                "55",
                "2025-07-01",
            ),
        ),
        cost="Free checklist; coaching about 10 hours per department",
        time_to_implement="6 to 12 weeks for a first trial",
        links=(("Checklist (PDF)", "https://evidence-lab.example.org/toolkits/trial-checklist"),),
        body="""
        ## The twelve questions

        1. What exactly changes between the two versions?
        2. What single outcome will you compare?
        3. Can your system assign people at random (last digit, date of birth)?
        4. How many people pass through each month?
        5. Is that enough to see the change you care about? (See the table.)
        6. Who could be harmed, and how will you avoid it?
        7. Does your legal team need to review it?
        8. Who pulls the data at the end?
        9. When will you stop, whatever the result?
        10. What will you do if the new version is worse?
        11. Who will you tell about the result?
        12. Where will you file the plan before you start?

        ## How the checklist was tested

        Twenty departments across four partner cities asked for help; half were chosen by
        lottery for coaching with the checklist. The share that finished a trial within
        six months was 55% with coaching and 15% without (illustrative figures).

        ## Caveats

        - Twenty departments is a small trial; the difference is large but uncertain.
        - Coaching mattered as much as the checklist; the list alone may do less.
        """,
        adaptations=(
            DemoAdaptation(
                "Jonah Sato",
                PILOTING,
                90,
                "Using the checklist for a trial of **text reminders for recycling pickup**.",
            ),
            DemoAdaptation(
                "Isaac Rivera",
                IN_PLACE,
                120,
                "Translated the checklist into our permit office's procedure manual.",
                "Two trials completed; one letter change kept, one dropped.",
            ),
        ),
        helpful=("Jonah Sato", "Isaac Rivera", "Grace Usman", "Ben Usman", "Victor Yilmaz"),
        bookmarked_by_practitioner=True,
    ),
    DemoPractice(
        slug="text-message-court-reminders",
        title="Text-message court reminders in a mid-sized city",
        kind=PracticeKind.EVALUATION_REPORT,
        organisation=EVIDENCE_LAB,
        author="Jada Yilmaz",
        topics=(EVALUATIONS, ENGAGEMENT),
        days_ago=128,
        summary=(
            "People with a municipal court date were assigned at random to get text "
            "reminders or not. Reminders cut missed appearances by about a quarter."
        ),
        problem=(
            "Missed municipal court dates lead to warrants for minor offences, costing "
            "residents and the court time and money."
        ),
        intervention=(
            "Automated text reminders seven days and one day before the court date, in "
            "English or Spanish, with the address and what to bring."
        ),
        outcome_measure="Share of scheduled appearances missed",
        design=EvaluationDesign.RANDOMISED_TRIAL,
        results=(
            DemoResult("Missed court appearances", "%", "21", "2025-02-01", "16", "2025-08-01"),
            DemoResult(
                "Warrants issued for failure to appear",
                "per month",
                "95",
                "2025-02-01",
                "72",
                "2025-08-01",
            ),
        ),
        cost="About $0.04 per message, plus two weeks of setup with the court's vendor",
        time_to_implement="3 months",
        links=(
            (
                "Message wording in English and Spanish",
                "https://evidence-lab.example.org/court-reminders/messages",
            ),
            ("Full report (PDF)", "https://evidence-lab.example.org/reports/court-reminders"),
        ),
        body="""
        ## Summary

        In a city of about 220,000, everyone given a municipal court date over six months
        was assigned by lottery to receive text reminders or the usual paper notice only.

        ## Results (illustrative figures)

        | | Paper only | Paper and texts |
        |---|---|---|
        | Missed appearances | 21% | 16% |

        Warrants for failure to appear fell from about 95 to 72 a month once texts went to
        everyone after the trial.

        ## What made it work

        - The message said what would happen at court, not just when.
        - A reply of "HELP" reached a clerk during office hours.
        - Phone numbers were collected at the ticket, not later.

        ## Limits

        - About a third of people had no mobile number on file; they got no benefit.
        - The trial measured appearances, not the fairness of outcomes at court.
        """,
        adaptations=(
            DemoAdaptation(
                "Kofi Vargas",
                IN_PLACE,
                60,
                "Reminders go out in **Portuguese and Cape Verdean Creole** as well.",
                "Missed appearances down from 19% to 15% in the first four months.",
            ),
            DemoAdaptation(
                "Quinn Lopez",
                PLANNING,
                25,
                "Working with the court's vendor on phone number collection.",
            ),
        ),
        helpful=("Kofi Vargas", "Quinn Lopez", "Amara Xu", "Dalia Brooks", "Isaac Jensen"),
    ),
    DemoPractice(
        slug="measuring-what-a-data-academy-changes",
        title="Measuring what a data academy changes",
        kind=PracticeKind.GUIDE,
        organisation=EVIDENCE_LAB,
        author="Beatriz Flores",
        topics=(LEADERSHIP, PERFORMANCE),
        days_ago=12,
        status="draft",
        summary=(
            "How to tell whether staff training in data skills changes how departments "
            "work, beyond counting who attended."
        ),
        problem="Data academies report attendance and satisfaction, not changes in the work.",
        intervention=(
            "Ask each trainee for one work product before and after, and follow up with "
            "their manager at three months."
        ),
        outcome_measure="Trainees who used a new skill in a work product within three months",
        design=None,
        results=(
            DemoResult(
                "Trainees using a new skill at work within three months",
                "%",
                "—",
                "2025-09-01",
                "58",
                "2025-12-01",
            ),
        ),
        cost="Staff time",
        time_to_implement="One training cohort",
        links=(("Follow-up survey draft", "https://evidence-lab.example.org/drafts/academy"),),
        body="""
        ## Draft: not yet reviewed

        1. Before the course, collect one work product from each trainee.
        2. Three months after, ask the trainee and the manager what changed.
        3. Count uses of a new skill, not hours of training.

        The figure here is an illustrative placeholder until the first cohort reports.
        """,
    ),
    DemoPractice(
        slug="program-participation-data-standard",
        title="A program participation data standard for evaluations",
        kind=PracticeKind.DATASET_STANDARD,
        organisation=EVIDENCE_LAB,
        author="Jada Yilmaz",
        topics=(EVALUATIONS, DATA_GOVERNANCE),
        days_ago=98,
        summary=(
            "Nine fields every program should record about who took part and when, so "
            "that an evaluation is possible later without a data clean-up project."
        ),
        problem=(
            "Evaluations stall for months because participation records lack dates, stable "
            "identifiers or the reason someone left."
        ),
        intervention=(
            "A shared minimum record for program participation, built into intake forms "
            "and case management exports."
        ),
        outcome_measure="Weeks spent preparing participation data for an evaluation",
        design=EvaluationDesign.DESCRIPTIVE,
        results=(
            DemoResult(
                "Weeks of data preparation per evaluation",
                "weeks",
                "11",
                "2024-10-01",
                "3",
                "2025-10-01",
            ),
        ),
        cost="Changes to intake forms; no new software",
        time_to_implement="1 to 3 months per program",
        links=(
            (
                "Field list and CSV template",
                "https://evidence-lab.example.org/standards/participation",
            ),
            ("JSON schema", "https://evidence-lab.example.org/standards/participation.json"),
        ),
        body="""
        ## The nine fields

        | Field | Example | Why |
        |---|---|---|
        | `person_id` | P-004512 | Stable across years, never a name |
        | `program_id` | SYEP-2025 | Which program and cycle |
        | `applied_on` | 2025-03-14 | Waiting lists make comparison groups |
        | `started_on` | 2025-06-23 | |
        | `ended_on` | 2025-08-01 | |
        | `end_reason` | completed | completed, left, removed, moved |
        | `offer` | full | What was offered, if it varies |
        | `assignment` | lottery-win | How the place was decided |
        | `consent_research` | yes | Whether data may be used for evaluation |

        ## Adopting it

        1. Map your current export to the nine fields; most programs already have six.
        2. Add the missing ones to the intake form.
        3. Keep identifiers in the case system; share only pseudonymous `person_id`s.

        ## Caveats

        The drop in preparation time comes from three evaluations in one partner city and
        is illustrative; it describes what happened, it does not test the standard.
        """,
        adaptations=(
            DemoAdaptation(
                "Colin Vargas",
                IN_PLACE,
                60,
                "Added `assignment` and `consent_research` to our workforce programs' intake.",
            ),
        ),
        helpful=("Colin Vargas", "Pedro Hughes", "Grace Flores"),
    ),
    # Open Data Collaborative ------------------------------------------------------------
    DemoPractice(
        slug="open-data-release-calendar",
        title="Publish a release calendar for your open data",
        kind=PracticeKind.GUIDE,
        organisation=OPEN_DATA_COLLABORATIVE,
        author="Rosa Thompson",
        topics=(OPEN_DATA, ENGAGEMENT),
        days_ago=270,
        featured=True,
        bookmarked_by_practitioner=True,
        summary=(
            "Tell residents when each dataset will be published and keep to it. A calendar "
            "turns a portal into a service people can rely on."
        ),
        problem=(
            "Reporters and residents could not tell whether a dataset was late, abandoned "
            "or simply not refreshed yet, and stopped using the portal."
        ),
        intervention=(
            "A public calendar with the next release date of every dataset, an owner for "
            "each, and a monthly report on releases made on time."
        ),
        outcome_measure="Datasets released on or before their calendar date",
        design=EvaluationDesign.PRE_POST,
        results=(
            DemoResult("Releases on time", "% of releases", "52", "2024-12-31", "88", "2025-12-31"),
            DemoResult(
                "Monthly portal visitors who return",
                "% of visitors",
                "18",
                "2024-12-31",
                "27",
                "2025-12-31",
            ),
        ),
        cost="Staff time; the calendar is a published dataset itself",
        time_to_implement="6 to 8 weeks",
        links=(
            (
                "Release calendar template (CSV)",
                "https://opendata-collab.example.org/templates/release-calendar.csv",
            ),
            ("Example calendar page", "https://opendata-collab.example.org/examples/calendar"),
        ),
        body="""
        ## The idea

        A dataset without a next release date leaves users guessing. A calendar makes a
        promise, and the monthly on-time report keeps it.

        ## Steps

        1. List every published dataset with its owner and refresh frequency.
        2. Set the next release date for each; be conservative.
        3. Publish the calendar as a dataset and as a page on the portal.
        4. Each month, publish the share of releases made on time, by department.
        5. When a date will be missed, say so on the calendar before the date passes.

        ## Results in one partner city (illustrative figures)

        On-time releases rose from 52% to 88% in a year, and more visitors came back
        monthly. No comparison city, so read it as promising.

        ## Caveats

        - A calendar shows the gaps. Warn departments before it goes live.
        - Automated datasets are easy to keep on time; manual ones need a named owner.
        """,
        adaptations=(
            DemoAdaptation(
                "Farid Patel",
                IN_PLACE,
                190,
                "Calendar published on the portal's front page, with owners by department.",
                "On-time releases went from about half to 80% in nine months.",
            ),
            DemoAdaptation(
                "Olivia Kim",
                IN_PLACE,
                150,
                "Added an **RSS feed** of upcoming releases for reporters.",
            ),
            DemoAdaptation(
                "Eli Usman",
                PILOTING,
                80,
                "Started with the 40 most-used datasets only.",
            ),
            DemoAdaptation(
                "Lena Zimmer",
                IN_PLACE,
                110,
                "A small city: one calendar for city and county data together.",
                "Fewer e-mails asking 'when is the next update?'",
            ),
            DemoAdaptation(
                "Eli Diallo",
                PLANNING,
                15,
                "Planning a calendar for Austin's budget and performance datasets.",
            ),
        ),
        helpful=(
            "Farid Patel",
            "Olivia Kim",
            "Eli Usman",
            "Lena Zimmer",
            "Kofi Vargas",
            "Jada Brooks",
            "Grace Diallo",
            "Beatriz Gupta",
            "Pedro Hughes",
            "Eli Diallo",
            "Pat Practitioner",
        ),
    ),
    DemoPractice(
        slug="dataset-inventory-toolkit",
        title="Dataset inventory toolkit",
        kind=PracticeKind.TOOLKIT,
        organisation=OPEN_DATA_COLLABORATIVE,
        author="Colin Usman",
        topics=(DATA_GOVERNANCE, OPEN_DATA),
        days_ago=246,
        updates=(
            DemoUpdate(
                days_ago=104,
                section="Keeping it current",
                summary_before=(
                    "A spreadsheet, an interview guide and a short policy for listing every "
                    "dataset the city holds."
                ),
                results_added=1,
            ),
        ),
        summary=(
            "A spreadsheet, an interview guide and a short policy for listing every "
            "dataset the city holds, who owns it and whether it can be published, and for "
            "keeping that list current."
        ),
        problem=(
            "Nobody could say which data the city held, so requests were slow and open "
            "data was published by accident of who asked."
        ),
        intervention=(
            "A department-by-department inventory using a fixed spreadsheet and a 45-minute "
            "interview, refreshed every year."
        ),
        outcome_measure="Datasets listed with an owner and a publication decision",
        design=EvaluationDesign.DESCRIPTIVE,
        results=(
            DemoResult(
                "Datasets listed with a named owner",
                "datasets",
                "40",
                "2024-05-01",
                "312",
                "2025-05-01",
            ),
            DemoResult(
                "Inventory entries reviewed in the last year",
                "%",
                "0",
                "2025-05-01",
                "74",
                "2025-11-01",
            ),
        ),
        cost="About 0.5 of an analyst for four months",
        time_to_implement="4 months for a city of 14 departments",
        links=(
            (
                "Inventory spreadsheet (XLSX)",
                "https://opendata-collab.example.org/toolkits/inventory.xlsx",
            ),
            ("Interview guide", "https://opendata-collab.example.org/toolkits/inventory-guide"),
        ),
        body="""
        ## What is in the toolkit

        - **The spreadsheet**: one row per dataset, 14 columns, with drop-down lists.
        - **The interview guide**: 45 minutes with each department's data owner.
        - **A model policy** paragraph that makes the inventory everyone's job.

        ## Steps

        1. Ask the city manager to name a data owner in each department.
        2. Interview each owner with the guide; fill in the spreadsheet together.
        3. Classify each dataset: public, public after cleaning, restricted.
        4. Publish the inventory itself, without the restricted rows' details.

        ## Keeping it current

        - Add "review your inventory rows" to each owner's yearly objectives.
        - Send each owner their rows every spring with a one-click "still right" reply.
        - Report the share reviewed to the data leadership team.

        ## Caveats

        The counts come from one partner city of about 400,000 and are illustrative. An
        inventory is never finished; aim for the most-used data first.
        """,
        adaptations=(
            DemoAdaptation(
                "Imani Diallo",
                IN_PLACE,
                200,
                "Ran the interviews with **data stewards** we already had, not new owners.",
                "About 900 datasets listed across 30 departments.",
            ),
            DemoAdaptation(
                "Grace Flores",
                IN_PLACE,
                140,
                "Cut the spreadsheet to 8 columns for a small city.",
            ),
            DemoAdaptation(
                "Tanya Castillo",
                PILOTING,
                70,
                "Inventory under way in four departments.",
            ),
            DemoAdaptation(
                "Yusuf Yilmaz",
                PLANNING,
                30,
                "Planning the inventory alongside our privacy review.",
            ),
        ),
        helpful=(
            "Imani Diallo",
            "Grace Flores",
            "Tanya Castillo",
            "Yusuf Yilmaz",
            "Farid Patel",
            "Victor Nakamura",
            "Beatriz Diallo",
        ),
    ),
    DemoPractice(
        slug="open-data-policy-template",
        title="An open data policy template for cities",
        kind=PracticeKind.POLICY_TEMPLATE,
        organisation=OPEN_DATA_COLLABORATIVE,
        author="Rosa Thompson",
        topics=(OPEN_DATA, DATA_GOVERNANCE),
        days_ago=223,
        summary=(
            "A model executive order or ordinance: open by default, a data coordinator, "
            "an inventory, a release calendar and yearly reporting, with notes on each "
            "clause."
        ),
        problem=("Open data programs without a written policy fade when their champion leaves."),
        intervention=(
            "Adopt a short policy that makes publication the default, names who is "
            "responsible and requires a yearly public report."
        ),
        outcome_measure="Datasets published, two years after adopting the policy",
        design=EvaluationDesign.PRE_POST,
        results=(
            DemoResult(
                "Datasets on the portal",
                "datasets",
                "35",
                "2023-07-01",
                "180",
                "2025-07-01",
            ),
        ),
        cost="Legal review time; no direct cost",
        time_to_implement="3 to 6 months from draft to adoption",
        links=(
            (
                "Policy template (DOCX)",
                "https://opendata-collab.example.org/templates/open-data-policy",
            ),
            (
                "Clause-by-clause notes",
                "https://opendata-collab.example.org/templates/open-data-policy-notes",
            ),
        ),
        body="""
        ## The clauses

        1. **Open by default**: data is public unless a listed exception applies.
        2. **Exceptions**: privacy, security, legal privilege, and nothing vaguer.
        3. **A data coordinator** with the authority to ask departments for data.
        4. **An inventory** of all datasets, reviewed yearly.
        5. **A release calendar** with a date for each dataset.
        6. **A yearly report** to council on what was published and what was not.

        ## Choosing the instrument

        - An executive order is faster and easier to change.
        - An ordinance survives a change of administration.
        - Several partner cities started with an order and passed an ordinance later.

        ## Caveats

        - The growth in datasets is illustrative, from one partner city; other causes
          (a new portal, a new coordinator) arrived at the same time.
        - A policy without a coordinator's time does little.
        """,
        adaptations=(
            DemoAdaptation(
                "Jada Brooks",
                IN_PLACE,
                150,
                "Adopted as an **executive order**, with a clause on geospatial data added.",
                "Portal grew from 20 to 64 datasets in its first year.",
            ),
            DemoAdaptation(
                "Beatriz Gupta",
                PLANNING,
                50,
                "Drafting an ordinance version for council in the spring.",
            ),
        ),
        helpful=("Jada Brooks", "Beatriz Gupta", "Olivia Kim", "Eli Usman", "Lena Zimmer"),
    ),
    DemoPractice(
        slug="service-request-data-standard",
        title="A data standard for 311 service requests",
        kind=PracticeKind.DATASET_STANDARD,
        organisation=OPEN_DATA_COLLABORATIVE,
        author="Colin Usman",
        topics=(OPEN_DATA, PERFORMANCE),
        days_ago=191,
        summary=(
            "Common field names, request types and status values for 311 data, so that "
            "cities can compare response times and residents can use one tool everywhere."
        ),
        problem=(
            "Every city publishes 311 requests differently, so comparisons between cities "
            "take weeks of cleaning and are often wrong."
        ),
        intervention=(
            "Publish 311 data with 16 standard fields, a shared list of request types and "
            "four status values, alongside the city's own categories."
        ),
        outcome_measure="Hours to prepare a comparison of response times across cities",
        design=EvaluationDesign.DESCRIPTIVE,
        results=(
            DemoResult(
                "Hours to prepare a five-city comparison",
                "hours",
                "60",
                "2025-01-15",
                "6",
                "2025-09-15",
            ),
        ),
        cost="A mapping table and a change to the nightly export",
        time_to_implement="4 to 8 weeks",
        links=(
            (
                "Field definitions",
                "https://opendata-collab.example.org/standards/service-requests",
            ),
            (
                "Request type crosswalk (CSV)",
                "https://opendata-collab.example.org/standards/service-request-types.csv",
            ),
        ),
        body="""
        ## The core fields

        - `request_id`, `requested_at`, `closed_at`, `status` (open, in progress,
          closed, duplicate)
        - `request_type` from the shared list, and `local_type` as the city names it
        - `latitude`, `longitude`, rounded to about 100 metres for privacy
        - `channel`: phone, app, web, walk-in, staff

        ## Steps

        1. Map your request types to the shared list; keep yours in `local_type`.
        2. Round locations before publishing, not after.
        3. Add the standard fields to the nightly export.
        4. Publish the mapping table so others can check it.

        ## Caveats

        - "Closed" means different things (fixed, inspected, referred). Say which.
        - The hours saved are illustrative figures from one regional comparison.
        """,
        adaptations=(
            DemoAdaptation(
                "Amara Flores",
                IN_PLACE,
                120,
                "Mapped 230 local request types to the shared list.",
                "Our performance team now compares response times with two peer cities.",
            ),
            DemoAdaptation(
                "Zoe Flores",
                PILOTING,
                45,
                "Publishing the standard file next to our existing 311 dataset.",
            ),
        ),
        helpful=("Amara Flores", "Zoe Flores", "Victor Nakamura", "Olivia Kim"),
    ),
    DemoPractice(
        slug="building-permit-data-standard",
        title="A data standard for building permits",
        kind=PracticeKind.DATASET_STANDARD,
        organisation=OPEN_DATA_COLLABORATIVE,
        author="Rosa Thompson",
        topics=(OPEN_DATA, DATA_GOVERNANCE),
        days_ago=157,
        summary=(
            "Shared fields for permits, from application to final inspection, so that "
            "housing researchers and builders can read every city's permits the same way."
        ),
        problem=(
            "Permit data is published with different names and dates in each city, so "
            "questions like 'how long does a permit take?' cannot be compared."
        ),
        intervention=(
            "Publish permits with standard fields and the four key dates: applied, issued, "
            "final inspection, and closed."
        ),
        outcome_measure="Share of published permits with all four key dates",
        design=EvaluationDesign.DESCRIPTIVE,
        results=(
            DemoResult(
                "Permits published with all four key dates",
                "%",
                "31",
                "2025-02-01",
                "92",
                "2025-08-01",
            ),
        ),
        cost="Changes to the permit system export; usually a few days of vendor time",
        time_to_implement="2 to 3 months",
        links=(("Field definitions", "https://opendata-collab.example.org/standards/permits"),),
        body="""
        ## Fields

        - `permit_id`, `permit_type` (new building, addition, alteration, demolition)
        - `applied_on`, `issued_on`, `final_inspection_on`, `closed_on`
        - `housing_units_added`, `housing_units_removed`
        - `valuation` in whole dollars, as declared by the applicant

        ## Steps

        1. Ask your permit system vendor for the four dates; they usually exist.
        2. Count housing units on the application form if you do not already.
        3. Publish weekly; permits change status often.

        ## Caveats

        Valuation is self-declared and varies in meaning; do not compare it across
        cities. The completeness figures are illustrative.
        """,
        adaptations=(
            DemoAdaptation(
                "Grace Diallo",
                PILOTING,
                40,
                "Added housing unit counts to the residential permit form first.",
            ),
        ),
        helpful=("Grace Diallo", "Farid Patel", "Olivia Kim"),
    ),
    DemoPractice(
        slug="data-sharing-agreement-template",
        title="Data sharing agreement template for city, county and school partners",
        kind=PracticeKind.POLICY_TEMPLATE,
        organisation=OPEN_DATA_COLLABORATIVE,
        author="Colin Usman",
        topics=(DATA_GOVERNANCE, LEADERSHIP),
        days_ago=139,
        bookmarked_by_practitioner=True,
        summary=(
            "A plain-language agreement for sharing records with another public body: "
            "purpose, fields, security, retention and who may see what, with signing "
            "notes."
        ),
        problem=(
            "Each data sharing request started from a blank page and took months of legal "
            "back and forth."
        ),
        intervention=(
            "One reviewed template with optional clauses, agreed once with the city "
            "attorney, used for every new agreement."
        ),
        outcome_measure="Days from request to signed agreement",
        design=None,
        results=(
            DemoResult(
                "Median days from request to signature",
                "days",
                "140",
                "2024-06-01",
                "45",
                "2025-06-01",
            ),
        ),
        cost="Legal review once (about 20 hours), then a few hours per agreement",
        time_to_implement="2 months to agree the template",
        links=(
            (
                "Agreement template (DOCX)",
                "https://opendata-collab.example.org/templates/data-sharing-agreement",
            ),
        ),
        body="""
        ## What the template covers

        1. **Purpose**: one specific question the data will answer.
        2. **Fields**: listed by name; nothing outside the list.
        3. **Security**: where the data sits and who may open it.
        4. **Retention**: the date it is deleted, and proof of deletion.
        5. **Publication**: only aggregates, with small cells suppressed.

        ## Using it

        - Agree the template with your attorney once; afterwards review only changes.
        - Keep a register of signed agreements, with their deletion dates.

        ## Caveats

        The time saved is an illustrative figure from one partner city; it was not
        measured against a comparison. State law differs; your attorney decides.
        """,
        adaptations=(
            DemoAdaptation(
                "Tanya Castillo",
                IN_PLACE,
                90,
                "Used for our agreement with the school district on chronic absence.",
                "Signed in seven weeks, against six months for the last one.",
            ),
            DemoAdaptation(
                "Lena Lopez",
                IN_PLACE,
                60,
                "Added a clause on research use by the local university.",
            ),
        ),
        helpful=("Tanya Castillo", "Lena Lopez", "Hector Castillo", "Isaac Castillo"),
    ),
    DemoPractice(
        slug="automating-dataset-publication",
        title="From manual uploads to automated publication: one city's story",
        kind=PracticeKind.CASE_STUDY,
        organisation=OPEN_DATA_COLLABORATIVE,
        author="Rosa Thompson",
        topics=(OPEN_DATA, PERFORMANCE),
        days_ago=86,
        summary=(
            "A city moved its twenty most-used datasets from monthly manual uploads to "
            "automated daily publication. Staleness fell and staff time was freed."
        ),
        problem=(
            "Datasets were uploaded by hand once a month, often late, and went stale when "
            "the person who did it was on leave."
        ),
        intervention=(
            "Nightly scripted exports from the systems of record straight to the portal, "
            "with an alert when a job fails."
        ),
        outcome_measure="Average age of the most-used datasets",
        design=EvaluationDesign.PRE_POST,
        results=(
            DemoResult(
                "Average age of the 20 most-used datasets",
                "days",
                "38",
                "2025-01-01",
                "1.5",
                "2025-07-01",
            ),
            DemoResult(
                "Staff hours a month spent on uploads",
                "hours",
                "46",
                "2025-01-01",
                "8",
                "2025-07-01",
            ),
        ),
        cost="About $25,000 in contractor time, plus the portal's existing subscription",
        time_to_implement="5 months for 20 datasets",
        links=(
            (
                "Export job examples",
                "https://opendata-collab.example.org/examples/automated-publishing",
            ),
        ),
        body="""
        ## Where they started

        A city of about 500,000 had 180 datasets, of which twenty drew 80% of downloads.
        All were uploaded by hand.

        ## What they did

        1. Picked the twenty by download count, not by department.
        2. Wrote one export job per dataset against the system of record.
        3. Sent failures to a shared inbox, with the dataset owner copied.
        4. Put "last refreshed" on every dataset page.

        ## Results (illustrative figures)

        - Average age of the twenty fell from 38 days to under 2.
        - Upload work fell from 46 to 8 hours a month; the time went to data quality.

        ## Lessons

        - Start with the systems that have an export; leave the hard ones for later.
        - Failures will happen; the alert matters more than the script.
        """,
        adaptations=(
            DemoAdaptation(
                "Eli Usman",
                IN_PLACE,
                50,
                "Automated 12 datasets, starting with permits and 311.",
                "Every one refreshes nightly; two failures caught by the alert so far.",
            ),
            DemoAdaptation(
                "Jada Brooks",
                PLANNING,
                20,
                "Pricing the contractor work for next year's budget.",
            ),
        ),
        helpful=("Eli Usman", "Jada Brooks", "Farid Patel", "Olivia Kim", "Grace Diallo"),
    ),
    DemoPractice(
        slug="portal-vendor-comparison-2024",
        title="Open data portal vendors compared (2024)",
        kind=PracticeKind.GUIDE,
        organisation=OPEN_DATA_COLLABORATIVE,
        author="Colin Usman",
        topics=(OPEN_DATA, CONTRACTING),
        days_ago=292,
        status="unpublished",
        summary=(
            "A side-by-side comparison of portal products by price band and features, "
            "taken down while prices are checked again."
        ),
        problem="Cities buying a portal had no neutral comparison of products.",
        intervention="A feature and price table compiled from vendor answers and city users.",
        outcome_measure="Cities using the comparison in a procurement",
        design=EvaluationDesign.DESCRIPTIVE,
        results=(
            DemoResult(
                "Cities citing the comparison in a request for proposals",
                "cities",
                "0",
                "2024-01-01",
                "7",
                "2024-12-31",
            ),
        ),
        cost="None",
        time_to_implement="Not applicable",
        links=(("Archived table", "https://opendata-collab.example.org/archive/portals-2024"),),
        body="""
        ## Why this entry is unpublished

        Prices in the table are out of date. It will return once vendors confirm them.

        ## What it compared

        - Price bands for cities of each size
        - Data formats, application interfaces and accessibility

        Figures are illustrative.
        """,
    ),
    DemoPractice(
        slug="data-stewards-network",
        title="A network of data stewards across departments",
        kind=PracticeKind.CASE_STUDY,
        organisation=OPEN_DATA_COLLABORATIVE,
        author="Colin Usman",
        topics=(DATA_GOVERNANCE, LEADERSHIP),
        days_ago=64,
        summary=(
            "A city named a data steward in each department and met monthly. Departments "
            "that joined first fixed data quality problems faster than those that joined "
            "later."
        ),
        problem=(
            "Data problems were reported to IT, who did not own the data and could not fix them."
        ),
        intervention=(
            "One steward per department with two hours a week for data quality, a monthly "
            "meeting and a shared issue log."
        ),
        outcome_measure="Median days to fix a reported data quality issue",
        design=EvaluationDesign.QUASI_EXPERIMENTAL,
        results=(
            DemoResult(
                "Median days to fix a data issue, network departments",
                "days",
                "47",
                "2024-09-01",
                "12",
                "2025-09-01",
            ),
            DemoResult(
                "Median days to fix a data issue, departments not yet in the network",
                "days",
                "44",
                "2024-09-01",
                "39",
                "2025-09-01",
            ),
        ),
        cost="Two hours a week of each steward's time",
        time_to_implement="3 months to start; a year to settle",
        links=(
            ("Steward role description", "https://opendata-collab.example.org/roles/steward"),
            ("Issue log template", "https://opendata-collab.example.org/templates/issue-log"),
        ),
        body="""
        ## How the network worked

        - Each department head named a steward and wrote the two hours into their role.
        - Stewards met monthly: one data problem, one improvement, one request.
        - Issues went into a shared log with an owner and a date.

        ## The comparison

        Eight departments joined in the first year and six joined a year later, because
        of staffing. The later six served as a rough comparison (illustrative figures):
        issue fixing sped up in network departments and barely moved elsewhere.

        ## Caveats

        - The first eight volunteered, so they may have been keener anyway.
        - Stewards left; have a deputy for each.
        """,
        adaptations=(
            DemoAdaptation(
                "Isaac Castillo",
                IN_PLACE,
                40,
                "Stewards meet every other month; we added a yearly data quality award.",
            ),
            DemoAdaptation(
                "Beatriz Diallo",
                PILOTING,
                30,
                "Network started with five departments.",
            ),
            DemoAdaptation(
                "Pat Practitioner",
                PLANNING,
                10,
                "Austin's performance office is proposing stewards for its key measures.",
            ),
        ),
        helpful=(
            "Isaac Castillo",
            "Beatriz Diallo",
            "Imani Diallo",
            "Hector Alvarez",
            "Pat Practitioner",
        ),
    ),
    # Results Procurement Institute ------------------------------------------------------
    DemoPractice(
        slug="outcomes-based-contract-template",
        title="Outcomes-based contract template",
        kind=PracticeKind.POLICY_TEMPLATE,
        organisation=PROCUREMENT_INSTITUTE,
        author="Gabe Vargas",
        topics=(CONTRACTING, BUDGETING),
        days_ago=298,
        featured=True,
        bookmarked_by_practitioner=True,
        updates=(
            DemoUpdate(
                days_ago=205,
                section="Choosing the outcome payment",
                results_added=1,
            ),
            DemoUpdate(
                days_ago=58,
                section="What partner cities changed",
                summary_before=(
                    "Contract language that pays providers for results (jobs kept, people "
                    "housed) instead of activities, with notes on each clause."
                ),
            ),
        ),
        summary=(
            "Contract language that pays providers for results (jobs kept, people housed) "
            "instead of activities, with notes on each clause and what partner cities "
            "changed when they used it."
        ),
        problem=(
            "Service contracts paid for hours delivered and places filled, so nobody knew "
            "whether residents were better off."
        ),
        intervention=(
            "Pay part of the contract (10 to 30%) on verified outcomes, with a data "
            "schedule and quarterly reviews written into the contract."
        ),
        outcome_measure="Share of contract value tied to verified outcomes",
        design=EvaluationDesign.DESCRIPTIVE,
        results=(
            DemoResult(
                "Contract value tied to outcomes in the pilot contracts",
                "%",
                "0",
                "2024-07-01",
                "20",
                "2025-07-01",
            ),
            DemoResult(
                "Participants still employed after six months",
                "%",
                "44",
                "2024-12-31",
                "53",
                "2025-12-31",
            ),
        ),
        cost="Legal and procurement staff time; a data analyst for verification",
        time_to_implement="6 to 9 months for a first contract",
        links=(
            (
                "Contract template (DOCX)",
                "https://results-procurement.example.org/templates/outcomes-contract",
            ),
            (
                "Clause notes",
                "https://results-procurement.example.org/templates/outcomes-contract-notes",
            ),
            (
                "Data schedule example (XLSX)",
                "https://results-procurement.example.org/templates/data-schedule.xlsx",
            ),
        ),
        body="""
        ## The clauses that matter

        1. **Outcome definitions**: what counts, measured how, from which data.
        2. **Payment schedule**: the share paid on outcomes and the price of each.
        3. **Data schedule**: what the provider reports, when, and how it is checked.
        4. **Quarterly review**: a standing meeting to read the data together.
        5. **Adjustment**: how outcomes and prices can change without re-procuring.

        ## Choosing the outcome payment

        - Start with 10 to 20% of the contract value; providers need cash flow.
        - Pay for outcomes the provider can influence within the contract period.
        - Price each outcome from what it is worth to the city, not from the cost.

        ## What partner cities changed

        - A smaller city dropped the outcome share to 10% so local nonprofits could bid.
        - Another added a bonus for serving residents with the highest barriers.

        ## Caveats

        The figures are illustrative, from pilot contracts in two partner cities, and
        describe what happened rather than testing the template against other contracts.
        """,
        adaptations=(
            DemoAdaptation(
                "Tanya Sato",
                IN_PLACE,
                240,
                "Used for **workforce training** with three providers, 15% on outcomes.",
                "All three providers met the six-month retention target in year one.",
            ),
            DemoAdaptation(
                "Hector Quiroga",
                IN_PLACE,
                190,
                "Applied to homeless outreach, paying on housing placements kept 12 months.",
                "Placements up by a third; one provider left the contract.",
            ),
            DemoAdaptation(
                "Victor Chen",
                PILOTING,
                100,
                "A 10% outcome share so that small local nonprofits could bid.",
            ),
            DemoAdaptation(
                "Colin Vargas",
                IN_PLACE,
                160,
                "Added an equity bonus for serving residents with the highest barriers.",
            ),
            DemoAdaptation(
                "Beatriz Gupta",
                PLANNING,
                35,
                "Drafting a version for our youth services contract.",
            ),
            DemoAdaptation(
                "Pat Practitioner",
                PILOTING,
                55,
                "Austin is piloting outcome payments in one job training contract.",
            ),
        ),
        helpful=(
            "Tanya Sato",
            "Hector Quiroga",
            "Victor Chen",
            "Colin Vargas",
            "Beatriz Gupta",
            "Hana Okafor",
            "Zoe Flores",
            "Jada Brooks",
            "Yusuf Kim",
            "Farid Gupta",
            "Pat Practitioner",
            "Ximena Hughes",
        ),
    ),
    DemoPractice(
        slug="active-contract-management-guide",
        title="Active contract management: a guide to quarterly performance reviews",
        kind=PracticeKind.GUIDE,
        organisation=PROCUREMENT_INSTITUTE,
        author="Jada Alvarez",
        topics=(CONTRACTING, PERFORMANCE),
        days_ago=237,
        summary=(
            "Meet your largest vendors every quarter with their data on the table. This "
            "guide covers picking contracts, the agenda, the data pack and following up."
        ),
        problem=(
            "Contracts were reviewed only at renewal, when it was too late to fix what had "
            "gone wrong."
        ),
        intervention=(
            "Quarterly data-driven reviews with the city's largest vendors, run by a "
            "contract manager with a standard agenda and an action log."
        ),
        outcome_measure="Vendors meeting their contract's key performance targets",
        design=EvaluationDesign.PRE_POST,
        results=(
            DemoResult(
                "Large vendors meeting their key targets",
                "% of vendors",
                "55",
                "2024-07-01",
                "75",
                "2025-07-01",
            ),
        ),
        cost="About 4 staff hours per contract per quarter",
        time_to_implement="One quarter to start with five contracts",
        links=(
            (
                "Review agenda and data pack template",
                "https://results-procurement.example.org/guides/quarterly-review-pack",
            ),
        ),
        body="""
        ## Steps

        1. Pick five contracts: the largest, or those residents complain about most.
        2. Agree three to five measures per contract with the vendor.
        3. Ask for the data two weeks before each meeting.
        4. Meet for one hour: what the data shows, why, what each side will do.
        5. Keep an action log and open the next meeting with it.

        ## The agenda

        - Results against targets (15 minutes)
        - Causes: what is getting in the way (20 minutes)
        - Actions, owners and dates (20 minutes)
        - Anything the city is doing that makes it harder (5 minutes)

        ## Caveats

        - Illustrative figures from one partner city's first year, before and after.
        - The meeting is a partnership, not an audit; vendors who feel ambushed stop
          sharing data.
        """,
        adaptations=(
            DemoAdaptation(
                "Tanya Sato",
                IN_PLACE,
                180,
                "Reviews with our 20 largest vendors, every quarter.",
                "Two contracts renegotiated mid-term instead of failing at renewal.",
            ),
            DemoAdaptation(
                "Hana Okafor",
                IN_PLACE,
                120,
                "Added resident complaint counts to every data pack.",
            ),
            DemoAdaptation(
                "Victor Chen",
                PILOTING,
                60,
                "Started with the snow removal and waste contracts.",
            ),
        ),
        helpful=("Tanya Sato", "Hana Okafor", "Victor Chen", "Zoe Flores", "Amara Flores"),
    ),
    DemoPractice(
        slug="homeless-services-recontracting",
        title="Re-contracting homeless services around housing placements",
        kind=PracticeKind.CASE_STUDY,
        organisation=PROCUREMENT_INSTITUTE,
        author="Gabe Vargas",
        topics=(CONTRACTING, EVALUATIONS),
        days_ago=205,
        summary=(
            "A city rewrote its homeless services contracts to pay for housing placements "
            "instead of shelter nights. Placements rose faster than in a neighbouring "
            "county that kept the old contracts."
        ),
        problem=(
            "Contracts paid for shelter beds filled, which rewarded keeping people in "
            "shelter rather than helping them into housing."
        ),
        intervention=(
            "New contracts paying a base amount plus a payment for each household placed "
            "in housing and still housed after six months."
        ),
        outcome_measure="Households placed in housing and still housed after six months",
        design=EvaluationDesign.QUASI_EXPERIMENTAL,
        results=(
            DemoResult(
                "Placements still housed after six months, per quarter",
                "households",
                "120",
                "2024-03-31",
                "168",
                "2025-03-31",
            ),
            DemoResult(
                "Average nights in shelter before placement",
                "nights",
                "131",
                "2024-03-31",
                "97",
                "2025-03-31",
            ),
        ),
        cost="No extra contract spending; about 0.5 of an analyst for verification",
        time_to_implement="12 months, including a procurement cycle",
        links=(
            (
                "Before and after contract language",
                "https://results-procurement.example.org/cases/housing-placements",
            ),
        ),
        body="""
        ## What changed in the contracts

        - **Before**: a fixed rate per shelter night.
        - **After**: a base payment covering 80% of costs, plus a payment per household
          housed and still housed after six months.

        ## How the result was compared

        The neighbouring county, with a similar population and the same housing market,
        kept its old contracts. Placements rose by 40% in the city and by about 10% in
        the county over the same year (illustrative figures).

        ## Lessons

        1. Verify placements with landlord records, not provider reports alone.
        2. Keep the base payment high enough for providers to survive a slow quarter.
        3. Watch for "creaming": providers choosing the easiest households.

        ## Caveats

        The county differs in ways that matter, and new housing vouchers arrived in the
        city that year. The comparison suggests, it does not prove.
        """,
        adaptations=(
            DemoAdaptation(
                "Hector Quiroga",
                IN_PLACE,
                150,
                "Used the placement payment; kept shelter funding separate.",
                "Placements up by a quarter in the first year.",
            ),
            DemoAdaptation(
                "Rosa Flores",
                PLANNING,
                40,
                "Consulting providers before the next procurement.",
            ),
        ),
        helpful=("Hector Quiroga", "Rosa Flores", "Hana Okafor", "Colin Vargas", "Lena Lopez"),
    ),
    DemoPractice(
        slug="vendor-performance-scorecards",
        title="Vendor performance scorecards toolkit",
        kind=PracticeKind.TOOLKIT,
        organisation=PROCUREMENT_INSTITUTE,
        author="Jada Alvarez",
        topics=(CONTRACTING, PERFORMANCE),
        days_ago=168,
        summary=(
            "A one-page scorecard for each major contract, published quarterly, with a "
            "template, a scoring guide and advice on sharing it with vendors first."
        ),
        problem=("Past performance was not recorded, so poor vendors won new contracts on price."),
        intervention=(
            "A standard scorecard per contract each quarter, shared with the vendor, kept "
            "on file and considered in future awards."
        ),
        outcome_measure="Scorecards completed on time each quarter",
        design=EvaluationDesign.PRE_POST,
        results=(
            DemoResult(
                "Major contracts with a current scorecard",
                "%",
                "10",
                "2024-10-01",
                "85",
                "2025-10-01",
            ),
        ),
        cost="About 2 staff hours per contract per quarter",
        time_to_implement="2 quarters",
        links=(
            (
                "Scorecard template (XLSX)",
                "https://results-procurement.example.org/toolkits/scorecard.xlsx",
            ),
            (
                "Scoring guide",
                "https://results-procurement.example.org/toolkits/scorecard-guide",
            ),
        ),
        body="""
        ## The scorecard

        Five rows, each scored 1 to 4 with a sentence of evidence:

        1. Results against the contract's targets
        2. Timeliness of deliverables
        3. Quality of data reported
        4. Responsiveness to the city's requests
        5. Resident feedback

        ## Steps

        1. Start with contracts above a value threshold (for example $250,000).
        2. Send the draft scorecard to the vendor a week before it is final.
        3. File it where evaluators of future bids can see it.

        ## Caveats

        The coverage figures are illustrative. Check your procurement rules on using
        past performance in awards before you promise to.
        """,
        adaptations=(
            DemoAdaptation(
                "Zoe Flores",
                IN_PLACE,
                90,
                "Scorecards for contracts over $100,000.",
                "Past performance now counts for 15% of the score in new awards.",
            ),
        ),
        helpful=("Zoe Flores", "Tanya Sato", "Victor Chen", "Hana Okafor"),
    ),
    DemoPractice(
        slug="contract-data-standard",
        title="A data standard for publishing city contracts",
        kind=PracticeKind.DATASET_STANDARD,
        organisation=PROCUREMENT_INSTITUTE,
        author="Gabe Vargas",
        topics=(CONTRACTING, OPEN_DATA),
        days_ago=117,
        summary=(
            "Fields for publishing every contract the city signs, its amendments and "
            "payments, so residents and small businesses can see who is paid for what."
        ),
        problem=(
            "Contract information was scattered across council minutes and PDFs, and "
            "small businesses could not see upcoming renewals."
        ),
        intervention=(
            "Publish a contracts dataset with standard fields, including the renewal date "
            "and the performance measures, updated weekly."
        ),
        outcome_measure="Bids received per solicitation",
        design=EvaluationDesign.DESCRIPTIVE,
        results=(
            DemoResult(
                "Average bids per solicitation",
                "bids",
                "2.8",
                "2024-11-01",
                "3.6",
                "2025-11-01",
            ),
        ),
        cost="A weekly export from the financial system",
        time_to_implement="2 to 3 months",
        links=(
            ("Field definitions", "https://results-procurement.example.org/standards/contracts"),
        ),
        body="""
        ## Fields

        - `contract_id`, `title`, `vendor_name`, `department`
        - `awarded_on`, `starts_on`, `ends_on`, `renewal_options`
        - `awarded_value`, `amended_value`, `paid_to_date`
        - `performance_measures`: the measures written into the contract

        ## Steps

        1. Export from the financial system weekly.
        2. Publish renewal dates first; they matter most to new bidders.
        3. Link each row to the contract document where the law allows.

        ## Caveats

        More bids came in the year the dataset was published (illustrative figures),
        but outreach to small businesses also grew that year.
        """,
        adaptations=(
            DemoAdaptation(
                "Beatriz Gupta",
                IN_PLACE,
                70,
                "Published with renewal dates and a monthly e-mail to registered vendors.",
            ),
            DemoAdaptation(
                "Jada Brooks",
                PILOTING,
                30,
                "Contracts over $50,000 published first.",
            ),
        ),
        helpful=("Beatriz Gupta", "Jada Brooks", "Eli Usman"),
    ),
    DemoPractice(
        slug="workforce-training-outcome-contracts-evaluation",
        title="Evaluation: outcome payments in workforce training contracts",
        kind=PracticeKind.EVALUATION_REPORT,
        organisation=PROCUREMENT_INSTITUTE,
        author="Jada Alvarez",
        topics=(CONTRACTING, BUDGETING),
        days_ago=73,
        summary=(
            "Three training providers moved to contracts with 15% paid on job retention. "
            "Their trainees kept jobs longer than those of providers still on the old "
            "contracts."
        ),
        problem=(
            "Training contracts paid per enrolment, and many trainees finished courses "
            "without finding or keeping a job."
        ),
        intervention=(
            "15% of each contract paid when a trainee is still employed six months after "
            "completing the course, checked against wage records."
        ),
        outcome_measure="Trainees employed six months after completing training",
        design=EvaluationDesign.QUASI_EXPERIMENTAL,
        results=(
            DemoResult(
                "Employed at six months, outcome-contract providers",
                "%",
                "46",
                "2024-06-30",
                "58",
                "2025-06-30",
            ),
            DemoResult(
                "Employed at six months, providers on the old contracts",
                "%",
                "45",
                "2024-06-30",
                "48",
                "2025-06-30",
            ),
        ),
        cost="Wage record matching (about $8,000 a year) and analyst time",
        time_to_implement="18 months including follow-up",
        links=(
            (
                "Evaluation report (PDF)",
                "https://results-procurement.example.org/reports/workforce-outcomes",
            ),
        ),
        body="""
        ## The design

        In one partner city, three of seven training providers moved to outcome
        contracts at renewal; the other four renewed a year later. The four served as a
        comparison group (a difference-in-differences design).

        ## Results (illustrative figures)

        - Retention at six months rose by 12 points with outcome contracts and by 3
          points without.
        - Enrolments fell slightly with outcome contracts: providers screened more.

        ## What to watch

        - Screening: providers may enrol people who would have found jobs anyway.
          Track who is enrolled, not just how they do.
        - Wage records lag by two quarters; plan payments accordingly.
        """,
        adaptations=(
            DemoAdaptation(
                "Tanya Sato",
                IN_PLACE,
                50,
                "Our own contracts already followed the template; we added the wage record "
                "matching.",
            ),
        ),
        helpful=("Tanya Sato", "Hector Quiroga", "Grace Usman", "Jada Yilmaz"),
    ),
    DemoPractice(
        slug="rfp-scoring-rubric",
        title="A scoring rubric for results-focused requests for proposals",
        kind=PracticeKind.TOOLKIT,
        organisation=PROCUREMENT_INSTITUTE,
        author="Gabe Vargas",
        topics=(CONTRACTING,),
        days_ago=6,
        status="draft",
        summary=(
            "A rubric that gives points for a bidder's evidence of results and its plan to "
            "measure them, not only for price and experience."
        ),
        problem="Bids were scored mostly on price and years in business.",
        intervention="A rubric with 25% of points for evidence of results and measurement.",
        outcome_measure="Share of awards to bidders with evidence of results",
        design=None,
        results=(
            DemoResult(
                "Awards to bidders with evidence of results",
                "%",
                "30",
                "2025-01-01",
                "—",
                "2025-12-31",
            ),
        ),
        cost="Staff time",
        time_to_implement="One procurement",
        links=(("Rubric draft", "https://results-procurement.example.org/drafts/rubric"),),
        body="""
        ## Draft for review by the procurement coaches

        - Evidence of results: 15 points
        - Plan to measure results: 10 points
        - Price: 40 points
        - Experience and capacity: 35 points

        Figures are illustrative placeholders.
        """,
    ),
    # Community Insight Partners ---------------------------------------------------------
    DemoPractice(
        slug="participatory-budgeting-guide",
        title="Participatory budgeting that reaches residents who rarely vote",
        kind=PracticeKind.GUIDE,
        organisation=INSIGHT_PARTNERS,
        author="Jada Kim",
        topics=(ENGAGEMENT, BUDGETING),
        days_ago=256,
        summary=(
            "How to run a participatory budgeting cycle so that its voters look like the "
            "district: where to hold idea sessions, how to vote, and what to publish."
        ),
        problem=(
            "Participatory budgeting drew the same residents who already attend meetings, "
            "mostly older homeowners."
        ),
        intervention=(
            "Idea collection at schools, bus stops and laundromats; voting open to "
            "residents aged 14 and up, online and in person over two weeks."
        ),
        outcome_measure="Votes cast by renters and residents under 30",
        design=EvaluationDesign.DESCRIPTIVE,
        results=(
            DemoResult(
                "Ballots from renters",
                "% of ballots",
                "28",
                "2024-05-31",
                "47",
                "2025-05-31",
            ),
            DemoResult(
                "Ballots from residents under 30",
                "% of ballots",
                "11",
                "2024-05-31",
                "26",
                "2025-05-31",
            ),
        ),
        cost="About $60,000 per cycle for staff and outreach, plus the projects' budget",
        time_to_implement="8 months per cycle",
        links=(
            (
                "Outreach plan template",
                "https://community-insight.example.org/guides/pb-outreach",
            ),
            ("Ballot design examples", "https://community-insight.example.org/guides/pb-ballot"),
        ),
        body="""
        ## The cycle

        1. **Rules** (month 1): a steering group of residents writes them.
        2. **Ideas** (months 2–3): go where people already are.
        3. **Proposals** (months 4–6): volunteers and staff cost the ideas.
        4. **Vote** (month 7): two weeks, online and in person, age 14 and up.
        5. **Report** (month 8 onward): publish progress on each winning project.

        ## Reaching people who rarely take part

        - Pay community groups to host idea sessions.
        - Put ballots where people wait: clinics, bus depots, school pick-up.
        - Translate ballots into the district's top three languages.

        ## Caveats

        - Who voted was measured with an optional question on the ballot; figures are
          illustrative and describe one district's two cycles.
        - Projects must be delivered on time, or the next cycle's turnout falls.
        """,
        adaptations=(
            DemoAdaptation(
                "Hana Patel",
                IN_PLACE,
                200,
                "Ran it in **two council districts** with ballots at recreation centres.",
                "Turnout under 30 doubled compared with our previous cycle.",
            ),
            DemoAdaptation(
                "Colin Yilmaz",
                IN_PLACE,
                130,
                "City-wide, with a youth-only ballot for a park budget.",
            ),
            DemoAdaptation(
                "Hector Castillo",
                PILOTING,
                70,
                "First cycle under way with a $250,000 budget.",
            ),
            DemoAdaptation(
                "Lena Dubois",
                PLANNING,
                30,
                "Preparing a proposal for one district.",
            ),
        ),
        helpful=(
            "Hana Patel",
            "Colin Yilmaz",
            "Hector Castillo",
            "Lena Dubois",
            "Amara Xu",
            "Fatima Gupta",
            "Dalia Brooks",
            "Quinn Lopez",
        ),
    ),
    DemoPractice(
        slug="resident-survey-by-neighbourhood",
        title="A resident survey you can report by neighbourhood",
        kind=PracticeKind.TOOLKIT,
        organisation=INSIGHT_PARTNERS,
        author="Jada Kim",
        topics=(ENGAGEMENT, PERFORMANCE),
        days_ago=226,
        updates=(
            DemoUpdate(
                days_ago=95,
                section="Weighting the answers",
                results_added=1,
            ),
        ),
        summary=(
            "Questions, a sampling plan and a reporting template for a yearly resident "
            "survey with enough answers in each neighbourhood to compare them."
        ),
        problem=(
            "The city's survey had too few answers from some neighbourhoods to say "
            "anything about them, and those were the ones with the most complaints."
        ),
        intervention=(
            "Sample addresses by neighbourhood, follow up by mail and door-knocking where "
            "response is low, and weight answers to the population."
        ),
        outcome_measure="Neighbourhoods with at least 100 answers",
        design=EvaluationDesign.PRE_POST,
        results=(
            DemoResult(
                "Neighbourhoods with at least 100 answers",
                "of 24 neighbourhoods",
                "9",
                "2024-04-30",
                "22",
                "2025-04-30",
            ),
            DemoResult(
                "Response rate in the lowest-responding quarter of neighbourhoods",
                "%",
                "6",
                "2024-04-30",
                "14",
                "2025-04-30",
            ),
        ),
        cost="About $45,000 a year for printing, postage and door-knocking",
        time_to_implement="4 months from design to first report",
        links=(
            (
                "Questionnaire (DOCX)",
                "https://community-insight.example.org/toolkits/resident-survey",
            ),
            (
                "Sampling calculator (XLSX)",
                "https://community-insight.example.org/toolkits/survey-sampling.xlsx",
            ),
        ),
        body="""
        ## What is in the toolkit

        - 30 questions, tested for reading age and translated into five languages.
        - A sampling calculator: how many addresses per neighbourhood.
        - A report template with one page per neighbourhood.

        ## Steps

        1. Draw addresses by neighbourhood, more where response was low last year.
        2. Mail an invitation, then a paper survey, then a reminder.
        3. Door-knock in neighbourhoods still below target after four weeks.
        4. Publish results by neighbourhood, with the number of answers behind each.

        ## Weighting the answers

        Weight answers to each neighbourhood's age, tenure and language mix from census
        figures. Publish unweighted counts too, so readers see how thin the data is.

        ## Caveats

        Figures are illustrative, from one partner city's two survey years. Door-knocking
        raises response but costs the most; budget for it.
        """,
        adaptations=(
            DemoAdaptation(
                "Rosa Flores",
                IN_PLACE,
                150,
                "Added door-knocking in six neighbourhoods with the lowest response.",
                "Every neighbourhood now has at least 80 answers.",
            ),
            DemoAdaptation(
                "Tanya Thompson",
                IN_PLACE,
                110,
                "Results feed the performance dashboard, by neighbourhood.",
            ),
            DemoAdaptation(
                "Dalia Brooks",
                PILOTING,
                50,
                "Small city: survey by council district instead of neighbourhood.",
            ),
            DemoAdaptation(
                "Quinn Lopez",
                PLANNING,
                18,
                "Reviewing Austin's survey sample against the calculator.",
            ),
        ),
        helpful=(
            "Rosa Flores",
            "Tanya Thompson",
            "Dalia Brooks",
            "Quinn Lopez",
            "Amara Flores",
            "Fatima Okafor",
        ),
    ),
    DemoPractice(
        slug="co-designing-a-311-app",
        title="Co-designing a 311 app with residents who rarely contact the city",
        kind=PracticeKind.CASE_STUDY,
        organisation=INSIGHT_PARTNERS,
        author="Jada Kim",
        topics=(ENGAGEMENT, OPEN_DATA),
        days_ago=144,
        summary=(
            "A city paid a panel of residents who rarely contacted it to help design its "
            "new 311 app. Requests from their neighbourhoods rose after launch."
        ),
        problem=(
            "311 requests came mostly from a few neighbourhoods, so crews went where "
            "people complained, not where problems were."
        ),
        intervention=(
            "A paid panel of 24 residents from low-reporting neighbourhoods met six times "
            "to test and shape the app before launch."
        ),
        outcome_measure="Share of 311 requests from low-reporting neighbourhoods",
        design=EvaluationDesign.DESCRIPTIVE,
        results=(
            DemoResult(
                "Requests from the lowest-reporting third of neighbourhoods",
                "% of requests",
                "14",
                "2024-09-30",
                "21",
                "2025-09-30",
            ),
        ),
        cost="$9,600 in stipends ($400 per panellist) plus staff time",
        time_to_implement="5 months before launch",
        links=(
            ("Panel recruitment flyer", "https://community-insight.example.org/cases/311-panel"),
        ),
        body="""
        ## How the panel worked

        - 24 residents recruited through libraries, churches and a tenants' union.
        - Paid $400 each for six evening sessions, with childcare and dinner.
        - Each session tested one part of the app on their own phones.

        ## What they changed

        1. Photos first, categories second: people know what they see, not its name.
        2. An option to report without an account.
        3. Status updates by text message, not only in the app.

        ## Results (illustrative figures)

        Requests from the lowest-reporting third of neighbourhoods rose from 14% to 21%
        of all requests in the year after launch. The app changed at the same time as the
        panel's work, so we cannot separate the two.
        """,
        adaptations=(
            DemoAdaptation(
                "Kofi Vargas",
                PILOTING,
                60,
                "A panel of 12 for our website redesign.",
            ),
            DemoAdaptation(
                "Eli Diallo",
                PLANNING,
                22,
                "Proposing a panel for Austin's next 311 upgrade.",
            ),
        ),
        helpful=("Kofi Vargas", "Eli Diallo", "Amara Xu", "Yusuf Yilmaz", "Olivia Kim"),
    ),
    DemoPractice(
        slug="door-knocking-versus-mail-for-renters",
        title="Door-knocking or mail? A trial in reaching renters about repair rights",
        kind=PracticeKind.EVALUATION_REPORT,
        organisation=INSIGHT_PARTNERS,
        author="Jada Kim",
        topics=(ENGAGEMENT, EVALUATIONS),
        days_ago=47,
        summary=(
            "Buildings were assigned at random to get a letter, a door-knock or nothing "
            "about renters' repair rights. Door-knocking reached more renters, at a cost."
        ),
        problem=(
            "Few renters knew they could ask the city to inspect unsafe conditions, and "
            "mailings seemed to go unread."
        ),
        intervention=(
            "Trained canvassers knocked on doors in randomly chosen buildings, left a "
            "one-page guide and offered to file an inspection request on the spot."
        ),
        outcome_measure="Inspection requests per 100 units in the following three months",
        design=EvaluationDesign.RANDOMISED_TRIAL,
        results=(
            DemoResult(
                "Inspection requests per 100 units, letter buildings",
                "requests",
                "1.1",
                "2025-04-01",
                "1.6",
                "2025-07-01",
            ),
            DemoResult(
                "Inspection requests per 100 units, door-knock buildings",
                "requests",
                "1.1",
                "2025-04-01",
                "3.9",
                "2025-07-01",
            ),
        ),
        cost="About $14 per unit door-knocked; $0.90 per unit mailed",
        time_to_implement="4 months",
        links=(
            (
                "Canvasser training guide",
                "https://community-insight.example.org/reports/canvasser-training",
            ),
            (
                "Trial report (PDF)",
                "https://community-insight.example.org/reports/renters-outreach-trial",
            ),
        ),
        body="""
        ## The trial

        In a city of about 300,000, 180 apartment buildings were split by lottery into
        three groups of 60: a letter, a door-knock, or nothing (the comparison).

        ## Results (illustrative figures)

        - Letters raised inspection requests a little (1.1 to 1.6 per 100 units).
        - Door-knocking raised them a lot (1.1 to 3.9), mostly from requests filed on the
          spot with the canvasser's help.
        - The comparison buildings did not change.

        ## Cost per extra request

        Door-knocking cost about five times as much per extra request as letters. For
        buildings with many past violations it is worth it; elsewhere, a letter may do.

        ## Caveats

        - One city and one season.
        - More inspection requests are good only if inspectors can keep up; talk to them
          before you start.
        """,
        adaptations=(
            DemoAdaptation(
                "Amara Xu",
                PLANNING,
                20,
                "Planning door-knocking in buildings with open code violations.",
            ),
        ),
        helpful=("Amara Xu", "Isaac Jensen", "Rosa Flores", "Kofi Vargas"),
    ),
    DemoPractice(
        slug="community-engagement-policy-template",
        title="A community engagement policy template",
        kind=PracticeKind.POLICY_TEMPLATE,
        organisation=INSIGHT_PARTNERS,
        author="Jada Kim",
        topics=(ENGAGEMENT, LEADERSHIP),
        days_ago=31,
        summary=(
            "A citywide policy that says when departments must engage residents, how "
            "early, how to reach those most affected, and how to report back what they "
            "heard."
        ),
        problem=(
            "Each department engaged residents its own way, often after decisions were "
            "made, and rarely reported back."
        ),
        intervention=(
            "A policy with engagement levels matched to the decision, a minimum lead time, "
            "language access rules and a 'what we heard' report."
        ),
        outcome_measure="Projects publishing a 'what we heard' report",
        design=None,
        results=(
            DemoResult(
                "Capital projects with a 'what we heard' report",
                "%",
                "15",
                "2024-12-31",
                "60",
                "2025-12-31",
            ),
        ),
        cost="Staff time; training for project managers",
        time_to_implement="6 months from draft to adoption",
        links=(
            (
                "Policy template (DOCX)",
                "https://community-insight.example.org/templates/engagement-policy",
            ),
        ),
        body="""
        ## Engagement levels

        | Decision | Level | Minimum lead time |
        |---|---|---|
        | Routine maintenance | Inform | 2 weeks |
        | Changes to a service | Consult | 6 weeks |
        | New facility or program | Involve | 3 months |

        ## Clauses

        1. Engage before options are chosen, not after.
        2. Reach those most affected first; plan how, in writing.
        3. Provide interpretation and translation on request, free.
        4. Publish a "what we heard" report and what changed because of it.

        ## Caveats

        The figures are illustrative, from one partner city in its first year, and the
        entry gives no evaluation design: it is a template, not a tested program.
        """,
        adaptations=(
            DemoAdaptation(
                "Fatima Gupta",
                PLANNING,
                12,
                "Council committee reviewing an adapted version.",
            ),
        ),
        helpful=("Fatima Gupta", "Lena Dubois", "Tanya Castillo"),
    ),
    DemoPractice(
        slug="resident-feedback-data-standard",
        title="A data standard for recording resident feedback",
        kind=PracticeKind.DATASET_STANDARD,
        organisation=INSIGHT_PARTNERS,
        author="Jada Kim",
        topics=(ENGAGEMENT, DATA_GOVERNANCE),
        days_ago=22,
        summary=(
            "Fields for recording what residents said at meetings, in surveys and online, "
            "so that comments from every channel can be counted, themed and answered."
        ),
        problem=(
            "Comments from meetings, e-mails and surveys sat in separate files, and the "
            "loudest channel shaped decisions."
        ),
        intervention=(
            "One log of feedback with standard fields for channel, theme, neighbourhood "
            "and the city's response."
        ),
        outcome_measure="Comments logged with a theme and a response",
        design=EvaluationDesign.DESCRIPTIVE,
        results=(
            DemoResult(
                "Comments with a theme and a recorded response",
                "%",
                "20",
                "2025-03-01",
                "70",
                "2025-09-01",
            ),
        ),
        cost="A shared spreadsheet or the city's existing CRM",
        time_to_implement="1 month",
        links=(
            ("Field list", "https://community-insight.example.org/standards/feedback"),
            (
                "Theme list (CSV)",
                "https://community-insight.example.org/standards/feedback-themes.csv",
            ),
        ),
        body="""
        ## Fields

        - `received_on`, `channel` (meeting, survey, e-mail, online, phone)
        - `neighbourhood`, when the resident gives it
        - `theme` from a short shared list, and `detail` in the resident's words
        - `response`: what the city did or said, and `responded_on`

        ## Steps

        1. Agree ten to fifteen themes with the project team.
        2. Log every comment the same week it arrives.
        3. Publish counts by theme and channel with the "what we heard" report.

        ## Caveats

        Figures are illustrative. Never publish `detail` with names or addresses.
        """,
        helpful=("Tanya Castillo", "Hector Castillo"),
    ),
)


# Questions members asked about entries, opened from the entry's page ------------------------

PRACTICE_QUESTIONS = (
    (
        "outcomes-based-contract-template",
        DemoThread(
            asker="Victor Chen",
            title=(
                "Outcomes-based contract template: how did small nonprofits cope with "
                "waiting for outcome payments?"
            ),
            topics=(CONTRACTING, BUDGETING),
            days_ago=48,
            body="""
            We are piloting the template with a 10% outcome share. Two of our local
            providers say even that is hard, because the outcome is measured six months
            after the service and they run on thin reserves.

            Did anyone pay part of the outcome payment earlier, on an interim milestone?
            """,
            answers=(
                DemoAnswer(
                    author="Tanya Sato",
                    votes=6,
                    accepted=True,
                    body="""
                    Yes. We pay half of each outcome payment at an interim milestone (job
                    started) and half at retention (six months). Providers told us that
                    was the difference between bidding and not bidding.

                    The risk is paying for starts that do not last, so keep the retention
                    half big enough to matter.
                    """,
                    comments=(
                        DemoComment(
                            "Victor Chen",
                            "Thank you, that split is what I will propose to our council.",
                        ),
                    ),
                ),
                DemoAnswer(
                    author="Gabe Vargas",
                    votes=4,
                    body="""
                    Another option: pay quarterly on outcomes verified so far, rather than
                    once a year. The template's payment schedule clause allows either.
                    """,
                ),
            ),
        ),
    ),
    (
        "reminder-letters-randomised-trial",
        DemoThread(
            asker="Pat Practitioner",
            title="Did the reminder letter trial need approval from an ethics board?",
            topics=(EVALUATIONS,),
            days_ago=27,
            body="""
            I would like to run the reminder letter trial on utility deposit refunds.
            Our legal team asks whether testing letters on residents needs any kind of
            ethics review. What did other cities do?
            """,
            answers=(
                DemoAnswer(
                    author="Beatriz Flores",
                    votes=5,
                    body="""
                    In the city in the report, the city attorney reviewed the letters, not an
                    ethics board: every version was one the city could lawfully send anyway,
                    and nobody got less than the usual notice. We wrote that reasoning into
                    the plan before the trial started.

                    If a university partner analyses the data, their review board may need
                    to look at it.
                    """,
                ),
            ),
        ),
    ),
    (
        "open-data-release-calendar",
        DemoThread(
            asker="Grace Diallo",
            title="Release calendar: what do you show when a dataset is retired?",
            topics=(OPEN_DATA,),
            days_ago=64,
            body="""
            We are setting up a release calendar from the guide. Some datasets will stop
            being published when the system behind them is replaced. Do you remove them
            from the calendar, or show them as retired?
            """,
        ),
    ),
)
