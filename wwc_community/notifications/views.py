"""The notification pages: the list, opening an item, marking all read, the unread
count in the header, and the one-click unsubscribe link of notification e-mail."""

from flask import (
    Blueprint,
    current_app,
    flash,
    g,
    has_request_context,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user

from wwc_community.accounts.access import member_required
from wwc_community.core.database import writes_on_get
from wwc_community.core.errors import NotFound
from wwc_community.core.pagination import paginate, parse_page_number
from wwc_community.core.security import is_local_path
from wwc_community.extensions import csrf, db
from wwc_community.notifications import services
from wwc_community.notifications.forms import MarkAllReadForm

bp = Blueprint("notifications", __name__, url_prefix="/notifications")


@bp.app_template_global("unread_notification_count")
def unread_notification_count() -> int:
    """The signed-in member's unread notifications, for the header: one count a request,
    and none for visitors (or for mail, which never asks)."""
    if not has_request_context() or not (current_user.is_authenticated and current_user.is_member):
        return 0
    if "unread_notification_count" not in g:
        g.unread_notification_count = services.count_unread(db.session, current_user)
    return g.unread_notification_count


@bp.get("")
@member_required
def index():
    """The member's notifications, newest first; unread ones stand out."""
    page = paginate(
        db.session,
        services.notification_list_statement(current_user),
        parse_page_number(request.args.get("page")),
        current_app.config["PER_PAGE"],
    )
    return render_template("notifications/list.html", page=page, form=MarkAllReadForm())


@bp.get("/<int:notification_id>")
@member_required
@writes_on_get
def open_notification(notification_id: int):
    """Mark a notification read and go where it leads.

    A GET, because it is the link in the list and in e-mail: marking read is what
    following the link means, and SameSite=Lax keeps other sites from doing it silently.
    """
    notification = services.open_notification(db.session, current_user, notification_id)
    target = notification.url if is_local_path(notification.url) else url_for(".index")
    db.session.commit()
    return redirect(target, 303)


@bp.post("/read")
@member_required
def mark_all_read():
    """Mark every notification read."""
    if not MarkAllReadForm().validate_on_submit():
        flash("The form expired. Try again.", "error")
        return redirect(url_for(".index"), 303)
    count = services.mark_all_read(db.session, current_user)
    db.session.commit()
    if count:
        flash("Every notification is marked as read.", "success")
    else:
        flash("There was nothing unread.", "info")
    return redirect(url_for(".index"), 303)


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt
def unsubscribe(token: str):
    """Stop notification e-mail from a link in one: no sign-in needed, the signed token
    is the proof. The POST has no CSRF token so that mail clients can send it for the
    member (RFC 8058 one-click unsubscribe)."""
    try:
        if request.method == "POST":
            services.unsubscribe(db.session, token)
            db.session.commit()
            return render_template("notifications/unsubscribed.html")
        member = services.member_for_unsubscribe(db.session, token)
    except NotFound as error:
        return render_template("notifications/unsubscribe_broken.html", message=error.message), 404
    return render_template("notifications/unsubscribe.html", member=member, token=token)
