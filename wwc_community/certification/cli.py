"""`flask certification …`: load, export, list, activate and retire framework versions.

The person at the server's shell acts as frameworks.OPERATOR (trusted like an admin).
Each command is one unit of work: it commits once at its end, or rolls everything back
and exits with status 1 saying why."""

from pathlib import Path

import click

from wwc_community.certification import frameworks
from wwc_community.certification.frameworks import OPERATOR, FrameworkFileInvalid
from wwc_community.core.errors import DomainError
from wwc_community.extensions import db

certification_cli = click.Group("certification", help="The certification framework.")


def _plural(count: int, noun: str, plural: str | None = None) -> str:
    return f"{count} {noun if count == 1 else (plural or noun + 's')}"


def _fail(message: str) -> None:
    db.session.rollback()
    raise click.ClickException(message)


def read_file_text(path: Path) -> str:
    """The file's text: UTF-8 (a byte order mark is dropped), no larger than the upload
    form accepts."""
    data = path.read_bytes()
    if len(data) > frameworks.FILE_MAX_BYTES:
        raise FrameworkFileInvalid(
            [f"the file is larger than {frameworks.FILE_MAX_BYTES // (1024 * 1024)} MB"]
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FrameworkFileInvalid(["the file is not UTF-8 text"]) from None


@certification_cli.command("load")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--activate", is_flag=True, help="Make it the active version at once.")
def load_command(file: Path, activate: bool):
    """Load a framework version from a YAML or JSON FILE (all of it, or nothing)."""
    try:
        spec = frameworks.parse_framework(
            frameworks.read_framework_text(read_file_text(file), file.name)
        )
        framework = frameworks.load_framework(db.session, OPERATOR, spec)
        retired = (
            frameworks.activate_framework(db.session, OPERATOR, framework) if activate else None
        )
    except FrameworkFileInvalid as error:
        db.session.rollback()
        click.echo(f"{file.name} was not loaded; nothing was saved. Problems:", err=True)
        for problem in error.problems:
            click.echo(f"  - {problem}", err=True)
        raise SystemExit(1) from None
    except DomainError as error:
        _fail(error.message)
    version = framework.version
    db.session.commit()
    click.echo(
        f"Loaded {version}: {_plural(len(spec.areas), 'area')}, "
        f"{_plural(spec.criteria_count, 'criterion', 'criteria')} "
        f"({'active' if activate else 'draft'})."
    )
    if retired is not None:
        click.echo(f"Retired {retired.version}; its assessments are kept.")


@certification_cli.command("export")
@click.option("--version", "version", help="The version to write (the active one if not given).")
@click.option("--json", "as_json", is_flag=True, help="Write JSON instead of YAML.")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Write to this file instead of the standard output.",
)
def export_command(version: str | None, as_json: bool, output: Path | None):
    """Write a framework version in the file format `load` reads."""
    try:
        if version:
            framework = frameworks.framework_by_version(db.session, version)
        else:
            framework = frameworks.active_framework(db.session)
            if framework is None:
                _fail("No framework version is active: name one with --version.")
        text = frameworks.framework_text(db.session, framework, as_json=as_json)
    except DomainError as error:
        _fail(error.message)
    db.session.commit()
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        click.echo(f"Wrote {framework.version} to {output}.", err=True)


@certification_cli.command("list")
def list_command():
    """Every framework version, newest first: status, criteria and assessments."""
    rows = frameworks.frameworks(db.session)
    db.session.commit()
    if not rows:
        click.echo("No framework version is loaded. Load one with `flask certification load`.")
        return
    width = max(len("Version"), *(len(framework.version) for framework, _, _ in rows))
    click.echo(f"{'Version':<{width}}  {'Status':<8}  {'Criteria':>8}  {'Assessments':>11}")
    for framework, criteria, assessments in rows:
        sample = "  (sample)" if framework.is_sample else ""
        click.echo(
            f"{framework.version:<{width}}  {framework.status:<8}  {criteria:>8}  "
            f"{assessments:>11}{sample}"
        )


@certification_cli.command("activate")
@click.argument("version")
def activate_command(version: str):
    """Make VERSION the one cities assess against; the active one is retired."""
    try:
        framework = frameworks.framework_by_version(db.session, version)
        retired = frameworks.activate_framework(db.session, OPERATOR, framework)
    except DomainError as error:
        _fail(error.message)
    retired_version = retired.version if retired is not None else None
    db.session.commit()
    click.echo(f"Activated {version}.")
    if retired_version:
        click.echo(f"Retired {retired_version}; its assessments are kept.")


@certification_cli.command("retire")
@click.argument("version")
def retire_command(version: str):
    """Retire VERSION: its assessments stay, and nobody starts a new one against it."""
    try:
        framework = frameworks.framework_by_version(db.session, version)
        frameworks.retire_framework(db.session, OPERATOR, framework)
    except DomainError as error:
        _fail(error.message)
    db.session.commit()
    click.echo(f"Retired {version}; its assessments are kept.")
