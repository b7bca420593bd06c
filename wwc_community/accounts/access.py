"""Who may open a page: decorators for views (services check again for actions)."""

from functools import wraps

from flask import abort, redirect, request, url_for
from flask_login import current_user

from wwc_community.accounts.models import Role
from wwc_community.extensions import login_manager


def member_required(view):
    """Let approved, verified members through; send everyone else where they belong."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        if not current_user.is_member:
            return redirect(url_for("accounts.status", next=request.full_path.rstrip("?")))
        return view(*args, **kwargs)

    return wrapped


def role_required(role: Role):
    """Like member_required, and the member must hold `role` or a stronger one (else 403)."""

    def decorator(view):
        @wraps(view)
        @member_required
        def wrapped(*args, **kwargs):
            if not current_user.has_role(role):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator
