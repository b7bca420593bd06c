"""The directory's pages: cities, organisations, topics, members' profiles and the member
directory, and the admin pages for organisations, topics and e-mail domains."""

import zlib

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

from wwc_community.accounts.access import member_required, role_required
from wwc_community.accounts.models import Role
from wwc_community.core.errors import DomainError, Invalid, NotFound
from wwc_community.core.markup import render_markdown
from wwc_community.core.pagination import paginate, parse_page_number
from wwc_community.core.security import is_local_path
from wwc_community.directory import services
from wwc_community.directory.forms import (
    CertificationForm,
    DomainForm,
    FollowButtonForm,
    OrganisationDomainForm,
    OrganisationForm,
    ProfileForm,
    TopicForm,
    UnlinkDomainForm,
)
from wwc_community.directory.models import CertificationLevel, PopulationBand
from wwc_community.discussions import listing as discussions
from wwc_community.discussions import services as discussion_services
from wwc_community.events.listing import upcoming_events
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
    return services.printable_text(request.args.get(name), limit)


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
    """One city: population, band, certification, its members (named to members) and
    the latest discussions about it (members only)."""
    city = services.get_city(db.session, slug)
    sample = services.members_of(db.session, current_user, city=city)
    return render_template(
        "directory/city.html", city=city, sample=sample, threads=_latest_threads(city=city)
    )


def _latest_threads(**about):
    """The latest discussions about a city or on a topic; None when the viewer is not an
    approved member (discussions are members-only)."""
    if not services.may_see_members(current_user):
        return None
    return discussions.latest_threads(db.session, current_user, **about)


@bp.get("/orgs/<slug>")
def organisation(slug: str):
    """A partner organisation: what it does, its staff (named to members), its practices."""
    organisation = services.get_organisation(db.session, slug)
    sample = services.members_of(db.session, current_user, organisation=organisation)
    return render_template("directory/organisation.html", organisation=organisation, sample=sample)


TOPIC_PAGE_MEMBERS = 24


@bp.get("/topics/<slug>")
def topic(slug: str):
    """A practice area: what it covers, the members who know it (named to members), and
    its latest discussions with a button to follow it (members only)."""
    topic = services.get_topic(db.session, slug)
    sample = services.members_of(db.session, current_user, topic=topic, limit=TOPIC_PAGE_MEMBERS)
    threads = _latest_threads(topic=topic)
    following = threads is not None and discussion_services.is_following_topic(
        db.session, current_user, topic
    )
    viewer = current_user if current_user.is_authenticated else None
    return render_template(
        "directory/topic.html",
        topic=topic,
        sample=sample,
        events=upcoming_events(db.session, viewer, topic=topic, limit=5),
        threads=threads,
        following=following,
        follow_form=FollowButtonForm(),
    )


# Profiles and the member directory ---------------------------------------------------------

AVATAR_COLOURS = 8


@bp.app_template_filter("avatar_colour")
def avatar_colour(handle: str) -> int:
    """Which of the avatar colours a handle gets: always the same one for the same handle."""
    return zlib.crc32(handle.encode()) % AVATAR_COLOURS


@bp.get("/people")
@member_required
def people():
    """The member directory: filters in the query string, so a view can be bookmarked."""
    choices = services.directory_choices(db.session)
    try:
        filters = services.read_directory_filters(db.session, current_user, request.args, choices)
        asked_page = _strict_page_number(request.args.get("page"))
    except Invalid as error:
        return _render_people(choices, services.DirectoryFilters(), problem=error.message), 400
    statement = services.member_directory(db.session, current_user, filters)
    page = paginate(db.session, statement, asked_page, current_app.config["PER_PAGE"])
    if asked_page > page.pages:
        return _render_people(choices, filters, missing_page=asked_page, page=page), 404
    helpfulness = None
    if filters.sort == "helpful":
        helpfulness = services.helpfulness_of(db.session, page.items)
    return _render_people(choices, filters, page=page, helpfulness=helpfulness)


def _strict_page_number(raw: str | None) -> int:
    """The page number asked for; Invalid when it is not a whole number from 1."""
    if raw is None or raw == "":
        return 1
    if not (raw.isascii() and raw.isdigit()):
        raise Invalid("The page number must be a whole number, for example 2.")
    if int(raw) < 1:
        raise Invalid("Page numbers start at 1.")
    return int(raw)


def _render_people(
    choices, filters, *, page=None, problem=None, missing_page=None, helpfulness=None
):
    return render_template(
        "people/directory.html",
        choices=choices,
        filters=filters,
        page=page,
        helpfulness=helpfulness,
        accepted_weight=services.ACCEPTED_ANSWER_WEIGHT,
        problem=problem,
        missing_page=missing_page,
        bands=list(PopulationBand),
        roles=list(Role),
        sorts=services.DIRECTORY_SORTS,
    )


@bp.get("/people/<handle>")
@member_required
def profile(handle: str):
    """A member's profile: who they are, what they know, and what they have done here."""
    member = services.get_profile(db.session, current_user, handle)
    return render_template("people/profile.html", member=member)


@bp.route("/settings/profile", methods=["GET", "POST"])
@member_required
def edit_profile():
    """Edit one's own profile; "Preview" shows the rendered bio and saves nothing."""
    member = services.get_editable_profile(db.session, current_user, current_user)
    topics = services.list_topics(db.session)
    organisations = services.list_organisations(db.session)
    form = _profile_form(member, topics, organisations)
    shown = _affiliation_fields(member.role_enum)
    preview = None
    if "preview" in request.form:
        if form.validate_on_submit() or not form.bio.errors:
            preview = render_markdown(form.bio.data)
    else:
        done = _save(
            form,
            lambda: _update_profile(form, member, shown, topics, organisations),
            lambda _: (
                "Your profile is saved.",
                url_for("directory.profile", handle=member.handle),
            ),
        )
        if done:
            return done
    return render_template(
        "people/edit.html", form=form, shown=shown, preview=preview, role=member.role_enum
    ), _status(form)


def _profile_form(member, topics, organisations) -> ProfileForm:
    """The profile form with its choices: the saved values on GET, what was sent on POST."""
    if request.method == "POST":
        # A field left out of the POST is empty, not the saved value.
        form = ProfileForm()
    else:
        form = ProfileForm(
            display_name=member.display_name,
            handle=member.handle,
            job_title=member.job_title,
            department=member.department,
            city=member.city.label if member.city else "",
            organisation=member.organisation.slug if member.organisation else "",
            topics=[topic.slug for topic in member.expertise],
            bio=member.bio,
        )
    form.topics.choices = [SelectChoice(topic.slug, topic.name) for topic in topics]
    form.organisation.choices = [SelectChoice("", "Choose an organisation")] + [
        SelectChoice(org.slug, org.name) for org in organisations
    ]
    return form


def _affiliation_fields(role: Role) -> tuple[str, ...]:
    """City staff name a city, partner staff an organisation, program staff either."""
    if role == Role.PRACTITIONER:
        return ("city",)
    if role == Role.PARTNER:
        return ("organisation",)
    return ("city", "organisation")


def _update_profile(form: ProfileForm, member, shown, topics, organisations):
    """Resolve the typed city and the chosen organisation and topics, then save."""
    city = organisation = None
    if "city" in shown and (form.city.data or "").strip():
        city = services.find_city_by_label(db.session, form.city.data)
    if "organisation" in shown and form.organisation.data:
        organisation = next(
            (org for org in organisations if org.slug == form.organisation.data), None
        )
        if organisation is None:
            raise Invalid("Choose the partner organisation from the list.", field="organisation")
    chosen = set(form.topics.data or [])
    services.update_profile(
        db.session,
        current_user,
        member,
        display_name=form.display_name.data or "",
        handle=form.handle.data or "",
        job_title=form.job_title.data or "",
        department=form.department.data or "",
        bio=form.bio.data or "",
        topics=[topic for topic in topics if topic.slug in chosen],
        city=city,
        organisation=organisation,
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
