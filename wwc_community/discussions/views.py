"""The discussion pages: the list, asking a question, a thread with its answers, and the
buttons that answer, vote, accept and remove."""

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from wtforms import SelectChoice

from wwc_community.accounts.access import member_required
from wwc_community.core.errors import DomainError
from wwc_community.core.pagination import paginate, parse_page_number
from wwc_community.directory import services as directory
from wwc_community.discussions import listing, services
from wwc_community.discussions.forms import AnswerForm, AskForm, PostActionForm
from wwc_community.extensions import db

bp = Blueprint("discussions", __name__, url_prefix="/discussions")


def thread_address(thread, anchor: str | None = None) -> str:
    """The canonical address of a thread, optionally at one of its posts."""
    return url_for("discussions.thread", thread_id=thread.id, slug=thread.slug, _anchor=anchor)


@bp.app_template_global("discussion_activity")
def discussion_activity(member):
    """A member's questions and answers, for their profile page."""
    return listing.activity_of(db.session, member)


@bp.app_template_global("thread_address")
def _thread_address_for_templates(thread, anchor: str | None = None) -> str:
    return thread_address(thread, anchor)


@bp.get("")
@member_required
def threads():
    """Every thread, pinned first, with filters and sorts in the query string."""
    topics = directory.list_topics(db.session)
    filters = listing.read_thread_filters(request.args, topics)
    statement = listing.thread_list_statement(current_user, filters)
    page = paginate(
        db.session,
        statement,
        parse_page_number(request.args.get("page")),
        current_app.config["PER_PAGE"],
    )
    return render_template(
        "discussions/list.html",
        page=page,
        filters=filters,
        topics=topics,
        sorts=listing.THREAD_SORTS,
        states=listing.THREAD_STATES,
    )


@bp.route("/new", methods=["GET", "POST"])
@member_required
def ask():
    """Ask a question; the city defaults to the asker's own."""
    topics = directory.list_topics(db.session)
    if request.method == "POST":
        form = AskForm()
    else:
        form = AskForm(city=current_user.city.label if current_user.city else "")
    form.topics.choices = [SelectChoice(topic.slug, topic.name) for topic in topics]
    if form.validate_on_submit():
        try:
            thread = _ask(form, topics)
        except DomainError as error:
            db.session.rollback()
            _show_error(form, error)
        else:
            address = thread_address(thread)
            db.session.commit()
            flash("Your question is posted.", "success")
            return redirect(address, 303)
    status = 400 if form.errors else 200
    return render_template("discussions/ask.html", form=form), status


def _ask(form: AskForm, topics):
    city = None
    if (form.city.data or "").strip():
        city = directory.find_city_by_label(db.session, form.city.data)
    chosen = set(form.topics.data or [])
    return services.ask_question(
        db.session,
        current_user,
        form.title.data or "",
        form.body.data or "",
        [topic for topic in topics if topic.slug in chosen],
        city,
    )


def _show_error(form, error: DomainError) -> None:
    """Put a service's refusal on the field it concerns, or on the whole form."""
    if error.field and error.field in form:
        form[error.field].errors = [*form[error.field].errors, error.message]
    else:
        form.form_errors.append(error.message)


@bp.get("/<int:thread_id>-<slug>")
@member_required
def thread(thread_id: int, slug: str):
    """A question and its answers; an old or mistyped slug redirects to the right one."""
    thread = services.get_thread(db.session, current_user, thread_id)
    if slug != thread.slug:
        return redirect(thread_address(thread), 301)
    return _render_thread(thread, AnswerForm())


def _render_thread(thread, answer_form: AnswerForm, status: int = 200):
    return render_template(
        "discussions/thread.html",
        thread=thread,
        answers=services.answers_of(db.session, thread),
        voted=services.posts_voted_by(db.session, current_user, thread),
        may_accept=services.may_accept(current_user, thread),
        answer_form=answer_form,
        action_form=PostActionForm(formdata=None),
    ), status


@bp.post("/<int:thread_id>/answers")
@member_required
def answer(thread_id: int):
    """Post an answer; a refused one shows the thread again with the message."""
    thread = services.get_thread(db.session, current_user, thread_id)
    form = AnswerForm()
    if form.validate_on_submit():
        try:
            post = services.post_answer(db.session, current_user, thread, form.body.data)
        except DomainError as error:
            db.session.rollback()
            _show_error(form, error)
        else:
            address = thread_address(thread, f"post-{post.id}")
            db.session.commit()
            flash("Your answer is posted.", "success")
            return redirect(address, 303)
    thread = services.get_thread(db.session, current_user, thread_id)
    return _render_thread(thread, form, 400)


def _act_on_post(post_id: int, change) -> tuple:
    """Validate the button's form, run `change(post, thread)`, commit, go back to the post."""
    post = services.get_post(db.session, current_user, post_id)
    thread = services.get_thread(db.session, current_user, post.thread_id)
    form = PostActionForm()
    if not form.validate_on_submit():
        flash("The form expired. Try again.", "error")
        return redirect(thread_address(thread, f"post-{post.id}"), 303)
    message = change(post, thread)
    address = thread_address(thread, f"post-{post.id}")
    db.session.commit()
    flash(message, "success")
    return redirect(address, 303)


@bp.post("/posts/<int:post_id>/vote")
@member_required
def vote(post_id: int):
    """Vote for an answer, or take the vote back."""

    def change(post, thread):
        voted = services.toggle_vote(db.session, current_user, post)
        return "Your vote is counted." if voted else "Your vote is taken back."

    return _act_on_post(post_id, change)


@bp.post("/posts/<int:post_id>/accept")
@member_required
def accept(post_id: int):
    """Mark an answer as the accepted one."""

    def change(post, thread):
        services.accept_answer(db.session, current_user, thread, post)
        return "The answer is marked as accepted."

    return _act_on_post(post_id, change)


@bp.post("/posts/<int:post_id>/delete")
@member_required
def delete(post_id: int):
    """Remove one's own answer; the thread shows where it was."""

    def change(post, thread):
        services.delete_own_post(db.session, current_user, post)
        return "Your answer is removed."

    return _act_on_post(post_id, change)
