"""`flask search sync|rebuild|status|worker`: the operators' side of the search index."""

import click
from flask import current_app
from flask.cli import AppGroup

from wwc_community.search.indexer import (
    apply_pending,
    count_to_rebuild,
    index_status,
    rebuild,
    run_worker,
)

search_cli = AppGroup("search", help="Keep the search index up to date.")


@search_cli.command("sync")
def sync_command():
    """Apply every pending change to the index (building it if there is none)."""
    app = current_app._get_current_object()
    applied = apply_pending(app)
    click.echo(f"Applied {applied} pending change{'s' if applied != 1 else ''}.")


@search_cli.command("rebuild")
@click.option(
    "--procs",
    type=int,
    default=None,
    help="Processes writing the index (default: SEARCH_REBUILD_PROCS, 2).",
)
def rebuild_command(procs: int | None):
    """Build a fresh index from the database and swap it in; the site keeps answering
    from the old one meanwhile. Changes made during the build are applied after it."""
    if procs is not None and procs < 1:
        raise click.BadParameter("give 1 or more", param_hint="--procs")
    app = current_app._get_current_object()
    total = count_to_rebuild(app)
    with click.progressbar(length=total, label="Indexing", show_pos=True) as bar:
        folder = rebuild(app, procs=procs, progress=bar.update)
    applied = apply_pending(app)
    click.echo(f"Indexed {total} documents into {folder}.")
    # Rows of the last few minutes are applied again on purpose (see REBUILD_OVERLAP).
    click.echo(f"Caught up with {applied} changes made during or just before the rebuild.")


@search_cli.command("status")
def status_command():
    """Documents per kind, pending changes, lag and the last applied outbox id."""
    status = index_status(current_app._get_current_object())
    if status["status"] == "absent":
        click.echo(f"No index yet at {status['path']} (run `flask search sync`).")
        click.echo(f"Pending changes: {status['pending']}")
        return
    click.echo(f"Index: {status['path']}")
    for kind, count in status["documents"].items():
        click.echo(f"  {kind + 's:':<11}{count:>8}")
    click.echo(f"Pending changes: {status['pending']}")
    click.echo(f"Lag: {status['lag_seconds']:.1f} s")
    click.echo(f"Last applied outbox id: {status['last_applied_id']}")


@search_cli.command("worker")
@click.option("--interval", default=0.2, show_default=True, help="Seconds between syncs.")
def worker_command(interval: float):
    """Apply pending changes every INTERVAL seconds until stopped (SIGTERM finishes the
    batch in progress). Run one beside gunicorn for each copy of the index."""
    click.echo(f"Search worker: syncing every {interval:g} s; stop with Ctrl+C or SIGTERM.")
    run_worker(current_app._get_current_object(), interval, echo=click.echo)
    click.echo("Search worker stopped.")
