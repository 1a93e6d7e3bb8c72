"""Smart Quảng Nam: the backend and public portal of Quảng Nam province's citizen app."""

from pathlib import Path

from flask import Flask

from smart_qn.config import bundled_dir, load_config
from smart_qn.extensions import babel, db, migrate


def create_app(config: dict | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True)
    load_config(app, config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(bundled_dir("migrations")), render_as_batch=True)
    babel.init_app(app)

    from smart_qn import api, cli

    api.init_app(app)
    cli.init_app(app)
    return app
