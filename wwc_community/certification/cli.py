"""`flask certification …`: load, export, activate and retire framework versions."""

import click

certification_cli = click.Group("certification", help="The certification framework.")
