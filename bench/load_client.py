"""The load generator: an asyncio client on httpx that signs members in through the real
form, then runs one scenario at a time with a fixed number of concurrent clients for a
bounded time, and records each request's latency, status and server time."""

import asyncio
import http.cookiejar
import itertools
import re
import secrets
import string
import time
from collections import deque
from dataclasses import dataclass, field
from http.cookies import SimpleCookie

import httpx

USER_AGENT = "wwc-load-benchmark/1"
CSRF_INPUT = re.compile(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"')
SERVER_TIMING = re.compile(r"\bapp;dur=([0-9.]+)")
REQUEST_TIMEOUT = 30.0


class SignInFailed(RuntimeError):
    """A member could not sign in: the run cannot load members-only pages."""


def no_cookie_jar() -> http.cookiejar.CookieJar:
    """httpx's own jar would keep the Secure cookies and never send them over http: the
    benchmark keeps each member's cookies itself, as a browser on https would."""
    return http.cookiejar.CookieJar(http.cookiejar.DefaultCookiePolicy(allowed_domains=[]))


def new_http_client(base_url: str, connections: int, keep_alive: bool = True) -> httpx.AsyncClient:
    """A client with up to `connections` connections that follows no redirect (a POST is
    measured up to its redirect).

    Without `keep_alive` each request opens its own connection, as a reverse proxy in
    front of gunicorn does by default. With it, a few long-lived connections each stay
    with the gunicorn worker that accepted it, and one worker can end up serving most of
    the load while the other idles (seen in this benchmark: 88 % and 22 % of a core).
    """
    return httpx.AsyncClient(
        base_url=base_url,
        cookies=no_cookie_jar(),
        follow_redirects=False,
        timeout=REQUEST_TIMEOUT,
        limits=httpx.Limits(
            max_connections=connections,
            max_keepalive_connections=connections if keep_alive else 0,
        ),
        headers={"User-Agent": USER_AGENT},
    )


@dataclass
class MemberSession:
    """One signed-in member: the cookies the site set (Secure ones included) and a CSRF
    token from each form page the scenarios post to."""

    email: str
    cookies: dict[str, str] = field(default_factory=dict)
    csrf_tokens: dict[str, str] = field(default_factory=dict)

    def keep_cookies(self, response: httpx.Response) -> None:
        """Store what the response's Set-Cookie headers set, and forget what they delete."""
        for header in response.headers.get_list("set-cookie"):
            parsed = SimpleCookie()
            parsed.load(header)
            for name, morsel in parsed.items():
                if not morsel.value or morsel["max-age"] == "0":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value

    @property
    def cookie_header(self) -> dict[str, str]:
        """The Cookie header a browser would send with the member's next request."""
        return {"Cookie": "; ".join(f"{name}={value}" for name, value in self.cookies.items())}


def csrf_token_in(html: str, page: str) -> str:
    """The first CSRF token of a page's forms."""
    found = CSRF_INPUT.search(html)
    if found is None:
        raise SignInFailed(f"No CSRF token on {page}.")
    return found.group(1)


async def sign_in(
    http: httpx.AsyncClient, email: str, password: str, form_pages: dict[str, str]
) -> MemberSession:
    """Sign in through the form as a browser does, then open each form page once for its
    CSRF token. The session cookie is kept as it is from then on: the POSTs' flash
    messages are not carried into the next request (a browser would show them once)."""
    member = MemberSession(email)
    page = await http.get("/auth/login")
    member.keep_cookies(page)
    response = await http.post(
        "/auth/login",
        data={
            "email": email,
            "password": password,
            "csrf_token": csrf_token_in(page.text, "the sign-in page"),
        },
        headers=member.cookie_header,
    )
    if response.status_code not in (302, 303) or "/account/status" in response.headers.get(
        "location", ""
    ):
        hint = " (the sign-in limit)" if response.status_code == 429 else ""
        raise SignInFailed(f"{email} could not sign in: HTTP {response.status_code}{hint}.")
    member.keep_cookies(response)
    for form, address in form_pages.items():
        page = await http.get(address, headers=member.cookie_header)
        if page.status_code != 200:
            raise SignInFailed(f"{email} got HTTP {page.status_code} from {address}.")
        member.keep_cookies(page)
        member.csrf_tokens[form] = csrf_token_in(page.text, address)
    return member


async def sign_in_all(
    base_url: str, emails: list[str], password: str, form_pages: dict[str, str], parallel: int
) -> list[MemberSession]:
    """Sign in every member, `parallel` at a time (each sign-in hashes at full cost)."""
    gate = asyncio.Semaphore(parallel)
    async with new_http_client(base_url, parallel) as http:

        async def one(email: str) -> MemberSession:
            async with gate:
                return await sign_in(http, email, password, form_pages)

        return list(await asyncio.gather(*(one(email) for email in emails)))


# Scenarios -------------------------------------------------------------------------------


@dataclass
class Request:
    """One request a scenario sends, as `member`."""

    method: str
    url: str
    member: MemberSession
    data: dict | None = None
    tag: object = None  # what an accepted POST created, for the loss check


class Scenario:
    """One page or action: the requests it sends, one per call of next_request."""

    method = "GET"
    expected_status = 200
    supply: int | None = None  # requests it can send in all; None: no limit

    def __init__(self, name: str, label: str, url: str, sessions: list[MemberSession]):
        self.name = name
        self.label = label
        self.url = url
        self.sessions = sessions
        self.accepted: list = []

    def next_request(self, client: int) -> Request | None:
        """The next request of client number `client`; None when nothing is left to send."""
        return Request(self.method, self.url, self.sessions[client % len(self.sessions)])

    def record_accepted(self, request: Request) -> None:
        """Remember what an accepted POST created (a redirect or 2xx answered it)."""
        if request.tag is not None:
            self.accepted.append(request.tag)


class RegisterScenario(Scenario):
    """Register a member for an event: every request a member/event pair never sent
    before, so that each is a real registration (a seat or a place on the waitlist)."""

    method = "POST"
    expected_status = 303

    def __init__(self, sessions: list[MemberSession], open_events: dict[str, list]):
        super().__init__("register", "Register for an event (POST)", "", sessions)
        by_member = []
        for number, member in enumerate(sessions):
            events = list(open_events.get(member.email, []))
            # Members start at different events, so that concurrent requests spread over
            # events instead of queueing on one event's row.
            shift = (number * len(events)) // max(len(sessions), 1)
            by_member.append([(member, event) for event in events[shift:] + events[:shift]])
        self.pairs = deque(
            pair
            for round_ in itertools.zip_longest(*by_member)
            for pair in round_
            if pair is not None
        )
        self.supply = len(self.pairs)

    def next_request(self, client: int) -> Request | None:
        if not self.pairs:
            return None
        member, (event_id, slug) = self.pairs.popleft()
        return Request(
            "POST",
            f"/events/{slug}/register",
            member,
            data={"csrf_token": member.csrf_tokens["register"]},
            tag=(member.email, event_id),
        )


def _letters(number: int) -> str:
    """A number written with letters only (a, b, ..., z, ba, bb, ...): one search token."""
    digits = string.ascii_lowercase
    text = digits[number % 26]
    while number >= 26:
        number //= 26
        text = digits[number % 26] + text
    return text


class AnswerScenario(Scenario):
    """Post an answer: each carries a marker word of its own, found again afterwards in
    the database and the search index. Answers go round a set of open threads."""

    method = "POST"
    expected_status = 303

    def __init__(self, sessions: list[MemberSession], threads: list[tuple[int, str]]):
        super().__init__("answer", "Post an answer (POST)", "", sessions)
        self.threads = threads
        # Letters only: the search analyzer keeps such a word as one token.
        self.marker_prefix = "loadmark" + "".join(
            secrets.choice(string.ascii_lowercase) for _ in range(6)
        )
        self.sent = 0

    def next_request(self, client: int) -> Request | None:
        if not self.threads:
            return None
        thread_id, _ = self.threads[self.sent % len(self.threads)]
        marker = f"{self.marker_prefix}{_letters(self.sent)}q"
        self.sent += 1
        member = self.sessions[client % len(self.sessions)]
        body = (
            "We ran into the same question last year. What helped most was agreeing on one "
            "outcome measure with the department before the pilot started, then reviewing "
            f"it with them every month. Our notes are filed under {marker}."
        )
        return Request(
            "POST",
            f"/discussions/{thread_id}/answers",
            member,
            data={"csrf_token": member.csrf_tokens["answer"], "body": body},
            tag=(marker, thread_id),
        )


# Running one scenario --------------------------------------------------------------------


@dataclass
class Sample:
    """One request's outcome as the client saw it."""

    started: float  # seconds since the scenario started
    latency_ms: float
    status: int  # 0: no response (connection error, timeout)
    server_ms: float | None
    size: int
    warmup: bool
    error: str = ""


@dataclass
class ScenarioResult:
    """Every request of one scenario, and the figures the table shows."""

    name: str
    label: str
    expected_status: int
    samples: list[Sample]
    measured_seconds: float
    ran_out: bool = False  # every request it could send was sent before the time was up
    # The load generator's own CPU time over the scenario's wall time: near 1.0, the
    # client (one Python process) and not the server set the pace.
    client_cpu_share: float = 0.0

    @property
    def measured(self) -> list[Sample]:
        """The requests sent after the warm-up."""
        return [sample for sample in self.samples if not sample.warmup]

    @property
    def requests_per_second(self) -> float:
        """Measured requests over the measured time (to the last one's answer)."""
        if self.measured_seconds <= 0:
            return 0.0
        return len(self.measured) / self.measured_seconds

    def latency_percentile(self, percent: float) -> float | None:
        """The client's latency at `percent`, in milliseconds."""
        return percentile([sample.latency_ms for sample in self.measured], percent)

    @property
    def server_median_ms(self) -> float | None:
        """The median of the Server-Timing durations; None when the server sends none."""
        return percentile([s.server_ms for s in self.measured if s.server_ms is not None], 50)

    @property
    def errors(self) -> int:
        """Responses other than the one expected, and requests without a response."""
        return sum(1 for sample in self.samples if sample.status != self.expected_status)

    @property
    def failures(self) -> int:
        """Server errors and requests without a response (the loss check's "failed")."""
        return sum(1 for sample in self.samples if sample.status == 0 or sample.status >= 500)

    @property
    def median_size(self) -> int:
        """The median size of the successful responses' bodies, in bytes."""
        sizes = sorted(sample.size for sample in self.measured if sample.status == 200)
        return sizes[len(sizes) // 2] if sizes else 0

    def error_summary(self) -> str:
        """What went wrong and how often: "3 × HTTP 500, 1 × ReadTimeout"."""
        kinds: dict[str, int] = {}
        for sample in self.samples:
            if sample.status != self.expected_status:
                key = sample.error or f"HTTP {sample.status}"
                kinds[key] = kinds.get(key, 0) + 1
        return ", ".join(f"{count} × {kind}" for kind, count in sorted(kinds.items()))


def percentile(values: list[float], percent: float) -> float | None:
    """Nearest-rank percentile; None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * percent // 100))  # ceiling, at least the first
    return ordered[int(rank) - 1]


class Window:
    """When a scenario's warm-up ends and its measured time stops. A scenario with a
    limited supply of requests (member/event pairs) spends at most a tenth of it on the
    warm-up: then the measured time starts at once."""

    def __init__(self, warmup: float, duration: float, supply: int | None):
        self.began = time.perf_counter()
        self.duration = duration
        self.measure_from = self.began + warmup
        self.stop_at = self.measure_from + duration
        self.warmup_left = None if supply is None else max(1, supply // 10)

    def is_warmup(self, started: float) -> bool:
        """Whether a request started now belongs to the warm-up (counting it if so)."""
        if started >= self.measure_from:
            return False
        if self.warmup_left is not None:
            if self.warmup_left == 0:
                self.measure_from, self.stop_at = started, started + self.duration
                return False
            self.warmup_left -= 1
        return True


async def run_scenario(
    base_url: str,
    scenario: Scenario,
    clients: int,
    warmup: float,
    duration: float,
    keep_alive: bool = False,
) -> ScenarioResult:
    """`clients` concurrent clients, each sending its next request as soon as the last
    one is answered, for `warmup` seconds (not measured) then `duration` seconds; a new
    connection for each request unless `keep_alive` (see new_http_client)."""
    samples: list[Sample] = []
    ran_out = False
    cpu_before = time.process_time()
    async with new_http_client(base_url, clients, keep_alive) as http:
        window = Window(warmup, duration, scenario.supply)
        last_done = 0.0  # when the last measured request was answered

        async def client(number: int) -> None:
            nonlocal ran_out, last_done
            while time.perf_counter() < window.stop_at:
                request = scenario.next_request(number)
                if request is None:
                    ran_out = True
                    return
                started = time.perf_counter()
                warmup = window.is_warmup(started)
                status, server_ms, size, error = 0, None, 0, ""
                try:
                    response = await http.request(
                        request.method,
                        request.url,
                        data=request.data,
                        headers=request.member.cookie_header,
                    )
                    status, size = response.status_code, len(response.content)
                    timing = SERVER_TIMING.search(response.headers.get("server-timing", ""))
                    server_ms = float(timing.group(1)) if timing else None
                except httpx.HTTPError as failure:
                    error = type(failure).__name__
                done = time.perf_counter()
                if 200 <= status < 400 and request.method == "POST":
                    scenario.record_accepted(request)
                samples.append(
                    Sample(
                        started=started - window.began,
                        latency_ms=(done - started) * 1000,
                        status=status,
                        server_ms=server_ms,
                        size=size,
                        warmup=warmup,
                        error=error,
                    )
                )
                if not warmup:
                    last_done = max(last_done, done)

        await asyncio.gather(*(client(number) for number in range(clients)))
        wall = time.perf_counter() - window.began
    return ScenarioResult(
        name=scenario.name,
        label=scenario.label,
        expected_status=scenario.expected_status,
        samples=samples,
        measured_seconds=max(0.0, last_done - window.measure_from),
        ran_out=ran_out,
        client_cpu_share=(time.process_time() - cpu_before) / wall if wall > 0 else 0.0,
    )
