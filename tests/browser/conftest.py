"""Browser fixtures: the real app served over HTTP, Debian's Chromium driven by Playwright,
and an axe-core check for every page a journey reaches.

The browser is started once per worker for the whole package (see `browser`), each test
gets a fresh browser context (cookies, storage) and its own server on a free port.
Without /usr/bin/chromium the tests skip, unless WWC_REQUIRE_BROWSER=1 (CI), where
they fail instead.
"""

import os
import threading
import time
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests.conftest import empty_all_tables, links_in, outbox
from wwc_community.extensions import db

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
# Long enough for a busy CI machine, short enough that a missing element fails quickly.
TIMEOUT_MS = 10_000


def _unavailable(reason: str):
    """Skip locally; fail where the browser tests must run (WWC_REQUIRE_BROWSER=1)."""
    if os.environ.get("WWC_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason} (WWC_REQUIRE_BROWSER=1: browser tests must run)", pytrace=False)
    pytest.skip(f"{reason}; install Debian's chromium package to run the browser tests")


@pytest.fixture(scope="package")
def browser():
    """One Chromium per worker, for the browser tests of this package only.

    Package scope, not session scope: while Playwright's sync API is running it leaves
    an asyncio loop marked as running on this thread, which would break any later
    test in the same worker that calls asyncio.run().
    """
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is missing")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Playwright for Python is not installed")
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    except Exception as error:
        playwright.stop()
        _unavailable(f"{CHROMIUM} did not start: {error}")
    yield browser
    browser.close()
    playwright.stop()


@pytest.fixture
def live_app(make_app):
    """An app on the worker's test database, from empty tables.

    The test keeps a context of its own for factories and assertions; the server's
    requests run in theirs. It is a GET request context, not a bare app context: on
    SQLite the app begins transactions outside GET requests IMMEDIATE, and a test that
    merely read an attribute would then hold the write lock the server's POSTs wait for.
    Commit before reading what the server changed, to start a fresh transaction.
    """
    app = make_app()
    with app.test_request_context("/"):
        empty_all_tables()
        yield app
        db.session.remove()


@pytest.fixture
def live_server(live_app):
    """The app served by werkzeug on 127.0.0.1 and a free port; yields its base URL."""
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()
    thread.join(timeout=10)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture
def page(browser, live_server, request):
    """A fresh browser context and page pointed at the live server.

    On failure a screenshot and the page's HTML are saved in test-artifacts/.
    """
    context = browser.new_context(base_url=live_server, locale="en-US")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    yield page
    failed = getattr(request.node, "report_call", None)
    if failed is not None and failed.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        stem = ARTIFACTS / request.node.name.replace("/", "_")
        try:
            page.screenshot(path=f"{stem}.png", full_page=True)
            Path(f"{stem}.html").write_text(page.content())
        except Exception:  # noqa: BLE001 - the test failure matters, not the artifact
            pass
    context.close()


class AccessibilityChecker:
    """Runs axe-core (WCAG 2.1 A and AA rules) on a page and fails on any violation."""

    def __init__(self):
        from axe_playwright_python.sync_playwright import Axe

        self.axe = Axe()
        self.checked: list[str] = []

    def __call__(self, page, label: str = "") -> None:
        page.wait_for_load_state("load")
        results = self.axe.run(
            page,
            options={
                "runOnly": {"type": "tag", "values": AXE_TAGS},
                "resultTypes": ["violations"],
            },
        )
        where = f"{label or page.title()} <{page.url}>"
        self.checked.append(where)
        violations = results.response["violations"]
        assert not violations, f"axe found problems on {where}:\n" + format_violations(violations)


def format_violations(violations: list[dict]) -> str:
    """One paragraph per rule: what is wrong, where, and how axe suggests fixing it."""
    lines = []
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation.get('impact')}): {violation['help']}\n"
            f"  {violation['helpUrl']}"
        )
        for node in violation["nodes"]:
            lines.append(f"    at {', '.join(map(str, node['target']))}: {node['html'][:200]}")
            summary = (node.get("failureSummary") or "").replace("\n", "\n      ")
            if summary:
                lines.append(f"      {summary}")
    return "\n".join(lines)


@pytest.fixture
def assert_accessible(browser):
    """Call with a page after each page load: zero axe violations or a readable failure."""
    return AccessibilityChecker()


def newest_mail_link(app, to: str, path_part: str, timeout: float = 5.0) -> str:
    """The first link containing `path_part` in the newest message to `to` in the outbox."""
    deadline = time.monotonic() + timeout
    while True:
        for message in reversed(outbox(app)):
            if message["To"] == to:
                links = [link for link in links_in(message) if path_part in link]
                if links:
                    return links[0]
        if time.monotonic() > deadline:
            subjects = [f"{m['To']}: {m['Subject']}" for m in outbox(app)]
            raise AssertionError(f"no mail to {to} with a {path_part} link; outbox: {subjects}")
        time.sleep(0.05)
