"""The city directory, and the admin pages for organisations, topics and e-mail domains."""

from flask import (
    Blueprint,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from wtforms import SelectChoice

from wwc_community.accounts.access import role_required
from wwc_community.accounts.models import Role
from wwc_community.core.errors import DomainError, Invalid, NotFound
from wwc_community.core.pagination import paginate, parse_page_number
from wwc_community.core.security import is_local_path
from wwc_community.directory import services
from wwc_community.directory.forms import (
    CertificationForm,
    DomainForm,
    OrganisationDomainForm,
    OrganisationForm,
    TopicForm,
    UnlinkDomainForm,
)
from wwc_community.directory.models import CertificationLevel, PopulationBand
from wwc_community.extensions import db

bp = Blueprint("directory", __name__)


@bp.get("/cities")
def cities():
    """Every city in the directory, with search by name and filters."""
    query = _text_arg("q")
    states = services.states_in_directory(db.session)
    state = request.args.get("state") or None
    if state not in states:
        state = None
    band = _enum_arg(PopulationBand, "band")
    certification = _enum_arg(CertificationLevel, "certification")
    statement = services.city_list_statement(
        query=query, state=state, band=band, certification=certification
    )
    page = _page_of(statement)
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


def _text_arg(name: str, limit: int = 100) -> str:
    """A search text from the query string: printable, single-spaced, at most `limit` long."""
    text = "".join(c if c.isprintable() else " " for c in request.args.get(name) or "")
    return " ".join(text.split())[:limit]


def _page_of(statement):
    """The page of `statement` that ?page= asks for."""
    return paginate(
        db.session,
        statement,
        parse_page_number(request.args.get("page")),
        current_app.config["PER_PAGE"],
    )


def _enum_arg(enum_type, name: str):
    try:
        return enum_type(request.args.get(name, ""))
    except ValueError:
        return None


@bp.get("/cities/suggest")
def suggest_cities():
    """City names for the sign-up field, as the member types (JSON)."""
    matches = services.suggest_cities(db.session, _text_arg("q"))
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


# Administration ------------------------------------------------------------------------


def _save(form, change, outcome):
    """Run `change()` once `form` is submitted and valid, then commit and redirect.

    `outcome(result)` gives the success message and the address to go to; it runs
    before the commit, while the objects it describes are still loaded. Return the
    303 redirect, or None when the page is to be shown again: not submitted, invalid,
    or refused by the service (rolled back, its message kept on the form).
    """
    if not form.validate_on_submit():
        return None
    try:
        result = change()
    except DomainError as error:
        db.session.rollback()
        if error.field and error.field in form:
            form[error.field].errors = [*form[error.field].errors, error.message]
        else:
            form.form_errors.append(error.message)
        return None
    message, address = outcome(result)
    db.session.commit()
    flash(message, "success")
    return redirect(address, 303)


def _status(*forms) -> int:
    """400 when a submitted form is shown again with its errors, else 200."""
    return 400 if any(form.errors for form in forms) else 200


@bp.get("/admin/organisations")
@role_required(Role.COORDINATOR)
def admin_organisations():
    """Partner organisations and their e-mail domains."""
    return render_template(
        "directory/admin_organisations.html",
        organisations=services.organisations_with_domains(db.session),
    )


@bp.route("/admin/organisations/new", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def admin_new_organisation():
    """Add a partner organisation."""
    form = OrganisationForm()
    done = _save(
        form,
        lambda: services.create_organisation(
            db.session,
            current_user,
            form.name.data,
            website=form.website.data or "",
            description=form.description.data or "",
        ),
        lambda organisation: (
            f"{organisation.name} is added. Link its e-mail domains below so its staff "
            "are approved at once.",
            url_for("directory.admin_organisation", slug=organisation.slug),
        ),
    )
    return done or (
        render_template("directory/admin_organisation_new.html", form=form),
        _status(form),
    )


@bp.route("/admin/organisations/<slug>", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def admin_organisation(slug: str):
    """Edit an organisation, and see the e-mail domains linked to it."""
    organisation = services.get_organisation(db.session, slug)
    form = OrganisationForm(obj=organisation)
    done = _save(
        form,
        lambda: services.update_organisation(
            db.session,
            current_user,
            organisation,
            form.name.data,
            form.website.data or "",
            form.description.data or "",
        ),
        lambda _: (
            f"{organisation.name} is updated.",
            url_for("directory.admin_organisation", slug=slug),
        ),
    )
    return done or _render_organisation(slug, form, OrganisationDomainForm(formdata=None))


@bp.post("/admin/organisations/<slug>/domains")
@role_required(Role.COORDINATOR)
def admin_link_organisation_domain(slug: str):
    """Link an e-mail domain to this organisation."""
    organisation = services.get_organisation(db.session, slug)
    domain_form = OrganisationDomainForm()
    done = _save(
        domain_form,
        lambda: services.link_domain(
            db.session, current_user, domain_form.domain.data, organisation=organisation
        ),
        lambda link: (
            f"{link.domain} is linked to {organisation.name}.",
            url_for("directory.admin_organisation", slug=slug),
        ),
    )
    return done or _render_organisation(slug, None, domain_form)


def _render_organisation(slug: str, form, domain_form):
    """The organisation's page, loaded afresh (a refusal rolled the session back)."""
    organisation = services.get_organisation(db.session, slug)
    form = form or OrganisationForm(formdata=None, obj=organisation)
    return render_template(
        "directory/admin_organisation.html",
        organisation=organisation,
        form=form,
        domain_form=domain_form,
        unlink_form=UnlinkDomainForm(),
    ), _status(form, domain_form)


@bp.get("/admin/topics")
@role_required(Role.COORDINATOR)
def admin_topics():
    """The practice areas that profiles, threads, practices and events carry."""
    return render_template("directory/admin_topics.html", topics=services.list_topics(db.session))


@bp.route("/admin/topics/new", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def admin_new_topic():
    """Add a topic."""
    form = TopicForm()
    done = _save(
        form,
        lambda: services.create_topic(
            db.session, current_user, form.name.data, form.description.data or ""
        ),
        lambda topic: (f"The topic {topic.name} is added.", url_for("directory.admin_topics")),
    )
    return done or (
        render_template("directory/admin_topic_form.html", form=form, topic=None),
        _status(form),
    )


@bp.route("/admin/topics/<slug>", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def admin_topic(slug: str):
    """Rename a topic or change its description."""
    topic = services.get_topic(db.session, slug)
    form = TopicForm(obj=topic)
    done = _save(
        form,
        lambda: services.update_topic(
            db.session, current_user, topic, form.name.data, form.description.data or ""
        ),
        lambda _: (f"The topic {topic.name} is updated.", url_for("directory.admin_topics")),
    )
    return done or (
        render_template("directory/admin_topic_form.html", form=form, topic=topic),
        _status(form),
    )


@bp.route("/admin/domains", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def admin_domains():
    """Every linked e-mail domain, and a form to link another to a city or organisation."""
    organisations = services.list_organisations(db.session)
    form = DomainForm()
    form.organisation.choices = [SelectChoice("", "Choose an organisation")] + [
        SelectChoice(org.slug, org.name) for org in organisations
    ]

    def link():
        city, organisation = _domain_owner(form, organisations)
        return services.link_domain(
            db.session, current_user, form.domain.data, city=city, organisation=organisation
        )

    done = _save(
        form,
        link,
        lambda link: (
            f"{link.domain} is linked to {link.owner_label}.",
            url_for("directory.admin_domains"),
        ),
    )
    if done:
        return done
    query = _text_arg("q")
    return render_template(
        "directory/admin_domains.html",
        form=form,
        page=_page_of(services.linked_domains_statement(query)),
        query=query,
        unlink_form=UnlinkDomainForm(),
    ), _status(form)


def _domain_owner(form: DomainForm, organisations):
    """The city or organisation chosen in the link form (Invalid when neither is usable)."""
    if form.owner.data == "organisation":
        chosen = next((org for org in organisations if org.slug == form.organisation.data), None)
        if chosen is None:
            raise Invalid("Choose the partner organisation from the list.", field="organisation")
        return None, chosen
    if not (form.city.data or "").strip():
        raise Invalid("Type the city, for example “Austin, TX”.", field="city")
    return services.find_city_by_label(db.session, form.city.data), None


@bp.post("/admin/domains/<int:domain_id>/unlink")
@role_required(Role.COORDINATOR)
def admin_unlink_domain(domain_id: int):
    """Stop approving addresses on a domain automatically."""
    back = request.form.get("back")
    if not is_local_path(back):
        back = url_for("directory.admin_domains")
    form = UnlinkDomainForm()
    if not form.validate_on_submit():
        flash("The form expired. Reload the page and try again.", "error")
        return redirect(back, 303)
    try:
        link = services.get_linked_domain(db.session, domain_id)
        services.unlink_domain(db.session, current_user, link)
    except NotFound as error:
        db.session.rollback()
        flash(error.message, "info")
        return redirect(back, 303)
    summary = f"{link.domain} is no longer linked to {link.owner_label}."
    db.session.commit()
    flash(
        f"{summary} New sign-ups on it will wait for a coordinator's approval; "
        "existing members keep their accounts.",
        "success",
    )
    return redirect(back, 303)


@bp.route("/admin/cities/<slug>/certification", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def admin_city_certification(slug: str):
    """Record a city's certification level and the year it was awarded."""
    city = services.get_city(db.session, slug)
    # On a POST the submitted values replace these.
    form = CertificationForm(level=city.certification_level, year=city.certification_year)
    done = _save(
        form,
        lambda: services.set_city_certification(
            db.session, current_user, city, CertificationLevel(form.level.data), form.year.data
        ),
        lambda _: (
            f"The certification of {city.label} is now {city.certification.label}.",
            url_for("directory.city", slug=slug),
        ),
    )
    if done:
        return done
    city = services.get_city(db.session, slug)
    return render_template("directory/admin_certification.html", city=city, form=form), _status(
        form
    )
