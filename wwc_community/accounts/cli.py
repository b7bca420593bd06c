"""`flask users …`: accounts for operators and tests."""

import sys

import click
from sqlalchemy import select

from wwc_community.accounts.models import Role
from wwc_community.accounts.services import create_member
from wwc_community.core.errors import DomainError
from wwc_community.directory.models import City, Organisation
from wwc_community.extensions import db

users_cli = click.Group("users", help="Manage member accounts.")


@users_cli.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice([role.value for role in Role]), required=True)
@click.option("--city", "city_slug", help="Slug of the member's city, e.g. austin-tx.")
@click.option("--org", "org_slug", help="Slug of the member's partner organisation.")
@click.option("--name", "display_name", help="Display name (default: the e-mail's local part).")
@click.option("--job-title", default="", help="Job title.")
@click.option(
    "--password-stdin",
    is_flag=True,
    required=True,
    help="Read the password from standard input (keeps it out of shell history).",
)
def create_user(email, role, city_slug, org_slug, display_name, job_title, password_stdin):
    """Create an active, verified account for EMAIL."""
    if city_slug and org_slug:
        raise click.UsageError("Give --city or --org, not both.")
    password = sys.stdin.readline().rstrip("\r\n")
    city = organisation = None
    if city_slug:
        city = db.session.scalar(select(City).where(City.slug == city_slug))
        if city is None:
            raise click.ClickException(f"No city with the slug {city_slug!r}.")
    if org_slug:
        organisation = db.session.scalar(select(Organisation).where(Organisation.slug == org_slug))
        if organisation is None:
            raise click.ClickException(f"No organisation with the slug {org_slug!r}.")
    try:
        member = create_member(
            db.session,
            email=email,
            password=password,
            role=Role(role),
            display_name=display_name,
            job_title=job_title,
            city=city,
            organisation=organisation,
        )
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(error.message) from error
    db.session.commit()
    click.echo(f"Created {member.email} ({member.role}), active and verified.")
