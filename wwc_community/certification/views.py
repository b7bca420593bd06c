"""The benchmark's public face for members: the framework, a criterion's page with
everything tagged with it, and asking a peer who met it."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from wwc_community.accounts.access import member_required
from wwc_community.accounts.models import Role
from wwc_community.certification import ask, related, services
from wwc_community.certification.forms import AskPeerForm
from wwc_community.certification.frameworks import active_framework
from wwc_community.core.errors import DomainError
from wwc_community.directory.services import list_topics
from wwc_community.extensions import db

bp = Blueprint("certification", __name__, url_prefix="/certification")

# How many of each kind a criterion's page lists.
RELATED_SHOWN = 10
PEERS_SHOWN = 6


def percent_words(per_mille: int) -> str:
    """510 -> "51%", 675 -> "67.5%"."""
    whole, tenth = divmod(per_mille, 10)
    return f"{whole}%" if not tenth else f"{whole}.{tenth}%"


def thresholds_in_words(framework) -> list[str]:
    return [
        f"Silver: {percent_words(framework.silver_per_mille)} of criteria met",
        f"Gold: {percent_words(framework.gold_per_mille)} of criteria met",
        f"Platinum: {percent_words(framework.platinum_per_mille)} of criteria met",
    ]


@bp.get("")
@member_required
def overview():
    """The active framework: its areas and criteria, the levels, and the viewer's city's
    score. Without an active framework, a page that says an admin must load one."""
    framework = active_framework(db.session)
    is_admin = current_user.has_role(Role.ADMIN)
    if framework is None:
        return render_template("certification/overview.html", framework=None, is_admin=is_admin)
    areas = services.areas_with_criteria(db.session, framework)
    city = current_user.city
    score = None
    if city is not None:
        assessment = services.assessment_of(db.session, city, framework)
        score = services.score_of(db.session, framework, assessment)
    return render_template(
        "certification/overview.html",
        framework=framework,
        areas=areas,
        thresholds=thresholds_in_words(framework),
        criteria_total=sum(len(area.criteria) for area in areas),
        city=city,
        score=score,
        is_coordinator=current_user.has_role(Role.COORDINATOR),
        is_admin=is_admin,
    )


@bp.get("/<code>")
@member_required
def criterion(code: str):
    """One criterion of the active framework, what is tagged with it, the cities that
    met it (where shared) and members to ask."""
    framework = services.require_active_framework(db.session)
    criterion = services.criterion_in(db.session, framework, code)
    tagged = related.related_by_code(
        db.session, current_user, [criterion.code], per_code=RELATED_SHOWN
    )[criterion.code]
    peers = related.peers_by_code(
        db.session,
        current_user,
        [criterion.code],
        exclude_city_id=current_user.city_id,
        per_code=PEERS_SHOWN,
    )[criterion.code]
    return render_template(
        "certification/criterion.html",
        framework=framework,
        criterion=criterion,
        tagged=tagged,
        cities=related.cities_that_met(db.session, current_user, criterion),
        peers=peers,
    )


@bp.route("/<code>/ask/<handle>", methods=["GET", "POST"])
@member_required
def ask_peer(code: str, handle: str):
    """Ask a member of a city that met the criterion a question: a thread tagged with
    it that tells them."""
    target = ask.peer_to_ask(db.session, current_user, code, handle)
    topics = list_topics(db.session)
    if request.method == "POST":
        form = AskPeerForm()
    else:
        form = AskPeerForm(topic=target.area_topic.slug if target.area_topic else "")
    form.topic.choices = [("", "Choose a topic")] + [(topic.slug, topic.name) for topic in topics]
    if form.validate_on_submit():
        chosen = [topic for topic in topics if topic.slug == form.topic.data]
        if form.topic.data and not chosen:
            form.topic.errors = [*form.topic.errors, "Choose a topic from the list."]
        else:
            try:
                thread = ask.ask_peer(
                    db.session,
                    current_user,
                    target.criterion.code,
                    target.peer.member.handle,
                    form.title.data or "",
                    form.body.data or "",
                    topics=chosen,
                )
            except DomainError as error:
                db.session.rollback()
                _show_error(form, error)
            else:
                address = url_for("discussions.thread", thread_id=thread.id, slug=thread.slug)
                name = target.peer.member.display_name
                db.session.commit()
                flash(f"Your question is posted and {name} is told.", "success")
                return redirect(address, 303)
    status = 400 if form.errors else 200
    return render_template("certification/ask.html", form=form, target=target), status


def _show_error(form, error: DomainError) -> None:
    """Put a service's refusal on the field it concerns, or on the whole form."""
    if error.field and error.field in form:
        form[error.field].errors = [*form[error.field].errors, error.message]
    else:
        form.form_errors.append(error.message)
