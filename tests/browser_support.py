"""Browser-test fixtures, a pytest plugin loaded by tests/conftest.py so that every browser
test in any folder shares one Chromium: Debian's headless Chromium driven by Playwright against
pytest-django's live server, an axe-core audit of each page the tests open, and a screenshot of
the page when a test fails."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; Django refuses ORM calls from a
# thread with a running loop unless told that this is deliberate.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("STEWARD_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
BLOCKING_IMPACTS = {"serious", "critical"}


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make chromium`")
    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
    )
    yield browser
    browser.close()
    playwright.stop()


def _migrated_data() -> None:
    """Put back the rows the data migrations make (the default 24x7 calendar): the live server
    needs a transactional database, whose tables are emptied after each test, so a browser test
    that runs after another would otherwise see an installation without them."""
    import importlib

    from django.apps import apps

    importlib.import_module("steward.slm.migrations.0002_default_calendar").create_default(
        apps, None
    )


@pytest.fixture
def new_page(browser, live_server, request):
    """new_page(**context_options) -> a page in a fresh browser context on the live server."""
    _migrated_data()
    contexts = []

    def make(**options):
        context = browser.new_context(base_url=live_server.url, **options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        request.node.stash.setdefault(PAGES, []).append(page)
        return page

    yield make
    for context in contexts:
        context.close()
    # Let the live server finish what the pages asked of it before the database is emptied:
    # a request still reading a table while the flush truncates it deadlocks on PostgreSQL
    # (seen in CI after a htmx save).
    from tests.inflight import wait_until_idle

    wait_until_idle()


@pytest.fixture
def page(new_page):
    return new_page()


PAGES = pytest.StashKey[list]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call" and report.failed:
        for n, page in enumerate(item.stash.get(PAGES, [])):
            name = re.sub(r"[^\w.-]+", "_", item.name) + (f"-{n}" if n else "")
            ARTIFACTS.mkdir(exist_ok=True)
            try:
                page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
            except Exception as exc:  # the page may be gone; the report says why
                report.sections.append(("screenshot", f"no screenshot: {exc}"))
            else:
                report.sections.append(("screenshot", str(ARTIFACTS / f"{name}.png")))
    return report


class AxeAudit:
    """Runs axe-core on a page and fails on serious or critical violations."""

    def __init__(self):
        from axe_playwright_python.sync_playwright import Axe

        self.axe = Axe()
        self.audited: list[str] = []

    def __call__(self, page) -> None:
        # A click that navigates returns before the new document exists; audit
        # the page once it has loaded, not the one being torn down.
        page.wait_for_load_state("load")
        results = self.axe.run(page)
        problems = [
            f"{v['id']} ({v['impact']}): {v['help']} — "
            + "; ".join(n["target"][0] for n in v["nodes"][:5])
            for v in results.response["violations"]
            if v.get("impact") in BLOCKING_IMPACTS
        ]
        self.audited.append(page.url)
        assert not problems, f"axe found on {page.url}:\n" + "\n".join(problems)


@pytest.fixture(scope="session")
def axe_audit():
    return AxeAudit()


@pytest.fixture
def sign_in(axe_audit):
    """sign_in(page, user) through the real form; with ``audit`` the sign-in page is audited."""

    def go(page, user, password="correct-horse-9", audit=True):
        page.goto("/login/")
        if audit:
            axe_audit(page)
        page.get_by_label("Username").fill(user.username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(lambda url: "/login/" not in url)

    return go


@pytest.fixture
def portfolio(make_user, make_org):
    """Two services with an owner and customers."""
    from steward.people.choices import Role
    from steward.services import operations as service_ops

    owner = make_user("olivia", roles=[Role.AGENT, Role.SERVICE_OWNER], last_name="Owner")
    retail, corporate = make_org("Retail Banking"), make_org("Corporate Banking")
    banking = service_ops.create_service(
        None,
        name="Online Banking",
        owner=owner,
        status="live",
        criticality=1,
        description="Internet and mobile banking for retail customers.",
        customers=[retail, corporate],
    )
    service_ops.update_service(None, banking, version=banking.version, criticality=2)
    treasury = service_ops.create_service(
        None,
        name="Treasury Desk",
        owner=owner,
        status="pipeline",
        criticality=3,
        customers=[corporate],
    )
    return {"owner": owner, "banking": banking, "treasury": treasury}
