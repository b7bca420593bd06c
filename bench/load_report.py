"""The load benchmark's table, its targets, the machine it ran on, and the section of
docs/performance.md it replaces."""

import os
import platform
import re
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from load_client import ScenarioResult

# The targets for every page, at the large size on a 2-core machine.
TARGET_RATIO = 0.25
TARGET_SERVER_MEDIAN_MS = 25.0
TARGET_P99_MS = 250.0


@dataclass
class Verdict:
    """Which of the targets one page met."""

    ratio_ok: bool
    server_ok: bool | None  # None: no Server-Timing header to judge by
    p99_ok: bool
    errors_ok: bool

    @property
    def met(self) -> bool:
        """Every target met (a missing server time is not held against the page)."""
        return self.ratio_ok and self.server_ok is not False and self.p99_ok and self.errors_ok

    def describe(self) -> str:
        """Say "met", or name the targets missed."""
        if self.met:
            return "met" if self.server_ok is not None else "met (no server time)"
        missed = [
            name
            for name, ok in (
                ("ratio", self.ratio_ok),
                ("server", self.server_ok is not False),
                ("p99", self.p99_ok),
                ("errors", self.errors_ok),
            )
            if not ok
        ]
        return "missed: " + ", ".join(missed)


def judge(result: ScenarioResult, ceiling_rps: float) -> Verdict:
    """Hold one page's figures against the targets."""
    server = result.server_median_ms
    p99 = result.latency_percentile(99)
    return Verdict(
        ratio_ok=ceiling_rps > 0 and result.requests_per_second / ceiling_rps >= TARGET_RATIO,
        server_ok=None if server is None else server < TARGET_SERVER_MEDIAN_MS,
        p99_ok=p99 is not None and p99 < TARGET_P99_MS,
        errors_ok=result.errors == 0,
    )


def milliseconds(value: float | None) -> str:
    """A duration for the table: one decimal, or "-" when there is none."""
    return "-" if value is None else f"{value:.1f}"


def table(results: list[ScenarioResult], ceiling: ScenarioResult) -> str:
    """A Markdown table: one row per page, then the ceiling."""
    ceiling_rps = ceiling.requests_per_second
    header = (
        "| page | req/s | p50 ms | p95 ms | p99 ms | server p50 ms | errors | of ceiling "
        "| targets |\n"
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"
    )
    rows = []
    for result in [*results, ceiling]:
        is_ceiling = result is ceiling
        ratio = result.requests_per_second / ceiling_rps if ceiling_rps else 0.0
        cells = [
            result.label,
            f"{result.requests_per_second:.1f}",
            milliseconds(result.latency_percentile(50)),
            milliseconds(result.latency_percentile(95)),
            milliseconds(result.latency_percentile(99)),
            milliseconds(result.server_median_ms),
            str(result.errors),
            f"{ratio:.0%}",
            "-" if is_ceiling else judge(result, ceiling_rps).describe(),
        ]
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join([header, *rows])


def targets_line() -> str:
    """The targets in one sentence, printed under the table."""
    return (
        f"Targets per page: at least {TARGET_RATIO:.0%} of the ceiling's requests per second, "
        f"median server time under {TARGET_SERVER_MEDIAN_MS:.0f} ms, 99th percentile under "
        f"{TARGET_P99_MS:.0f} ms at the client, no errors."
    )


def machine() -> dict[str, str]:
    """CPU model, cores, memory, operating system and Python."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = "unknown"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    except OSError:
        pass
    return {
        "CPU": cpu,
        "cores": str(os.cpu_count()),
        "memory": memory,
        "system": f"{platform.system()} {platform.release()}",
        "Python": platform.python_version(),
        "SQLite": sqlite3.sqlite_version,
    }


def ceiling_line(ceiling: ScenarioResult, page_bytes: int) -> str:
    """What the ceiling is, and how busy the load generator was while measuring it."""
    return (
        f"The ceiling is bench/ceiling.py: one SQLite row rendered into a {page_bytes:,}-byte "
        "template (the median size of the pages above) under the same gunicorn settings. "
        f"The load generator (one asyncio process) used {ceiling.client_cpu_share:.0%} of a "
        "core while loading it."
    )


def section(
    results: list[ScenarioResult],
    ceiling: ScenarioResult,
    page_bytes: int,
    sizes: dict[str, int],
    options: str,
    machine_facts: dict[str, str],
    loss_summary: str,
) -> str:
    """What goes between the markers of docs/performance.md."""
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    size_text = ", ".join(f"{count:,} {name}" for name, count in sizes.items())
    facts = "; ".join(f"{name} {value}" for name, value in machine_facts.items())
    return "\n".join(
        [
            f"Measured {when} by `python bench/load.py {options}`.",
            "",
            f"Dataset: {size_text}.",
            "",
            f"Machine: {facts}.",
            "",
            table(results, ceiling),
            "",
            targets_line(),
            "",
            ceiling_line(ceiling, page_bytes),
            "",
            f"Loss check: {loss_summary}",
        ]
    )


def write_section(path: Path, section: str, text: str) -> None:
    """Replace what is between `<!-- load-table:<section> -->` and its closing marker
    (appending both markers at the end when the file has none)."""
    opening, closing = f"<!-- load-table:{section} -->", f"<!-- /load-table:{section} -->"
    block = f"{opening}\n{text}\n{closing}"
    current = path.read_text() if path.exists() else ""
    pattern = re.compile(re.escape(opening) + r".*?" + re.escape(closing), re.DOTALL)
    if pattern.search(current):
        updated = pattern.sub(lambda _: block, current, count=1)
    else:
        updated = current.rstrip("\n") + ("\n\n" if current.strip() else "") + block + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(updated)
