"""The second factor: enrolment with a first code, codes accepted once, recovery codes used up."""

import datetime as dt

import pyotp
import pytest

from cityindex.auth import BadCode, list_events
from cityindex.auth.testing import account_settings, make_user
from cityindex.auth.totp import (confirm_mfa, disable_mfa, mfa_required, needs_enrolment, set_mfa_required,
                                 start_mfa, verify_mfa)


def _code(secret: str, steps: int = 0) -> str:
    totp = pyotp.TOTP(secret)
    return totp.at(dt.datetime.now(dt.timezone.utc), counter_offset=steps)


def test_enrol_then_each_code_works_once(store):
    user = make_user(store, "ana@example.org", role="analyst")
    secret, uri = start_mfa(store, user.id)
    assert uri.startswith("otpauth://totp/cityindex:ana%40example.org?secret=")
    with pytest.raises(BadCode):
        confirm_mfa(store, user.id, "000000" if _code(secret) != "000000" else "111111")
    codes = confirm_mfa(store, user.id, _code(secret))
    assert len(codes) == 10 and len(set(codes)) == 10
    with pytest.raises(BadCode):  # the enrolment code cannot be replayed at sign-in
        verify_mfa(store, user.id, _code(secret))
    verify_mfa(store, user.id, _code(secret, 1))  # the next step (clock drift) is accepted once
    with pytest.raises(BadCode):
        verify_mfa(store, user.id, _code(secret, 1))


def test_a_recovery_code_works_once(store):
    user = make_user(store, "ana@example.org", role="analyst")
    secret, _ = start_mfa(store, user.id)
    codes = confirm_mfa(store, user.id, _code(secret))
    verify_mfa(store, user.id, codes[3].upper())
    with pytest.raises(BadCode):
        verify_mfa(store, user.id, codes[3])
    with pytest.raises(BadCode):
        verify_mfa(store, user.id, "not-a-code")
    assert [e.event for e in list_events(store, event="mfa")] == ["mfa.recovery_used", "mfa.enabled"]


def test_removing_the_factor_refuses_its_codes(store):
    user = make_user(store, "ana@example.org", role="analyst")
    secret, _ = start_mfa(store, user.id)
    codes = confirm_mfa(store, user.id, _code(secret))
    disable_mfa(store, user.id, by="ana@example.org")
    with pytest.raises(BadCode):
        verify_mfa(store, user.id, codes[0])


def test_mandatory_factor_for_the_team_from_the_admin_option_or_the_setting(store):
    settings = account_settings()
    assert not mfa_required(store, settings)
    set_mfa_required(store, True, by="boss@example.org")
    assert mfa_required(store, settings)
    assert needs_enrolment("analyst", False, store, settings) and not needs_enrolment("city", False, store, settings)
    set_mfa_required(store, False, by="boss@example.org")
    assert not mfa_required(store, settings) and mfa_required(store, account_settings(mfa_required=True))
    assert [e.detail for e in list_events(store, event="mfa.required")] == [{"required": False}, {"required": True}]
