"""The `smart-qn` command: Flask's commands (run, db, shell) plus ours."""

import threading
from datetime import UTC, datetime

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, with_appcontext
from flask_migrate import upgrade
from werkzeug.serving import make_server

from smart_qn.accounts import demo as demo_accounts
from smart_qn.accounts import management
from smart_qn.accounts.passwords import password_problems
from smart_qn.content import demo
from smart_qn.extensions import db, huey


def init_app(app: Flask) -> None:
    app.cli.add_command(seed_command)
    app.cli.add_command(demo_command)
    app.cli.add_command(create_user_command)
    app.cli.add_command(worker_command)


def _anchor(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value).replace(tzinfo=UTC) if value else None


def _seed(notices: int, seed: int, anchor: str | None) -> None:
    report = demo.seed(notices=notices, seed=seed, anchor=_anchor(anchor))
    click.echo(
        f"Loaded {report.units} unit versions, {report.organizations} organizations, "
        f"{report.categories} categories, {report.services} services, {report.indicators} indicators "
        f"with {report.indicator_values} values, {report.notices} notices."
    )


_seed_options = (
    click.option("--notices", default=200, show_default=True, help="How many demo notices to generate."),
    click.option("--seed", "seed_value", default=demo.DEFAULT_SEED, show_default=True, help="Random seed."),
    click.option("--anchor", help="Date the notices are generated around (YYYY-MM-DD); default today."),
)


def seed_options(command):
    for option in reversed(_seed_options):
        command = option(command)
    return command


@click.command("seed")
@seed_options
@click.option("--reset", is_flag=True, help="Delete all existing data first.")
@with_appcontext
def seed_command(notices: int, seed_value: int, anchor: str | None, reset: bool) -> None:
    """Load Quảng Nam reference data and generated demo content."""
    if demo.is_seeded():
        if not reset:
            raise click.ClickException("The database already has data: use --reset to replace it.")
        try:
            demo.clear()
        except demo.AuditLogPresent as error:
            raise click.ClickException(str(error)) from error
    _seed(notices, seed_value, anchor)


# How often an idle consumer thread looks for a job: Huey starts at 0.1 s and backs off by 15 % per empty look
# to 10 s, so a worker idle for a minute would leave an emergency push waiting up to 10 s. Capped at
# 0.5 s, an approved push starts within half a second (bench/push); an idle worker's four threads then
# make about eight cheap queue reads a second.
WORKER_POLLING = {"initial_delay": 0.1, "backoff": 1.15, "max_delay": 0.5}


@click.command("demo")
@seed_options
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True)
@with_appcontext
def demo_command(notices: int, seed_value: int, anchor: str | None, host: str, port: int) -> None:
    """Migrate the database, load the demo data if it is empty, and serve the app."""
    upgrade()
    if demo.is_seeded():
        click.echo("Demo data already loaded.")
    else:
        _seed(notices, seed_value, anchor)
    db.session.remove()
    base = f"http://{host}:{port}"
    click.echo(f"Database: {current_app.config['SQLALCHEMY_DATABASE_URI']}")
    click.echo(f"API docs: {base}/api/docs (ReDoc: {base}/api/docs/redoc)")
    click.echo(f"Try:      {base}/api/v1/notices?unit=20818")
    if current_app.config["ENVIRONMENT"] != "production":
        issued = demo_accounts.refresh_demo_accounts()
        db.session.commit()
        click.echo(f"Admin:    {base}/admin/ with a demo account (new passwords at every start):")
        for account, password in issued:
            click.echo(f"          {account.email}  {password}  ({account.description})")
    # Flask refuses app.run() inside its own CLI: Werkzeug serves from a thread, and the background job
    # consumer keeps the main thread, where it can handle Ctrl+C.
    server = make_server(host, port, current_app._get_current_object(), threaded=True)
    threading.Thread(target=server.serve_forever, name="web", daemon=True).start()
    click.echo(f"Serving on {base}; background jobs run here too. Ctrl+C to stop.")
    huey.create_consumer(workers=2, worker_type="thread", periodic=True, **WORKER_POLLING).run()


@click.command("worker")
@click.option("--workers", default=4, show_default=True, help="Threads working on jobs.")
@click.option(
    "--periodic/--no-periodic",
    default=True,
    show_default=True,
    help="Enqueue the periodic jobs (the clockwork); with many workers, let only one do it.",
)
@with_appcontext
def worker_command(workers: int, periodic: bool) -> None:
    """Work the background jobs (push delivery, the clockwork…) until stopped."""
    huey.create_consumer(workers=workers, worker_type="thread", periodic=periodic, **WORKER_POLLING).run()


@click.command("create-user")
@click.argument("email")
@click.option("--name", "display_name", required=True, help="The name shown in the admin and the audit log.")
@click.option("--admin", "is_admin", is_flag=True, help="Administrator: users, organizations, everything.")
@click.option("--communicator", "is_communicator", is_flag=True, help="May compose push notifications.")
@click.password_option(help="Asked for (twice, hidden) when not given.")
@with_appcontext
def create_user_command(email: str, display_name: str, is_admin: bool, is_communicator: bool, password: str):
    """Create an account, e.g. the first administrator:

    smart-qn create-user you@example.vn --name "Nguyễn Văn A" --admin
    """
    if problems := password_problems(password, email=email, display_name=display_name):
        raise click.ClickException(" ".join(problems))
    try:
        user = management.create_user(
            email=email,
            display_name=display_name,
            password=password,
            is_admin=is_admin,
            is_communicator=is_communicator,
            by=None,
        )
    except management.AccountError as error:
        raise click.ClickException(f"An account with the address {email} exists already.") from error
    db.session.commit()
    second_factor = " Two-factor sign-in is set up at the first sign-in." if user.needs_second_factor else ""
    click.echo(f"Created {user.email}.{second_factor}")


def main() -> None:
    from smart_qn import create_app

    FlaskGroup(create_app=create_app, help="Smart Quảng Nam backend.").main()
