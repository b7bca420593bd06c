"""The demo discussions that `flask seed-demo` loads: questions city staff ask each
other, with answers from peers in other cities and partner organisations. Every word is
invented for this demo; the people are the members of core/demo_people.py and the demo
accounts, named by display name. Links point at example.org, never at a real site."""

from dataclasses import dataclass

DATA_GOVERNANCE = "Data Governance and Management"
OPEN_DATA = "Open Data"
PERFORMANCE = "Performance and Analytics"
EVALUATIONS = "Evaluations"
CONTRACTING = "Results-Driven Contracting"
ENGAGEMENT = "Stakeholder Engagement"
BUDGETING = "Budgeting and Repurposing for Results"
LEADERSHIP = "Leadership and Capacity"


@dataclass(frozen=True)
class DemoComment:
    author: str
    body: str


@dataclass(frozen=True)
class DemoAnswer:
    author: str
    body: str
    votes: int = 0
    accepted: bool = False
    comments: tuple[DemoComment, ...] = ()


@dataclass(frozen=True)
class DemoThread:
    asker: str
    title: str
    topics: tuple[str, ...]
    days_ago: float
    body: str
    answers: tuple[DemoAnswer, ...] = ()
    pinned: bool = False
    # The title of the thread this one is closed as a duplicate of.
    duplicate_of: str = ""
    close_reason: str = ""


DEMO_THREADS = (
    # Data governance and management ------------------------------------------------------
    DemoThread(
        asker="Farid Patel",
        title=(
            "How did you get departments to retire duplicate spreadsheets before launching "
            "an open data portal?"
        ),
        topics=(DATA_GOVERNANCE, OPEN_DATA),
        days_ago=114,
        body="""
        We are six months from launching our portal and every department has two or three
        copies of the same list: the "official" one in the system of record and a
        spreadsheet somebody keeps because the system's export is painful.

        What we have tried so far:

        - a memo from the city manager asking for one source per dataset (ignored)
        - offering to build exports for them (two departments took us up on it)

        If we publish from the system of record, the numbers will not match what staff
        quote at council. How did you get people to let go of their copies, and did you
        do it before or after launch?
        """,
        answers=(
            DemoAnswer(
                author="Eli Usman",
                votes=12,
                accepted=True,
                body="""
                We did it after launch, on purpose, and I would do it that way again.

                1. **Publish from the system of record, with a note** on each dataset page
                   saying which system it comes from and when it refreshes.
                2. When the spreadsheet numbers and the portal disagree at a meeting, the
                   question becomes "which one is wrong?", and the answer is almost always
                   the spreadsheet. Two of those conversations did more than any memo.
                3. For each spreadsheet we found, we asked what it did that the system did
                   not. Usually it was one calculated column. We added that column to the
                   published dataset, and the spreadsheet lost its reason to exist.

                Caveat: budget it as a year, not a quarter. We retired 31 of 40 known
                spreadsheets in the first twelve months; the last nine belong to people who
                will retire before their spreadsheets do.
                """,
                comments=(
                    DemoComment(
                        "Farid Patel",
                        "The calculated-column point is exactly our situation in permits. "
                        "Did you publish the calculated column as a separate field, or "
                        "replace the raw one?",
                    ),
                    DemoComment(
                        "Eli Usman",
                        "Separate field, named so it is obvious it is derived "
                        "(`days_to_issue_calc`), and the formula in the data dictionary.",
                    ),
                ),
            ),
            DemoAnswer(
                author="Colin Usman",
                votes=7,
                body="""
                One step before any of this: write down the list of spreadsheets. A simple
                inventory row per copy (owner, what it feeds, how often it is updated) makes
                the problem visible to department heads in a way the memo did not.

                @eli-usman's approach of absorbing the one useful column is the one we
                recommend to every city we work with. Our template for the inventory is at
                [opendata-collab.example.org/inventory](https://opendata-collab.example.org/inventory).
                """,
            ),
            DemoAnswer(
                author="Grace Flores",
                votes=4,
                body="""
                Smaller city, same story. What finally worked for us was boring: the
                finance director agreed that only numbers from the system of record can go
                into a council memo. Once the memos changed, the spreadsheets faded within
                two budget cycles.
                """,
            ),
            DemoAnswer(
                author="Yusuf Yilmaz",
                votes=2,
                body="""
                Watch out for spreadsheets that hold data the system cannot, such as notes
                about individual residents. Those should not go anywhere near the portal,
                and they may be the real reason a copy exists. We found two that needed a
                privacy review, not a retirement plan.
                """,
            ),
        ),
    ),
    DemoThread(
        asker="Grace Flores",
        title="What goes in a data inventory for a city of 95,000 with no data team?",
        topics=(DATA_GOVERNANCE,),
        days_ago=98,
        body="""
        It is me, half of one IT analyst, and goodwill. Every guide I read assumes a
        data governance committee and a catalog tool.

        If you had to start an inventory with a spreadsheet and a few interviews, which
        fields would you capture first, and which would you leave for year two?
        """,
        answers=(
            DemoAnswer(
                author="Colin Usman",
                votes=9,
                accepted=True,
                body="""
                Start with eight columns and resist adding more until people use it:

                | Field | Why it matters |
                | --- | --- |
                | Dataset name | In the department's words, not IT's |
                | Department and owner | A person, not a team |
                | System it lives in | Tells you how hard publication will be |
                | Update frequency | Daily, monthly, never |
                | Contains personal data? | Yes / no / not sure |
                | Used for a public report? | Points at your quick wins |
                | Known quality problems | In one sentence |
                | Could it be public? | Owner's first guess |

                Leave formats, schemas, lineage and retention for year two. Interviews of
                30 minutes per department are enough; ask "what do you report on every
                month?" and the datasets fall out of the answer.
                """,
            ),
            DemoAnswer(
                author="Imani Diallo",
                votes=5,
                body="""
                A large city's advice that still applies: do not try to be complete. Our
                first inventory listed 120 datasets and we later found over 300. The first
                120 were the ones that mattered, and the list earned us the staff to find
                the rest.
                """,
            ),
            DemoAnswer(
                author="Farid Patel",
                votes=3,
                body="""
                Add a "last checked" date column from day one. Inventories rot quietly; a
                date that is a year old tells you which rows to revisit.
                """,
            ),
        ),
    ),
    DemoThread(
        asker="Yusuf Yilmaz",
        title=(
            "Data sharing agreement with the county health department: who signs, and how "
            "long did it take?"
        ),
        topics=(DATA_GOVERNANCE,),
        days_ago=63,
        body="""
        We want to match our housing inspection records with the county's childhood
        asthma data (aggregated, not individual). Legal says "we have never done one of
        these". For those who have:

        - Who signed on your side: the city manager, the department head, the CDO?
        - How long from first draft to signature?
        - Did you use a template, and would you share the outline?
        """,
        answers=(
            DemoAnswer(
                author="Imani Diallo",
                votes=8,
                accepted=True,
                body="""
                Ours took seven months, and five of those were waiting for a meeting slot.
                What helped most the second time:

                1. **A one-page purpose statement first.** Which question, which fields,
                   what leaves each building, who sees it. Lawyers move faster when the
                   scope is already narrow.
                2. **Aggregate at the source.** If the county sends counts by census tract,
                   you may not need a full agreement; a memorandum of understanding can be
                   enough. Ask them early.
                3. **The department head signs, the CDO co-signs.** Our city manager only
                   signs when money changes hands.

                Our outline: purpose, data elements, permitted uses, security, retention
                and destruction, publication rules (minimum cell size of 11), term.
                """,
            ),
            DemoAnswer(
                author="Isaac Castillo",
                votes=3,
                body="""
                We keep a standing agreement with the county covering several projects,
                with an appendix per project. The first one took most of a year; each
                appendix now takes about three weeks.
                """,
            ),
            DemoAnswer(
                author="Pedro Hughes",
                votes=2,
                body="""
                If a university is involved, check whether their review board needs to see
                it too. That added two months for us because nobody asked until the end.
                """,
            ),
        ),
    ),
    DemoThread(
        asker="Imani Diallo",
        title="Naming data stewards: put it in job descriptions or keep it informal?",
        topics=(DATA_GOVERNANCE, LEADERSHIP),
        days_ago=35,
        body="""
        We have about forty informal data stewards: people who know their department's
        data and answer our questions. Turnover is starting to hurt, and HR has offered to
        add steward duties to job descriptions.

        Has anyone done that? Did it help, or did it turn a role people liked into a chore?
        """,
        answers=(
            DemoAnswer(
                author="Victor Nakamura",
                votes=10,
                accepted=True,
                body="""
                We did it two years ago. Short version: write it into the job description,
                but as **10% of the role with named duties**, not a vague line.

                Our four duties: keep the inventory rows for the department current, answer
                data questions within five working days, review the quality report each
                quarter, and tell us before a system change.

                What made it stick was the annual review: supervisors now ask about it. What
                we got wrong: we did not give stewards time back, and two of them burned
                out. Agree what comes off their plate before you add this.
                """,
                comments=(
                    DemoComment(
                        "Imani Diallo",
                        "How did you handle stewards in unionised positions? That is where our "
                        "HR team expects pushback.",
                    ),
                    DemoComment(
                        "Victor Nakamura",
                        "We took it through the labour-management committee as a "
                        "classification update. It took a quarter but nobody objected.",
                    ),
                ),
            ),
            DemoAnswer(
                author="Farid Patel",
                votes=4,
                body="""
                Keep the informal network too. Our monthly steward meeting is the only place
                where people from permits and from utilities discover they track the same
                addresses differently. The job description does not replace that.
                """,
            ),
            DemoAnswer(
                author="Tanya Castillo",
                votes=2,
                body="""
                Small city view: we named one steward per department in a city manager
                directive rather than job descriptions. Less formal, but it survived two
                reorganisations.
                """,
            ),
            DemoAnswer(
                author="Grace Flores",
                votes=1,
                body="Following this one; we are about to make the same decision.",
            ),
            DemoAnswer(
                author="Colin Usman",
                votes=3,
                body="""
                A sample steward role description we share with cities is at
                [opendata-collab.example.org/steward-role](https://opendata-collab.example.org/steward-role).
                Adapt the duties; keep the time allocation explicit.
                """,
            ),
        ),
    ),
    DemoThread(
        asker="Tanya Castillo",
        title="Retention schedules for 311 data: how long do you keep resident contact details?",
        topics=(DATA_GOVERNANCE, ENGAGEMENT),
        days_ago=12,
        body="""
        Our 311 system has kept every caller's phone number and e-mail since 2014. Nobody
        decided that; it just never got deleted. Before we connect it to a new CRM, I would
        like a policy.

        What retention period did you choose for contact details, and did you keep the
        request itself (without the contact) for longer?
        """,
        answers=(
            DemoAnswer(
                author="Eli Diallo",
                votes=3,
                body="""
                We keep contact details for 24 months after a request closes, then strip
                them and keep the request (type, location, dates) indefinitely for trend
                analysis. Two years covers the repeat-request follow-ups staff care about.

                Check your state's records schedule first: ours sets a minimum for some
                request types (code complaints) that overrides the 24 months.
                """,
            ),
            DemoAnswer(
                author="Yusuf Yilmaz",
                votes=2,
                body="""
                Same pattern here, 18 months. The deletion is a scheduled job, and we
                report the count each quarter so someone notices if it stops running.
                """,
            ),
        ),
    ),
    DemoThread(
        asker="Victor Nakamura",
        title="Has anyone built a data quality scorecard that departments actually read?",
        topics=(DATA_GOVERNANCE, PERFORMANCE),
        days_ago=4,
        body="""
        We produce a monthly quality report (missing values, late refreshes, duplicate
        records) for twelve departments. Open rates on the e-mail are under 20%.

        Has anyone found a format that gets attention? I am considering one number per
        department on the stat meeting agenda, but I worry it hides what to fix.
        """,
    ),
    DemoThread(
        asker="Lena Zimmer",
        title="Shadow spreadsheets keep coming back after we publish: how do you stop them?",
        topics=(DATA_GOVERNANCE, OPEN_DATA),
        days_ago=40,
        body="""
        We publish permits from the permitting system, but staff still keep their own
        spreadsheet and quote it at meetings. How did other cities get departments to
        retire their copies?
        """,
        answers=(
            DemoAnswer(
                author="Farid Patel",
                votes=2,
                body="""
                We asked almost exactly this a few months ago and got very practical
                answers, especially about absorbing the one useful column the spreadsheet
                has. Search for "retire duplicate spreadsheets" in discussions.
                """,
            ),
        ),
        duplicate_of=(
            "How did you get departments to retire duplicate spreadsheets before launching "
            "an open data portal?"
        ),
        close_reason="Same question as the earlier thread, which has an accepted answer.",
    ),
    # Open data -----------------------------------------------------------------------------
    DemoThread(
        asker="Olivia Kim",
        title=(
            "Publishing police use-of-force data: which fields did you leave out, and how "
            "did you explain it?"
        ),
        topics=(OPEN_DATA, ENGAGEMENT),
        days_ago=104,
        body="""
        Council has asked us to publish use-of-force incidents. The department is willing,
        but there is a long debate about officer names, exact locations and the
        demographics of the people involved.

        If you publish this, which fields are in and out, and what did you say publicly
        about the ones left out?
        """,
        answers=(
            DemoAnswer(
                author="Eli Usman",
                votes=11,
                accepted=True,
                body="""
                Our split, after about four months of meetings:

                - **In:** date, hour (not minute), police district, type of force, injuries
                  (yes/no for each party), the reason for the stop in categories, and the
                  race, sex and age band of the person involved.
                - **Out:** officer names (our state's personnel law), exact address (we
                  publish the block), free-text narratives.

                For each excluded field we wrote one sentence on the dataset page saying
                why, citing the law where there was one. Reporters still disagreed, but
                nobody could say we were hiding the decision.

                Get the police union's lawyer in the room early. Our delay came from
                involving them at the end.
                """,
            ),
            DemoAnswer(
                author="Rosa Thompson",
                votes=6,
                body="""
                Publish the data dictionary before the data. Letting advocates and the
                department comment on the fields for two weeks cost little and took a lot
                of heat out of the launch in the two cities I worked with.
                """,
            ),
            DemoAnswer(
                author="Kofi Vargas",
                votes=3,
                body="""
                If your incident counts are small per district, publish annual totals next
                to the incident rows. People look for trends, and row-level data with a
                handful of incidents per month invites wrong conclusions.
                """,
            ),
        ),
    ),
    DemoThread(
        asker="Jada Brooks",
        title="Open data portal renewal: stay, switch vendors, or publish from a static site?",
        topics=(OPEN_DATA, CONTRACTING),
        days_ago=85,
        body="""
        Our portal contract renews in six months and the price is going up 40%. We publish
        about 90 datasets, most updated monthly, and see roughly 3,000 visits a month.

        Has anyone moved to something simpler, such as files in cloud storage with a
        catalog page? What did you lose?
        """,
        answers=(
            DemoAnswer(
                author="Lena Zimmer",
                votes=9,
                accepted=True,
                body="""
                We moved to a static catalog last year (CSV files in storage, a generated
                catalog page, nightly refresh jobs). At our size it was the right call.

                What we lost:

                - the built-in API (two regular users complained; we pointed them at the
                  CSV links, which they now prefer)
                - in-browser charts, which almost nobody used
                - the vendor's help desk

                What it cost: about 120 hours of developer time to build and maybe 4 hours a
                month to run. The catalog page is at
                [burlington-data.example.org](https://burlington-data.example.org).
                """,
                comments=(
                    DemoComment(
                        "Jada Brooks",
                        "120 hours is less than I feared. Did you keep the same dataset "
                        "addresses, or did links break?",
                    ),
                    DemoComment(
                        "Lena Zimmer",
                        "We kept a redirect table for the top 50 addresses. The rest broke "
                        "and nobody noticed.",
                    ),
                ),
            ),
            DemoAnswer(
                author="Rosa Thompson",
                votes=5,
                body="""
                Before you decide, look at who uses the API. If another agency or a vendor
                integrates with it, a static site is a bigger change for them than for you.
                Portal logs usually show this in an afternoon.
                """,
            ),
            DemoAnswer(
                author="Beatriz Gupta",
                votes=3,
                body="""
                On the contract side: if you stay, a 40% increase is negotiable. We got ours
                to 12% by asking for a three-year term and showing a competitor's quote.
                """,
            ),
            DemoAnswer(
                author="Olivia Kim",
                votes=2,
                body="""
                We stayed, mostly for the API: the county's dashboard reads from it. Worth
                checking whether anything like that depends on yours.
                """,
            ),
        ),
    ),
    DemoThread(
        asker="Eli Usman",
        title="How do you measure whether anyone uses the open data portal, beyond page views?",
        topics=(OPEN_DATA, PERFORMANCE),
        days_ago=57,
        body="""
        Our annual report says "2.1 million page views" and I no longer believe it means
        anything: most are bots and search engines.

        What do you report instead? I am looking for measures a council member would
        understand and that I can collect without surveys every month.
        """,
        answers=(
            DemoAnswer(
                author="Olivia Kim",
                votes=4,
                body="""
                We count downloads and API calls per dataset after filtering known bots,
                and we report the top ten datasets each quarter. Council cares far more
                about "which data" than "how much".
                """,
            ),
            DemoAnswer(
                author="Rosa Thompson",
                votes=10,
                accepted=True,
                body="""
                Three measures that hold up in front of council:

                1. **Internal use.** How many city reports, dashboards and memos cite a
                   portal dataset. This often surprises people: the biggest user of open
                   data is usually the city itself.
                2. **Requests avoided.** Records requests answered with a portal link.
                   Your clerk's office can tag these in their tracker.
                3. **Stories and projects.** A simple log of news articles, student
                   projects and apps that used the data, with one line each.

                Page views can stay in an appendix. None of these needs a survey.
                """,
            ),
            DemoAnswer(
                author="Grace Diallo",
                votes=3,
                body="""
                Records requests avoided was the one that moved our finance committee: the
                clerk estimated 40 minutes saved per request, and we had about 300 a year.
                """,
            ),
            DemoAnswer(
                author="Farid Patel",
                votes=1,
                body="""
                Small addition: ask people to say why when they download. An optional
                one-question box gets about a 5% response at ours, which is enough for
                examples.
                """,
            ),
            DemoAnswer(
                author="Amara Flores",
                votes=2,
                body="""
                We count datasets with at least one outside user per month. It shows which
                datasets could be updated less often without anyone noticing.
                """,
            ),
        ),
    ),
    DemoThread(
        asker="Kofi Vargas",
        title="Geocoding addresses before publishing: how do you protect people in small areas?",
        topics=(OPEN_DATA, DATA_GOVERNANCE),
        days_ago=22,
        body="""
        We want to publish code enforcement cases with locations. Some blocks have only a
        few houses, so even a block-level point can point at one family.

        What rules do you use: snapping to the block, hexagons, suppressing small counts?
        """,
        answers=(
            DemoAnswer(
                author="Colin Usman",
                votes=6,
                body="""
                A rule set that works for most cities:

                - Publish the **block face or street segment**, never the parcel.
                - For sensitive categories (anything involving a person's health or
                  tenancy), publish at census block group and suppress counts under 5.
                - Write the rule down in the data dictionary so it is applied the same way
                  each refresh.

                Test it: pick ten records and see whether a neighbour could identify the
                household from the published row. If yes, go coarser.
                """,
            ),
            DemoAnswer(
                author="Pedro Hughes",
                votes=2,
                body="""
                We offset points randomly within the block, but I would not recommend it:
                people read the points as exact and came to the wrong door. Snapping to the
                block centre is clearer.
                """,
            ),
        ),
    ),
    DemoThread(
        asker="Lena Zimmer",
        title="Release calendar for datasets: did publishing dates in advance help or hurt?",
        topics=(OPEN_DATA,),
        days_ago=6,
        body="""
        Our open data advisory group asked us to publish a calendar of upcoming releases,
        like statistical agencies do. I like the idea but worry about missing dates in
        public when a department is late.

        Has anyone done this at city level? How often did you slip?
        """,
    ),
    # Performance and analytics ------------------------------------------------------------
    DemoThread(
        asker="Amara Flores",
        title="Running a stat meeting when department heads see it as a blame session",
        topics=(PERFORMANCE, LEADERSHIP),
        days_ago=110,
        pinned=True,
        body="""
        We restarted our monthly performance meetings in January. The mayor's chief of
        staff chairs them. Three meetings in, department heads arrive defensive, bring
        prepared explanations for every red number, and nothing changes.

        How did you change the tone? Concrete meeting mechanics appreciated.
        """,
        answers=(
            DemoAnswer(
                author="Tanya Thompson",
                votes=14,
                accepted=True,
                body="""
                What changed ours, in order of impact:

                1. **One measure per meeting, chosen by the department.** They bring the
                   measure they most want help with. It stops being an audit.
                2. **The chair asks "what do you need?" before "why?".** We wrote it into
                   the chair's briefing sheet.
                3. **Follow-ups are about the city, not the department.** Half of what
                   slows a department down sits in another one (hiring, procurement, IT).
                   Those people attend when their item is discussed.
                4. **Publish the follow-up list, not the scores.** People see promises kept.

                It took us about five months before a department head brought a red number
                without being asked. That was the sign it worked.
                """,
                comments=(
                    DemoComment(
                        "Amara Flores",
                        "Point 3 is the one we are missing: HR and purchasing never attend. "
                        "Did the chief of staff require it?",
                    ),
                    DemoComment(
                        "Tanya Thompson",
                        "Yes, a standing invitation from the city manager, and they only "
                        "stay for their items. About 20 minutes a month each.",
                    ),
                ),
            ),
            DemoAnswer(
                author="Victor Nakamura",
                votes=8,
                body="""
                Share the data with the department a week before, and let them correct it.
                Defensiveness often comes from seeing a number for the first time in front
                of the chief of staff.
                """,
            ),
            DemoAnswer(
                author="Fatima Okafor",
                votes=4,
                body="""
                We moved the meeting from the mayor's conference room to each department in
                turn. Hosting changes how people behave more than I expected.
                """,
            ),
            DemoAnswer(
                author="Hector Alvarez",
                votes=5,
                body="""
                From the leadership side: the chair has to thank people publicly for
                bringing problems early, at least once, in front of everyone. People watch
                what happens to the first person who is honest.
                """,
            ),
            DemoAnswer(
                author="Zoe Flores",
                votes=2,
                body="""
                Keep the slides to three. Our meetings improved when we stopped showing
                every measure and only showed the one under discussion plus its trend.
                """,
            ),
            DemoAnswer(
                author="Grace Usman",
                votes=3,
                body="""
                Give it a different name. "Stat" carried history here from a previous
                administration. We called ours the monthly results review and it helped
                more than it should have.
                """,
            ),
        ),
    ),
    DemoThread(
        asker="Pat Practitioner",
        title="Median or average for response-time targets? Our council wants one number",
        topics=(PERFORMANCE,),
        days_ago=76,
        body="""
        We report how long it takes to fix a reported streetlight. The average is 11 days,
        the median is 4, and a few outages wait months for a utility part.

        Council wants a single target in the budget book. Which do you use, and how did
        you explain the choice?
        """,
        answers=(
            DemoAnswer(
                author="Fatima Okafor",
                votes=9,
                accepted=True,
                body="""
                Neither on its own. We report **the share fixed within a target time**
                ("85% within 7 days") and the median next to it. Reasons:

                - A percentage within a target is what residents experience: "will mine be
                  fixed this week?"
                - The average gets dragged by the long waits you cannot control, and the
                  median hides them. The percentage shows both.
                - It is easy to set a target on, and it moves when the work improves.

                Add a footnote listing the cases waiting on the utility. @pat-practitioner,
                happy to share the chart we use in our budget book.
                """,
                comments=(
                    DemoComment(
                        "Pat Practitioner",
                        "Yes please. Did council accept 85% or did they push for 100%?",
                    ),
                    DemoComment(
                        "Fatima Okafor",
                        "They asked about 100% once. Showing what it would cost in overtime "
                        "settled it.",
                    ),
                ),
            ),
            DemoAnswer(
                author="Victor Nakamura",
                votes=4,
                body="""
                Same approach here, and we separate the cases waiting on another agency into
                their own measure so staff are not judged on the utility's part shortages.
                """,
            ),
            DemoAnswer(
                author="Zoe Flores",
                votes=2,
                body="""
                If you must give one number, the 90th percentile is honest about the tail.
                It is harder to explain, though; we only use it internally.
                """,
            ),
        ),
    ),
    DemoThread(
        asker="Zoe Flores",
        title="Dashboards nobody opens: what did you cut, and did anyone complain?",
        topics=(PERFORMANCE,),
        days_ago=48,
        body="""
        We have 37 internal dashboards. Our analytics logs say 22 were not opened in the
        last 90 days. I want to retire them, but each one was somebody's request.

        How did you decide what to cut, and how did you tell people?
        """,
        answers=(
            DemoAnswer(
                author="Amara Flores",
                votes=3,
                body="""
                We sent the owners a note: "this dashboard will be archived in 30 days
                unless you tell us you use it." Four of nineteen replied. Nobody asked for
                one back after archiving.
                """,
            ),
            DemoAnswer(
                author="Tanya Thompson",
                votes=7,
                accepted=True,
                body="""
                Archive, do not delete, and keep a one-line description of each in a list
                people can search. We did three things:

                1. Retired anything unopened for 90 days, with a 30-day notice.
                2. Merged dashboards that showed the same data for different audiences.
                3. Stopped building new ones without a named user and a decision it will
                   support.

                The third rule matters most. We went from 40 to 14 and have stayed there.
                """,
            ),
            DemoAnswer(
                author="Dalia Brooks",
                votes=1,
                body="""
                Ask the unopened dashboards' owners what question they had. Sometimes a
                quarterly e-mail with three numbers does the job better.
                """,
            ),
        ),
    ),
    DemoThread(
        asker="Fatima Okafor",
        title="Setting a target for a brand-new measure with no baseline",
        topics=(PERFORMANCE, EVALUATIONS),
        days_ago=27,
        body="""
        We start tracking the share of residents connected to services within 30 days of
        a housing crisis call. There is no history. The department wants a target in this
        year's plan.

        Do you set a target in year one, or report a baseline year first? If a target,
        how did you pick it?
        """,
        answers=(
            DemoAnswer(
                author="Hana Okafor",
                votes=6,
                accepted=True,
                body="""
                Report a baseline year, and say so in the plan: "target to be set in
                Q1 next year from six months of data". Council accepted it when we paired
                it with a date for the target.

                If they insist on a number now, look for a comparable measure in another
                city and set a range, not a point. It is honest about the uncertainty.
                """,
            ),
            DemoAnswer(
                author="Victor Yilmaz",
                votes=3,
                body="""
                Check whether the first months measure the program or the data entry. Our
                first quarter on a similar measure was mostly staff learning to record
                referrals, and the "improvement" after it was not real.
                """,
            ),
            DemoAnswer(
                author="Priya Partner",
                votes=4,
                body="""
                Agree with @hana-okafor. One more option: set a target on the process
                (every call gets a follow-up within 72 hours) while you learn the outcome
                measure. It gives staff something to aim at in year one.
                """,
            ),
        ),
    ),
    DemoThread(
        asker="Tanya Thompson",
        title="Tracking equity in service delivery by neighborhood without small-number noise",
        topics=(PERFORMANCE, ENGAGEMENT),
        days_ago=2,
        body="""
        We want to show response times by neighborhood. Some neighborhoods have five
        requests a month, and their numbers jump around so much that the chart suggests
        problems that are not there.

        How do you present this fairly? Rolling averages, grouping neighborhoods, showing
        intervals?
        """,
    ),
    # Evaluations ---------------------------------------------------------------------------
    DemoThread(
        asker="Lena Lopez",
        title="Randomizing who gets a program when council wants everyone to get it",
        topics=(EVALUATIONS,),
        days_ago=117,
        body="""
        We have funding for 400 households in a home repair program and about 1,100
        eligible applicants. It is a natural case for a lottery and an evaluation, but a
        council member says randomizing is "experimenting on residents".

        How have you made the case for a lottery when demand exceeds supply?
        """,
        answers=(
            DemoAnswer(
                author="Jada Yilmaz",
                votes=13,
                accepted=True,
                body="""
                The argument that works: **you are already choosing**. With 1,100
                applicants and 400 places, someone misses out either way. A lottery is the
                fairest way to choose, and the evaluation is a side benefit.

                Practical points:

                - Publish the lottery rules before applications open.
                - Keep a priority group outside the lottery if council needs one (for
                  example, emergency repairs); evaluate the rest.
                - Offer everyone not selected a place on the waitlist and information on
                  other programs.

                We have used this framing with six cities; council objections usually
                turn into questions about the waitlist, which is a better conversation.
                """,
            ),
            DemoAnswer(
                author="Victor Yilmaz",
                votes=5,
                body="""
                Have the lottery drawn in public. Ours was at a community meeting with a
                council member pressing the button. It ended the "experiment" framing.
                """,
            ),
            DemoAnswer(
                author="Ben Usman",
                votes=2,
                body="""
                If a lottery is off the table, a phased roll-out by area can still give you
                a comparison group. Weaker design, but easier politics.
                """,
            ),
            DemoAnswer(
                author="Beatriz Flores",
                votes=3,
                body="""
                Check the sample size first: with 400 treated and 700 comparison households
                you can detect fairly modest effects on repair-related outcomes, but not on
                rarer ones like falls. Decide the main outcome before the lottery.
                """,
            ),
        ),
    ),
    DemoThread(
        asker="Ben Usman",
        title="Our first evaluation with a university: what should be in the agreement?",
        topics=(EVALUATIONS, DATA_GOVERNANCE),
        days_ago=90,
        body="""
        A professor at the state university offered to evaluate our youth employment
        program at no cost. Exciting, but we have never done this.

        What should the agreement cover so we are not surprised later: publication, data
        access, timelines?
        """,
        answers=(
            DemoAnswer(
                author="Pedro Hughes",
                votes=8,
                accepted=True,
                body="""
                The clauses that saved us trouble:

                1. **Research questions agreed up front**, in writing, with the department.
                2. **Data access:** which fields, de-identified by whom, stored where,
                   deleted when.
                3. **Publication:** the university may publish; the city sees drafts 30 days
                   before and can correct facts (not findings).
                4. **Timeline with a city-facing deliverable** (a short memo) before the
                   academic paper, which can take two more years.
                5. **Who presents findings to council.**

                Item 4 is the one people forget. Academic timelines do not match budget
                cycles.
                """,
            ),
            DemoAnswer(
                author="Lena Lopez",
                votes=4,
                body="""
                "No cost" usually means a graduate student's time. Ask who will do the work
                and what happens if they graduate halfway through.
                """,
            ),
            DemoAnswer(
                author="Priya Partner",
                votes=3,
                body="""
                We have a plain-language template for city and university agreements at
                [evidence-lab.example.org/agreements](https://evidence-lab.example.org/agreements).
                Most cities need only the first four pages.
                """,
            ),
            DemoAnswer(
                author="Isaac Rivera",
                votes=1,
                body=(
                    "Thanks for asking this; we are in the same position with a community college."
                ),
            ),
        ),
    ),
    DemoThread(
        asker="Isaac Rivera",
        title="Pre/post evaluation of a small pilot (60 participants): is it worth doing?",
        topics=(EVALUATIONS,),
        days_ago=70,
        body="""
        Our financial coaching pilot will serve about 60 residents this year. Leadership
        wants "an evaluation". With numbers this small and no comparison group, I am
        worried we will produce a report that says nothing.

        What would you do with a pilot this size?
        """,
        answers=(
            DemoAnswer(
                author="Beatriz Flores",
                votes=7,
                accepted=True,
                body="""
                Do an implementation evaluation rather than an impact evaluation:

                - Did people enrol, stay, and finish? Where did they drop out?
                - What did participants and coaches say was useful?
                - What would it cost per person at ten times the size?

                That is what leadership needs to decide whether to scale. Say clearly in
                the report that it does not show impact, and propose how a larger second
                round could.
                """,
            ),
            DemoAnswer(
                author="Hana Okafor",
                votes=3,
                body="""
                Collect the outcome data anyway (credit scores, savings), in the same way
                you would in a larger study. It makes the next round's evaluation much
                cheaper to set up.
                """,
            ),
        ),
    ),
    DemoThread(
        asker="Victor Yilmaz",
        title="Reminder letter A/B test: how did you handle returned mail in the analysis?",
        topics=(EVALUATIONS,),
        days_ago=52,
        body="""
        We randomized two versions of a water bill reminder letter across 8,000 accounts.
        About 6% of letters came back undeliverable, a bit more in one group.

        Do we drop returned letters from the analysis? My instinct says no, but I would
        like to hear how others handled it.
        """,
        answers=(
            DemoAnswer(
                author="Lena Lopez",
                votes=6,
                accepted=True,
                body="""
                Your instinct is right: keep everyone as randomized (intention to treat).
                Dropping returned mail breaks the randomization, especially if the rate
                differs by group.

                Report the returned rate per group, and if you want, a second analysis of
                delivered letters only, clearly labelled as secondary.
                """,
                comments=(
                    DemoComment(
                        "Victor Yilmaz",
                        "Thanks. The difference was 5.4% vs 6.7%. Small, but enough that the "
                        "reviewer would have asked.",
                    ),
                ),
            ),
            DemoAnswer(
                author="Jada Yilmaz",
                votes=3,
                body="""
                And check why one group had more returns. If the letter versions went out
                on different days, address updates between mailings can explain it.
                """,
            ),
            DemoAnswer(
                author="Fatima Okafor",
                votes=1,
                body="Send the returned list to billing; you will fix addresses either way.",
            ),
        ),
    ),
    DemoThread(
        asker="Hana Okafor",
        title="Who owns the evaluation plan: program staff or the analytics team?",
        topics=(EVALUATIONS, LEADERSHIP),
        days_ago=18,
        body="""
        Our evaluation plans are written by the analytics team and then "reviewed" by
        program staff, who rarely read them. When results come in, programs do not trust
        them.

        In your city, who writes the plan, and who signs off?
        """,
        answers=(
            DemoAnswer(
                author="Grace Usman",
                votes=4,
                body="""
                Program staff write the first page (what the program does, what it should
                change, what they would do differently depending on the result), and
                analysts write the rest. The first page is the one that gets read.
                """,
            ),
            DemoAnswer(
                author="Isaac Alvarez",
                votes=2,
                body="""
                We ask the program director to present the plan at our monthly evaluation
                meeting. Presenting it made them own it in a way signing never did.
                """,
            ),
            DemoAnswer(
                author="Ximena Washington",
                votes=2,
                body="""
                Agree on what result would change a decision before the evaluation starts.
                If nobody can name one, the evaluation is not ready.
                """,
            ),
        ),
    ),
    DemoThread(
        asker="Pedro Hughes",
        title="Cost per outcome: how are you counting staff time?",
        topics=(EVALUATIONS, BUDGETING),
        days_ago=8,
        body="""
        We are calculating cost per successful outcome for three workforce programs.
        Direct costs are easy. Staff time is not: case managers split their week across
        programs and do not track hours.

        Time studies, allocation by caseload, something else?
        """,
        answers=(
            DemoAnswer(
                author="Isaac Rivera",
                votes=2,
                body="""
                We ran a two-week time study twice a year (staff log time in 30-minute
                blocks) and used the shares for the whole year. Not perfect, but the
                programs accepted it because they produced the data themselves.
                """,
            ),
        ),
    ),
    # Results-driven contracting -----------------------------------------------------------
    DemoThread(
        asker="Tanya Sato",
        title="Rewriting a janitorial contract around outcomes: what do you even measure?",
        topics=(CONTRACTING,),
        days_ago=108,
        body="""
        Our janitorial contract for 30 city buildings pays per visit. Complaints are high,
        and the vendor points to visit logs showing every visit happened.

        For a service like cleaning, what outcomes can you contract for that are not just
        inspections?
        """,
        answers=(
            DemoAnswer(
                author="Gabe Vargas",
                votes=9,
                accepted=True,
                body="""
                Cleaning is a good candidate because the outcome is visible. A structure
                that has worked:

                - **Quality score from monthly joint inspections** of a random sample of
                  rooms (not chosen by the vendor), with a short, photo-based checklist.
                - **Response time** to cleaning requests from building staff.
                - **Building users' rating**, a two-question survey each quarter.

                Tie 10-15% of payment to the score, paid quarterly. Keep the visit
                schedule as a minimum, not the thing you pay for.

                The random sample is the key: it stops the vendor cleaning the rooms the
                inspector will see.
                """,
            ),
            DemoAnswer(
                author="Victor Chen",
                votes=3,
                body="""
                Start the score without money attached for three months. It gives you a
                baseline and gives the vendor a chance to fix things before it costs them.
                """,
            ),
            DemoAnswer(
                author="Colin Vargas",
                votes=2,
                body="""
                Make sure your building managers will actually do the joint inspections.
                Ours skipped them after two months and the score became the vendor's word.
                """,
            ),
        ),
    ),
    DemoThread(
        asker="Colin Vargas",
        title="Quarterly vendor reviews: how do you keep them from becoming a formality?",
        topics=(CONTRACTING, PERFORMANCE),
        days_ago=80,
        body="""
        We hold quarterly reviews with our 20 largest vendors. After a year they have
        become a slide deck the vendor presents and we nod at.

        What format makes these reviews useful?
        """,
        answers=(
            DemoAnswer(
                author="Jada Alvarez",
                votes=8,
                accepted=True,
                body="""
                Three changes I would make:

                1. **The city prepares the data**, not the vendor. The vendor responds.
                2. **One question per review** that both sides want answered, agreed two
                   weeks before. ("Why are placements down in the east side office?")
                3. **End with a short action list** with owners on both sides, and open the
                   next review with it.

                Also invite the program staff who work with the vendor every day. They know
                which numbers are real. @tanya-sato did this with a housing contract and
                can say more about the first year.
                """,
            ),
            DemoAnswer(
                author="Hector Quiroga",
                votes=4,
                body="""
                We stopped holding reviews for vendors who were on track. Fewer meetings,
                better ones, and being on the review list became a signal on its own.
                """,
            ),
            DemoAnswer(
                author="Tanya Sato",
                votes=5,
                body="""
                Confirming what Jada said: when we started bringing our own numbers, the
                first two meetings were tense and the next ones were the most productive we
                have had. Expect the vendor to dispute the data at first; agree on the
                definitions in writing.
                """,
            ),
            DemoAnswer(
                author="Beatriz Gupta",
                votes=1,
                body="""
                Put the review schedule and the measures in the contract itself. It gives
                staff standing to ask for the data when a vendor is slow.
                """,
            ),
        ),
    ),
    DemoThread(
        asker="Victor Chen",
        title="Can a city of 77,000 do outcomes-based contracting without a procurement analyst?",
        topics=(CONTRACTING, LEADERSHIP),
        days_ago=60,
        body="""
        Our purchasing office is two people who process everything. I keep reading about
        outcomes-based contracts in large cities with dedicated teams.

        Is there a realistic small-city version? Where would you start?
        """,
        answers=(
            DemoAnswer(
                author="Gabe Vargas",
                votes=5,
                body="""
                Yes, if you start with one contract, not a program. Pick a service contract
                that renews within a year, where the department already complains about
                results, and add three measures and a quarterly check-in. That is 80% of
                the value.
                """,
            ),
            DemoAnswer(
                author="Beatriz Gupta",
                votes=7,
                accepted=True,
                body="""
                We are 44,000 people and did it with no new staff. Our sequence:

                1. Year one: added performance measures to two renewals (sidewalk repair
                   and a youth program). No payment tied to them.
                2. Year two: monthly data from vendors, quarterly meetings, measures
                   published on our website.
                3. Year three: 10% of payment tied to results on one contract.

                The purchasing office's extra work was about two hours a month. The
                departments did the rest, because they wanted the results.
                """,
            ),
            DemoAnswer(
                author="Jada Alvarez",
                votes=3,
                body="""
                Partner organisations offer free coaching for exactly this case (ours
                included). It can save you from writing measures the vendor can game.
                """,
            ),
        ),
    ),
    DemoThread(
        asker="Hector Quiroga",
        title="Paying a workforce provider per job placement: how did you verify placements?",
        topics=(CONTRACTING, EVALUATIONS),
        days_ago=33,
        body="""
        Our new contract pays a bonus for each participant placed in a job that lasts 90
        days. The provider reports placements, and we are not sure how to check them
        without calling every employer.
        """,
        answers=(
            DemoAnswer(
                author="Hana Okafor",
                votes=6,
                accepted=True,
                body="""
                We check placements against state wage records each quarter, through a data
                sharing agreement with the state workforce agency. It covers about 90% of
                jobs; for the rest (self-employment, out of state) the provider submits a
                pay stub.

                The agreement took four months, so start it now. Until then, verify a
                random 10% sample by phone.
                """,
            ),
            DemoAnswer(
                author="Gabe Vargas",
                votes=3,
                body="""
                Define "placement" very precisely in the contract: hours per week, wage
                floor, start date. Most disputes we see are about definitions, not fraud.
                """,
            ),
        ),
    ),
    DemoThread(
        asker="Beatriz Gupta",
        title="Open data clauses in vendor contracts: who owns the data the vendor collects?",
        topics=(CONTRACTING, OPEN_DATA),
        days_ago=14,
        body="""
        A parking vendor collects occupancy data on city streets and told us it is their
        property. I want future contracts to say the city owns it and can publish it.

        Does anyone have contract language that held up?
        """,
        answers=(
            DemoAnswer(
                author="Rosa Thompson",
                votes=5,
                body="""
                The clauses that matter: the city owns all data collected under the
                contract; the vendor delivers it in an open format on a set schedule; the
                city may publish it; and on termination the vendor hands over the full
                history. Sample language is in our contract guide at
                [opendata-collab.example.org/contracts](https://opendata-collab.example.org/contracts).
                """,
            ),
            DemoAnswer(
                author="Jada Brooks",
                votes=2,
                body="""
                Add a clause on format and field definitions. We owned our data on paper,
                but it arrived as PDFs.
                """,
            ),
            DemoAnswer(
                author="Colin Vargas",
                votes=1,
                body="""
                Expect pushback on raw data that reveals their methods. We accepted
                aggregated hourly occupancy instead of sensor-level records.
                """,
            ),
        ),
    ),
    # Stakeholder engagement ---------------------------------------------------------------
    DemoThread(
        asker="Amara Xu",
        title="Getting renters, not just homeowners, to answer the resident survey",
        topics=(ENGAGEMENT,),
        days_ago=100,
        body="""
        About 55% of our households rent, but renters were 24% of respondents to our last
        resident survey. Weighting helps, but I would rather hear from more of them.

        What actually raised renter response rates for you?
        """,
        answers=(
            DemoAnswer(
                author="Jada Kim",
                votes=10,
                accepted=True,
                body="""
                What moved renter response in the surveys we have supported:

                - **Address-based mailing with a paper option**, not only a web link.
                  Renters move more and are less likely to be on city e-mail lists.
                - **A small prepaid incentive** ($2 in the envelope beats a $25 drawing).
                - **Survey at laundromats, bus stops and grocery stores** with tablets for
                  two weekends, tracked separately so you can weight properly.
                - **Questions about renters' concerns** (repairs, rent, landlord issues) in
                  the first five questions. If the survey looks like it is about property
                  taxes, renters stop.

                In one city the renter share went from 27% to 46% in one cycle.
                """,
            ),
            DemoAnswer(
                author="Rosa Flores",
                votes=4,
                body="""
                Work with tenant organisations to share the link. People answer when
                someone they trust asks, not when the city asks.
                """,
            ),
            DemoAnswer(
                author="Hana Patel",
                votes=2,
                body="""
                We translated the survey into four languages and saw the biggest gains in
                renter response from that alone.
                """,
            ),
            DemoAnswer(
                author="Isaac Jensen",
                votes=1,
                body=(
                    "Watch your mailing list: ours was built from utility accounts, which are "
                    "mostly owners."
                ),
            ),
        ),
    ),
    DemoThread(
        asker="Hana Patel",
        title="Participatory budgeting: how did you keep the ballot from being all park projects?",
        topics=(ENGAGEMENT, BUDGETING),
        days_ago=88,
        body="""
        Our first participatory budgeting cycle had 14 projects on the ballot; 11 were park
        improvements. They were good projects, but residents in the workshops had talked
        about lighting, sidewalks and youth programs.

        How do you shape the ballot without overruling residents?
        """,
        answers=(
            DemoAnswer(
                author="Colin Yilmaz",
                votes=7,
                accepted=True,
                body="""
                Park projects win the proposal stage because parks staff can cost them
                quickly. Other departments need help to turn ideas into projects. Things we
                changed in our second cycle:

                1. Each department assigned a "project partner" to the volunteer delegates.
                2. We set ballot categories (streets, parks, youth, safety) with at least
                   two projects each.
                3. Delegates saw the full list of ideas by category before choosing.

                The ballot went from 70% parks to 35%, and turnout rose.
                """,
            ),
            DemoAnswer(
                author="Hector Castillo",
                votes=3,
                body="""
                Check your eligibility rules. Ours excluded anything that needed ongoing
                staff costs, which ruled out most youth programs by design.
                """,
            ),
            DemoAnswer(
                author="Dalia Brooks",
                votes=1,
                body="""
                We publish the cost estimates and the reasons projects were dropped. It
                answers the "why is it all parks?" question before it is asked.
                """,
            ),
        ),
    ),
    DemoThread(
        asker="Quinn Lopez",
        title="Closing the loop: how do you tell residents what happened with their input?",
        topics=(ENGAGEMENT,),
        days_ago=66,
        body="""
        We run a lot of engagement: surveys, workshops, comment periods. What we rarely do
        is go back and tell people what changed because of what they said. Residents
        have started telling us so at meetings.

        What does your "closing the loop" practice look like, concretely?
        """,
        answers=(
            DemoAnswer(
                author="Kofi Vargas",
                votes=9,
                accepted=True,
                body="""
                Ours is a simple rule: **every engagement ends with a "you said, we did"
                summary** within 60 days, sent the same way the invitation went out.

                - Three columns: what we heard, what we changed, what we did not change and
                  why.
                - The "did not change" column matters most. People accept a no when the
                  reason is given.
                - We collect e-mail and phone (optional) at every event to be able to send
                  it.

                Template: [providence-engage.example.org/you-said-we-did](https://providence-engage.example.org/you-said-we-did).
                """,
                comments=(
                    DemoComment(
                        "Quinn Lopez",
                        "Who writes the summary in your team, the engagement staff or the "
                        "department that ran the project?",
                    ),
                    DemoComment(
                        "Kofi Vargas",
                        "The department drafts, we edit for plain language. Otherwise it "
                        "never gets written.",
                    ),
                ),
            ),
            DemoAnswer(
                author="Jada Kim",
                votes=4,
                body="""
                Put the date of the summary in the invitation itself ("we will report back
                by June 15"). It makes the promise public, and the team keeps it.
                """,
            ),
            DemoAnswer(
                author="Amara Xu",
                votes=2,
                body="""
                We post summaries at the libraries where the workshops happened, as well as
                online. A surprising number of people read the paper ones.
                """,
            ),
            DemoAnswer(
                author="Lena Dubois",
                votes=2,
                body="""
                Report back to council too. When council members repeat the summary at
                their own meetings, residents hear it more than once.
                """,
            ),
            DemoAnswer(
                author="Tanya Castillo",
                votes=1,
                body="Following. We have the same problem with our comment periods.",
            ),
        ),
    ),
    DemoThread(
        asker="Isaac Jensen",
        title=(
            "Paying residents for their time in focus groups: gift cards, cash, or something else?"
        ),
        topics=(ENGAGEMENT, EVALUATIONS),
        days_ago=41,
        body="""
        We want to pay residents $50 each for a 90-minute focus group on our new 311
        service. Finance says cash is not allowed, gift cards need a tracking log, and
        anything over $600 a year triggers tax paperwork.

        How do other cities handle this?
        """,
        answers=(
            DemoAnswer(
                author="Jada Kim",
                votes=6,
                accepted=True,
                body="""
                Most cities we work with use prepaid cards that work anywhere, with a
                simple log (name, date, card number, signature). A few tips:

                - Ask finance for a standing procedure, not approval per project.
                - Keep each person well under the tax reporting threshold per year; track
                  it in the log.
                - Offer to send the payment to a community organisation instead, for
                  residents who cannot or do not want to receive it.

                Budget about 10% extra for cards that are lost or not picked up.
                """,
            ),
            DemoAnswer(
                author="Quinn Lopez",
                votes=2,
                body="""
                We pay through a community partner, who pays residents in cash and
                invoices us. Finance was happier with one invoice than fifty gift cards.
                """,
            ),
            DemoAnswer(
                author="Hector Castillo",
                votes=1,
                body=(
                    "Provide childcare and food as well. It raised attendance more than the "
                    "payment did."
                ),
            ),
        ),
    ),
    DemoThread(
        asker="Dalia Brooks",
        title="Engaging Spanish-speaking residents when only two of us on staff speak Spanish",
        topics=(ENGAGEMENT,),
        days_ago=20,
        body="""
        About a third of our residents speak Spanish at home. Two staff members speak it
        well, and they are asked to interpret at every meeting on top of their own jobs.

        How did you build capacity without burning out your bilingual staff?
        """,
        answers=(
            DemoAnswer(
                author="Rosa Flores",
                votes=4,
                body="""
                Pay the language premium, and put interpretation in the project budget so
                departments book professionals by default. Our bilingual staff now lead
                Spanish-language sessions instead of interpreting English ones, which is a
                better use of their skill.
                """,
            ),
            DemoAnswer(
                author="Eli Diallo",
                votes=2,
                body="""
                Hold some meetings in Spanish with English interpretation, not the other way
                round. Attendance from Spanish speakers doubled when we did.
                """,
            ),
        ),
    ),
    DemoThread(
        asker="Rosa Flores",
        title="Text-message surveys after a 311 request closes: what response rates do you see?",
        topics=(ENGAGEMENT, PERFORMANCE),
        days_ago=1,
        body="""
        We plan to text residents a two-question survey when their 311 request closes.
        Before I promise leadership anything: what response rates have you seen, and did
        people reply angrily when the issue was not actually fixed?
        """,
    ),
    # Budgeting and repurposing for results ------------------------------------------------
    DemoThread(
        asker="Beatriz Diallo",
        title="Evidence ratings in budget requests: did departments game them?",
        topics=(BUDGETING, EVALUATIONS),
        days_ago=106,
        body="""
        This year, every budget request over $100,000 must say what evidence supports the
        program: strong, moderate, emerging or none. Early drafts rate almost everything
        "moderate".

        How did you keep the ratings honest?
        """,
        answers=(
            DemoAnswer(
                author="Yusuf Kim",
                votes=4,
                body="""
                We made "none yet" a respectable answer by pairing it with a question:
                "what would you need to find out?". Ratings got more honest once a low
                rating stopped looking like a threat to the budget.
                """,
            ),
            DemoAnswer(
                author="Zoe Usman",
                votes=9,
                accepted=True,
                body="""
                Two things together worked for us:

                1. **Budget analysts assign the rating**, based on what the department
                   submits (a study, a clearinghouse entry, their own data). Departments
                   can appeal.
                2. **A one-page rubric** with examples for each level, e.g. "moderate = a
                   well-designed study of a similar program elsewhere, or our own
                   before/after data with a comparison group".

                In the first year 60% of programs were rated "none" or "emerging". Council
                took it well because we showed what we planned to learn about each one.
                """,
            ),
            DemoAnswer(
                author="Jada Yilmaz",
                votes=3,
                body="""
                Link to clearinghouses for the ratings where you can, so the department is
                not arguing with the budget office but with a national review.
                """,
            ),
            DemoAnswer(
                author="Ximena Hughes",
                votes=1,
                body=(
                    'We saw the same "moderate" inflation. '
                    "The rubric with examples fixed most of it."
                ),
            ),
        ),
    ),
    DemoThread(
        asker="Yusuf Kim",
        title=(
            "Repurposing money from a program that isn't working, when it has a loud constituency"
        ),
        topics=(BUDGETING, LEADERSHIP),
        days_ago=74,
        body="""
        Three years of data say one of our neighbourhood grant programs has no measurable
        effect. The groups that receive grants are well organised and attend every budget
        hearing.

        How have you moved money in a situation like this without a political fight?
        """,
        answers=(
            DemoAnswer(
                author="Beatriz Diallo",
                votes=8,
                accepted=True,
                body="""
                We did not cut the program; we changed it, over two years:

                1. Year one: shared the data with the grantees first, privately, and asked
                   them what they thought would work better.
                2. Redesigned the grant around two of their ideas, with outcomes attached.
                3. Year two: moved 30% of the money to a program with better evidence,
                   framed as "growing what works" in the same neighbourhoods.

                The same groups testified in favour. It took longer than a cut, but it
                stuck.
                """,
            ),
            DemoAnswer(
                author="Farid Gupta",
                votes=3,
                body="""
                Sunset clauses help for the future: new programs in our budget get three
                years and an evaluation, then must be renewed on the evidence.
                """,
            ),
            DemoAnswer(
                author="Hector Castillo",
                votes=2,
                body="""
                Find out who else serves these neighbourhoods well. Offering the groups a
                path to a better-funded program changes the conversation.
                """,
            ),
            DemoAnswer(
                author="Isaac Alvarez",
                votes=1,
                body="""
                Make sure "no measurable effect" is solid before going public; a weak
                measure can be attacked, and then the debate is about the data.
                """,
            ),
        ),
    ),
    DemoThread(
        asker="Farid Gupta",
        title="Priority-based budgeting: worth it for a mid-size city or too much paperwork?",
        topics=(BUDGETING,),
        days_ago=45,
        body="""
        Our new finance director wants to move to priority-based budgeting next year. I
        have read about the approach and it looks like a lot of scoring of several hundred
        programs.

        For those in cities of 100,000 to 250,000: was it worth the effort?
        """,
        answers=(
            DemoAnswer(
                author="Ximena Hughes",
                votes=6,
                accepted=True,
                body="""
                We are about 170,000 people and in our fourth year. Honest assessment:

                - **Year one is heavy**: we listed 420 programs and scored each against
                  council priorities. Plan for about 8 hours per program across staff.
                - **After that it is light**: we only rescore programs that change.
                - **The program inventory was worth it on its own.** For the first time,
                  council could see what we actually do and what it costs.

                The scoring was less useful than the conversations it forced. Keep the
                scale simple (we use 0 to 4).
                """,
            ),
            DemoAnswer(
                author="Grace Diallo",
                votes=2,
                body="""
                Start with one or two departments as a pilot. Ours tried citywide in one
                year and the scores were rushed and inconsistent.
                """,
            ),
            DemoAnswer(
                author="Zoe Usman",
                votes=2,
                body="""
                Decide up front how scores will be used. If they never affect a decision,
                staff will stop putting effort into them by year two.
                """,
            ),
        ),
    ),
    DemoThread(
        asker="Ximena Hughes",
        title="Showing council cost per outcome next to cost per output",
        topics=(BUDGETING, PERFORMANCE),
        days_ago=10,
        body="""
        Our budget book shows cost per output (cost per inspection, per class taught). I
        want to add cost per outcome where we can (cost per household stably housed).

        Has anyone presented both side by side? How did council read them?
        """,
        answers=(
            DemoAnswer(
                author="Zoe Usman",
                votes=3,
                body="""
                We show both, with a short sentence explaining the difference on each page.
                Council members started asking departments about outcome costs within two
                hearings. The risk is comparing outcome costs across programs that serve
                very different people; we added a caution to every table.
                """,
            ),
            DemoAnswer(
                author="Farid Gupta",
                votes=1,
                body="""
                Only add outcome costs where you trust the outcome data. One shaky number
                can undermine the whole page.
                """,
            ),
        ),
    ),
    # Leadership and capacity --------------------------------------------------------------
    DemoThread(
        asker="Casey Coordinator",
        title="Start here: what one data practice would your city keep if it could keep only one?",
        topics=(LEADERSHIP,),
        days_ago=118,
        pinned=True,
        body="""
        Welcome to the discussions! To get things going: if your city had to give up every
        data and evidence practice but one, which would you keep, and why?

        Short answers are perfect. They help new members see who is working on what.
        """,
        answers=(
            DemoAnswer(
                author="Tanya Thompson",
                votes=6,
                body="The monthly results review. Everything else we do grew out of it.",
            ),
            DemoAnswer(
                author="Imani Diallo",
                votes=5,
                body="""
                The data inventory. You cannot govern, publish or analyse what you do not
                know you have.
                """,
            ),
            DemoAnswer(
                author="Kofi Vargas",
                votes=4,
                body="""
                "You said, we did" summaries after engagement. They rebuilt trust faster
                than anything else we have tried.
                """,
            ),
            DemoAnswer(
                author="Beatriz Gupta",
                votes=3,
                body=(
                    "Performance measures in contracts. Small effort, big change in vendor "
                    "conversations."
                ),
            ),
            DemoAnswer(
                author="Jonah Sato",
                votes=3,
                body="Our data academy. The people it trained now run half the practices above.",
            ),
        ),
    ),
    DemoThread(
        asker="Jonah Sato",
        title="Starting a data academy with no training budget",
        topics=(LEADERSHIP,),
        days_ago=95,
        body="""
        Bloomington has about 800 staff and no training budget for data skills. I would
        like to start something like the data academies larger cities run.

        What is the smallest version that works? Who taught, and how did you get
        supervisors to let staff attend?
        """,
        answers=(
            DemoAnswer(
                author="Isaac Castillo",
                votes=10,
                accepted=True,
                body="""
                Our academy started with no budget. The first year:

                - **Four courses**, two hours each: spreadsheets for analysis, making a clear
                  chart, intro to the open data portal, asking a good data question.
                - **Taught by staff**, mostly analysts who wanted teaching on their resume.
                  We gave them a half day of prep per session.
                - **Each learner brings a real problem** from their job and leaves with it
                  partly solved. That is what convinced supervisors.

                We trained 90 people in year one. Track what learners did afterwards: "this
                analyst now builds the department's monthly report" got us a budget line.
                """,
                comments=(
                    DemoComment(
                        "Jonah Sato",
                        "Did you offer the classes during work hours? That is my main worry "
                        "with the supervisors.",
                    ),
                    DemoComment(
                        "Isaac Castillo",
                        "Yes, always during work hours, and the city manager said so in "
                        "writing. Without that, only the already-keen people come.",
                    ),
                ),
            ),
            DemoAnswer(
                author="Fatima Gupta",
                votes=4,
                body="""
                Local universities and libraries often teach for free if you give them a
                room and an audience. Our library runs the spreadsheet course now.
                """,
            ),
            DemoAnswer(
                author="Grace Usman",
                votes=2,
                body="""
                Start with managers, not analysts. When managers ask better questions, they
                send their staff to learn how to answer them.
                """,
            ),
            DemoAnswer(
                author="Lena Dubois",
                votes=2,
                body=(
                    "Give a certificate signed by the city manager. It matters more than you would"
                    " think."
                ),
            ),
        ),
    ),
    DemoThread(
        asker="Fatima Gupta",
        title="Keeping momentum when the mayor who championed data leaves office",
        topics=(LEADERSHIP,),
        days_ago=55,
        body="""
        Our mayor, who started our performance and open data work, is not running again.
        Both candidates are friendly to it in principle, but neither talks about it.

        What did you do in the months before a transition to protect the work?
        """,
        answers=(
            DemoAnswer(
                author="Hector Alvarez",
                votes=9,
                accepted=True,
                body="""
                We went through this two years ago. What helped:

                1. **Put the practices in writing**: an executive order became an ordinance
                   for open data, and the performance review became part of the budget
                   process. Ordinances survive transitions.
                2. **Brief both campaigns** with a short memo on what the work achieved, in
                   their own priorities' language.
                3. **Make the career staff visible.** When the new mayor's team saw that
                   department heads relied on the results review, they kept it.

                Our new mayor renamed everything, and kept all of it.
                """,
            ),
            DemoAnswer(
                author="Ximena Washington",
                votes=4,
                body="""
                Council can be your continuity. We started presenting quarterly results to
                a council committee a year before the transition.
                """,
            ),
            DemoAnswer(
                author="Isaac Alvarez",
                votes=2,
                body=(
                    "Document the wins with numbers now, while the people who did them are still "
                    "around."
                ),
            ),
            DemoAnswer(
                author="Jonah Sato",
                votes=1,
                body="""
                Add the practices to the transition binder the city manager prepares. New
                administrations read it more closely than anything else.
                """,
            ),
        ),
    ),
    DemoThread(
        asker="Grace Usman",
        title="Hiring a first data analyst: what should the job posting ask for?",
        topics=(LEADERSHIP, PERFORMANCE),
        days_ago=29,
        body="""
        We have budget for our first analyst in the city manager's office. Our draft
        posting asks for SQL, Python, Tableau, statistics and "experience in local
        government", and HR warns we will get few applicants.

        What would you put in, and what would you leave out?
        """,
        answers=(
            DemoAnswer(
                author="Victor Nakamura",
                votes=7,
                accepted=True,
                body="""
                For a first analyst, ask for less and test for more:

                - **Required:** strong spreadsheet skills, one visualisation tool (any),
                  clear writing, and an example of answering a question with data.
                - **Preferred:** SQL; anything else can be learned.
                - **Skip:** local government experience. Curiosity about how the city works
                  matters more.

                In the interview, give a small messy dataset and one hour. Their questions
                about the data tell you more than the answer.
                """,
            ),
            DemoAnswer(
                author="Amara Flores",
                votes=3,
                body="""
                Say what they will work on in the first six months. Analysts want to know
                their work will be used, not just produce reports.
                """,
            ),
            DemoAnswer(
                author="Isaac Castillo",
                votes=2,
                body=(
                    "Check your salary against the county and the local university, not only other"
                    " cities."
                ),
            ),
        ),
    ),
)
