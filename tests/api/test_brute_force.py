"""Password and token guessing: one throttle for every way in (the sign-in page, the admin's
sign-in, bearer tokens), counted before the password is checked, so parallel guesses get no
more checks than sequential ones; one attacker cannot lock a username out for everyone."""

from __future__ import annotations

import threading

import pytest
from django.test import Client, override_settings

from steward.people import operations as people_ops
from steward.people.auth import client_address
from steward.people.choices import Role
from steward.people.models import LoginFailure, User
from tests.threads import run_in_threads

PASSWORD = "correct-horse-9"
PARALLEL = 30
LIMIT = 5  # LOGIN_THROTTLE_ATTEMPTS
ATTACKER = "203.0.113.66"
VICTIM = "198.51.100.10"


@pytest.fixture
def password_checks(monkeypatch):
    """Counts the real password checks (thread-safe)."""
    checks = {"n": 0}
    lock = threading.Lock()
    original = User.check_password

    def counting(self, raw_password):
        with lock:
            checks["n"] += 1
        return original(self, raw_password)

    monkeypatch.setattr(User, "check_password", counting)
    return checks


def sign_in(path: str, password: str, address: str = ATTACKER, username: str = "victim", **meta):
    return Client().post(
        path, {"username": username, "password": password}, REMOTE_ADDR=address, **meta
    )


# --- parallel guessing, every way in ------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("path", ["/login/", "/admin/login/"])
def test_parallel_wrong_passwords_get_at_most_the_allowed_checks(path, make_user, password_checks):
    make_user("victim", roles=[Role.ADMIN])
    start = threading.Barrier(PARALLEL)
    statuses = []

    def guess():
        start.wait()
        statuses.append(sign_in(path, "wrong").status_code)

    assert run_in_threads(guess, PARALLEL) == []
    assert password_checks["n"] <= LIMIT, f"{password_checks['n']} checks for {PARALLEL} guesses"
    assert set(statuses) <= {200, 429}
    # Sequential guesses fill the allowance exactly; then even the right password is refused
    # without being checked.
    while sign_in(path, "wrong").status_code != 429:
        pass
    assert password_checks["n"] == LIMIT
    response = sign_in(path, PASSWORD)
    assert response.status_code == 429
    assert "Too many failed sign-in attempts" in response.content.decode()
    assert password_checks["n"] == LIMIT
    assert "_auth_user_id" not in response.wsgi_request.session


@pytest.mark.django_db(transaction=True)
@override_settings(LOGIN_THROTTLE_ADDRESS_ATTEMPTS=LIMIT)
def test_parallel_bad_tokens_get_at_most_the_allowed_answers(make_user):
    """Token secrets are random, so a lookup costs no more than counting: what is bounded is
    the number of guesses answered. Past the limit even the right token gets 429, so a guesser
    cannot tell which guess was right."""
    owner = make_user("scripter", roles=[Role.AGENT])
    _, secret = people_ops.create_api_token(None, owner, name="ci", scope="read")
    start = threading.Barrier(PARALLEL)
    responses = []

    def guess():
        start.wait()
        bad = {"Authorization": "Bearer stw_not-a-token"}
        responses.append(Client().get("/api/v1/me", headers=bad, REMOTE_ADDR=ATTACKER))

    assert run_in_threads(guess, PARALLEL) == []
    statuses = [r.status_code for r in responses]
    assert set(statuses) <= {401, 429}
    assert statuses.count(401) <= LIMIT
    answered = statuses.count(401)
    bad = {"Authorization": "Bearer stw_still-not-a-token"}
    while Client().get("/api/v1/me", headers=bad, REMOTE_ADDR=ATTACKER).status_code == 401:
        answered += 1
    assert answered == LIMIT

    right = {"Authorization": f"Bearer {secret}"}
    refused = Client().get("/api/v1/me", headers=right, REMOTE_ADDR=ATTACKER)
    assert refused.status_code == 429
    assert refused.json() == {
        "error": {"code": "throttled", "message": refused.json()["error"]["message"], "fields": {}}
    }
    assert "Too many failed sign-in attempts" in refused.json()["error"]["message"]
    assert 0 < int(refused["Retry-After"]) <= 15 * 60
    # The token's owner elsewhere is not affected.
    assert Client().get("/api/v1/me", headers=right, REMOTE_ADDR=VICTIM).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_the_sign_in_page_and_the_admin_share_one_allowance(make_user, password_checks):
    make_user("victim", roles=[Role.ADMIN])
    for path in ["/login/", "/admin/login/"] * 2 + ["/login/"]:
        sign_in(path, "wrong")
    assert password_checks["n"] == LIMIT
    admin = sign_in("/admin/login/", PASSWORD)
    assert admin.status_code == 429
    assert "Too many failed sign-in attempts" in admin.content.decode()
    assert sign_in("/login/", PASSWORD).status_code == 429
    assert password_checks["n"] == LIMIT


# --- no lockout of a username by someone else ---------------------------------------------------


@pytest.mark.django_db
def test_an_attacker_cannot_lock_a_username_out_from_another_address(make_user, password_checks):
    make_user("victim", roles=[Role.AGENT])
    for _ in range(50):
        sign_in("/login/", "wrong", address=ATTACKER)
    assert password_checks["n"] == LIMIT
    assert sign_in("/login/", PASSWORD, address=ATTACKER).status_code == 429
    response = sign_in("/login/", PASSWORD, address=VICTIM)
    assert response.status_code == 302
    # The victim's success clears only the victim's own failures: the attacker stays blocked.
    assert sign_in("/login/", PASSWORD, address=ATTACKER).status_code == 429


@pytest.mark.django_db
@override_settings(LOGIN_THROTTLE_ADDRESS_ATTEMPTS=8)
def test_one_address_cannot_try_every_username(make_user):
    for name in ("a", "b", "c"):
        make_user(name, roles=[Role.AGENT])
    statuses = [sign_in("/login/", "wrong", username=n).status_code for n in "abc" * 3]
    assert statuses[:7] == [200] * 7 and set(statuses[7:]) == {429}
    assert sign_in("/login/", PASSWORD, username="c").status_code == 429
    assert sign_in("/login/", PASSWORD, username="c", address=VICTIM).status_code == 302


@pytest.mark.django_db
@override_settings(LOGIN_THROTTLE_USERNAME_ATTEMPTS=8)
def test_many_addresses_together_meet_the_username_limit(make_user):
    make_user("victim", roles=[Role.AGENT])
    for address in ["192.0.2.1"] * 5 + ["192.0.2.2"] * 3:
        sign_in("/login/", "wrong", address=address)
    assert sign_in("/login/", PASSWORD, address="192.0.2.3").status_code == 429


@pytest.mark.django_db
def test_a_success_clears_the_failures_of_that_username_from_that_address_only(make_user):
    make_user("victim", roles=[Role.AGENT])
    for address in (ATTACKER, VICTIM):
        for _ in range(3):
            sign_in("/login/", "wrong", address=address)
    assert sign_in("/login/", PASSWORD, address=VICTIM).status_code == 302
    left = LoginFailure.objects.values_list("username", "ip")
    assert sorted(left) == [("victim", ATTACKER)] * 3


# --- the client's address behind a proxy --------------------------------------------------------


@pytest.mark.django_db
def test_x_forwarded_for_is_ignored_without_a_trusted_proxy(make_user):
    make_user("victim", roles=[Role.AGENT])
    for n in range(LIMIT):
        sign_in("/login/", "wrong", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
    fresh = sign_in("/login/", PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.200")
    assert fresh.status_code == 429


@pytest.mark.django_db
@override_settings(STEWARD_TRUSTED_PROXIES=["10.0.0.0/8"])
def test_x_forwarded_for_names_the_client_behind_a_trusted_proxy(make_user):
    make_user("victim", roles=[Role.AGENT])
    proxy = "10.1.2.3"
    for _ in range(LIMIT):
        sign_in("/login/", "wrong", address=proxy, HTTP_X_FORWARDED_FOR=ATTACKER)
    assert LoginFailure.objects.filter(ip=ATTACKER).count() == LIMIT
    assert sign_in(
        "/login/", PASSWORD, address=proxy, HTTP_X_FORWARDED_FOR=ATTACKER
    ).status_code == (429)
    # What the client wrote at the left of the header does not count: the proxy's entry does.
    spoofed = f"{VICTIM}, {ATTACKER}"
    assert sign_in(
        "/login/", PASSWORD, address=proxy, HTTP_X_FORWARDED_FOR=spoofed
    ).status_code == (429)
    # Another client behind the same proxy signs in.
    assert sign_in("/login/", PASSWORD, address=proxy, HTTP_X_FORWARDED_FOR=VICTIM).status_code == (
        302
    )


@pytest.mark.parametrize(
    "remote,forwarded,expected",
    [
        ("203.0.113.9", "198.51.100.1", "203.0.113.9"),  # not a proxy: header ignored
        ("10.0.0.1", "198.51.100.1", "198.51.100.1"),
        ("10.0.0.1", "198.51.100.9, 198.51.100.1", "198.51.100.1"),  # left part is the client's
        ("10.0.0.1", "198.51.100.1, 10.0.0.2", "198.51.100.1"),  # two proxies in a row
        ("10.0.0.1", "198.51.100.1:4321", "198.51.100.1"),
        ("10.0.0.1", "[2001:db8::1]:443", "2001:db8::1"),
        ("10.0.0.1", "garbage", "10.0.0.1"),
        ("10.0.0.1", "", "10.0.0.1"),
        ("", "198.51.100.1", None),
    ],
)
def test_client_address(rf, remote, forwarded, expected):
    request = rf.get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    with override_settings(STEWARD_TRUSTED_PROXIES=["10.0.0.0/8"]):
        assert client_address(request) == expected
