"""The discussion pages: the list, asking a question, a thread with its answers, and the
buttons that answer, vote, accept and remove."""

from flask import (
    Blueprint,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from wtforms import SelectChoice

from wwc_community.accounts.access import member_required, role_required
from wwc_community.accounts.models import Role
from wwc_community.certification import tagging
from wwc_community.core.errors import Conflict, DomainError, Invalid
from wwc_community.core.pagination import paginate, parse_page_number
from wwc_community.core.security import is_local_path
from wwc_community.directory import services as directory
from wwc_community.discussions import listing, moderation, services
from wwc_community.discussions.forms import (
    AnswerForm,
    AskForm,
    CommentForm,
    EditAnswerForm,
    EditCommentForm,
    EditQuestionForm,
    PostActionForm,
)
from wwc_community.discussions.moderation_forms import (
    DuplicateForm,
    FlagForm,
    HideForm,
    LockForm,
    ModerationButtonForm,
    RestoreForm,
    TopicsForm,
)
from wwc_community.extensions import db
from wwc_community.library import engagement
from wwc_community.search import similar as indexed_similar

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
    city = listing.city_in_filters(db.session, request.args)
    filters = listing.read_thread_filters(request.args, topics, city)
    page = paginate(
        db.session,
        listing.thread_list_statement(current_user, filters),
        parse_page_number(request.args.get("page")),
        current_app.config["PER_PAGE"],
        fetch_with=lambda total: listing.thread_list_statement(current_user, filters, total),
        count=listing.thread_count_statement(current_user, filters),
    )
    return render_template(
        "discussions/list.html",
        page=page,
        filters=filters,
        summary=listing.describe_filters(current_user, filters),
        band=listing.band_of(current_user),
        topics=topics,
        sorts=listing.THREAD_SORTS,
        states=listing.THREAD_STATES,
    )


@bp.route("/new", methods=["GET", "POST"])
@member_required
def ask():
    """Ask a question; the city defaults to the asker's own. "Check for similar questions"
    (or ?title= in the address) shows the form again with threads like it; nothing saved.
    ?practice=<slug> asks about a library entry: the thread is linked to it; ?criteria=DG1
    fills in the certification criteria it is tagged with."""
    topics = directory.list_topics(db.session)
    practice = engagement.practice_to_ask_about(db.session, request.args.get("practice"))
    if request.method == "POST":
        form = AskForm()
    else:
        form = AskForm(
            title=request.args.get("title", "")[:200],
            city=current_user.city.label if current_user.city else "",
            topics=[topic.slug for topic in practice.topics][:3] if practice else None,
            criteria=", ".join(tagging.parse_codes(request.args.get("criteria", "")[:200])),
        )
    form.topics.choices = [SelectChoice(topic.slug, topic.name) for topic in topics]
    if request.method == "POST":
        checking = "check_similar" in request.form
    else:
        checking = "title" in request.args
    if checking:
        title = form.title.data or ""
        return render_template(
            "discussions/ask.html",
            form=form,
            similar=_similar_threads(title),
            checked=True,
            words=bool(listing.title_words(title)),
            practice=practice,
        ), 200
    if form.validate_on_submit():
        try:
            thread = _ask(form, topics, practice)
        except DomainError as error:
            db.session.rollback()
            _show_error(form, error)
        else:
            address = thread_address(thread)
            db.session.commit()
            flash("Your question is posted.", "success")
            return redirect(address, 303)
    status = 400 if form.errors else 200
    return render_template(
        "discussions/ask.html",
        form=form,
        similar=[],
        checked=False,
        words=False,
        practice=practice,
    ), status


@bp.get("/similar")
@member_required
def similar():
    """Threads with titles like ?title=, as a piece of HTML for the ask page's script."""
    title = request.args.get("title", "")[:200]
    return render_template(
        "discussions/similar.html",
        similar=_similar_threads(title),
        checked=bool(listing.title_words(title)),
    )


def _similar_threads(title: str):
    """Threads like `title`: the search index's best matches for its words, or the SQL
    title match while the index cannot answer."""
    words = listing.title_words(title)
    ranked_ids = None
    if words:
        ranked_ids = indexed_similar.indexed_similar_thread_ids(
            current_app, current_user, " ".join(words)
        )
    return listing.similar_threads(db.session, current_user, title, ranked_ids=ranked_ids)


def _ask(form: AskForm, topics, practice=None):
    city = None
    if (form.city.data or "").strip():
        city = directory.find_city_by_label(db.session, form.city.data)
    chosen = set(form.topics.data or [])
    thread = services.ask_question(
        db.session,
        current_user,
        form.title.data or "",
        form.body.data or "",
        [topic for topic in topics if topic.slug in chosen],
        city,
        practice=practice,
    )
    tagging.tag_thread(db.session, current_user, thread, tagging.parse_codes(form.criteria.data))
    return thread


def _show_error(form, error: DomainError) -> None:
    """Put a service's refusal on the field it concerns, or on the whole form."""
    if error.field and error.field in form:
        form[error.field].errors = [*form[error.field].errors, error.message]
    else:
        form.form_errors.append(error.message)


@bp.get("/<int:thread_id>-<slug>")
@member_required
def thread(thread_id: int, slug: str):
    """A question and one page of its answers with their comments; an old or mistyped
    slug redirects to the right one. Opening the page records that the member read it."""
    thread = services.get_thread(db.session, current_user, thread_id)
    page_number = parse_page_number(request.args.get("page"))
    if slug != thread.slug:
        return redirect(_thread_page_address(thread, page_number), 301)
    previous_visit = services.last_read_at(db.session, current_user, thread.id)
    if services.has_news_since(thread, previous_visit):
        # A short write transaction of its own, committed at once (see mark_thread_read).
        with db.engine.begin() as connection:
            services.mark_thread_read(connection, current_user.id, thread.id)
    return _render_thread(thread, AnswerForm(), page_number=page_number, since=previous_visit)


def _thread_page_address(thread, page: int, anchor: str | None = None) -> str:
    return url_for(
        "discussions.thread",
        thread_id=thread.id,
        slug=thread.slug,
        page=page if page > 1 else None,
        _anchor=anchor,
    )


def _post_address(post, thread=None) -> str:
    """The thread's page that shows `post`, at the post (`thread`: its thread, if loaded)."""
    thread, page = services.page_of_post(
        db.session, current_user, post, current_app.config["DISCUSSION_ANSWERS_PER_PAGE"], thread
    )
    return _thread_page_address(thread, page, f"post-{post.id}")


def _render_thread(
    thread, answer_form: AnswerForm, status: int = 200, page_number: int = 1, since=None
):
    page = services.answers_page(
        db.session, thread, page_number, current_app.config["DISCUSSION_ANSWERS_PER_PAGE"]
    )
    first_unread = services.first_unread_post(db.session, current_user, thread, since)
    return render_template(
        "discussions/thread.html",
        thread=thread,
        page=page,
        answers=page.items,
        comments=services.comments_under(db.session, page.items),
        voted=services.posts_voted_by(db.session, current_user, thread),
        may_accept=services.may_accept(current_user, thread),
        following=services.is_following(db.session, current_user, thread),
        first_unread=first_unread,
        is_coordinator=current_user.has_role(Role.COORDINATOR),
        criteria=tagging.criteria_of(db.session, "thread", [thread.id]).get(thread.id, []),
        comment_max_length=services.COMMENT_MAX_LENGTH,
        answer_form=answer_form,
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
            address = _post_address(post, thread)
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
    address = _post_address(post, thread)
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
    """Remove one's own answer or comment; the thread shows where it was."""

    def change(post, thread):
        services.delete_own_post(db.session, current_user, post)
        return "Your comment is removed." if post.is_comment else "Your answer is removed."

    return _act_on_post(post_id, change)


# Comments, edits, history, permalinks and follows ------------------------------------------


@bp.get("/posts/<int:post_id>")
@member_required
def permalink(post_id: int):
    """An answer's or comment's lasting address: the page of its thread that shows it."""
    post = services.get_post(db.session, current_user, post_id)
    return redirect(_post_address(post), 302)


@bp.post("/posts/<int:post_id>/comments")
@member_required
def comment(post_id: int):
    """Comment under an answer; a refused comment comes back on a page of its own, with
    the message and the text as typed."""
    answer = services.get_post(db.session, current_user, post_id)
    thread = services.get_thread(db.session, current_user, answer.thread_id)
    form = CommentForm()
    status = 400
    if form.validate_on_submit():
        try:
            posted = services.post_comment(db.session, current_user, thread, answer, form.body.data)
        except DomainError as error:
            db.session.rollback()
            _show_error(form, error)
            status = error.status_code
            answer = services.get_post(db.session, current_user, post_id)
            thread = services.get_thread(db.session, current_user, answer.thread_id)
        else:
            address = _post_address(posted, thread)
            db.session.commit()
            flash("Your comment is posted.", "success")
            return redirect(address, 303)
    return render_template(
        "discussions/comment.html", thread=thread, answer=answer, form=form
    ), status


def _save_edit(form, save, done_address):
    """Save a sent edit form: the redirect after a save, or else the status to show the
    form again with (`save()` returns False when nothing changed)."""
    status = 200
    if form.validate_on_submit():
        try:
            changed = save()
        except DomainError as error:
            db.session.rollback()
            _show_error(form, error)
            status = error.status_code
        else:
            address = done_address()
            db.session.commit()
            flash("Your changes are saved." if changed else "Nothing changed.", "success")
            return redirect(address, 303)
    elif form.errors:
        status = 400
    return status


@bp.route("/<int:thread_id>/edit", methods=["GET", "POST"])
@member_required
def edit_question(thread_id: int):
    """Edit one's own question's title, body and certification criteria; the earlier
    version is kept."""
    thread = services.get_thread(db.session, current_user, thread_id)
    services.check_may_edit_question(current_user, thread)
    tagged = tagging.criteria_of(db.session, "thread", [thread.id]).get(thread.id, [])
    form = EditQuestionForm(obj=thread, criteria=tagging.codes_text(tagged))

    def save() -> bool:
        changed = services.edit_question(
            db.session, current_user, thread, form.title.data, form.body.data
        )
        codes = tagging.parse_codes(form.criteria.data)
        criteria = tagging.tag_thread(db.session, current_user, thread, codes)
        return changed or {c.id for c in criteria} != {c.id for c in tagged}

    status = _save_edit(form, save, lambda: thread_address(thread))
    if not isinstance(status, int):
        return status
    thread = services.get_thread(db.session, current_user, thread_id)
    return render_template("discussions/edit.html", thread=thread, post=None, form=form), status


@bp.route("/posts/<int:post_id>/edit", methods=["GET", "POST"])
@member_required
def edit_post(post_id: int):
    """Edit one's own answer or comment; the earlier version is kept."""
    post = services.get_post(db.session, current_user, post_id)
    thread = services.get_thread(db.session, current_user, post.thread_id)
    services.check_may_edit_post(current_user, thread, post)
    form = (EditCommentForm if post.is_comment else EditAnswerForm)(obj=post)
    status = _save_edit(
        form,
        lambda: services.edit_post(db.session, current_user, thread, post, form.body.data),
        lambda: _post_address(post),
    )
    if not isinstance(status, int):
        return status
    post = services.get_post(db.session, current_user, post_id)
    thread = services.get_thread(db.session, current_user, post.thread_id)
    return render_template("discussions/edit.html", thread=thread, post=post, form=form), status


@bp.get("/<int:thread_id>/history")
@member_required
def question_history(thread_id: int):
    """Every version of a question, newest first."""
    thread = services.get_thread(db.session, current_user, thread_id)
    versions = services.history_of(db.session, current_user, thread)
    return render_template("discussions/history.html", thread=thread, post=None, versions=versions)


@bp.get("/posts/<int:post_id>/history")
@member_required
def post_history(post_id: int):
    """Every version of an answer or comment, newest first."""
    post = services.get_post(db.session, current_user, post_id)
    thread = services.get_thread(db.session, current_user, post.thread_id)
    versions = services.history_of(db.session, current_user, thread, post)
    return render_template("discussions/history.html", thread=thread, post=post, versions=versions)


def _follow_button(act, back: str, message: str):
    """Check the button's CSRF token, run `act()`, commit, and go back to `back` (or to a
    local `next` sent with the button)."""
    next_url = request.form.get("next")
    address = next_url if is_local_path(next_url) else back
    if not PostActionForm().validate_on_submit():
        flash("The form expired. Try again.", "error")
        return redirect(address, 303)
    act()
    db.session.commit()
    flash(message, "success")
    return redirect(address, 303)


@bp.post("/<int:thread_id>/follow")
@member_required
def follow_thread(thread_id: int):
    """Follow a thread: its new answers reach one's notifications."""
    thread = services.get_thread(db.session, current_user, thread_id)
    return _follow_button(
        lambda: services.follow_thread(db.session, current_user, thread),
        thread_address(thread),
        "You follow this discussion: new answers will reach your notifications.",
    )


@bp.post("/<int:thread_id>/unfollow")
@member_required
def unfollow_thread(thread_id: int):
    """Stop following a thread."""
    thread = services.get_thread(db.session, current_user, thread_id)
    return _follow_button(
        lambda: services.unfollow_thread(db.session, current_user, thread),
        thread_address(thread),
        "You no longer follow this discussion.",
    )


@bp.post("/topics/<slug>/follow")
@member_required
def follow_topic(slug: str):
    """Follow a topic: new questions on it reach one's notifications."""
    topic = directory.get_topic(db.session, slug)
    return _follow_button(
        lambda: services.follow_topic(db.session, current_user, topic),
        url_for("directory.topic", slug=topic.slug),
        f"You follow {topic.name}: new questions on it will reach your notifications.",
    )


@bp.post("/topics/<slug>/unfollow")
@member_required
def unfollow_topic(slug: str):
    """Stop following a topic."""
    topic = directory.get_topic(db.session, slug)
    return _follow_button(
        lambda: services.unfollow_topic(db.session, current_user, topic),
        url_for("directory.topic", slug=topic.slug),
        f"You no longer follow {topic.name}.",
    )


# Moderation ---------------------------------------------------------------------------------
# Flags from members; hiding, locking, pinning, moving and closing by coordinators; the log.


@bp.app_template_global("moderation_view")
def moderation_view(thread):
    """What the current member may see of moderation on `thread`: computed once per
    request (the thread's partial and every post's partial share it)."""
    views = g.setdefault("moderation_views", {})
    if thread.id not in views:
        views[thread.id] = moderation.moderation_view(db.session, current_user, thread)
    return views[thread.id]


@bp.app_template_global("moderation_labels")
def moderation_labels():
    """The words for flag reasons, log actions and flag resolutions."""
    return {
        "reasons": {reason.value: label for reason, label in moderation.FLAG_REASON_LABELS.items()},
        "actions": moderation.ACTION_LABELS,
        "resolutions": moderation.RESOLUTION_LABELS,
    }


def _local_or(target: str | None, default: str) -> str:
    return target if is_local_path(target) else default


def _refusal_on_form(form, error: DomainError) -> None:
    if error.field and error.field in form:
        form[error.field].errors = [*form[error.field].errors, error.message]
    else:
        form.form_errors.append(error.message)


def _moderation_form_page(template: str, form, load, act, success: str):
    """GET shows the form; POST validates it and runs `act(context, form)`, which returns
    where to go; the unit of work is committed once. A refusal shows the form again with
    its message (400 for bad input), and nothing is saved."""
    context = load()
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                address = act(context, form)
            except DomainError as error:
                db.session.rollback()
                context = load()
                _refusal_on_form(form, error)
                status = error.status_code
            else:
                db.session.commit()
                flash(success, "success")
                return redirect(address, 303)
        else:
            status = 400
    return render_template(template, form=form, **context), status


def _flag_page(load_item):
    form = FlagForm()

    def load():
        thread, post = load_item()
        moderation.check_flaggable(db.session, current_user, thread, post)
        return {"thread": thread, "post": post, "noun": moderation.post_noun(post)}

    def act(context, form):
        thread, post = context["thread"], context["post"]
        moderation.flag_item(
            db.session, current_user, thread, post, form.reason.data, form.details.data
        )
        return thread_address(thread, f"post-{post.id}" if post else None)

    try:
        return _moderation_form_page(
            "discussions/moderation/flag.html",
            form,
            load,
            act,
            "Thank you. A coordinator will look at it; only coordinators see your flag.",
        )
    except Conflict as error:
        # Already flagged (or already hidden): back to the thread with the message.
        db.session.rollback()
        thread, post = load_item()
        flash(error.message, "info")
        return redirect(thread_address(thread, f"post-{post.id}" if post else None), 303)


@bp.route("/<int:thread_id>/flag", methods=["GET", "POST"])
@member_required
def flag_thread(thread_id: int):
    """Flag a question for coordinators to look at."""
    return _flag_page(lambda: (moderation.load_thread(db.session, current_user, thread_id), None))


@bp.route("/posts/<int:post_id>/flag", methods=["GET", "POST"])
@member_required
def flag_post(post_id: int):
    """Flag an answer or comment for coordinators to look at."""

    def load_item():
        post = moderation.load_post(db.session, current_user, post_id)
        return post.thread, post

    return _flag_page(load_item)


@bp.get("/flags")
@role_required(Role.COORDINATOR)
def flags():
    """The flag queue: open flags grouped by what they concern, or the resolved ones."""
    shown = request.args.get("show") or "open"
    if shown not in ("open", "resolved"):
        raise Invalid("The flag queue shows “open” or “resolved” flags.")
    number = parse_page_number(request.args.get("page"))
    per_page = current_app.config["PER_PAGE"]
    if shown == "open":
        page = moderation.open_flag_queue(db.session, current_user, number, per_page)
    else:
        page = paginate(
            db.session, moderation.resolved_flags_statement(current_user), number, per_page
        )
    return render_template(
        "discussions/moderation/queue.html",
        page=page,
        shown=shown,
        open_count=moderation.count_open_flagged_items(db.session)
        if shown == "resolved"
        else page.total,
        button_form=ModerationButtonForm(formdata=None),
    )


@bp.post("/<int:thread_id>/flags/dismiss")
@role_required(Role.COORDINATOR)
def dismiss_flags(thread_id: int):
    """Close the open flags on a question (or, with post_id, on one of its posts)."""
    form = ModerationButtonForm()
    back = _local_or(form.back.data, url_for("discussions.flags"))
    if not form.validate_on_submit():
        flash("The form expired. Try again.", "error")
        return redirect(back, 303)
    thread = moderation.load_thread(db.session, current_user, thread_id)
    post = None
    if form.post_id.data:
        if not form.post_id.data.isdigit():
            raise Invalid("That post is not part of this discussion.")
        post = moderation.load_post(db.session, current_user, int(form.post_id.data))
        if post.thread_id != thread.id:
            raise Invalid("That post is not part of this discussion.")
    try:
        dismissed = moderation.dismiss_flags(db.session, current_user, thread, post)
    except Conflict as error:
        db.session.rollback()
        flash(error.message, "info")
        return redirect(back, 303)
    db.session.commit()
    flash(f"{dismissed} {'flag is' if dismissed == 1 else 'flags are'} dismissed.", "success")
    return redirect(back, 303)


def _post_form_page(post_id: int, form, act, success: str, template_verb: str):
    if request.method == "GET":
        form.back.data = request.args.get("back", "")

    def load():
        post = moderation.load_post(db.session, current_user, post_id)
        moderation.require_moderator(current_user)
        return {"thread": post.thread, "post": post, "verb": template_verb}

    def run(context, form):
        post = context["post"]
        act(post, form.reason.data)
        return _local_or(form.back.data, thread_address(context["thread"], f"post-{post.id}"))

    return _moderation_form_page("discussions/moderation/confirm.html", form, load, run, success)


@bp.route("/posts/<int:post_id>/hide", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def hide_post(post_id: int):
    """Hide an answer or comment, with a reason sent to its author."""
    return _post_form_page(
        post_id,
        HideForm(),
        lambda post, reason: moderation.hide_post(db.session, current_user, post, reason),
        "The post is hidden and its author has been told why.",
        "hide",
    )


@bp.route("/posts/<int:post_id>/restore", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def restore_post(post_id: int):
    """Show a hidden answer or comment again."""
    return _post_form_page(
        post_id,
        RestoreForm(),
        lambda post, reason: moderation.restore_post(db.session, current_user, post, reason),
        "The post is shown again and its author has been told.",
        "restore",
    )


def _load_thread_for_moderation(thread_id: int) -> dict:
    thread = moderation.load_thread(db.session, current_user, thread_id)
    moderation.require_moderator(current_user)
    return {"thread": thread}


@bp.route("/<int:thread_id>/lock", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def lock_thread(thread_id: int):
    """Lock a thread against new answers and comments, with a reason."""
    form = LockForm()

    def act(context, form):
        moderation.lock_thread(db.session, current_user, context["thread"], form.reason.data)
        return thread_address(context["thread"])

    return _moderation_form_page(
        "discussions/moderation/confirm.html",
        form,
        lambda: {**_load_thread_for_moderation(thread_id), "post": None, "verb": "lock"},
        act,
        "The discussion is locked: it takes no new answers or comments.",
    )


@bp.route("/<int:thread_id>/close", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def close_duplicate(thread_id: int):
    """Close a thread as a duplicate of another; the notice on it links the original."""
    form = DuplicateForm()

    def act(context, form):
        thread = context["thread"]
        moderation.close_as_duplicate(
            db.session, current_user, thread, form.target.data, form.reason.data
        )
        return thread_address(thread)

    return _moderation_form_page(
        "discussions/moderation/duplicate.html",
        form,
        lambda: _load_thread_for_moderation(thread_id),
        act,
        "The discussion is closed as a duplicate and links the original. The asker has been told.",
    )


@bp.route("/<int:thread_id>/topics", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def move_topics(thread_id: int):
    """Give a thread other topics (one to three)."""
    topics = directory.list_topics(db.session)
    form = TopicsForm()
    form.topics.choices = [SelectChoice(topic.slug, topic.name) for topic in topics]

    def load():
        context = _load_thread_for_moderation(thread_id)
        if request.method == "GET":
            form.topics.data = [topic.slug for topic in context["thread"].topics]
        return context

    def act(context, form):
        moderation.move_topics(
            db.session, current_user, context["thread"], form.topics.data or [], form.reason.data
        )
        return thread_address(context["thread"])

    return _moderation_form_page(
        "discussions/moderation/topics.html", form, load, act, "The topics are changed."
    )


def _thread_button(thread_id: int, act, success: str):
    """A moderation button on a thread: check the form, act, commit, back to the thread."""
    form = ModerationButtonForm()
    thread = moderation.load_thread(db.session, current_user, thread_id)
    address = thread_address(thread)
    if not form.validate_on_submit():
        flash("The form expired. Try again.", "error")
        return redirect(address, 303)
    try:
        act(thread)
    except Conflict as error:
        db.session.rollback()
        flash(error.message, "info")
        return redirect(address, 303)
    db.session.commit()
    flash(success, "success")
    return redirect(address, 303)


@bp.post("/<int:thread_id>/unlock")
@role_required(Role.COORDINATOR)
def unlock_thread(thread_id: int):
    """Let members answer and comment again."""
    return _thread_button(
        thread_id,
        lambda thread: moderation.unlock_thread(db.session, current_user, thread),
        "The discussion is unlocked.",
    )


@bp.post("/<int:thread_id>/pin")
@role_required(Role.COORDINATOR)
def pin_thread(thread_id: int):
    """Keep a thread at the top of the list."""
    return _thread_button(
        thread_id,
        lambda thread: moderation.pin_thread(db.session, current_user, thread),
        "The discussion is pinned to the top of the list.",
    )


@bp.post("/<int:thread_id>/unpin")
@role_required(Role.COORDINATOR)
def unpin_thread(thread_id: int):
    return _thread_button(
        thread_id,
        lambda thread: moderation.unpin_thread(db.session, current_user, thread),
        "The discussion is no longer pinned.",
    )


@bp.post("/<int:thread_id>/reopen")
@role_required(Role.COORDINATOR)
def reopen_thread(thread_id: int):
    """Undo closing a thread as a duplicate."""
    return _thread_button(
        thread_id,
        lambda thread: moderation.reopen_thread(db.session, current_user, thread),
        "The discussion is open again.",
    )


@bp.get("/moderation-log")
@role_required(Role.COORDINATOR)
def moderation_log():
    """Every moderation action, newest first, filtered by action."""
    action = request.args.get("action") or None
    statement = moderation.moderation_log_statement(current_user, action)
    page = paginate(
        db.session,
        statement,
        parse_page_number(request.args.get("page")),
        current_app.config["PER_PAGE"],
    )
    return render_template(
        "discussions/moderation/log.html",
        page=page,
        action=action,
        actions=moderation.ACTION_LABELS,
    )
