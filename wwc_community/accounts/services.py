"""The operations on members: sign-up, verification, sign-in, approval and roles.

Every function takes the session (and the acting member where there is one),
checks permission, changes models and queues mail; none of them commits.
"""

import hmac
import re
import secrets
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session, selectinload

from wwc_community.accounts.models import (
    AccountToken,
    EmailFrequency,
    Member,
    MemberStatus,
    Role,
    TokenPurpose,
    new_session_token,
)
from wwc_community.accounts.passwords import (
    check_password,
    hash_password,
    needs_rehash,
    password_problems,
)
from wwc_community.core.audit import record_action
from wwc_community.core.database import text_contains, utcnow
from wwc_community.core.errors import Conflict, Invalid, NotFound, NotPermitted
from wwc_community.core.mail import external_url, queue_mail
from wwc_community.directory.city_import import slugify
from wwc_community.directory.models import City, Organisation, member_expertise
from wwc_community.directory.services import organisation_or_city_for_domain


def _unmatchable_hash() -> str:
    """A hash with the current parameters, checked when no account matches so that a
    wrong e-mail address costs as much time as a wrong password."""
    key = "_wwc_unmatchable_hash"
    if key not in current_app.extensions:
        current_app.extensions[key] = hash_password(secrets.token_urlsafe(16))
    return current_app.extensions[key]


def normalise_email(email: str) -> str:
    """E-mail addresses are compared in lower case, without surrounding spaces."""
    return email.strip().lower()


def find_member_by_email(session: Session, email: str) -> Member | None:
    return session.scalar(select(Member).where(Member.email == normalise_email(email)))


def load_member_from_session(session_id: str) -> Member | None:
    """Flask-Login's loader: the member whose id and current session token match."""
    from wwc_community.extensions import db

    member_id, _, token = session_id.partition(":")
    if not member_id.isdigit() or not token:
        return None
    member = db.session.get(Member, int(member_id))
    if member is None or not hmac.compare_digest(member.session_token, token):
        return None
    if not member.is_active:
        return None
    return member


HANDLE_PATTERN = re.compile(r"^[a-z0-9](?:[a-z0-9-]{1,38}[a-z0-9])$")


def new_handle(session: Session, display_name: str) -> str:
    """A free handle for a profile address, made from the member's name: "dana-analyst"."""
    base = slugify(display_name)[:30].strip("-") or "member"
    # Deleted accounts are renamed "former-member-<id>": never hand that prefix out.
    if len(base) < 3 or base.startswith("former-member"):
        base = f"{base}-member" if len(base) < 3 else "member"
    taken = set(
        session.scalars(
            select(Member.handle).where(or_(Member.handle == base, Member.handle.like(f"{base}-%")))
        )
    )
    handle, number = base, 2
    while handle in taken:
        handle, number = f"{base}-{number}", number + 1
    return handle


def check_new_password(password: str, email: str = "") -> None:
    """Raise Invalid naming every problem with a new password."""
    problems = password_problems(password, current_app.config["PASSWORD_MIN_LENGTH"], email)
    if problems:
        raise Invalid(" ".join(problems), field="password")


# Sign-up and verification --------------------------------------------------------------


def register_member(
    session: Session,
    *,
    email: str,
    display_name: str,
    password: str,
    job_title: str,
    city: City | None,
    organisation: Organisation | None,
) -> Member | None:
    """Create a pending account and mail its verification link.

    When the address is already registered nothing is created and its owner is
    told by mail instead, so the answer on screen never reveals who has an account.
    Returns the new member, or None when the address was taken.
    """
    email = normalise_email(email)
    if (city is None) == (organisation is None):
        raise Invalid("Choose either your city or your partner organisation.", field="city")
    check_new_password(password, email)

    existing = find_member_by_email(session, email)
    if existing is not None:
        queue_mail(
            session,
            existing.email,
            "Someone tried to join with your address",
            "mail/already_registered.txt",
            member=existing,
            login_url=external_url("accounts.login"),
            reset_url=external_url("accounts.request_reset"),
        )
        return None

    member = Member(
        email=email,
        handle=new_handle(session, display_name),
        display_name=display_name.strip(),
        job_title=job_title.strip(),
        city=city,
        organisation=organisation,
        role=Role.PARTNER if organisation is not None else Role.PRACTITIONER,
        status=MemberStatus.PENDING,
        password_hash=hash_password(password),
    )
    session.add(member)
    session.flush()
    send_verification_mail(session, member)
    return member


def send_verification_mail(session: Session, member: Member) -> None:
    """Mail a fresh verification link (48 hours, single use)."""
    token = issue_token(
        session, member, TokenPurpose.VERIFY_EMAIL, current_app.config["VERIFY_EMAIL_TOKEN_MAX_AGE"]
    )
    queue_mail(
        session,
        member.email,
        "Confirm your e-mail address for WWC Community",
        "mail/verify_email.txt",
        member=member,
        link=external_url("accounts.verify_email", token=token),
        hours=int(current_app.config["VERIFY_EMAIL_TOKEN_MAX_AGE"].total_seconds() // 3600),
    )


def resend_verification(session: Session, member: Member) -> None:
    """Mail another verification link to a signed-in member who has not verified yet."""
    if member.is_verified:
        raise Conflict("Your e-mail address is already confirmed.")
    send_verification_mail(session, member)


def issue_token(session: Session, member: Member, purpose: TokenPurpose, max_age: timedelta) -> str:
    """Store the hash of a new single-use token and return the token itself."""
    token = secrets.token_urlsafe(32)
    session.add(
        AccountToken(
            member_id=member.id,
            purpose=purpose,
            token_hash=AccountToken.hash(token),
            expires_at=utcnow() + max_age,
        )
    )
    return token


def find_usable_token(session: Session, token: str, purpose: TokenPurpose) -> AccountToken:
    """The stored token behind a link; raise Invalid if it is unknown, used or expired."""
    stored = None
    if token and len(token) <= 200:
        stored = session.scalar(
            select(AccountToken).where(
                AccountToken.token_hash == AccountToken.hash(token), AccountToken.purpose == purpose
            )
        )
    if stored is None:
        raise Invalid("This link is not valid. Check that you copied all of it.")
    if stored.used_at is not None:
        raise Invalid("This link has already been used. Each link works once.")
    if stored.expires_at <= utcnow():
        raise Invalid("This link has expired. Ask for a new one.")
    return stored


def redeem_token(session: Session, token: str, purpose: TokenPurpose) -> AccountToken:
    """Mark a usable token used, so its link never works again, and return it."""
    stored = find_usable_token(session, token, purpose)
    stored.used_at = utcnow()
    return stored


def verify_email(session: Session, token: str) -> Member:
    """Confirm the address behind `token`; approve at once if its domain is linked."""
    member = redeem_token(session, token, TokenPurpose.VERIFY_EMAIL).member
    if member.email_verified_at is None:
        member.email_verified_at = utcnow()
    if member.status == MemberStatus.PENDING and _domain_vouches_for(session, member):
        member.status = MemberStatus.ACTIVE
        member.decided_at = utcnow()
        record_action(
            session,
            None,
            "member.auto_approve",
            member,
            f"{member.email} approved: e-mail domain linked to {member.affiliation_label}",
        )
        queue_mail(
            session,
            member.email,
            "Welcome to WWC Community",
            "mail/approved.txt",
            member=member,
            login_url=external_url("accounts.login"),
        )
    return member


def _domain_vouches_for(session: Session, member: Member) -> bool:
    owner = organisation_or_city_for_domain(session, member.email.rsplit("@", 1)[-1])
    if owner is None:
        return False
    return owner in (member.city, member.organisation)


# Sign-in, sign-out and passwords ---------------------------------------------------------


def authenticate(session: Session, email: str, password: str) -> Member:
    """Return the member these credentials belong to, or raise Invalid."""
    member = find_member_by_email(session, email)
    if member is None:
        check_password(_unmatchable_hash(), password)
        raise Invalid("That e-mail address and password do not match an account.")
    if not check_password(member.password_hash, password):
        raise Invalid("That e-mail address and password do not match an account.")
    if member.status == MemberStatus.SUSPENDED:
        raise NotPermitted(
            "This account is suspended. Contact the program coordinators "
            "if you think this is a mistake."
        )
    if member.status == MemberStatus.DECLINED:
        raise NotPermitted(
            "This application to join was declined. Contact the program "
            "coordinators if you think this is a mistake."
        )
    if needs_rehash(member.password_hash):
        member.password_hash = hash_password(password)
    member.last_signed_in_at = utcnow()
    return member


def end_all_sessions(member: Member) -> None:
    """Rotate the session token: every session cookie of this member stops working."""
    member.session_token = new_session_token()


def change_password(
    session: Session, member: Member, current_password: str, new_password: str
) -> None:
    """Replace the password after checking the current one; end every other session."""
    if not check_password(member.password_hash, current_password):
        raise Invalid("Your current password is not right.", field="current_password")
    check_new_password(new_password, member.email)
    member.password_hash = hash_password(new_password)
    end_all_sessions(member)
    queue_mail(
        session,
        member.email,
        "Your WWC Community password was changed",
        "mail/password_changed.txt",
        member=member,
        reset_url=external_url("accounts.request_reset"),
    )


def request_password_reset(session: Session, email: str) -> None:
    """Mail a reset link (1 hour, single use) if the address has an account; say nothing."""
    member = find_member_by_email(session, email)
    if member is None or member.status in (MemberStatus.SUSPENDED, MemberStatus.DECLINED):
        return
    token = issue_token(
        session,
        member,
        TokenPurpose.RESET_PASSWORD,
        current_app.config["PASSWORD_RESET_TOKEN_MAX_AGE"],
    )
    queue_mail(
        session,
        member.email,
        "Reset your WWC Community password",
        "mail/reset_password.txt",
        member=member,
        link=external_url("accounts.reset_password", token=token),
    )


def reset_password(session: Session, token: str, new_password: str) -> Member:
    """Set a new password from a reset link and end every session of the member."""
    stored = redeem_token(session, token, TokenPurpose.RESET_PASSWORD)
    member = stored.member
    check_new_password(new_password, member.email)
    member.password_hash = hash_password(new_password)
    # Following the link proves the member reads this mailbox.
    if member.email_verified_at is None:
        member.email_verified_at = utcnow()
    end_all_sessions(member)
    return member


# Approval, suspension and roles ---------------------------------------------------------


def _require_role(actor: Member, role: Role) -> None:
    if actor is None or not actor.has_role(role):
        raise NotPermitted("Your role does not allow this.")


def get_member(session: Session, member_id: int) -> Member:
    member = session.get(Member, member_id)
    if member is None:
        raise NotFound("There is no such member.")
    return member


def pending_members_statement(include_unverified: bool = False):
    """Members waiting for a coordinator, oldest first."""
    statement = select(Member).where(Member.status == MemberStatus.PENDING)
    if not include_unverified:
        statement = statement.where(Member.email_verified_at.is_not(None))
    return statement.order_by(Member.created_at, Member.id)


MEMBER_LIST_FILTERS = ("pending", "unverified", "active", "suspended", "declined", "deleted", "all")


def member_list_statement(
    actor: Member,
    shown: str,
    query: str = "",
    *,
    role: Role | None = None,
    city: City | None = None,
    organisation: Organisation | None = None,
):
    """Members for the admin list: one of MEMBER_LIST_FILTERS, searched by name or address,
    narrowed by role, city or organisation."""
    _require_role(actor, Role.COORDINATOR)
    if shown == "pending":
        statement = pending_members_statement()
    else:
        statement = select(Member).order_by(Member.created_at.desc(), Member.id.desc())
        if shown == "unverified":
            statement = statement.where(
                Member.status == MemberStatus.PENDING, Member.email_verified_at.is_(None)
            )
        elif shown != "all":
            statement = statement.where(Member.status == shown)
    if query:
        statement = statement.where(
            or_(text_contains(Member.email, query), text_contains(Member.display_name, query))
        )
    if role is not None:
        statement = statement.where(Member.role == role)
    if city is not None:
        statement = statement.where(Member.city_id == city.id)
    if organisation is not None:
        statement = statement.where(Member.organisation_id == organisation.id)
    return statement


def directory_export_rows(session: Session, actor: Member, statement):
    """The rows of the CSV export: a header, then one row per member of `statement`."""
    _require_role(actor, Role.COORDINATOR)
    yield [
        "Name",
        "Handle",
        "E-mail",
        "Job title",
        "Department",
        "City",
        "State",
        "Organisation",
        "Role",
        "Status",
        "Expertise",
        "Member since",
    ]
    members = session.scalars(statement.options(selectinload(Member.expertise)))
    for member in members:
        yield [
            member.display_name,
            member.handle,
            member.email,
            member.job_title,
            member.department,
            member.city.name if member.city else "",
            member.city.state if member.city else "",
            member.organisation.name if member.organisation else "",
            member.role,
            member.status,
            "; ".join(topic.name for topic in member.expertise),
            member.created_at.date().isoformat(),
        ]


def count_pending_members(session: Session) -> int:
    return (
        session.scalar(select(func.count()).select_from(pending_members_statement().subquery()))
        or 0
    )


def approve_member(session: Session, actor: Member, member: Member) -> None:
    """Let a pending member in and tell them by mail."""
    _require_role(actor, Role.COORDINATOR)
    if member.status != MemberStatus.PENDING:
        raise Conflict(
            f"{member.display_name} is not waiting for approval (status: {member.status})."
        )
    if member.email_verified_at is None:
        raise Conflict(f"{member.display_name} has not confirmed their e-mail address yet.")
    member.status = MemberStatus.ACTIVE
    member.decided_at = utcnow()
    member.decided_by_id = actor.id
    record_action(session, actor, "member.approve", member, f"Approved {member.email}")
    queue_mail(
        session,
        member.email,
        "Welcome to WWC Community",
        "mail/approved.txt",
        member=member,
        login_url=external_url("accounts.login"),
    )


def decline_member(session: Session, actor: Member, member: Member, reason: str) -> None:
    """Turn a pending application down and tell the applicant why."""
    _require_role(actor, Role.COORDINATOR)
    if member.status != MemberStatus.PENDING:
        raise Conflict(
            f"{member.display_name} is not waiting for approval (status: {member.status})."
        )
    member.status = MemberStatus.DECLINED
    member.decided_at = utcnow()
    member.decided_by_id = actor.id
    member.decline_reason = reason.strip()
    end_all_sessions(member)
    record_action(
        session,
        actor,
        "member.decline",
        member,
        f"Declined {member.email}" + (f": {reason.strip()}" if reason.strip() else ""),
    )
    queue_mail(
        session,
        member.email,
        "Your application to WWC Community",
        "mail/declined.txt",
        member=member,
        reason=member.decline_reason,
    )


def _require_authority_over(actor: Member, member: Member) -> None:
    """Coordinators act on practitioners and partners; only admins act on staff."""
    _require_role(actor, Role.COORDINATOR)
    if actor.id == member.id:
        raise NotPermitted("You cannot do this to your own account.")
    if member.role_enum.rank >= Role.COORDINATOR.rank and not actor.has_role(Role.ADMIN):
        raise NotPermitted("Only an admin can do this to a coordinator or admin.")


def suspend_member(session: Session, actor: Member, member: Member, reason: str) -> None:
    """Shut a member out of everything at once, keeping their account and posts."""
    _require_authority_over(actor, member)
    if member.status == MemberStatus.SUSPENDED:
        raise Conflict(f"{member.display_name} is already suspended.")
    if member.status != MemberStatus.ACTIVE:
        raise Conflict(
            f"Only active members can be suspended ({member.display_name} is {member.status})."
        )
    member.status = MemberStatus.SUSPENDED
    end_all_sessions(member)
    record_action(
        session,
        actor,
        "member.suspend",
        member,
        f"Suspended {member.email}" + (f": {reason.strip()}" if reason.strip() else ""),
    )


def reinstate_member(session: Session, actor: Member, member: Member) -> None:
    """Lift a suspension."""
    _require_authority_over(actor, member)
    if member.status != MemberStatus.SUSPENDED:
        raise Conflict(f"{member.display_name} is not suspended.")
    member.status = MemberStatus.ACTIVE
    record_action(session, actor, "member.reinstate", member, f"Reinstated {member.email}")


def assign_role(session: Session, actor: Member, member: Member, role: Role) -> None:
    """Give a member another role (admins only; never their own)."""
    _require_role(actor, Role.ADMIN)
    if actor.id == member.id:
        raise NotPermitted("You cannot change your own role.")
    if member.role == role:
        raise Conflict(f"{member.display_name} is already {role.label.lower()}.")
    previous = member.role
    member.role = role
    record_action(
        session,
        actor,
        "member.assign_role",
        member,
        f"Changed the role of {member.email} from {previous} to {role}",
    )


def create_member(
    session: Session,
    *,
    email: str,
    password: str,
    role: Role,
    display_name: str | None = None,
    job_title: str = "",
    city: City | None = None,
    organisation: Organisation | None = None,
) -> Member:
    """Create an active, verified account (operators and tests, no approval needed)."""
    email = normalise_email(email)
    if find_member_by_email(session, email) is not None:
        raise Conflict(f"{email} already has an account.")
    if city is not None and organisation is not None:
        raise Invalid("Give a city or an organisation, not both.")
    check_new_password(password, email)
    display_name = display_name or email.split("@", 1)[0]
    member = Member(
        email=email,
        handle=new_handle(session, display_name),
        display_name=display_name,
        job_title=job_title,
        city=city,
        organisation=organisation,
        role=role,
        status=MemberStatus.ACTIVE,
        password_hash=hash_password(password),
        email_verified_at=utcnow(),
        decided_at=utcnow(),
    )
    session.add(member)
    session.flush()
    record_action(
        session, None, "member.create", member, f"Created {email} as {role} from the command line"
    )
    return member


# Account settings: e-mail address, notifications, deletion ----------------------------


def request_email_change(session: Session, member: Member, new_email: str, password: str) -> None:
    """Hold a new address until its owner follows the link mailed to it (48 hours).

    The old address keeps working meanwhile and is told of the request.
    """
    if not check_password(member.password_hash, password):
        raise Invalid("Your password is not right.", field="password")
    new_email = normalise_email(new_email)
    if new_email == member.email:
        raise Invalid("That is already your address.", field="email")
    if find_member_by_email(session, new_email) is not None:
        raise Invalid("That address already belongs to another account.", field="email")
    member.pending_email = new_email
    max_age = current_app.config["VERIFY_EMAIL_TOKEN_MAX_AGE"]
    token = issue_token(session, member, TokenPurpose.CHANGE_EMAIL, max_age)
    queue_mail(
        session,
        new_email,
        "Confirm your new e-mail address for WWC Community",
        "mail/confirm_new_email.txt",
        member=member,
        link=external_url("accounts.confirm_email_change", token=token),
        hours=int(max_age.total_seconds() // 3600),
    )
    queue_mail(
        session,
        member.email,
        "Your WWC Community e-mail address is changing",
        "mail/email_change_requested.txt",
        member=member,
        new_email=new_email,
        settings_url=external_url("accounts.account_settings"),
    )


def confirm_email_change(session: Session, token: str) -> Member:
    """Make the pending address the member's address, if nobody took it meanwhile."""
    member = redeem_token(session, token, TokenPurpose.CHANGE_EMAIL).member
    if not member.pending_email:
        raise Conflict("There is no change of address waiting: it was cancelled.")
    if find_member_by_email(session, member.pending_email) is not None:
        raise Conflict("That address now belongs to another account, so it cannot be yours.")
    member.email, member.pending_email = member.pending_email, None
    member.email_verified_at = utcnow()
    return member


def cancel_email_change(member: Member) -> None:
    """Forget the pending address; its link stops working."""
    if not member.pending_email:
        raise Conflict("There is no change of address waiting.")
    member.pending_email = None


def set_email_frequency(member: Member, frequency: EmailFrequency) -> None:
    """Choose what is e-mailed about followed activity: as it happens, daily, or never."""
    member.email_notifications = frequency


def set_time_zone(member: Member, name: str) -> None:
    """Show event times in `name` (an IANA time zone) as well; empty: the event's own."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    name = (name or "").strip()
    if name:
        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise Invalid("Choose a time zone from the list.", "time_zone") from error
    member.time_zone = name


def delete_account(session: Session, member: Member, password: str) -> None:
    """Remove a member's personal data for good; what they wrote stays as "former member".

    The row is kept (anonymised) so that posts, answers and registrations still point
    at it; nothing about the person is left in it.
    """
    if not check_password(member.password_hash, password):
        raise Invalid("Your password is not right.", field="password")
    if (
        member.role == Role.ADMIN
        and session.scalar(
            select(func.count(Member.id)).where(
                Member.role == Role.ADMIN, Member.status == MemberStatus.ACTIVE
            )
        )
        <= 1
    ):
        raise Conflict("You are the only admin: give another member the admin role first.")
    anonymise_member(session, member)


def anonymise_member(session: Session, member: Member) -> None:
    """Blank every personal field and shut the account."""
    session.execute(delete(AccountToken).where(AccountToken.member_id == member.id))
    session.execute(delete(member_expertise).where(member_expertise.c.member_id == member.id))
    member.email = f"deleted-{member.id}@invalid"
    member.pending_email = None
    member.handle = f"former-member-{member.id}"
    member.display_name = "Former member"
    member.job_title = member.department = member.bio = member.bio_html = ""
    member.decline_reason = ""
    member.city = member.organisation = None
    member.password_hash = hash_password(secrets.token_urlsafe(32))
    member.email_notifications = EmailFrequency.NEVER
    member.status = MemberStatus.DELETED
    member.deleted_at = utcnow()
    member.last_signed_in_at = None
    end_all_sessions(member)
    record_action(
        session,
        member,
        "member.delete",
        member,
        f"Member {member.id} deleted their account; personal data removed",
    )
