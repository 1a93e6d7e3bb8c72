"""gunicorn settings: `gunicorn 'smart_qn:create_app()'` picks this file up from the working directory.

Every value can be overridden with the GUNICORN_* variables below, or on the command line.
"""

import gc
import os

from sqlalchemy.orm import configure_mappers

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
worker_class = "gthread"
# With PostgreSQL a request spends time waiting for the database, which other threads use. With SQLite
# (the default) all of a request's work is in the process: extra threads only contend for the GIL and share
# the CPU between requests, so that every request finishes late (bench/README.md: search p99 64 ms with 4
# threads, 50 ms with 1, at 8 clients on one CPU).
_sqlite = os.environ.get("SMART_QN_DATABASE_URL", "sqlite:").startswith("sqlite:")
threads = int(os.environ.get("GUNICORN_THREADS", "1" if _sqlite else "4"))
# Restart workers now and then so that a slow leak never becomes an outage.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "10000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "1000"))
timeout = 30
graceful_timeout = 30
keepalive = 5
# The app logs one JSON line per request itself (smart_qn.ops), with its request id.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")


def post_worker_init(worker):
    """Set the app's own objects aside from garbage collection once the worker has loaded it.

    A full collection scans every object, and the loaded app has about 180,000 (models, mappers, compiled
    SQL, catalogs): one took 90 ms, and every request queued behind it waited as long (the search's p99
    in bench/README.md). Frozen (gc.freeze), they are never scanned again and a full collection takes
    well under a millisecond. The mappers are configured first so that their objects are frozen too.
    """
    configure_mappers()
    gc.collect()
    gc.freeze()
