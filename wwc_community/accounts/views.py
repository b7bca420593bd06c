"""Pages for joining, signing in, passwords, and the member approval queue."""

import csv
import io

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    has_request_context,
    redirect,
    render_template,
    request,
    session,
    stream_with_context,
    url_for,
)
from flask_login import current_user, login_required, login_user, logout_user
from wtforms import SelectChoice

from wwc_community.accounts import services
from wwc_community.accounts.access import role_required
from wwc_community.accounts.forms import (
    ActionForm,
    ChangeEmailForm,
    ChangePasswordForm,
    DeclineForm,
    DeleteAccountForm,
    LoginForm,
    NotificationsForm,
    RegisterForm,
    RequestResetForm,
    ResetPasswordForm,
    RoleForm,
    SuspendForm,
    TimeZoneForm,
)
from wwc_community.accounts.models import EmailFrequency, Member, MemberStatus, Role
from wwc_community.core.database import utcnow
from wwc_community.core.errors import DomainError, Invalid, NotFound
from wwc_community.core.pagination import paginate, parse_page_number
from wwc_community.core.security import is_local_path, spreadsheet_safe
from wwc_community.directory.models import Organisation
from wwc_community.directory.services import (
    find_city_by_label,
    get_organisation,
    list_organisations,
)
from wwc_community.extensions import db, limiter

bp = Blueprint("accounts", __name__)


@bp.app_context_processor
def inject_account_context():
    """Roles for templates, and the approval queue's length for coordinators."""
    pending_count = 0
    # Mail is rendered outside requests too, where there is no current member.
    if (
        has_request_context()
        and current_user.is_authenticated
        and current_user.has_role(Role.COORDINATOR)
    ):
        pending_count = services.count_pending_members(db.session)
    return {"Role": Role, "pending_count": pending_count}


def _form_error(form, error: DomainError) -> None:
    """Show a service's refusal beside the field it concerns, or above the form."""
    if error.field and error.field in form:
        form[error.field].errors = [*form[error.field].errors, error.message]
    else:
        flash(error.message, "error")


def _follow_link(redeem, token: str):
    """Run the service behind an e-mailed link and commit; a bad link gets its own page.

    Returns the member, or None and the page explaining what is wrong with the link.
    """
    try:
        member = redeem(db.session, token)
    except DomainError as error:
        db.session.rollback()
        return None, (render_template("accounts/link_problem.html", message=error.message), 400)
    db.session.commit()
    return member, None


def _login_attempt_key() -> str:
    return "login:" + services.normalise_email(request.form.get("email", ""))[:254]


def _limit(config_key: str):
    return lambda: current_app.config[config_key]


# Joining ------------------------------------------------------------------------------


@bp.route("/auth/register", methods=["GET", "POST"])
@limiter.limit(_limit("REGISTER_LIMIT_PER_IP"), methods=["POST"])
def register():
    """Sign up: a pending account and a verification e-mail."""
    if current_user.is_authenticated:
        return redirect(url_for("core.home"))
    form = RegisterForm()
    organisations = list_organisations(db.session)
    form.organisation.choices = [SelectChoice("", "Choose an organisation")] + [
        SelectChoice(org.slug, org.name) for org in organisations
    ]
    if form.validate_on_submit():
        try:
            city, organisation = _chosen_affiliation(form, organisations)
            services.register_member(
                db.session,
                email=form.email.data,
                display_name=form.display_name.data,
                password=form.password.data,
                job_title=form.job_title.data,
                city=city,
                organisation=organisation,
            )
        except DomainError as error:
            db.session.rollback()
            _form_error(form, error)
        else:
            db.session.commit()
            session["registered_email"] = services.normalise_email(form.email.data)
            return redirect(url_for("accounts.check_email"))
    return render_template("accounts/register.html", form=form), 400 if form.errors else 200


def _chosen_affiliation(form: RegisterForm, organisations: list[Organisation]):
    if form.affiliation.data == "organisation":
        chosen = next((org for org in organisations if org.slug == form.organisation.data), None)
        if chosen is None:
            raise Invalid("Choose your partner organisation from the list.", field="organisation")
        return None, chosen
    return find_city_by_label(db.session, form.city.data or ""), None


@bp.get("/auth/check-email")
def check_email():
    """After sign-up: the same words whether or not the address was already registered."""
    return render_template("accounts/check_email.html", email=session.get("registered_email"))


@bp.get("/auth/verify/<token>")
def verify_email(token: str):
    """Follow the link in the verification e-mail."""
    member, problem_page = _follow_link(services.verify_email, token)
    if member is None:
        return problem_page
    if member.status == MemberStatus.ACTIVE:
        flash("Your e-mail address is confirmed and your account is ready. Welcome!", "success")
    else:
        flash(
            "Your e-mail address is confirmed. A coordinator will review your account; "
            "we will e-mail you when it is approved.",
            "success",
        )
    if current_user.is_authenticated:
        return redirect(url_for("accounts.status"))
    return redirect(url_for("accounts.login"))


@bp.post("/auth/verify/resend")
@login_required
def resend_verification():
    """Send another verification link to the signed-in member."""
    try:
        services.resend_verification(db.session, current_user)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "info")
    else:
        db.session.commit()
        flash(f"We sent a new link to {current_user.email}.", "success")
    return redirect(url_for("accounts.status"))


@bp.get("/account/status")
@login_required
def status():
    """Where a signed-in account stands: unverified, waiting for approval, or active."""
    if current_user.is_member:
        return redirect(url_for("core.home"))
    return render_template("accounts/status.html", resend_form=ActionForm())


# Signing in and out ---------------------------------------------------------------------


@bp.route("/auth/login", methods=["GET", "POST"])
@limiter.limit(_limit("LOGIN_LIMIT_PER_IP"), methods=["POST"])
@limiter.limit(_limit("LOGIN_LIMIT_PER_ACCOUNT"), methods=["POST"], key_func=_login_attempt_key)
def login():
    """Sign in with e-mail and password."""
    next_url = request.args.get("next")
    if not is_local_path(next_url):
        next_url = None
    if current_user.is_authenticated:
        return redirect(next_url or url_for("core.home"))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            member = services.authenticate(db.session, form.email.data, form.password.data)
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "error")
            return render_template("accounts/login.html", form=form), 400
        db.session.commit()
        session.clear()  # a fresh session on sign-in: nothing carried over from before
        login_user(member, remember=form.remember.data)
        if not member.is_member:
            return redirect(url_for("accounts.status"))
        flash(f"Signed in as {member.display_name}.", "success")
        return redirect(next_url or url_for("core.home"))
    return render_template("accounts/login.html", form=form), 400 if form.errors else 200


@bp.post("/auth/logout")
@login_required
def logout():
    """Sign out here and on every other device."""
    member = db.session.get(Member, current_user.id)
    services.end_all_sessions(member)
    db.session.commit()
    logout_user()
    session.clear()
    flash("You are signed out on every device.", "success")
    return redirect(url_for("core.home"))


# Passwords -----------------------------------------------------------------------------


@bp.route("/auth/reset", methods=["GET", "POST"])
@limiter.limit(_limit("PASSWORD_RESET_LIMIT_PER_IP"), methods=["POST"])
def request_reset():
    """Ask for a password-reset link; the answer never says whether the address exists."""
    form = RequestResetForm()
    if form.validate_on_submit():
        services.request_password_reset(db.session, form.email.data)
        db.session.commit()
        flash(
            "If that address has an account, a link to reset its password is on its way. "
            "It works once, for one hour.",
            "success",
        )
        return redirect(url_for("accounts.login"))
    return render_template("accounts/request_reset.html", form=form), 400 if form.errors else 200


@bp.route("/auth/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    """Choose a new password from the link in the reset e-mail."""
    try:
        services.find_usable_token(db.session, token, services.TokenPurpose.RESET_PASSWORD)
    except DomainError as error:
        return render_template("accounts/link_problem.html", message=error.message, reset=True), 400
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            services.reset_password(db.session, token, form.password.data)
        except DomainError as error:
            db.session.rollback()
            _form_error(form, error)
        else:
            db.session.commit()
            logout_user()
            session.clear()
            flash("Your password is changed. Sign in with the new one.", "success")
            return redirect(url_for("accounts.login"))
    return render_template("accounts/reset_password.html", form=form), 400 if form.errors else 200


@bp.route("/settings/password", methods=["GET", "POST"])
@login_required
def change_password():
    """Change the password; every other session ends, this one continues."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        member = db.session.get(Member, current_user.id)
        try:
            services.change_password(
                db.session, member, form.current_password.data, form.password.data
            )
        except DomainError as error:
            db.session.rollback()
            _form_error(form, error)
        else:
            db.session.commit()
            login_user(member)  # the new session token keeps this device signed in
            flash("Your password is changed. Other devices have been signed out.", "success")
            return redirect(url_for("accounts.change_password"))
    return render_template("accounts/change_password.html", form=form), 400 if form.errors else 200


# Account settings ----------------------------------------------------------------------


def _account_page(status: int = 200, **forms):
    member = current_user
    forms.setdefault("email_form", ChangeEmailForm(formdata=None))
    forms.setdefault(
        "notifications_form",
        NotificationsForm(formdata=None, email_notifications=member.email_notifications),
    )
    forms.setdefault("delete_form", DeleteAccountForm(formdata=None))
    forms.setdefault("time_zone_form", TimeZoneForm(formdata=None, time_zone=member.time_zone))
    return render_template(
        "accounts/account_settings.html", cancel_form=ActionForm(), **forms
    ), status


def _signed_in_member() -> Member:
    return db.session.get(Member, current_user.id)


@bp.get("/settings/account")
@login_required
def account_settings():
    """E-mail address, notification e-mail, password and account deletion in one place."""
    return _account_page()


@bp.post("/settings/account/email")
@login_required
def change_email():
    """Ask to move the account to a new address; it changes once that address confirms."""
    form = ChangeEmailForm()
    if form.validate_on_submit():
        try:
            services.request_email_change(
                db.session, _signed_in_member(), form.email.data, form.password.data
            )
        except DomainError as error:
            db.session.rollback()
            _form_error(form, error)
        else:
            db.session.commit()
            flash(
                f"We sent a link to {services.normalise_email(form.email.data)}. Your "
                "address changes when you follow it.",
                "success",
            )
            return redirect(url_for("accounts.account_settings"), 303)
    return _account_page(400, email_form=form)


@bp.post("/settings/account/email/cancel")
@login_required
def cancel_email_change():
    """Keep the current address and forget the pending one."""
    try:
        services.cancel_email_change(_signed_in_member())
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "info")
    else:
        db.session.commit()
        flash("The change of address is cancelled.", "success")
    return redirect(url_for("accounts.account_settings"), 303)


@bp.get("/auth/email/<token>")
def confirm_email_change(token: str):
    """Follow the link mailed to a new address to make it the account's address."""
    member, problem_page = _follow_link(services.confirm_email_change, token)
    if member is None:
        return problem_page
    flash(f"Your e-mail address is now {member.email}.", "success")
    if current_user.is_authenticated:
        return redirect(url_for("accounts.account_settings"))
    return redirect(url_for("accounts.login"))


@bp.post("/settings/account/notifications")
@login_required
def change_notifications():
    """Choose how often activity is e-mailed."""
    form = NotificationsForm()
    if not form.validate_on_submit():
        return _account_page(400, notifications_form=form)
    services.set_email_frequency(_signed_in_member(), EmailFrequency(form.email_notifications.data))
    db.session.commit()
    flash("Your e-mail preference is saved.", "success")
    return redirect(url_for("accounts.account_settings"), 303)


@bp.post("/settings/account/time-zone")
@login_required
def change_time_zone():
    """Choose the time zone event times are also shown in."""
    form = TimeZoneForm()
    if not form.validate_on_submit():
        return _account_page(400, time_zone_form=form)
    try:
        services.set_time_zone(_signed_in_member(), form.time_zone.data)
    except DomainError as error:
        db.session.rollback()
        _form_error(form, error)
        return _account_page(400, time_zone_form=form)
    db.session.commit()
    flash("Your time zone is saved: event times now show in it too.", "success")
    return redirect(url_for("accounts.account_settings"), 303)


@bp.post("/settings/account/delete")
@login_required
def delete_account():
    """Delete the account for good: personal data goes, posts stay as "former member"."""
    form = DeleteAccountForm()
    if form.validate_on_submit():
        try:
            services.delete_account(db.session, _signed_in_member(), form.password.data)
        except DomainError as error:
            db.session.rollback()
            _form_error(form, error)
        else:
            db.session.commit()
            logout_user()
            session.clear()
            flash(
                "Your account is deleted and your personal details are removed. "
                "Thank you for being part of the community.",
                "success",
            )
            return redirect(url_for("core.home"), 303)
    return _account_page(400, delete_form=form)


# Member administration -----------------------------------------------------------------


@bp.get("/admin/members")
@role_required(Role.COORDINATOR)
def admin_members():
    """The approval queue and the list of members with search and status filters."""
    filters = _member_list_filters()
    statement = services.member_list_statement(current_user, **filters)
    page = paginate(
        db.session,
        statement,
        parse_page_number(request.args.get("page")),
        current_app.config["PER_PAGE"],
    )
    return render_template(
        "accounts/admin_members.html",
        page=page,
        filters=filters,
        tabs=services.MEMBER_LIST_FILTERS,
        roles=list(Role),
        organisations=list_organisations(db.session),
    )


@bp.get("/admin/members/export.csv")
@role_required(Role.COORDINATOR)
def export_members():
    """The member list as a CSV file, with the filters of the page it was asked from."""
    filters = _member_list_filters(default_status="active")
    statement = services.member_list_statement(current_user, **filters)
    rows = services.directory_export_rows(db.session, current_user, statement)

    def lines():
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        for row in rows:
            writer.writerow([spreadsheet_safe(value) for value in row])
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()

    filename = f"wwc-members-{filters['shown']}-{utcnow():%Y-%m-%d}.csv"
    return Response(
        stream_with_context(lines()),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _member_list_filters(default_status: str = "pending") -> dict:
    """Read the member list's filters; an unknown value is a 400 with a message."""
    shown = request.args.get("status") or default_status
    if shown not in services.MEMBER_LIST_FILTERS:
        raise Invalid(f"There is no member status called “{shown[:40]}”.")
    role = request.args.get("role") or None
    if role is not None and role not in {r.value for r in Role}:
        raise Invalid(f"There is no role called “{role[:40]}”.")
    city = organisation = None
    if request.args.get("city"):
        city = find_city_by_label(db.session, request.args["city"][:140])
    if request.args.get("organisation"):
        try:
            organisation = get_organisation(db.session, request.args["organisation"][:160])
        except NotFound as error:
            raise Invalid("There is no partner organisation with that address.") from error
    return {
        "shown": shown,
        "query": " ".join((request.args.get("q") or "").split())[:100],
        "role": Role(role) if role else None,
        "city": city,
        "organisation": organisation,
    }


@bp.get("/admin/members/<int:member_id>")
@role_required(Role.COORDINATOR)
def admin_member(member_id: int):
    """One member's account, with the actions a coordinator or admin may take."""
    member = services.get_member(db.session, member_id)
    role_form = RoleForm(role=member.role)
    return render_template(
        "accounts/admin_member.html",
        member=member,
        decline_form=DeclineForm(),
        suspend_form=SuspendForm(),
        role_form=role_form,
    )


def _member_action(member_id: int, act, success: str, form=None):
    """Run one administrative service on a member, commit, and go back to their page."""
    form = form or ActionForm()
    member = services.get_member(db.session, member_id)
    if not form.validate_on_submit():
        for errors in form.errors.values():
            flash(" ".join(errors), "error")
        return redirect(url_for("accounts.admin_member", member_id=member_id)), 303
    try:
        act(member, form)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for("accounts.admin_member", member_id=member_id)), 303
    db.session.commit()
    flash(success.format(name=member.display_name), "success")
    back = request.form.get("back")
    return redirect(
        back if is_local_path(back) else url_for("accounts.admin_member", member_id=member_id)
    ), 303


@bp.post("/admin/members/<int:member_id>/approve")
@role_required(Role.COORDINATOR)
def approve_member(member_id: int):
    return _member_action(
        member_id,
        lambda m, f: services.approve_member(db.session, current_user, m),
        "{name} is approved and has been told by e-mail.",
    )


@bp.post("/admin/members/<int:member_id>/decline")
@role_required(Role.COORDINATOR)
def decline_member(member_id: int):
    return _member_action(
        member_id,
        lambda m, f: services.decline_member(db.session, current_user, m, f.reason.data or ""),
        "{name}'s application is declined and they have been told by e-mail.",
        DeclineForm(),
    )


@bp.post("/admin/members/<int:member_id>/suspend")
@role_required(Role.COORDINATOR)
def suspend_member(member_id: int):
    return _member_action(
        member_id,
        lambda m, f: services.suspend_member(db.session, current_user, m, f.reason.data or ""),
        "{name} is suspended and signed out everywhere.",
        SuspendForm(),
    )


@bp.post("/admin/members/<int:member_id>/reinstate")
@role_required(Role.COORDINATOR)
def reinstate_member(member_id: int):
    return _member_action(
        member_id,
        lambda m, f: services.reinstate_member(db.session, current_user, m),
        "{name} is reinstated.",
    )


@bp.post("/admin/members/<int:member_id>/role")
@role_required(Role.ADMIN)
def assign_role(member_id: int):
    return _member_action(
        member_id,
        lambda m, f: services.assign_role(db.session, current_user, m, Role(f.role.data)),
        "{name}'s role is changed.",
        RoleForm(),
    )
