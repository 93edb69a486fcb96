"""Accounts and security: users and roles, passwords, one-time links, sessions, CSRF, the second
factor, sign-in throttling, the permission policy and the security audit log (docs/security.md).

Library functions are keyword-only over a ``Store`` and serve the CLI (``cityindex user …``,
``cityindex audit``) and the website (``web/auth.py`` and the sign-in, team and review pages).
"""

from cityindex.auth.audit import EVENTS, list_events, log_event
from cityindex.auth.errors import (AuthError, BadCode, BadCredentials, BadEmail, BadRole, CsrfError, Forbidden,
                                   InvalidLink, NotSignedIn, Throttled, UnknownUser, UserExists, WeakPassword)
from cityindex.auth.policy import Account, Permission, Role, allowed, edition_visible
from cityindex.auth.users import (Link, UserInfo, add_user, check_password, disable_user, enable_user, get_user,
                                  issue_link, list_users, set_role, use_link)

__all__ = [
    "EVENTS", "Account", "AuthError", "BadCode", "BadCredentials", "BadEmail", "BadRole", "CsrfError", "Forbidden",
    "InvalidLink", "Link", "NotSignedIn", "Permission", "Role", "Throttled", "UnknownUser", "UserExists", "UserInfo",
    "WeakPassword", "add_user", "allowed", "check_password", "disable_user", "edition_visible", "enable_user",
    "get_user", "issue_link", "list_events", "list_users", "log_event", "set_role", "use_link",
]
