"""Users, roles, one-time links and passwords on both databases; the audit log is append-only."""

import datetime as dt

import pytest
import sqlalchemy as sa

from cityindex.auth import (BadCredentials, BadEmail, BadRole, InvalidLink, UserExists, WeakPassword, add_user,
                            check_password, disable_user, enable_user, get_user, issue_link, list_events, list_users,
                            set_role, use_link)
from cityindex.auth.testing import PASSWORD, make_user, account_settings
from cityindex.errors import UnknownCity

OBERHAUSEN, BOCHUM = "05119000", "05911000"


def test_add_and_list_users_with_roles_and_cities(store):
    add_user(store, "Team@Example.org", role="admin", by="cli:root")
    add_user(store, "pruefung@oberhausen.de", role="city", cities=(OBERHAUSEN, BOCHUM), by="team@example.org")
    users = list_users(store)
    assert [(u.email, u.role, u.cities) for u in users] == [
        ("pruefung@oberhausen.de", "city", (OBERHAUSEN, BOCHUM)), ("team@example.org", "admin", ())]
    assert [u.email for u in list_users(store, city=BOCHUM)] == ["pruefung@oberhausen.de"]
    assert not any(u.has_password for u in users)


@pytest.mark.parametrize("email, role, cities, error", [
    ("no-address", "admin", (), BadEmail),
    ("a@b.de", "owner", (), BadRole),
    ("a@b.de", "city", (), BadRole),
    ("a@b.de", "analyst", (OBERHAUSEN,), BadRole),
])
def test_invalid_users_are_refused_and_nothing_is_stored(store, email, role, cities, error):
    with pytest.raises(error):
        add_user(store, email, role=role, cities=cities, by="t")
    assert list_users(store) == []


def test_a_second_user_with_the_same_address_is_refused(store):
    add_user(store, "ana@example.org", role="analyst", by="t")
    with pytest.raises(UserExists):
        add_user(store, "ANA@example.org ", role="admin", by="t")


def test_city_names_resolve_through_the_register():
    from cityindex.auth.users import city_codes

    assert city_codes(["Oberhausen", "bochum", "05119000"]) == (OBERHAUSEN, BOCHUM)
    with pytest.raises(UnknownCity, match="Oberhausen"):
        city_codes(["Oberhausn"])


def test_invitation_is_single_use_and_sets_an_argon2id_password(store):
    settings = account_settings()
    add_user(store, "ana@example.org", role="analyst", by="t")
    link = issue_link(store, "ana@example.org", purpose="invite", by="t", settings=settings)
    assert link.url == f"http://127.0.0.1:8000/zugang/{link.token}"
    assert link.expires_at - dt.datetime.utcnow() > dt.timedelta(days=6, hours=23)
    use_link(store, link.token, PASSWORD, settings=settings)
    with pytest.raises(InvalidLink):
        use_link(store, link.token, PASSWORD + " again", settings=settings)
    with store.engine.connect() as conn:
        stored = conn.execute(sa.text("SELECT password_hash FROM users")).scalar()
        token_hashes = conn.execute(sa.text("SELECT token_hash FROM user_tokens")).scalars().all()
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    assert link.token not in token_hashes  # only the hash is kept
    assert check_password(store, "ana@example.org", PASSWORD, settings=settings).email == "ana@example.org"


def test_expired_link_and_older_links_are_refused(store):
    settings = account_settings()
    add_user(store, "ana@example.org", role="analyst", by="t")
    first = issue_link(store, "ana@example.org", purpose="invite", by="t", settings=settings)
    second = issue_link(store, "ana@example.org", purpose="invite", by="t", settings=settings)
    with pytest.raises(InvalidLink):
        use_link(store, first.token, PASSWORD, settings=settings)  # a new link ends the older one
    with store.engine.begin() as conn:
        conn.execute(sa.text("UPDATE user_tokens SET expires_at = :t"), {"t": dt.datetime.utcnow()
                                                                         - dt.timedelta(seconds=1)})
    with pytest.raises(InvalidLink):
        use_link(store, second.token, PASSWORD, settings=settings)
    assert not get_user(store, "ana@example.org").has_password


@pytest.mark.parametrize("password, reason", [
    ("kurz", "short"), ("password1234", "guessable"), ("oberhausen2024", "guessable"),
    ("ana@example.org!!", "guessable"), ("x" * 201, "long"),
])
def test_weak_passwords_are_refused_with_the_reason(store, password, reason):
    settings = account_settings()
    add_user(store, "ana@example.org", role="analyst", by="t", name="Oberhausen")
    link = issue_link(store, "ana@example.org", purpose="invite", by="t", settings=settings)
    with pytest.raises(WeakPassword) as raised:
        use_link(store, link.token, password, settings=settings)
    assert raised.value.reason == reason
    use_link(store, link.token, PASSWORD, settings=settings)  # the link was not used up by the refusal


def test_wrong_password_unknown_user_and_disabled_user_get_the_same_error(store):
    settings = account_settings()
    make_user(store, "ana@example.org", role="analyst")
    make_user(store, "bob@example.org", role="analyst")
    disable_user(store, "bob@example.org", by="t")
    messages = set()
    for email, password in (("ana@example.org", "wrong horse battery"), ("nobody@example.org", PASSWORD),
                            ("bob@example.org", PASSWORD), ("not an address", PASSWORD)):
        with pytest.raises(BadCredentials) as raised:
            check_password(store, email, password, settings=settings)
        messages.add(str(raised.value))
    assert len(messages) == 1


def test_changed_argon2_parameters_rehash_at_the_next_sign_in(store):
    make_user(store, "ana@example.org", role="analyst")
    stronger = account_settings(argon2_time_cost=2)
    check_password(store, "ana@example.org", PASSWORD, settings=stronger)
    with store.engine.connect() as conn:
        assert ",t=2," in conn.execute(sa.text("SELECT password_hash FROM users")).scalar()
    assert check_password(store, "ana@example.org", PASSWORD, settings=stronger).email == "ana@example.org"


def test_the_last_active_admin_can_be_neither_disabled_nor_demoted(store):
    add_user(store, "boss@example.org", role="admin", by="t")
    with pytest.raises(BadRole):
        disable_user(store, "boss@example.org", by="t")
    with pytest.raises(BadRole):
        set_role(store, "boss@example.org", role="analyst", by="t")
    add_user(store, "second@example.org", role="admin", by="t")
    assert not disable_user(store, "boss@example.org", by="t").active
    assert enable_user(store, "boss@example.org", by="t").active


def test_every_change_is_in_the_audit_log_which_refuses_update_and_delete(store):
    settings = account_settings()
    add_user(store, "ana@example.org", role="analyst", by="cli:root")
    link = issue_link(store, "ana@example.org", purpose="invite", by="cli:root", settings=settings)
    use_link(store, link.token, PASSWORD, settings=settings, ip="192.0.2.7")
    set_role(store, "ana@example.org", role="city", cities=(OBERHAUSEN,), by="cli:root")
    disable_user(store, "ana@example.org", by="cli:root")
    events = list_events(store)
    assert [e.event for e in events] == ["user.disabled", "role.changed", "password.set", "link.invite",
                                         "user.added"]
    assert events[1].detail == {"old_role": "analyst", "new_role": "city", "old_cities": [],
                                "new_cities": [OBERHAUSEN]}
    assert events[2].ip == "192.0.2.7" and events[2].actor == "ana@example.org"
    assert [e.event for e in list_events(store, event="user")] == ["user.disabled", "user.added"]
    assert list_events(store, subject="nobody") == []
    for statement in ("UPDATE audit_log SET event = 'x'", "DELETE FROM audit_log"):
        with pytest.raises(sa.exc.DBAPIError, match="append-only"), store.engine.begin() as conn:
            conn.execute(sa.text(statement))
    assert len(list_events(store)) == 5
