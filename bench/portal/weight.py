"""Page weight and accessibility record of the public portal (issue 7): run it with `bench/portal/run`; see
bench/portal/README.md.

One run:
 1. a throw-away folder with a SQLite database, migrated and seeded with the demo data (fixed anchor date),
    and the app served from it on 127.0.0.1 by a background thread;
 2. for each page type, twice (with the Accept-Encoding Chromium sends, and with `identity`): a new
    headless Chromium context (phone viewport, HTTP cache on) opens the page, opens it again in the same
    context (the repeat visit: the HTTP cache at work), then reloads it (the cached page revalidated with
    If-None-Match, as a visit after its max-age would: the browser's clock cannot be moved); the bytes
    transferred (DevTools Network events' encodedDataLength: headers and body as they came over the
    wire) are summed per visit;
 3. axe-core (the copy vendored for the browser tests) on each page, violations counted by impact;
 4. a table on stdout and everything as JSON in bench/portal/results/<date>.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import secrets
import sys
import tempfile
import threading
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

from flask_migrate import upgrade
from playwright.sync_api import Browser, sync_playwright
from sqlalchemy import select
from werkzeug.serving import WSGIRequestHandler, make_server

ROOT = Path(__file__).resolve().parents[2]
# The checkout's code is measured, whatever copy of the project the venv has installed.
sys.path.insert(0, str(ROOT))

from smart_qn import create_app  # noqa: E402
from smart_qn.content import demo  # noqa: E402
from smart_qn.content.indicators import Indicator  # noqa: E402
from smart_qn.content.notices import Notice, live_notices  # noqa: E402
from smart_qn.content.services import ServiceLink  # noqa: E402
from smart_qn.dbtypes import utcnow  # noqa: E402
from smart_qn.extensions import db  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results"
AXE_SCRIPT = ROOT / "tests" / "browser" / "vendor" / "axe-core" / "axe.min.js"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
DEFAULT_ANCHOR = "2026-11-01"
IMPACTS = ("critical", "serious", "moderate", "minor")
# What Chromium asks for by default, and no compression at all.
ENCODINGS = {"chromium": None, "identity": "identity"}
# The targets for the home page.
HOME_FIRST_LOAD_LIMIT = 100 * 1024
HOME_REPEAT_LIMIT = 20 * 1024


@dataclass
class Visit:
    transferred: int = 0
    # Each resource: its path, its status ("304", or "cache" when the browser did not ask the server) and
    # its bytes over the wire.
    resources: list[dict] = field(default_factory=list)

    def statuses(self) -> Counter:
        return Counter(resource["status"] for resource in self.resources)


@dataclass
class PageRecord:
    key: str
    path: str
    weights: dict[str, dict[str, Visit]] = field(default_factory=dict)
    axe: dict[str, int] = field(default_factory=dict)
    axe_rules: dict[str, list[str]] = field(default_factory=dict)


class QuietHandler(WSGIRequestHandler):
    def log_request(self, code="-", size="-"):
        pass


def build_app(folder: Path, anchor: dt.datetime):
    app = create_app(
        {
            "DATABASE_URL": f"sqlite:///{folder / 'portal.sqlite3'}",
            "SECRET_KEY": secrets.token_hex(32),
            "ATTACHMENT_DIR": str(folder / "attachments"),
            "IMPORT_DIR": str(folder / "imports"),
            "TASK_QUEUE_URL": f"sqlite:///{folder / 'tasks.sqlite3'}",
            "API_RATE_LIMIT_ENABLED": False,
            "LOG_LEVEL": "WARNING",
        }
    )
    with app.app_context():
        upgrade()
        demo.seed(anchor=anchor)
        db.session.remove()
    return app


def page_paths(app) -> dict[str, str]:
    """One URL of each page type, the detail pages of demo rows found in the database."""
    with app.app_context():
        notice_id = db.session.scalar(
            live_notices(utcnow())
            .order_by(Notice.publish_at.desc(), Notice.id.desc())
            .limit(1)
            .with_only_columns(Notice.id)
        )
        service_id = db.session.scalar(select(ServiceLink.id).where(ServiceLink.published.is_(True)).limit(1))
        indicator_code = db.session.scalar(select(Indicator.code).order_by(Indicator.position).limit(1))
    return {
        "home": "/",
        "notices": "/notices",
        "notice": f"/notices/{notice_id}",
        "services_by_field": "/services?by=field",
        "services_by_agency": "/services?by=agency",
        "service": f"/services/{service_id}",
        "organizations": "/organizations",
        "organization": "/organizations/SYT",
        "units": "/units",
        "unit": "/units/49",
        "search": "/search?q=canh+bao+lu",
        "indicators": "/indicators",
        "indicator": f"/indicators/{indicator_code}",
        "not_found": "/no-such-page",
    }


def measure_visits(browser: Browser, base_url: str, path: str, accept_encoding: str | None) -> dict:
    """Bytes over the wire on the first visit, a repeat visit, and a revalidating reload."""
    headers = {"Accept-Encoding": accept_encoding} if accept_encoding else {}
    context = browser.new_context(base_url=base_url, locale="vi-VN", extra_http_headers=headers, **PHONE)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    requests: dict[str, dict] = {}

    def about(event) -> dict:
        return requests.setdefault(event["requestId"], {})

    cdp.on("Network.requestWillBeSent", lambda event: about(event).update(url=event["request"]["url"]))
    cdp.on("Network.requestServedFromCache", lambda event: about(event).update(cached=True))
    cdp.on(
        "Network.responseReceived",
        lambda event: about(event).update(
            status=event["response"]["status"],
            cached=about(event).get("cached") or event["response"].get("fromDiskCache", False),
        ),
    )
    # The status on the wire: a revalidated copy is reported above as the cached 200, here as the 304.
    cdp.on("Network.responseReceivedExtraInfo", lambda event: about(event).update(wire=event["statusCode"]))
    cdp.on(
        "Network.loadingFinished", lambda event: about(event).update(bytes=int(event["encodedDataLength"]))
    )
    visits = {}
    for name, go in (
        ("first", lambda: page.goto(path, wait_until="load")),
        ("repeat", lambda: page.goto(path, wait_until="load")),
        ("reload", lambda: page.reload(wait_until="load")),
    ):
        requests.clear()
        go()
        # The last events of a load may arrive after the load event.
        page.wait_for_timeout(300)
        visit = Visit()
        for request in requests.values():
            if "bytes" not in request:
                continue
            status = "cache" if request.get("cached") else str(request.get("wire", request.get("status")))
            visit.resources.append(
                {"path": request["url"].removeprefix(base_url), "status": status, "bytes": request["bytes"]}
            )
            visit.transferred += request["bytes"]
        visits[name] = visit
    context.close()
    return visits


def run_axe(browser: Browser, base_url: str, path: str) -> tuple[dict[str, int], dict[str, list[str]]]:
    context = browser.new_context(base_url=base_url, locale="vi-VN", **PHONE)
    page = context.new_page()
    page.goto(path)
    page.evaluate(AXE_SCRIPT.read_text(encoding="utf-8"))
    results = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    context.close()
    counts = Counter({impact: 0 for impact in IMPACTS})
    rules: dict[str, list[str]] = {}
    for violation in results["violations"]:
        counts[violation["impact"]] += 1
        rules.setdefault(violation["impact"], []).append(violation["id"])
    return dict(counts), rules


def kilobytes(size: int) -> str:
    return f"{size / 1024:.1f}"


def table(records: list[PageRecord]) -> str:
    heading = (
        "| page | first load KB (Chromium / identity) | requests | repeat visit KB | reload KB (304s) "
        "| axe critical / serious / moderate / minor |"
    )
    lines = [heading, "|---|---|---|---|---|---|"]
    for record in records:
        chromium, identity = record.weights["chromium"], record.weights["identity"]
        reload = chromium["reload"]
        lines.append(
            f"| {record.key} `{record.path}` "
            f"| {kilobytes(chromium['first'].transferred)} / {kilobytes(identity['first'].transferred)} "
            f"| {len(chromium['first'].resources)} "
            f"| {kilobytes(chromium['repeat'].transferred)} "
            f"| {kilobytes(reload.transferred)} ({reload.statuses()['304']}×304) "
            f"| {' / '.join(str(record.axe[impact]) for impact in IMPACTS)} |"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--anchor", default=DEFAULT_ANCHOR, help=f"the demo data's anchor date [{DEFAULT_ANCHOR}]"
    )
    parser.add_argument("--chromium", default=CHROMIUM, help=f"the Chromium executable [{CHROMIUM}]")
    parser.add_argument("--output", type=Path, help="the JSON file [bench/portal/results/<date>.json]")
    args = parser.parse_args()
    anchor = dt.datetime.fromisoformat(args.anchor).replace(tzinfo=dt.UTC)

    with tempfile.TemporaryDirectory(prefix="portal-weight-") as folder:
        app = build_app(Path(folder), anchor)
        paths = page_paths(app)
        server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=QuietHandler)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        base_url = f"http://127.0.0.1:{server.server_port}"
        records = []
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=args.chromium, args=CHROMIUM_ARGS)
                for key, path in paths.items():
                    record = PageRecord(key, path)
                    for name, accept_encoding in ENCODINGS.items():
                        record.weights[name] = measure_visits(browser, base_url, path, accept_encoding)
                    record.axe, record.axe_rules = run_axe(browser, base_url, path)
                    records.append(record)
                chromium_version = browser.version
                browser.close()
        finally:
            server.shutdown()
            thread.join()
            server.server_close()
            with app.app_context():
                db.engine.dispose()

    print(table(records))
    home = records[0].weights["chromium"]
    verdict = {
        "home_first_load_under_100_kb": home["first"].transferred < HOME_FIRST_LOAD_LIMIT,
        "home_repeat_visit_under_20_kb": home["repeat"].transferred < HOME_REPEAT_LIMIT,
        "no_serious_or_critical_axe_violations": all(
            record.axe["critical"] == record.axe["serious"] == 0 for record in records
        ),
    }
    print(json.dumps(verdict, indent=2))
    today = dt.date.today().isoformat()
    output = args.output or RESULTS / f"{today}.json"
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(
        json.dumps(
            {
                "date": today,
                "command": " ".join(["bench/portal/run", *sys.argv[1:]]),
                "chromium": chromium_version,
                "viewport": PHONE,
                "anchor": args.anchor,
                "verdict": verdict,
                "pages": [asdict(record) for record in records],
            },
            indent=2,
            ensure_ascii=False,
        )
        + "\n",
        encoding="utf-8",
    )
    print(f"written: {output.relative_to(ROOT) if output.is_relative_to(ROOT) else output}")
    return 0 if all(verdict.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
