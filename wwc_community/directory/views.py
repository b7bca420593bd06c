"""The city directory, and the admin pages for organisations, topics and e-mail domains."""

from flask import Blueprint, current_app, jsonify, render_template, request
from flask_login import current_user

from wwc_community.accounts.access import role_required
from wwc_community.accounts.models import Role
from wwc_community.core.pagination import paginate, parse_page_number
from wwc_community.directory import services
from wwc_community.directory.models import CertificationLevel, PopulationBand
from wwc_community.extensions import db

bp = Blueprint("directory", __name__)


@bp.get("/cities")
def cities():
    """Every city in the directory, with search by name and filters."""
    query = " ".join((request.args.get("q") or "").split())[:100]
    states = services.states_in_directory(db.session)
    state = request.args.get("state") or None
    if state not in states:
        state = None
    band = _enum_arg(PopulationBand, "band")
    certification = _enum_arg(CertificationLevel, "certification")
    statement = services.city_list_statement(
        query=query, state=state, band=band, certification=certification
    )
    page = paginate(
        db.session,
        statement,
        parse_page_number(request.args.get("page")),
        current_app.config["PER_PAGE"],
    )
    return render_template(
        "directory/cities.html",
        page=page,
        query=query,
        states=states,
        state=state,
        band=band,
        certification=certification,
        bands=list(PopulationBand),
        levels=list(CertificationLevel),
    )


def _enum_arg(enum_type, name: str):
    try:
        return enum_type(request.args.get(name, ""))
    except ValueError:
        return None


@bp.get("/cities/suggest")
def suggest_cities():
    """City names for the sign-up field, as the member types (JSON)."""
    matches = services.suggest_cities(db.session, (request.args.get("q") or "")[:100])
    return jsonify([{"label": city.label, "slug": city.slug} for city in matches])


@bp.get("/cities/<slug>")
def city(slug: str):
    """One city: population, band, certification, and its members (for members)."""
    city = services.get_city(db.session, slug)
    members = []
    member_count = services.count_city_members(db.session, city)
    if current_user.is_authenticated and current_user.is_member:
        members = services.city_members(db.session, city)
    return render_template(
        "directory/city.html", city=city, members=members, member_count=member_count
    )


@bp.get("/admin/organisations")
@role_required(Role.COORDINATOR)
def admin_organisations():
    """Partner organisations and their e-mail domains."""
    return render_template(
        "directory/admin_organisations.html", organisations=services.list_organisations(db.session)
    )
