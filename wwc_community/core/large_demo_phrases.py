"""Sentence templates of the large demo. A {slot} is filled from large_demo_words: the
topic's own words (subject, measure, practice) or the shared ones; {n}, {days}, {pct},
{weeks}, {months} and {count} are numbers. Templates, like words, are picked with
Zipf-like weights, so the first of each list is the most common. Every sentence was
written for this demo."""

THREAD_TITLES = (
    "How do you keep {subject} current when {obstacle}?",
    "What actually cut {measure} for {service}?",
    "Has anyone linked {subject} to {measure}?",
    "Who owns {subject} in a city of our size?",
    "Examples of {practice} in {domain}?",
    "Is {method} realistic for {service}?",
    "Reporting {measure} to {group} without losing the nuance",
    "Starting {practice} with a team of {n}: where to begin?",
    "Getting {dept} on board with {practice}",
    "Did {practice} change {measure} in {domain}?",
    "What belongs in {subject} for {domain}?",
    "Moving {service} records off {legacy}: lessons learned?",
    "What did {practice} cost you in the first year?",
    "Handling {detail} in {subject}",
    "Our {measure} got worse after {practice}. Now what?",
    "How are you counting {detail} in {measure}?",
    "Advice on {subject} before budget season",
    "Templates for {subject} that {group} actually read?",
    "Measuring {measure} when {obstacle}",
    "Does anyone publish {measure} by council district?",
    "Where does {subject} sit: {dept} or a central team?",
    "Is {practice} worth it in a city under 100,000?",
    "Lessons from a first year of {practice}",
    "Cleaning up {detail} before we publish {subject}",
    "What should {group} see first on {tool}?",
    "Pitching {practice} to {group}",
    "Tracking {service} requests end to end: which fields matter?",
    "Comparing {measure} across peer cities: fair or misleading?",
    "How long before {group} trusted {practice}?",
    "{domain} and {subject}: what worked for you?",
)

QUESTION_CONTEXT = (
    "We are a team of {n} in {dept} and have been working on {subject} for about {months} months.",
    "Our city started {practice} last year, mostly to answer questions from {group}.",
    "Right now {subject} lives in {tool}, and {dept} keeps its own copy.",
    "Every quarter {group} ask us about {measure}, and every quarter we rebuild the "
    "numbers by hand.",
    "For {service} we track {measure}, but nobody agrees on how to count {detail}.",
    "Our work on {domain} depends on {subject}, which {dept} maintains.",
    "After a rough budget season, leadership asked us to take a hard look at {subject}.",
    "We inherited {subject} from a consultant and nobody on staff fully understands it.",
    "Last spring we moved {service} onto {tool}, replacing {legacy}.",
    "I have been asked to set up {practice} for {domain} with almost no budget.",
    "A new council member keeps asking why {measure} differs between districts.",
    "We are about {count} residents short of the next population band, so peers there "
    "are the closest comparison we have.",
)
QUESTION_PROBLEM = (
    "The trouble is that {obstacle}, so anything we build has to survive that.",
    "Citywide the numbers look fine, but {measure} varies a lot by council district.",
    "When we compare with last year, problems with {detail} throw everything off.",
    "Staff in {dept} see it as extra work rather than something that helps them.",
    "We tried {method} once, but the results were hard to explain to {group}.",
    "Half of our {service} records are missing {detail}, which makes {measure} hard to trust.",
    "We have about {count} open cases and no clear rule for which ones to close.",
    "Every department defines {measure} a little differently.",
    "It took us {weeks} weeks just to agree on what counts as {detail}.",
    "The last attempt stalled when {obstacle}.",
    "Our vendor says the fix is a new module, which we cannot afford this year.",
)
QUESTION_ASK = (
    "How did you handle this, and what would you do differently?",
    "Has anyone found a way to keep this going after the first push?",
    "I would love to see a template or a one-page summary if you have one.",
    "What did you show {group} first, and how did they react?",
    "Is {method} worth the effort here, or is something simpler enough?",
    "Who owns this in your city: {dept}, a central team, or someone else?",
    "Any advice on sequencing, staffing or tools is welcome.",
    "If you measured {measure} before and after, what changed?",
    "Did you start with {service} or with something smaller?",
)

ANSWER_OPENING = (
    "We went through almost the same thing in {domain} two years ago.",
    "Our team set up {practice} in {months} months with {n} people, so it is doable.",
    "In our city {dept} owns {subject}, and that has mostly worked.",
    "We started small: one service, {service}, and one measure, {measure}.",
    "Honestly, the tool mattered far less than who owned it.",
    "I would start by writing down how each department counts {detail}.",
    "What finally worked for us was {practice}.",
    "We ran {method} on {service} and learned more than we expected.",
    "Short answer: yes, but only once {group} asked for it themselves.",
    "We are a smaller city, so take this with a grain of salt.",
)
ANSWER_DETAIL = (
    "{measure} moved by about {pct} percent in the first {months} months.",
    "We put the numbers in {tool} and went through them with {group} every {weeks} weeks.",
    "The biggest surprise was how much {detail} explained of the variation.",
    "We asked {dept} to name one person responsible and gave them an hour a week for it.",
    "Our first version had {n} measures; we cut it to three after the first meeting.",
    "We published the method next to the chart so {group} could see how we count {detail}.",
    "Cleaning up {detail} took longer than building anything else.",
    "It cost us roughly {count} dollars in staff time, most of it in the first quarter.",
    "{group} stopped asking for custom reports once they could see {subject} themselves.",
    "When {obstacle}, we kept it alive by tying it to the budget calendar.",
    "For {service} the backlog fell from {count} to a few hundred cases within a year.",
    "The first {weeks} weeks were mostly arguing about definitions, which was worth it.",
    "We matched {subject} against {detail} and found about {pct} percent duplicates.",
)
ANSWER_ADVICE = (
    "I would not wait for perfect data: publish with a clear note on what is missing.",
    "Pick the measure {group} already ask about, not the one you find most interesting.",
    "Get {dept} in the room early; they know where the trouble with {detail} starts.",
    "Write the definitions down before you build anything in {tool}.",
    "If you can, plan {method} from the start rather than adding it later.",
    "Keep the first meeting short and show one chart, not ten.",
    "Budget for upkeep: someone has to own {subject} after launch.",
    "Ask {group} what decision the number will inform, then work backwards.",
    "Pair an analyst with someone from {dept} who knows the work on the ground.",
)
ANSWER_CAVEAT = (
    "The caveat: our data on {domain} is cleaner than most, so your mileage may vary.",
    "It did not help with {detail}, which we are still working on.",
    "We have not shown that it changed {measure}, only that people use it.",
    "Turnover in {dept} set us back once, so document everything.",
    "None of this survived the first budget cut without a named sponsor.",
)
ANSWER_STEPS = (
    "Name one owner for {subject}",
    "Agree on how to count {detail}",
    "Publish {measure} every month in {tool}",
    "Review it with {group} every {weeks} weeks",
    "Retire {legacy} once the new source is trusted",
    "Try {method} on one service before scaling",
    "Write a one-page note on the method",
    "Share the results with {group}, good or bad",
    "Check {detail} before each release",
    "Ask {dept} what they would stop doing",
)
# Markdown that Python-Markdown and the sanitiser both keep as it is: bold words and a
# link to an example address.
ANSWER_EMPHASIS = (
    "The part that mattered most was **agreeing on {detail}** before anything else.",
    "Our write-up is [here](https://example.org/notes/{n}) if it helps.",
    "Do not skip the **method note**; {group} will ask how {measure} is counted.",
)

COMMENTS = (
    "Thanks, this is really useful. Did {group} push back at first?",
    "Same experience here with {service}.",
    "Could you share the template you used for {subject}?",
    "How many people does it take to keep that up?",
    "We saw the same jump in {measure} right after launch.",
    "Agreed on getting {dept} in early.",
    "Did you count {detail} as closed or reopened?",
    "This matches what we found in {domain}.",
    "Was that built in {tool}?",
    "Following: we are about to start the same thing.",
    "How long did cleaning up {detail} take?",
    "Did {method} need approval from legal first?",
)

BIOS = (
    "I work on {subject} in {dept}, mostly for {domain}.",
    "Before this job I spent {n} years on {service}.",
    "Happy to talk about {practice} or how we count {detail}.",
    "Currently trying {method} on {service}; ask me how it goes.",
    "I came to city government from a nonprofit that worked on {domain}.",
)

PRACTICE_TITLES = (
    "{practice} for {domain}",
    "Cutting {measure} in {service} with {practice}",
    "How {size} cities use {practice}",
    "A guide to {subject} for {domain}",
    "{subject}: a toolkit for {dept}",
    "Evaluating {practice} in {domain}",
    "Template: {practice} for {service}",
    "What {n} cities learned from {practice}",
    "{practice} when {obstacle}",
)
PRACTICE_SIZES = ("mid-sized", "small", "large", "fast-growing", "older industrial")
PRACTICE_SUMMARIES = (
    "How city teams used {practice} to improve {measure} in {domain}, with the steps, "
    "the costs and what to watch for.",
    "A step-by-step guide to {subject}, written with staff from {dept} in several cities.",
    "What it takes to run {practice} for {service}, from the first meeting to the first results.",
    "Lessons from cities that tried {practice} while {obstacle}.",
)
PRACTICE_PROBLEMS = (
    "In many cities {obstacle}, so {measure} for {service} goes unmeasured or is counted "
    "differently every year.",
    "Requests about {subject} pile up in {dept}, and {group} hear about delays before staff do.",
    "Without {subject}, nobody can say whether spending on {domain} makes a difference.",
)
PRACTICE_INTERVENTIONS = (
    "Cities set up {practice}, named an owner in {dept}, and reviewed {measure} with "
    "{group} every {weeks} weeks.",
    "Teams replaced {legacy} with {tool}, agreed on how to count {detail}, and "
    "published the results monthly.",
    "Staff from {dept} and the analytics team ran {method} on {service} before scaling up.",
)
PRACTICE_SECTIONS = ("Why it matters", "What cities did", "What changed", "Watch for")
PRACTICE_COSTS = (
    "Staff time only",
    "Under $25,000",
    "$25,000 to $100,000",
    "Over $100,000 a year",
)
PRACTICE_DURATIONS = (
    "Under three months",
    "Three to six months",
    "Six to twelve months",
    "More than a year",
)
RESULT_UNITS = ("days", "percent", "cases", "dollars", "residents")

ADAPTATION_CHANGES = (
    "We adapted it for {service} and gave the work to {dept}.",
    "We changed how we count {detail} so it fits our system.",
    "Instead of {tool} we started with {legacy}, which is what staff already use.",
    "We added a monthly review with {group}.",
    "Our version skips {method}; we did not have the data for it yet.",
)
ADAPTATION_OUTCOMES = (
    "{measure} improved by about {pct} percent in the first {months} months.",
    "Too early to tell, but {group} now ask for the numbers themselves.",
    "The backlog for {service} is down to a few weeks.",
    "Mixed so far: staff like it, but {detail} still cause trouble.",
)

EVENT_TITLES = {
    "webinar": (
        "{practice}: a webinar with peer cities",
        "Making sense of {measure}",
        "What {domain} teams learned from {practice}",
        "{subject} in practice",
    ),
    "workshop": (
        "Hands-on workshop: {subject}",
        "Workshop: building {practice}",
        "Fixing {detail} in {service} data",
    ),
    "convening": (
        "Regional convening on {domain} and {subject}",
        "Peer exchange: {practice} for {domain}",
    ),
    "office_hours": (
        "Office hours: {subject}",
        "Ask a peer: {practice}",
    ),
    "cohort_session": (
        "Cohort session {n}: {practice}",
        "Cohort check-in: {measure}",
    ),
}
EVENT_DESCRIPTIONS = (
    "Join staff from {dept} in several cities to talk through {subject}. We will look at "
    "how they measure {measure} and what they changed when {obstacle}.",
    "Bring a question about {detail}; the last half hour is open discussion.",
    "Speakers will share the templates they use for {practice}, and what they would do "
    "differently.",
    "We will walk through a real example from {service}, from the raw data to the chart "
    "{group} saw.",
    "This session is for anyone starting out with {method}; no statistics background needed.",
)
EVENT_LOCATIONS = (
    "City hall, council chambers annex",
    "Public library, community room",
    "Convention center, meeting level",
    "Regional planning office, training room",
    "University extension building, room 204",
)
