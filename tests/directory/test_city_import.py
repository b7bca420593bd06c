"""`flask cities import`: the GeoNames load and updates from Census estimates files."""

import re
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.factories import make_city
from wwc_community.directory.models import City
from wwc_community.extensions import db

CENSUS_SAMPLE = Path(__file__).parent.parent / "fixtures" / "sub-est-sample.csv"
CENSUS_SOURCE = "U.S. Census Bureau estimate, July 1, 2023"


def city_count() -> int:
    return db.session.scalar(select(func.count(City.id)))


def find(name: str, state: str) -> City | None:
    return db.session.scalar(select(City).where(City.name == name, City.state == state))


def summary(output: str) -> dict[str, int]:
    """The closing line's figures: {"created": 3, "updated": 0, ...}."""
    return {
        word: int(n) for n, word in re.findall(r"(\d+) (created|updated|unchanged|skipped)", output)
    }


def test_geonames_import_loads_the_directory_once(runner):
    first = runner.invoke(args=["cities", "import"])
    assert first.exit_code == 0, first.output
    loaded = city_count()
    assert 1_500 < loaded < 2_000
    assert summary(first.output)["created"] == loaded
    austin = find("Austin", "TX")
    assert austin is not None and austin.population >= 30_000
    assert austin.population_source == "GeoNames" and austin.slug == "austin-tx"
    smallest = db.session.scalar(select(func.min(City.population)))
    assert smallest >= 30_000

    second = runner.invoke(args=["cities", "import"])
    assert second.exit_code == 0, second.output
    assert summary(second.output)["created"] == 0
    assert summary(second.output)["updated"] == 0
    assert city_count() == loaded

    skipped = runner.invoke(args=["cities", "import", "--if-empty"])
    assert skipped.exit_code == 0 and "already loaded" in skipped.output


def test_census_figures_outrank_geonames_on_a_later_import(runner):
    assert runner.invoke(args=["cities", "import"]).exit_code == 0
    census = runner.invoke(args=["cities", "import", "--census", str(CENSUS_SAMPLE)])
    assert census.exit_code == 0, census.output
    assert runner.invoke(args=["cities", "import"]).exit_code == 0
    austin = find("Austin", "TX")
    assert (austin.population, austin.population_source) == (979_882, CENSUS_SOURCE)
    assert austin.geonames_id is not None and austin.census_place_code == "4805000"


@pytest.fixture
def directory(app):
    """Cities as GeoNames names them, before any Census file is read."""
    return {
        "austin": make_city("Austin", "TX", 931_830, population_source="GeoNames"),
        "nashville": make_city("Nashville", "TN", 530_852, population_source="GeoNames"),
        "saint-paul": make_city("Saint Paul", "MN", 285_068, population_source="GeoNames"),
        "springfield": make_city("Springfield", "IL", 114_394, population_source="GeoNames"),
    }


def import_census(runner, path=CENSUS_SAMPLE):
    return runner.invoke(args=["cities", "import", "--census", str(path)])


def test_census_import_updates_matched_cities(runner, directory):
    result = import_census(runner)
    assert result.exit_code == 0, result.output
    austin = find("Austin", "TX")
    assert (austin.population, austin.population_source) == (979_882, CENSUS_SOURCE)
    assert austin.census_place_code == "4805000"
    # "Nashville-Davidson metropolitan government (balance)" is Nashville.
    nashville = find("Nashville", "TN")
    assert (nashville.population, nashville.census_place_code) == (687_788, "4752006")
    # "St. Paul city" is the directory's Saint Paul.
    saint_paul = find("Saint Paul", "MN")
    assert (saint_paul.population, saint_paul.population_source) == (303_176, CENSUS_SOURCE)
    assert find("St. Paul", "MN") is None
    # A city the file does not mention keeps its figure.
    springfield = find("Springfield", "IL")
    assert (springfield.population, springfield.population_source) == (114_394, "GeoNames")


def test_census_import_adds_missing_places_of_30000_and_more_only(runner, directory):
    result = import_census(runner)
    assert result.exit_code == 0, result.output
    maple_grove = find("Maple Grove", "MN")
    assert maple_grove is not None
    assert (maple_grove.population, maple_grove.slug) == (71_342, "maple-grove-mn")
    assert maple_grove.census_place_code == "2740166"
    assert find("Lake Elmo", "MN") is None  # 13,284 residents
    assert city_count() == len(directory) + 1
    assert summary(result.output) == {"created": 1, "updated": 3, "unchanged": 0, "skipped": 1}


def test_census_import_ignores_states_counties_and_town_rows(runner, directory):
    import_census(runner)
    names = set(db.session.scalars(select(City.name)))
    for not_a_place in ("Texas", "Travis County", "Minnesota", "Hempstead", "Hempstead town"):
        assert not_a_place not in names
    assert not any(name.endswith((" city", " town", "(balance)")) for name in names)
    # The place-within-county row for Austin (summary level 157) is not what Austin gets.
    assert find("Austin", "TX").population == 979_882


def test_census_import_is_idempotent(runner, directory):
    import_census(runner)
    before = {
        city.slug: (city.population, city.population_source)
        for city in db.session.scalars(select(City))
    }
    again = import_census(runner)
    assert again.exit_code == 0, again.output
    assert summary(again.output) == {"created": 0, "updated": 0, "unchanged": 4, "skipped": 1}
    db.session.expire_all()
    after = {
        city.slug: (city.population, city.population_source)
        for city in db.session.scalars(select(City))
    }
    assert after == before


def test_a_file_with_the_wrong_columns_is_refused_and_changes_nothing(runner, directory, tmp_path):
    wrong = tmp_path / "places.csv"
    wrong.write_text("GEOID,NAME,POPULATION\n4805000,Austin city,979882\n")
    result = import_census(runner, wrong)
    assert result.exit_code != 0
    assert "not a Census SUB-EST file" in result.output
    assert "SUMLEV" in result.output and "POPESTIMATEyyyy" in result.output
    austin = find("Austin", "TX")
    assert (austin.population, austin.population_source) == (931_830, "GeoNames")
    assert city_count() == len(directory)


def test_a_bad_figure_halfway_through_changes_nothing(runner, directory, tmp_path):
    lines = CENSUS_SAMPLE.read_text().splitlines()
    broken = [line.replace(",303176", ",about 300k") for line in lines]
    path = tmp_path / "broken.csv"
    path.write_text("\n".join(broken) + "\n")
    result = import_census(runner, path)
    assert result.exit_code != 0
    assert "Line 9: POPESTIMATE2023 is not a number." in result.output
    assert find("Austin", "TX").population == 931_830
    assert find("Maple Grove", "MN") is None


def test_a_census_file_in_latin_1_is_read(runner, directory, tmp_path):
    lines = CENSUS_SAMPLE.read_text().splitlines()
    lines.append(
        "162,35,000,25170,00000,00000,0,A,Española city,New Mexico,10526,10500,10490,10470,31000"
    )
    path = tmp_path / "latin1.csv"
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("latin-1"))
    result = import_census(runner, path)
    assert result.exit_code == 0, result.output
    assert find("Española", "NM").population == 31_000


def test_a_missing_file_gets_a_clear_message(runner, tmp_path):
    result = runner.invoke(args=["cities", "import", "--census", str(tmp_path / "nowhere.csv")])
    assert result.exit_code != 0
    assert "does not exist" in result.output
