"""The demo community that `flask seed-demo` loads: about sixty members in cities of
every size and in every partner organisation. Every name and bio here is invented;
the cities are real (populations from GeoNames)."""

import random
from dataclasses import dataclass

# City slug -> the made-up e-mail domain its demo staff use.
DEMO_CITIES = (
    "los-angeles-ca",
    "chicago-il",
    "houston-tx",
    "phoenix-az",
    "san-antonio-tx",
    "philadelphia-pa",
    "austin-tx",
    "tulsa-ok",
    "denver-co",
    "kansas-city-mo",
    "baltimore-md",
    "seattle-wa",
    "albuquerque-nm",
    "louisville-ky",
    "syracuse-ny",
    "boise-id",
    "chattanooga-tn",
    "fort-collins-co",
    "providence-ri",
    "tacoma-wa",
    "bloomington-in",
    "racine-wi",
    "santa-monica-ca",
    "evanston-il",
    "lawrence-ks",
    "burlington-vt",
    "asheville-nc",
    "napa-ca",
)

FIRST_NAMES = (
    "Amara",
    "Ben",
    "Carmen",
    "Deshawn",
    "Elena",
    "Farid",
    "Grace",
    "Hector",
    "Imani",
    "Jonah",
    "Keiko",
    "Luis",
    "Maya",
    "Nikhil",
    "Olivia",
    "Pedro",
    "Quinn",
    "Rosa",
    "Samir",
    "Tanya",
    "Uma",
    "Victor",
    "Wen",
    "Ximena",
    "Yusuf",
    "Zoe",
    "Andre",
    "Beatriz",
    "Colin",
    "Dalia",
    "Eli",
    "Fatima",
    "Gabe",
    "Hana",
    "Isaac",
    "Jada",
    "Kofi",
    "Lena",
)
LAST_NAMES = (
    "Alvarez",
    "Brooks",
    "Chen",
    "Diallo",
    "Eriksen",
    "Flores",
    "Gupta",
    "Hughes",
    "Ibarra",
    "Jensen",
    "Kim",
    "Lopez",
    "Mensah",
    "Nakamura",
    "Okafor",
    "Patel",
    "Quiroga",
    "Rivera",
    "Sato",
    "Thompson",
    "Usman",
    "Vargas",
    "Washington",
    "Xu",
    "Yilmaz",
    "Zimmer",
    "Adeyemi",
    "Bianchi",
    "Castillo",
    "Dubois",
)

# Topic name -> (job titles, departments, sentences about work done in that area).
TOPIC_WORK = {
    "Data Governance and Management": (
        ("Chief Data Officer", "Data Governance Manager", "Data Steward Lead"),
        ("Office of Innovation and Technology", "Information Technology", "City Manager's Office"),
        (
            "wrote the city's first data inventory, covering more than 300 datasets across 14 "
            "departments",
            "set up a data stewards network that meets monthly and owns the quality of each "
            "department's key tables",
            "drafted the data sharing agreement template our departments now use with county "
            "and school partners",
        ),
    ),
    "Open Data": (
        ("Open Data Coordinator", "Open Data Program Manager", "Civic Technology Lead"),
        ("Office of Innovation and Technology", "Information Technology", "Communications"),
        (
            "relaunched the open data portal with plain-language descriptions and a release "
            "calendar residents can follow",
            "moved building permits and 311 requests to automated daily publication",
            "run a quarterly office hour where residents and reporters ask how to use the "
            "city's data",
        ),
    ),
    "Performance and Analytics": (
        ("Performance Analyst", "Senior Data Analyst", "Director of Performance Management"),
        ("Office of Performance and Analytics", "Budget and Finance", "Mayor's Office"),
        (
            "built the dashboard the mayor reviews with department heads every other week",
            "led the stat program that cut the median pothole repair time from nine days to four",
            "model staffing needs for the emergency call centre from two years of call data",
        ),
    ),
    "Evaluations": (
        ("Evaluation Manager", "Program Evaluator", "Research and Evaluation Lead"),
        (
            "Office of Performance and Analytics",
            "Human Services",
            "Housing and Community Development",
        ),
        (
            "ran a randomised trial of reminder letters that raised on-time utility payments by "
            "six percentage points",
            "designed a pre/post evaluation of the summer youth employment program with the "
            "local university",
            "help departments write evaluation plans before a pilot starts, not after it ends",
        ),
    ),
    "Results-Driven Contracting": (
        ("Procurement Analyst", "Strategic Procurement Manager", "Contracts Performance Lead"),
        ("Purchasing", "Budget and Finance", "Public Works"),
        (
            "rewrote the homeless services contracts around housing placements instead of "
            "shelter nights",
            "introduced quarterly performance reviews with the city's twenty largest vendors",
            "piloted an outcomes-based contract for workforce training with three providers",
        ),
    ),
    "Stakeholder Engagement": (
        ("Community Engagement Manager", "Resident Experience Lead", "Neighborhood Liaison"),
        ("Neighborhood Services", "Communications", "Mayor's Office"),
        (
            "organised participatory budgeting in four council districts with over 9,000 votes "
            "cast",
            "run the resident survey and publish its results by neighbourhood",
            "co-designed the new 311 app with a panel of residents who rarely contacted the city",
        ),
    ),
    "Budgeting and Repurposing for Results": (
        ("Budget Analyst", "Deputy Budget Director", "Fiscal Policy Analyst"),
        ("Budget and Finance", "Office of Management and Budget", "City Manager's Office"),
        (
            "introduced evidence ratings into budget requests so that council sees what each "
            "program is known to achieve",
            "led a review that moved 2.1 million dollars from low-performing programs to ones "
            "with stronger results",
            "built the multi-year forecast model the finance committee uses",
        ),
    ),
    "Leadership and Capacity": (
        ("Director of Strategy", "Chief Innovation Officer", "Assistant City Manager"),
        ("City Manager's Office", "Mayor's Office", "Human Resources"),
        (
            "started a data academy that has trained 240 staff in spreadsheets, SQL and "
            "visualisation",
            "chair the cross-department data leadership team",
            "created a fellowship that brings graduate students into departments for a year",
        ),
    ),
}

OPENERS = (
    "I have worked in local government for {years} years.",
    "Before joining the city I spent {years} years in the nonprofit sector.",
    "I came to public service from a research background {years} years ago.",
    "I started as an intern in this department {years} years ago and never left.",
)
CLOSERS = (
    "Happy to share templates and what we would do differently.",
    "Ask me about the mistakes we made along the way; they taught us the most.",
    "Always glad to compare notes with a city of any size.",
    "Currently curious about how other cities keep momentum after a pilot ends.",
)

PARTNER_STAFF = {
    "civic-evidence-lab": (
        ("Evaluation Fellow", "Evaluations"),
        ("Senior Research Advisor", "Evaluations"),
    ),
    "open-data-collaborative": (
        ("Open Data Advisor", "Open Data"),
        ("Data Standards Lead", "Data Governance and Management"),
    ),
    "results-procurement-institute": (
        ("Procurement Coach", "Results-Driven Contracting"),
        ("Contract Performance Advisor", "Results-Driven Contracting"),
    ),
    "community-insight-partners": (("Engagement Strategist", "Stakeholder Engagement"),),
}


@dataclass(frozen=True)
class DemoPerson:
    email: str
    display_name: str
    job_title: str
    department: str
    topics: tuple[str, ...]
    bio: str
    city_slug: str | None = None
    organisation_slug: str | None = None


def _bio(rng: random.Random, topics: tuple[str, ...], name: str) -> str:
    first_topic = topics[0]
    work = rng.choice(TOPIC_WORK[first_topic][2])
    parts = [rng.choice(OPENERS).format(years=rng.randint(3, 22)), f"In my current role I {work}."]
    if len(topics) > 1:
        parts.append(
            f"I also work on **{topics[1].lower()}**: I {rng.choice(TOPIC_WORK[topics[1]][2])}."
        )
    parts.append(rng.choice(CLOSERS))
    return " ".join(parts)


def demo_people(seed: int = 2026) -> list[DemoPerson]:
    """The demo members, the same on every run."""
    rng = random.Random(seed)
    topics = list(TOPIC_WORK)
    names = iter(rng.sample([(f, last) for f in FIRST_NAMES for last in LAST_NAMES], 80))
    people = []
    for index, city_slug in enumerate(DEMO_CITIES):
        for _ in range(2 if index % 4 else 1):
            first, last = next(names)
            chosen = tuple(rng.sample(topics, rng.randint(1, 3)))
            titles, departments, _ = TOPIC_WORK[chosen[0]]
            domain = city_slug.rsplit("-", 1)[0].replace("-", "")
            people.append(
                DemoPerson(
                    email=f"{first}.{last}@{domain}.example.gov".lower(),
                    display_name=f"{first} {last}",
                    job_title=rng.choice(titles),
                    department=rng.choice(departments),
                    topics=chosen,
                    bio=_bio(rng, chosen, first),
                    city_slug=city_slug,
                )
            )
    for organisation_slug, staff in PARTNER_STAFF.items():
        for title, topic in staff:
            first, last = next(names)
            others = [t for t in topics if t != topic]
            chosen = (topic, rng.choice(others))
            people.append(
                DemoPerson(
                    email=f"{first}.{last}@{organisation_slug}.example.org".lower(),
                    display_name=f"{first} {last}",
                    job_title=title,
                    department="",
                    topics=chosen,
                    bio=(f"I advise city teams on {topic.lower()}. {rng.choice(CLOSERS)}"),
                    organisation_slug=organisation_slug,
                )
            )
    return people
