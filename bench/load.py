"""Load the site under gunicorn and compare each page with the ceiling of the stack.

    .venv/bin/python bench/load.py                          # SQLite, the large dataset
    .venv/bin/python bench/load.py --scale small --duration 5
    .venv/bin/python bench/load.py --postgres --workers 4   # a throwaway PostgreSQL server
    .venv/bin/python bench/load.py --write docs/performance.md

One run: prepare the dataset (built once into bench/.data/ and reused), start the site
under gunicorn with the project's gunicorn.conf.py and a `flask search worker` beside it,
sign members in through the real form, load each page in turn with concurrent asyncio
clients on loopback, then load the ceiling (bench/ceiling.py: one row, one template of
the pages' median size) under the same gunicorn settings, print the table, and check
that nothing the server accepted was lost. The exit code is 1 when the loss check fails.
"""

import argparse
import asyncio
import json
import secrets
import shutil
import sys
import time
from pathlib import Path

# Runnable as a plain script from anywhere: the project's package and bench's modules.
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import ceiling  # noqa: E402
import load_client  # noqa: E402
import load_dataset  # noqa: E402
import load_report  # noqa: E402
import load_servers  # noqa: E402
import load_targets  # noqa: E402

SCENARIOS = (
    "home",
    "discussions",
    "thread",
    "library",
    "practice",
    "search",
    "event",
    "register",
    "answer",
)
# The sign-in form allows 20 attempts per 10 minutes from one address.
MAX_MEMBERS = 18


def parse_arguments(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    data = parser.add_argument_group("dataset")
    data.add_argument(
        "--scale",
        choices=("large", "small"),
        default="large",
        help="size of the generated data (`flask seed-demo --scale`; default %(default)s)",
    )
    where = data.add_mutually_exclusive_group()
    where.add_argument(
        "--database-url",
        metavar="URL",
        help="use this PostgreSQL database (built when empty) instead of SQLite",
    )
    where.add_argument(
        "--postgres",
        action="store_true",
        help="start a throwaway PostgreSQL server (initdb, pg_ctl) and build the data in it",
    )
    data.add_argument(
        "--fresh",
        action="store_true",
        help="rebuild the SQLite dataset even if it exists (a --database-url database must "
        "be emptied by hand)",
    )
    data.add_argument(
        "--data-dir",
        type=Path,
        default=load_dataset.DEFAULT_DATA_ROOT,
        help="where datasets are kept between runs, one folder each (default: bench/.data)",
    )
    data.add_argument(
        "--quick-build",
        action="store_true",
        help="build the dataset with the test configuration's cheap password hashes (the "
        "smoke test); the site still runs in production configuration and rehashes at "
        "sign-in",
    )
    server = parser.add_argument_group("server")
    server.add_argument(
        "--workers", type=int, default=2, help="gunicorn worker processes (default %(default)s)"
    )
    server.add_argument(
        "--threads", type=int, default=2, help="threads per gunicorn worker (default %(default)s)"
    )
    load = parser.add_argument_group("load")
    load.add_argument(
        "--clients", type=int, default=8, help="concurrent clients (default %(default)s)"
    )
    load.add_argument(
        "--keep-alive",
        action="store_true",
        help="reuse each client's connection (default: one connection per request, as a "
        "reverse proxy in front of gunicorn sends them)",
    )
    load.add_argument(
        "--members",
        type=int,
        default=12,
        help=f"members who sign in (at most {MAX_MEMBERS}: the sign-in limit per address); "
        "clients share them, and their pairs with open events feed the registrations "
        "(default %(default)s)",
    )
    load.add_argument(
        "--duration",
        type=float,
        default=15.0,
        help="measured seconds per scenario (default %(default)g)",
    )
    load.add_argument(
        "--warmup",
        type=float,
        default=2.0,
        help="seconds per scenario before measuring (default %(default)g)",
    )
    load.add_argument(
        "--scenarios",
        default=",".join(SCENARIOS),
        help="the scenarios to run, comma-separated (default: all, in this order: %(default)s)",
    )
    load.add_argument(
        "--index-timeout",
        type=float,
        default=120.0,
        help="seconds to wait for the search worker to catch up before the loss check "
        "(default %(default)g)",
    )
    output = parser.add_argument_group("output")
    output.add_argument(
        "--write",
        type=Path,
        metavar="FILE",
        help="replace the table between the <!-- load-table:DATABASE-WORKERSxTHREADS --> markers "
        "of FILE (e.g. docs/performance.md), appending them if missing",
    )
    output.add_argument("--json", type=Path, metavar="FILE", help="also write the figures as JSON")
    output.add_argument(
        "--keep-logs", action="store_true", help="keep the run's folder of logs even on success"
    )
    arguments = parser.parse_args(argv)
    wanted = [name.strip() for name in arguments.scenarios.split(",") if name.strip()]
    unknown = sorted(set(wanted) - set(SCENARIOS))
    if unknown:
        parser.error(f"unknown scenarios: {', '.join(unknown)} (choose among {SCENARIOS})")
    arguments.scenarios = [name for name in SCENARIOS if name in wanted]
    if not 1 <= arguments.members <= MAX_MEMBERS:
        parser.error(f"--members must be between 1 and {MAX_MEMBERS}")
    for name in ("workers", "threads", "clients"):
        if getattr(arguments, name) < 1:
            parser.error(f"--{name} must be 1 or more")
    if arguments.duration <= 0 or arguments.warmup < 0:
        parser.error("--duration must be positive and --warmup not negative")
    return arguments


def options_text(arguments: argparse.Namespace) -> str:
    """The options of this run, as they would be typed (the database URL left out)."""
    parts = [f"--scale {arguments.scale}"]
    if arguments.postgres:
        parts.append("--postgres")
    if arguments.database_url:
        parts.append("--database-url URL")
    parts += [
        f"--workers {arguments.workers}",
        f"--threads {arguments.threads}",
        f"--clients {arguments.clients}",
        f"--duration {arguments.duration:g}",
        f"--warmup {arguments.warmup:g}",
    ]
    if arguments.keep_alive:
        parts.append("--keep-alive")
    if arguments.scenarios != list(SCENARIOS):
        parts.append(f"--scenarios {','.join(arguments.scenarios)}")
    return " ".join(parts)


def echo(text: str = "") -> None:
    print(text, flush=True)


class Run:
    """One benchmark run: its folder of logs, the processes it started, and its results."""

    def __init__(self, arguments: argparse.Namespace):
        self.arguments = arguments
        self.work_dir = load_servers.make_work_dir()
        self.secret_key = secrets.token_urlsafe(32)
        self.processes: list[load_servers.Process] = []
        self.postgres: load_servers.PostgresServer | None = None

    # Dataset --------------------------------------------------------------------------

    def prepare_dataset(self) -> load_dataset.Dataset:
        arguments = self.arguments
        build_config = "testing" if arguments.quick_build else "production"
        log_path = self.work_dir / "build.log"
        if arguments.postgres:
            self.postgres = load_servers.PostgresServer()
            url = self.postgres.start()
            echo(f"Started a throwaway PostgreSQL server on 127.0.0.1:{self.postgres.port}.")
            return load_dataset.prepare_postgresql(
                url, self.work_dir, arguments.scale, self.secret_key, build_config, log_path, echo
            )
        if arguments.database_url:
            if arguments.fresh:
                raise SystemExit(
                    "--fresh does not empty a --database-url database: drop and create it "
                    "yourself, and the benchmark builds it."
                )
            return load_dataset.prepare_postgresql(
                arguments.database_url,
                arguments.data_dir,
                arguments.scale,
                self.secret_key,
                build_config,
                log_path,
                echo,
            )
        return load_dataset.prepare_sqlite(
            arguments.data_dir,
            arguments.scale,
            arguments.fresh,
            self.secret_key,
            build_config,
            log_path,
            echo,
        )

    # Processes ------------------------------------------------------------------------

    def start(self, name: str, command: list[str], env: dict) -> load_servers.Process:
        process = load_servers.Process(name, command, env, self.work_dir / f"{name}.log")
        self.processes.append(process)
        return process

    def stop(self, process: load_servers.Process) -> None:
        process.stop()
        self.processes.remove(process)

    def serve(self, name: str, app_spec: str, env: dict) -> tuple[load_servers.Process, str]:
        """Start gunicorn with the run's workers and threads; wait for /healthz."""
        port = load_servers.free_port()
        env = {
            **env,
            "WEB_CONCURRENCY": str(self.arguments.workers),
            "GUNICORN_THREADS": str(self.arguments.threads),
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            # The benchmark runs the search worker itself (and the ceiling needs none).
            "WWC_SEARCH_WORKER": "0",
        }
        command = load_servers.gunicorn_command(
            app_spec, port, self.arguments.workers, self.arguments.threads
        )
        process = self.start(name, command, env)
        base_url = f"http://127.0.0.1:{port}"
        load_servers.wait_until_healthy(base_url, process)
        return process, base_url

    def close(self, succeeded: bool) -> None:
        for process in reversed(list(self.processes)):
            process.stop()
        self.processes.clear()
        if self.postgres is not None:
            self.postgres.stop(keep_files=not succeeded)
            if not succeeded:
                echo(f"PostgreSQL's folder (its log: server.log): {self.postgres.work_dir}")
        if succeeded and not self.arguments.keep_logs:
            shutil.rmtree(self.work_dir, ignore_errors=True)
        else:
            echo(f"Logs of this run: {self.work_dir}")

    # The run --------------------------------------------------------------------------

    def execute(self) -> dict:
        """The whole run: dataset, site, scenarios, loss check, ceiling, report."""
        dataset = self.prepare_dataset()
        app = load_targets.open_app(dataset.sqlalchemy_url, dataset.instance_path, self.secret_key)
        sizes = load_targets.dataset_sizes(app)
        echo("Dataset: " + ", ".join(f"{count:,} {name}" for name, count in sizes.items()) + ".")
        targets = load_targets.find_targets(app, self.arguments.members)
        for note in dataset.notes + targets.notes:
            echo(f"Note: {note}")
        results, scenarios, check = self.measure_site(app, dataset, targets)
        page_bytes = self.median_page_bytes(results)
        ceiling_result = self.measure_ceiling(page_bytes)
        echo(self.progress_line(ceiling_result, None))
        machine = load_report.machine()
        if dataset.backend == "postgresql":
            machine["PostgreSQL"] = self.postgresql_version(app)
            del machine["SQLite"]
        self.report(dataset, sizes, results, ceiling_result, check, machine, page_bytes)
        return self.figures(dataset, sizes, results, ceiling_result, check, machine, page_bytes)

    def measure_site(self, app, dataset, targets):
        """Serve the site with a search worker beside it, sign in, run each scenario, stop
        the site, then check what it accepted once the worker has caught up."""
        arguments = self.arguments
        # Confirmation mail is written to the instance folder's outbox/ without a mail
        # server: start each run with an empty one.
        shutil.rmtree(dataset.instance_path / "outbox", ignore_errors=True)
        env = load_dataset.child_env(dataset, self.secret_key, "production")
        worker = self.start(
            "search-worker", [sys.executable, "-m", "flask", "search", "worker"], env
        )
        site, base_url = self.serve("gunicorn-site", "wwc_community:create_app()", env)
        # Changes left by an earlier run are applied before the load, not during it.
        caught_up, waited, pending = load_targets.wait_for_index(app, arguments.index_timeout)
        if not caught_up:
            echo(f"Note: the search worker still had {pending} changes after {waited:.0f} s.")
        echo(
            f"Site: {base_url} ({arguments.workers} workers x {arguments.threads} threads), "
            f"search worker running; signing in {len(targets.members)} members."
        )
        sessions = asyncio.run(
            load_client.sign_in_all(
                base_url,
                targets.members,
                load_targets.MEMBER_PASSWORD,
                {"answer": targets.thread, "register": targets.event},
                parallel=arguments.workers * arguments.threads,
            )
        )
        scenarios = self.scenarios(targets, sessions)
        results = []
        for scenario in scenarios.values():
            result = asyncio.run(
                load_client.run_scenario(
                    base_url,
                    scenario,
                    arguments.clients,
                    arguments.warmup,
                    arguments.duration,
                    arguments.keep_alive,
                )
            )
            results.append(result)
            echo(self.progress_line(result, scenario))
        self.stop(site)
        check = self.check_losses(app, results, scenarios)
        self.stop(worker)
        return results, scenarios, check

    def check_losses(self, app, results, scenarios) -> load_targets.LossCheck:
        """No failed request; every accepted POST in the database once, and every accepted
        answer in the search index once the worker has applied the outbox."""
        check = load_targets.LossCheck(failed_requests=sum(result.failures for result in results))
        if check.failed_requests:
            check.problems.append(f"{check.failed_requests} requests failed (5xx or no response)")
        timeout = self.arguments.index_timeout
        caught_up, check.index_wait_seconds, pending = load_targets.wait_for_index(app, timeout)
        if not caught_up:
            check.problems.append(
                f"the search worker had {pending} changes left after {timeout:g} s"
            )
        if "answer" in scenarios:
            answers = scenarios["answer"]
            load_targets.check_answers(app, dict(answers.accepted), answers.marker_prefix, check)
        if "register" in scenarios:
            load_targets.check_registrations(app, scenarios["register"].accepted, check)
        return check

    def report(self, dataset, sizes, results, ceiling_result, check, machine, page_bytes):
        """Print the table and the loss check; write the docs' section when asked."""
        loss_summary = self.loss_summary(check)
        echo()
        echo(load_report.table(results, ceiling_result))
        echo()
        echo(load_report.targets_line())
        echo(load_report.ceiling_line(ceiling_result, page_bytes))
        echo("Machine: " + "; ".join(f"{k} {v}" for k, v in machine.items()) + ".")
        echo()
        echo(f"Loss check: {loss_summary}")
        if self.arguments.write:
            text = load_report.section(
                results,
                ceiling_result,
                page_bytes,
                sizes,
                options_text(self.arguments),
                machine,
                loss_summary,
            )
            # One table per database and server shape: 2x2 compares with SQLite, 4x2 is
            # the loss check's configuration.
            section = f"{dataset.backend}-{self.arguments.workers}x{self.arguments.threads}"
            load_report.write_section(self.arguments.write, section, text)
            echo(f"Wrote the {section} table into {self.arguments.write}.")

    def scenarios(self, targets, sessions) -> dict[str, load_client.Scenario]:
        pages = {
            "home": ("Home", targets.home),
            "discussions": ("Discussions, filtered", targets.discussions),
            "thread": (f"Thread page ({targets.thread_answers} answers)", targets.thread),
            "library": ("Library, filtered", targets.library),
            "practice": ("Practice page", targets.practice),
            "search": ("Search, two words and a facet", targets.search),
            "event": ("Event page", targets.event),
        }
        scenarios: dict[str, load_client.Scenario] = {
            name: load_client.Scenario(name, label, url, sessions)
            for name, (label, url) in pages.items()
        }
        scenarios["register"] = load_client.RegisterScenario(sessions, targets.open_events)
        scenarios["answer"] = load_client.AnswerScenario(sessions, targets.answer_threads)
        return {name: scenarios[name] for name in self.arguments.scenarios}

    @staticmethod
    def progress_line(result: load_client.ScenarioResult, scenario) -> str:
        where = f" {scenario.url}" if scenario is not None and scenario.url else ""
        line = (
            f"  {result.label}{where}: {result.requests_per_second:.1f} req/s, "
            f"p50 {load_report.milliseconds(result.latency_percentile(50))} ms, "
            f"{result.errors} errors, client CPU {result.client_cpu_share:.0%}"
        )
        if result.errors:
            line += f" ({result.error_summary()})"
        if result.ran_out:
            line += f"; ran out of requests to send after {len(result.samples)}"
            if isinstance(scenario, load_client.RegisterScenario):
                line += f" (all {scenario.supply} member/event pairs used)"
        return line

    @staticmethod
    def median_page_bytes(results: list[load_client.ScenarioResult]) -> int:
        sizes = sorted(
            result.median_size
            for result in results
            if result.expected_status == 200 and result.median_size
        )
        return sizes[len(sizes) // 2] if sizes else 30_000

    def measure_ceiling(self, page_bytes: int) -> load_client.ScenarioResult:
        """The bare Flask app under the same gunicorn settings, loaded the same way."""
        database = self.work_dir / "ceiling.db"
        ceiling.create_database(database)
        env = load_dataset.clean_env()
        env.update(
            CEILING_DATABASE=str(database),
            CEILING_PAGE_BYTES=str(page_bytes),
            PYTHONPATH=str(Path(__file__).resolve().parent),
        )
        process, base_url = self.serve("gunicorn-ceiling", "ceiling:create_app()", env)
        visitor = load_client.MemberSession("visitor")
        scenario = load_client.Scenario("ceiling", "Ceiling (bare Flask)", "/", [visitor])
        try:
            return asyncio.run(
                load_client.run_scenario(
                    base_url,
                    scenario,
                    self.arguments.clients,
                    self.arguments.warmup,
                    self.arguments.duration,
                    self.arguments.keep_alive,
                )
            )
        finally:
            self.stop(process)

    @staticmethod
    def postgresql_version(app) -> str:
        from sqlalchemy import text

        from wwc_community.extensions import db

        with app.app_context():
            version = db.session.execute(text("SHOW server_version")).scalar_one()
            db.session.rollback()
        return str(version).split()[0]

    @staticmethod
    def loss_summary(check: load_targets.LossCheck) -> str:
        if check.passed:
            return (
                f"passed. {check.answers_accepted:,} answers and "
                f"{check.registrations_accepted:,} registrations accepted, each exactly once "
                "in the database, no event over capacity, every answer found by search "
                f"(the index had caught up {check.index_wait_seconds:.1f} s after the site "
                "stopped), no failed requests."
            )
        return (
            f"FAILED ({check.answers_accepted:,} answers and {check.registrations_accepted:,} "
            "registrations accepted): " + "; ".join(check.problems) + "."
        )

    def figures(self, dataset, sizes, results, ceiling_result, check, machine, page_bytes) -> dict:
        ceiling_rps = ceiling_result.requests_per_second

        def row(result, is_ceiling=False) -> dict:
            return {
                "name": result.name,
                "label": result.label,
                "requests": len(result.measured),
                "requests_per_second": round(result.requests_per_second, 2),
                "p50_ms": result.latency_percentile(50),
                "p95_ms": result.latency_percentile(95),
                "p99_ms": result.latency_percentile(99),
                "server_p50_ms": result.server_median_ms,
                "errors": result.errors,
                "error_summary": result.error_summary(),
                "failures": result.failures,
                "ratio": round(result.requests_per_second / ceiling_rps, 4) if ceiling_rps else 0,
                "targets_met": None if is_ceiling else load_report.judge(result, ceiling_rps).met,
                "median_bytes": result.median_size,
                "ran_out": result.ran_out,
                "client_cpu_share": round(result.client_cpu_share, 3),
            }

        return {
            "backend": dataset.backend,
            "scale": dataset.scale,
            "options": options_text(self.arguments),
            "dataset": sizes,
            "machine": machine,
            "ceiling_page_bytes": page_bytes,
            "pages": [row(result) for result in results],
            "ceiling": row(ceiling_result, is_ceiling=True),
            "loss_check": {
                "passed": check.passed,
                "problems": check.problems,
                "answers_accepted": check.answers_accepted,
                "registrations_accepted": check.registrations_accepted,
                "failed_requests": check.failed_requests,
                "index_wait_seconds": round(check.index_wait_seconds, 2),
            },
        }


def main(argv: list[str] | None = None) -> int:
    arguments = parse_arguments(argv)
    started = time.perf_counter()
    run = Run(arguments)
    succeeded = False
    try:
        figures = run.execute()
        succeeded = figures["loss_check"]["passed"]
        if arguments.json:
            arguments.json.write_text(json.dumps(figures, indent=2) + "\n")
    except load_client.SignInFailed as error:
        echo(f"Signing in failed: {error}")
        return 2
    finally:
        run.close(succeeded)
    echo(f"Finished in {time.perf_counter() - started:.0f} s.")
    return 0 if succeeded else 1


if __name__ == "__main__":
    sys.exit(main())
