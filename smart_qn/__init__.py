"""Smart Quảng Nam: the backend and public portal of Quảng Nam province's citizen app."""

from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from smart_qn.config import bundled_dir, load_config
from smart_qn.extensions import babel, db, limiter, migrate
from smart_qn.json import OrjsonProvider


def create_app(config: dict | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True)
    app.json = OrjsonProvider(app)
    load_config(app, config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    from smart_qn import admin, api, cache_store, cli, clockwork, jobs, ops, portal  # noqa: F401  (clockwork: its job)
    from smart_qn.i18n import select_locale
    from smart_qn.push import delivery, notifications, outbox  # noqa: F401  (their tables and jobs)
    from smart_qn.reporting import values  # noqa: F401  (its table)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(bundled_dir("migrations")), render_as_batch=True)
    babel.init_app(app, locale_selector=select_locale)
    if app.config["API_RATE_LIMIT_ENABLED"]:
        limiter.init_app(app)
    cache_store.init_app(app)
    jobs.init_app(app)
    ops.init_app(app)
    api.init_app(app)
    admin.init_app(app)
    portal.init_app(app)
    cli.init_app(app)
    if proxies := app.config["PROXY_COUNT"]:
        # Outermost, so that every layer (the response cache's too) sees the client's address.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)
    return app
