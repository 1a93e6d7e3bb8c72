"""Load benchmark of the Smart Quảng Nam API (issue 3, item 8). Run it with `bench/run`; see bench/README.md.

One run:
 0. a copy of the app's code (the working tree, or a git revision) that every server of the run imports;
 1. a throw-away SQLite database with the demo data and 5,000 notices (fixed seed and anchor date);
 2. the real app under gunicorn (2 workers, gthread) pinned to CPU 0; each benchmarked URL is fetched once
    and its bytes captured (endpoints answering 404 or another error are "n/a");
 3. the same app started a second time with its response cache switched off, for the uncached rows, and the
    bare Flask ceiling (bare_app.py) serving the captured bytes, under the same gunicorn settings and pinning;
 4. per endpoint: wrk pinned to CPU 1, a warm-up, then a measured run against the real app and, straight
    after, the same against the ceiling; server CPU from /proc/<pid>/stat of the gunicorn master and workers;
 5. a table on stdout and everything as JSON in bench/results/<date>.json.

Standard library only (it drives the `smart-qn` and `gunicorn` commands of the venv it runs in).
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import datetime as dt
import gzip
import hashlib
import http.client
import importlib.metadata
import json
import os
import platform
import re
import resource
import secrets
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
LUA_REPORT = BENCH / "lua" / "report.lua"
LUA_VARY_PAGES = BENCH / "lua" / "vary_pages.lua"
LUA_VARY_SEARCH = BENCH / "lua" / "vary_search.lua"
PROJECT_GUNICORN_CONF = ROOT / "gunicorn.conf.py"
GUNICORN_CONF_COPY = "gunicorn.conf.py"  # in the run's directory: what every server of the run uses
VENV_BIN = Path(sys.executable).parent

DEFAULT_ANCHOR = "2026-11-01"
LIST_PATH = "/api/v1/notices?page=1&page_size=20"
PAGE_SIZE = 20


@dataclass
class Endpoint:
    key: str
    label: str
    path: str | None  # None: found at run time (the detail of a live notice), or not found
    # "cached": the same URL every request, response cache on; "uncached": a new URL every request, so the
    # response cache never answers; "nocache": the response cache off, and for the search the queries of
    # SEARCH_QUERIES in turn.
    variant: str = "cached"


SEARCH_PATH = "/api/v1/search?q=canh%20bao%20lu"
# What residents type, with and without accents, one to four words (the "dich vu cong", "thang binh",
# "duong", "quang nam" among them): some match a few notices, some thousands. The search without the response
# cache is measured over all of them in turn, not one query again and again, whose rows would stay in every
# cache on the way.
SEARCH_QUERIES = (
    "canh bao lu",
    "dich vu cong",
    "thang binh",
    "duong",
    "Quảng Nam",
    "hoi an",
    "tiem chung",
    "hoc phi",
    "mua lon",
    "sat lo",
    "ho ngheo",
    "bao so",
    "nuoc sach",
    "khai sinh",
    "dang ky",
    "tuyen sinh lop 10",
    "sot xuat huyet",
    "giao thong",
    "cam duong",
    "tam ky",
    "bão",
    "thông báo",
    "ubnd huyen",
    "dien luc",
    "song thu bon",
    "cap nuoc",
    "phong chong",
    "lich tiep dan",
    "duy xuyen",
    "nong thon moi",
)
SEARCH_QUERY_PATHS = tuple(f"/api/v1/search?q={quote(query)}" for query in SEARCH_QUERIES)
ENDPOINTS = [
    Endpoint("list", "notices list p1 (cached)", LIST_PATH),
    Endpoint("detail", "notice detail (cached)", None),
    Endpoint("series", "indicator series (cached)", "/api/v1/indicators/POOR_HOUSEHOLD_RATE/values?unit=513"),
    Endpoint("home", "home payload (cached)", "/api/v1/home?unit=20818"),
    Endpoint("search", "search (cached)", SEARCH_PATH),
    Endpoint("list_uncached", "notices list (uncached)", None, variant="uncached"),
    Endpoint(
        "search_nocache",
        "search (cache off)",
        f"/api/v1/search?q=<{len(SEARCH_QUERIES)} queries in turn>",
        variant="nocache",
    ),
]

# Headers not copied into the ceiling's responses: per-connection or recomputed by the server.
_PRIVATE_ENV = {"SMART_QN_SECRET_KEY", "SMART_QN_DATABASE_URL"}
_HOP_HEADERS = {"date", "server", "content-length", "connection", "transfer-encoding", "keep-alive"}

TARGETS = {
    "cached_ratio": 0.70,  # cached list and detail: at least 70 % of the ceiling's req/s
    "uncached_cpu_ms": 3.0,  # uncached list of 20 from 5,000: at most 3 ms server CPU per request
    "search_p99_ms": 50.0,  # search p99 under 50 ms at 8 concurrent clients
    "home_gzip_bytes": 8000,  # home payload for a commune under 8 KB compressed (8,000 bytes: the strict KB)
}


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------------------------------------
# Processes: everything started here is killed on exit (normal, error, Ctrl-C or SIGTERM).


class Cleanup:
    def __init__(self):
        self.servers: list[Server] = []

    def stop_all(self) -> None:
        while self.servers:
            self.servers.pop().stop()


CLEANUP = Cleanup()


def _raise_exit(signum, _frame):
    raise SystemExit(128 + signum)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def read_stat(pid: int) -> list[str] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return None
    # Fields after "(comm)": index 0 is field 3 (state), so field n is index n - 3.
    return text[text.rindex(")") + 2 :].split()


CLK_TCK = os.sysconf("SC_CLK_TCK")


@dataclass
class Server:
    name: str
    app: str
    env: dict
    args: argparse.Namespace
    workdir: Path
    pythonpath: str | None = None
    port: int = 0
    proc: subprocess.Popen | None = None
    log_path: Path | None = None
    settings: dict = field(default_factory=dict)

    def command(self, *extra: str) -> list[str]:
        # Run from the run's directory: gunicorn puts its working directory first on sys.path, and from the
        # checkout that would import the live working tree instead of the --source copy.
        cmd = [str(VENV_BIN / "gunicorn"), "--config", str(self.workdir / GUNICORN_CONF_COPY)]
        cmd += ["--chdir", str(self.workdir)]
        # Always: two gthread workers, on 127.0.0.1 only (these override the config file).
        cmd += ["--workers", "2", "--worker-class", "gthread", "--bind", f"127.0.0.1:{self.port}"]
        if not self.args.keep_max_requests:
            # No worker recycling: one restart (a whole app import, ~1 s of CPU) inside a 10 s run would
            # swamp the figure; its amortized cost is reported apart (worker_boot_cpu_s / max_requests).
            cmd += ["--max-requests", "0"]
        if self.pythonpath:
            cmd += ["--pythonpath", self.pythonpath]
        return [*cmd, *extra, self.app]

    def start(self) -> None:
        self.port = free_port()
        printed = subprocess.run(
            self.command("--print-config"),
            env=self.env,
            cwd=self.workdir,
            capture_output=True,
            text=True,
            timeout=60,
        )
        for line in printed.stdout.splitlines():
            name, _, value = line.partition("=")
            if name.strip() in (
                "config",
                "workers",
                "worker_class",
                "threads",
                "keepalive",
                "timeout",
                "max_requests",
                "max_requests_jitter",
                "preload_app",
                "accesslog",
                "loglevel",
                "backlog",
            ):
                self.settings[name.strip()] = value.strip()
        self.log_path = self.workdir / f"gunicorn-{self.name}.log"
        with open(self.log_path, "wb") as log_file:
            self.proc = subprocess.Popen(
                ["taskset", "-c", str(self.args.server_cpu), *self.command()],
                env=self.env,
                cwd=self.workdir,
                stdout=log_file,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group, killed as a whole in stop()
            )
        CLEANUP.servers.append(self)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn ({self.name}) exited: see {self.log_path}\n{self.tail()}")
            if len(self.worker_pids()) >= 2 and self._answers():
                break
            time.sleep(0.2)
        else:
            raise RuntimeError(f"gunicorn ({self.name}) did not come up in 60 s: see {self.log_path}")
        boot_ticks = [sum(int(read_stat(pid)[i]) for i in (11, 12)) for pid in self.worker_pids()]
        self.settings["worker_boot_cpu_s"] = round(sum(boot_ticks) / len(boot_ticks) / CLK_TCK, 2)
        affinity = {pid: sorted(os.sched_getaffinity(pid)) for pid in [self.proc.pid, *self.worker_pids()]}
        self.settings["cpu_affinity"] = sorted({cpu for cpus in affinity.values() for cpu in cpus})
        log(
            f"{self.name}: gunicorn on 127.0.0.1:{self.port}, master {self.proc.pid}, "
            f"workers {self.worker_pids()}, CPUs {self.settings['cpu_affinity']}"
        )

    def _answers(self) -> bool:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
            conn.request("GET", "/")
            conn.getresponse().read()
            conn.close()
            return True
        except OSError:
            return False

    def tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def worker_pids(self) -> list[int]:
        pids = []
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                stat = read_stat(int(entry))
                if stat and int(stat[1]) == self.proc.pid:
                    pids.append(int(entry))
        return sorted(pids)

    def cpu_ticks(self) -> tuple[int, int, dict[int, int]]:
        """User and system CPU ticks of the master (with its reaped children: a worker that exits
        mid-run still counts) plus those of the live workers; and each live worker's ticks, by pid."""
        master = read_stat(self.proc.pid)
        user, system = int(master[11]) + int(master[13]), int(master[12]) + int(master[14])
        workers = {}
        for pid in self.worker_pids():
            stat = read_stat(pid)
            if stat:
                user, system = user + int(stat[11]), system + int(stat[12])
                workers[pid] = int(stat[11]) + int(stat[12])
        return user, system, workers

    def rss_mb(self) -> float:
        total = 0
        for pid in [self.proc.pid, *self.worker_pids()]:
            try:
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
            except OSError:
                pass
        return round(total / 1024, 1)

    def stop(self) -> None:
        if not self.proc or self.proc.poll() is not None:
            return
        try:
            os.kill(self.proc.pid, signal.SIGTERM)  # graceful: the master stops its workers
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            pass
        except ProcessLookupError:
            return
        with contextlib.suppress(ProcessLookupError):  # what is left of the group we started (id: master pid)
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=15)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"


# --------------------------------------------------------------------------------------------------------
# HTTP helpers (standard library: no client library sits between us and the bytes).


@dataclass
class Fetched:
    status: int
    headers: list[tuple[str, str]]
    body: bytes

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers if k.lower() == name.lower()), None)


def fetch(port: int, path: str, accept_gzip: bool = False) -> Fetched:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.putrequest("GET", path, skip_accept_encoding=True)  # like wrk: no Accept-Encoding at all
        if accept_gzip:
            conn.putheader("Accept-Encoding", "gzip")
        conn.endheaders()
        response = conn.getresponse()
        return Fetched(response.status, response.getheaders(), response.read())
    finally:
        conn.close()


def capture_entry(identity: Fetched, gzipped: Fetched) -> dict:
    def encode(fetched: Fetched) -> dict:
        return {
            "status": fetched.status,
            "headers": [[k, v] for k, v in fetched.headers if k.lower() not in _HOP_HEADERS],
            "body_b64": base64.b64encode(fetched.body).decode(),
        }

    entry = encode(identity)
    if gzipped.header("Content-Encoding"):
        entry["gzip"] = encode(gzipped)
    return entry


# --------------------------------------------------------------------------------------------------------
# Load runs.


def cpu_lines() -> dict[str, list[int]]:
    lines = {}
    for line in Path("/proc/stat").read_text().splitlines():
        if re.match(r"cpu\d+ ", line):
            name, *values = line.split()
            lines[name] = [int(v) for v in values[:8]]
    return lines


def busy_total(before: list[int], after: list[int]) -> tuple[int, int]:
    delta = [a - b for a, b in zip(after, before, strict=True)]
    # user nice system idle iowait irq softirq steal
    return delta[0] + delta[1] + delta[2] + delta[5] + delta[6] + delta[7], sum(delta)


def run_wrk(
    args, server: Server, path: str, duration: float, vary: tuple[Path, list[str]] | None = None
) -> dict:
    """One wrk run: `path` again and again, or with `vary`, the wrk script that chooses each request's URL
    and its arguments."""
    script, script_args = vary if vary is not None else (LUA_REPORT, None)
    url = server.base + ("/" if vary is not None else path)
    cmd = [
        "taskset",
        "-c",
        str(args.client_cpu),
        args.wrk,
        f"-t{args.threads}",
        f"-c{args.connections}",
        f"-d{duration:g}s",
        "--timeout",
        "5s",
        "--latency",
        "-s",
        str(script),
    ]
    if args.accept_gzip:
        cmd += ["-H", "Accept-Encoding: gzip"]
    cmd.append(url)
    if script_args is not None:
        cmd += ["--", *script_args]

    cpus_before, load_before = cpu_lines(), os.getloadavg()[0]
    user_before, sys_before, workers_before = server.cpu_ticks()
    children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=duration + 60)
    wall = time.monotonic() - started
    children_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    wrk_cpu_s = (children_after.ru_utime + children_after.ru_stime) - (
        children_before.ru_utime + children_before.ru_stime
    )
    time.sleep(0.05)  # let the last in-flight requests finish on the server
    user_after, sys_after, workers_after = server.cpu_ticks()
    ticks_before, ticks_after = user_before + sys_before, user_after + sys_after
    cpus_after = cpu_lines()
    if done.returncode != 0:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stderr or done.stdout}")
    line = next((x for x in done.stdout.splitlines() if x.startswith("BENCH_JSON ")), None)
    if line is None:
        raise RuntimeError(f"wrk printed no BENCH_JSON line:\n{done.stdout}\n{done.stderr}")
    report = json.loads(line.removeprefix("BENCH_JSON "))

    requests = report["requests"]
    seconds = report["duration_us"] / 1e6
    server_cpu_s = (ticks_after - ticks_before) / CLK_TCK
    server_cpu, client_cpu = f"cpu{args.server_cpu}", f"cpu{args.client_cpu}"
    srv_busy, srv_total = busy_total(cpus_before[server_cpu], cpus_after[server_cpu])
    cli_busy, cli_total = busy_total(cpus_before[client_cpu], cpus_after[client_cpu])
    lat = report["latency_us"]
    return {
        "requests": requests,
        "duration_s": round(seconds, 3),
        "rps": round(requests / seconds, 1) if seconds else 0.0,
        "latency_ms": {k: round(v / 1000, 3) for k, v in lat.items()},
        "errors": report["errors"],
        "non_2xx_3xx": report["errors"]["status"],
        "bytes_per_response": round(report["bytes"] / requests) if requests else None,
        "server_cpu_s": round(server_cpu_s, 3),
        "server_cpu_system_share": round((sys_after - sys_before) / (ticks_after - ticks_before), 3)
        if ticks_after > ticks_before
        else None,
        "cpu_ms_per_request": round(server_cpu_s * 1000 / requests, 4) if requests else None,
        # Requests per second of server CPU: what the server would do with the whole CPU to itself, the
        # figure to compare when other processes shared the server's CPU during the run.
        "rps_per_cpu_s": round(requests / server_cpu_s, 1) if server_cpu_s else None,
        # Share of the server's CPU it used, and what else kept that CPU busy (other processes,
        # interrupts): a high "other" means a noisy run. wrk near 100 % of its CPU would mean the load
        # generator, not the server, was the limit.
        "server_cpu_util": round(server_cpu_s / wall, 3),
        "server_cpu_other_util": round(max(0.0, (srv_busy - (ticks_after - ticks_before)) / srv_total), 3)
        if srv_total
        else None,
        "client_wrk_cpu_util": round(wrk_cpu_s / wall, 3),
        "client_cpu_other_util": round(max(0.0, cli_busy / cli_total - wrk_cpu_s / wall), 3)
        if cli_total
        else None,
        "loadavg_1m_before": round(load_before, 2),
        "worker_restarts": len(set(workers_after) - set(workers_before)),
        "worker_cpu_shares": worker_cpu_shares(workers_before, workers_after),
    }


def worker_cpu_shares(before: dict[int, int], after: dict[int, int]) -> list[float]:
    """Each worker's share of the workers' CPU during a run, largest first: how wrk's connections were
    spread. A gthread worker keeps the connections it accepts, so [1.0, 0.0] means all on one worker; an
    uneven split such as [0.75, 0.25] puts the busier worker's clients behind a queue three times as long
    as the other's, while both share the one CPU."""
    used = {pid: ticks - before.get(pid, 0) for pid, ticks in after.items()}
    total = sum(used.values())
    return sorted((round(ticks / total, 2) for ticks in used.values()), reverse=True) if total else []


def measure(args, server: Server, path: str, vary=None) -> dict:
    """Warm-up, then the measured run. `vary(offset)` gives the wrk script that varies the URL, and its
    arguments for requests numbered from `offset`."""
    warm = run_wrk(args, server, path, args.warmup, vary(0) if vary else None)
    # The measured run's URLs start after every URL the warm-up could have asked for.
    offset = args.threads * (warm["requests"] + args.connections + 1)
    measured = run_wrk(args, server, path, args.duration, vary(offset) if vary else None)
    measured["warmup_requests"] = warm["requests"]
    if vary:
        measured["url_offset"] = offset
    return measured


# --------------------------------------------------------------------------------------------------------
# The run.


def run_command(cmd: list[str], env: dict, what: str, cwd: Path) -> str:
    log(what)
    done = subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, text=True, timeout=900)
    if done.returncode != 0:
        raise RuntimeError(f"{what} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout.strip()


def prepare_source(source: str, workdir: Path) -> dict:
    """Put the app's code where every server of this run imports the same version of it."""
    if source == "live":
        return {"description": "the working tree, live", "pythonpath": str(ROOT)}
    target = workdir / "src"
    parts = ("smart_qn", "migrations", "translations")
    if source == "worktree":
        for part in parts:
            shutil.copytree(ROOT / part, target / part, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        description = "a copy of the working tree"
    else:
        target.mkdir()
        archive = subprocess.run(
            ["git", "archive", "--format=tar", source, *parts], cwd=ROOT, capture_output=True, timeout=120
        )
        if archive.returncode != 0:
            raise RuntimeError(f"git archive {source}: {archive.stderr.decode(errors='replace')}")
        subprocess.run(["tar", "-x", "-C", str(target)], input=archive.stdout, check=True, timeout=120)
        description = f"git {source}"
    from babel.messages.mofile import write_mo  # the catalogs, compiled as hatch_build.py does
    from babel.messages.pofile import read_po

    for po_path in sorted((target / "translations").glob("*/LC_MESSAGES/*.po")):
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file, locale=po_path.parts[-3])
        with po_path.with_suffix(".mo").open("wb") as mo_file:
            write_mo(mo_file, catalog, use_fuzzy=False)
    digest = hashlib.sha256()
    for path in sorted(p for p in target.rglob("*") if p.is_file() and p.suffix != ".mo"):
        digest.update(str(path.relative_to(target)).encode() + b"\0" + path.read_bytes())
    return {"description": description, "pythonpath": str(target), "sha256": digest.hexdigest()[:16]}


def environment_info(args) -> dict:
    def out(cmd):
        try:
            return subprocess.run(cmd, capture_output=True, text=True, timeout=30, cwd=ROOT).stdout.strip()
        except OSError:
            return None

    versions = {}
    for name in ("flask", "werkzeug", "gunicorn", "sqlalchemy", "flask-smorest", "marshmallow", "smart-qn"):
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = None
    versions["sqlite"] = sqlite3.sqlite_version
    cpu_model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        None,
    )
    wrk_version = out([args.wrk, "--version"])
    return {
        "git_commit": out(["git", "rev-parse", "HEAD"]),
        "git_dirty_files": len((out(["git", "status", "--porcelain"]) or "").splitlines()),
        "python": platform.python_version(),
        "packages": versions,
        "wrk": wrk_version.splitlines()[0] if wrk_version else None,
        "kernel": platform.release(),
        "cpu_model": cpu_model,
        "cpus": os.cpu_count(),
        "loadavg_at_start": os.getloadavg(),
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="bench/run", description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=10, help="seconds per measured run [10]")
    parser.add_argument("--warmup", type=float, default=2, help="seconds of warm-up before each run [2]")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads [2]")
    parser.add_argument("--connections", type=int, default=8, help="wrk connections [8]")
    parser.add_argument("--notices", type=int, default=5000, help="demo notices to generate [5000]")
    parser.add_argument("--anchor", default=DEFAULT_ANCHOR, help=f"seed anchor date [{DEFAULT_ANCHOR}]")
    parser.add_argument("--server-cpu", type=int, default=0)
    parser.add_argument("--client-cpu", type=int, default=1)
    parser.add_argument("--only", help="comma-separated endpoint keys: " + ",".join(e.key for e in ENDPOINTS))
    parser.add_argument(
        "--accept-gzip", action="store_true", help="load with 'Accept-Encoding: gzip' (default: none)"
    )
    parser.add_argument(
        "--no-cache-env",
        default=os.environ.get("BENCH_NO_CACHE_ENV", "SMART_QN_RESPONSE_CACHE_ENABLED=false"),
        help="NAME=VALUE pairs (space-separated) that switch the app's response cache off, for the "
        "uncached run [$BENCH_NO_CACHE_ENV or SMART_QN_RESPONSE_CACHE_ENABLED=false]",
    )
    parser.add_argument(
        "--database-url",
        help="benchmark this database instead of a temporary SQLite file: IT IS WIPED (seed --reset)",
    )
    parser.add_argument(
        "--source",
        default="worktree",
        help="the app code to run: 'worktree' (a copy of the working tree taken at the start, so that edits "
        "during the run do not mix versions), 'live' (the working tree as it is when each server starts) or "
        "a git revision such as HEAD [worktree]",
    )
    parser.add_argument(
        "--rate-limit-on",
        action="store_true",
        help="keep the rate limiter running (with a limit wrk cannot reach) instead of switching it off",
    )
    parser.add_argument(
        "--keep-max-requests",
        action="store_true",
        help="keep the config's worker recycling (max_requests) instead of passing --max-requests 0",
    )
    parser.add_argument("--output", help="results JSON [bench/results/<date>.json]")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory (db, logs)")
    parser.add_argument("--wrk", default=shutil.which("wrk") or "wrk")
    args = parser.parse_args(argv)

    signal.signal(signal.SIGTERM, _raise_exit)
    signal.signal(signal.SIGHUP, _raise_exit)
    if not shutil.which(args.wrk):
        parser.error("wrk not found (bench/run installs it with apt-get)")
    allowed = os.sched_getaffinity(0)
    if args.server_cpu == args.client_cpu or {args.server_cpu, args.client_cpu} - allowed:
        parser.error(f"--server-cpu and --client-cpu: two distinct CPUs among {sorted(allowed)}")

    workdir = Path(tempfile.mkdtemp(prefix="smart-qn-bench-"))
    try:
        return _run(args, workdir)
    finally:
        CLEANUP.stop_all()
        if args.keep:
            log(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


def _run(args, workdir: Path) -> int:
    started_at = dt.datetime.now(dt.UTC)
    selected = {e.key for e in ENDPOINTS} if not args.only else set(args.only.split(","))
    if unknown := selected - {e.key for e in ENDPOINTS}:
        raise SystemExit(f"--only: unknown endpoint keys {sorted(unknown)}")
    database_url = args.database_url or f"sqlite:///{workdir / 'bench.sqlite3'}"

    env = {k: v for k, v in os.environ.items() if not k.startswith("SMART_QN_")}
    env.update(
        SMART_QN_DATABASE_URL=database_url,
        SMART_QN_ENVIRONMENT="production",
        SMART_QN_SECRET_KEY=secrets.token_hex(32),
        PYTHONDONTWRITEBYTECODE="1",
    )
    if args.rate_limit_on:  # the limiter does its work on every request but never refuses one
        env.update(SMART_QN_API_RATE_LIMIT="1000000000 per minute")
    else:  # the benchmark must not be throttled: Flask-Limiter's own switch and the app's
        env.update(SMART_QN_RATELIMIT_ENABLED="false", SMART_QN_API_RATE_LIMIT_ENABLED="false")
    source = prepare_source(args.source, workdir)
    if source.get("pythonpath"):
        env["PYTHONPATH"] = source["pythonpath"]
    # Where the servers (started from the run's directory with this environment) import the app from.
    source["imported_from"] = subprocess.run(
        [sys.executable, "-c", "import smart_qn; print(smart_qn.__file__)"],
        env=env,
        cwd=workdir,
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout.strip()
    if not source["imported_from"].startswith(source["pythonpath"] + os.sep):
        raise RuntimeError(f"smart_qn imports from {source['imported_from']}, not {source['pythonpath']}")
    log(f"app code: {source['description']} ({source['imported_from']})")
    smart_qn = str(VENV_BIN / "smart-qn")
    run_command([smart_qn, "db", "upgrade"], env, f"migrating {database_url}", workdir)
    seeded = run_command(
        [smart_qn, "seed", "--notices", str(args.notices), "--anchor", args.anchor]
        + (["--reset"] if args.database_url else []),
        env,
        f"seeding {args.notices} notices (anchor {args.anchor})",
        workdir,
    )
    log(seeded)

    # The gunicorn settings, fixed for the whole run: the project's config file if it has one, else the
    # benchmark's defaults (workers and worker class are always given on the command line).
    project_conf = PROJECT_GUNICORN_CONF.exists()
    if project_conf:
        shutil.copyfile(PROJECT_GUNICORN_CONF, workdir / GUNICORN_CONF_COPY)
    else:
        (workdir / GUNICORN_CONF_COPY).write_text(
            "# bench/bench.py defaults: no gunicorn.conf.py in the project\nthreads = 4\n"
        )
    configured = subprocess.run(
        [str(VENV_BIN / "gunicorn"), "--config", str(workdir / GUNICORN_CONF_COPY), "--print-config", "x:y"],
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout
    max_requests = int(re.search(r"^max_requests\s*=\s*(\d+)", configured, re.M).group(1))
    worker_recycling = {
        "configured_max_requests": max_requests,
        "in_this_run": "as configured" if args.keep_max_requests else "off (--max-requests 0)",
    }
    no_cache_env = dict(pair.split("=", 1) for pair in args.no_cache_env.split())
    real = Server("app", "smart_qn:create_app()", env, args, workdir)
    real.start()

    # Capture what the real app answers; decide what is n/a.
    results: dict[str, dict] = {}
    captured: dict[str, dict] = {}
    list_probe = fetch(real.port, LIST_PATH)
    list_json = json.loads(list_probe.body) if list_probe.status == 200 else None
    live_total = list_json["pagination"]["total"] if list_json else None
    pages = list_json["pagination"]["total_pages"] if list_json else 0
    for endpoint in ENDPOINTS:
        if endpoint.key == "detail" and list_json and list_json["items"]:
            endpoint.path = f"/api/v1/notices/{list_json['items'][0]['id']}"
        if endpoint.key == "list_uncached" and pages:
            endpoint.path = f"/api/v1/notices?page=1&page_size={PAGE_SIZE} (zero-padded: a new URL each time)"

    for endpoint in ENDPOINTS:
        entry = results[endpoint.key] = {"label": endpoint.label, "path": endpoint.path}
        if endpoint.key not in selected:
            entry["status"] = "skipped"
            continue
        if endpoint.path is None:
            entry["status"] = "n/a"
            entry["reason"] = "the notices list is n/a" + (
                ", so no notice id" if endpoint.key == "detail" else ""
            )
            continue
        probe_path = LIST_PATH if endpoint.variant == "uncached" else endpoint.path
        if endpoint.key == "search_nocache":
            probe_path = SEARCH_QUERY_PATHS[0]
        try:
            identity, gzipped = fetch(real.port, probe_path), fetch(real.port, probe_path, accept_gzip=True)
            if endpoint.key == "search_nocache":
                # Each query once, for the ceiling; the first that fails makes the row n/a.
                for path in SEARCH_QUERY_PATHS:
                    answer = fetch(real.port, path)
                    if answer.status != 200:
                        identity = answer
                        break
                    captured[path] = capture_entry(answer, fetch(real.port, path, accept_gzip=True))
        except OSError as error:
            entry.update(status="n/a", reason=f"request failed: {error}")
            continue
        if identity.status != 200:
            try:  # a JSON error: shown unescaped
                body = json.dumps(json.loads(identity.body), ensure_ascii=False)
            except ValueError:
                body = identity.body.decode(errors="replace")
            body = " ".join(body[:200].split())
            entry.update(status="n/a", reason=f"HTTP {identity.status}: {body}")
            continue
        entry.update(
            status="ok",
            content_type=identity.header("Content-Type"),
            bytes=len(identity.body),
            gzip_bytes_served=len(gzipped.body),
            content_encoding_served=gzipped.header("Content-Encoding"),
            gzip6_bytes_local=len(gzip.compress(identity.body, compresslevel=6, mtime=0)),
            headers=[[k, v] for k, v in identity.headers if k.lower() not in _HOP_HEADERS],
        )
        if endpoint.variant == "cached":
            captured[endpoint.path] = capture_entry(identity, gzipped)
        if endpoint.key == "search_nocache":
            entry["queries"] = list(SEARCH_QUERIES)

    vary = None
    if results["list_uncached"]["status"] == "ok":
        # Every page for the ceiling, and check the app reads zero-padded page numbers as numbers.
        for page in range(1, pages + 1):
            path = f"/api/v1/notices?page={page}&page_size={PAGE_SIZE}"
            captured[path] = capture_entry(fetch(real.port, path), fetch(real.port, path, accept_gzip=True))
        padded = fetch(real.port, f"/api/v1/notices?page=0001&page_size={PAGE_SIZE}")
        pad = padded.status == 200 and padded.body == list_probe.body
        results["list_uncached"].update(
            pages=pages,
            zero_padding=pad,
            no_cache_env=no_cache_env,
            url_scheme=(
                "page 1 of 20, page and page_size padded with r mod 100 and r // 100 mod 100 zeros: "
                "a new URL per request"
                if pad
                else "page 1 of 20 (the app refused zero-padded numbers: the URL repeats)"
            ),
        )

        def vary(offset, pad=pad):
            return LUA_VARY_PAGES, [
                str(pages),
                str(offset),
                str(args.threads),
                str(PAGE_SIZE),
                "pad" if pad else "nopad",
            ]

    captured_path = workdir / "captured.json"
    captured_path.write_text(json.dumps(captured))
    bare_env = {**env, "BENCH_BARE_RESPONSES": str(captured_path)}
    bare = Server("bare", "bare_app:app", bare_env, args, workdir, pythonpath=str(BENCH))
    bare.start()
    uncached = None
    if any(e.variant != "cached" and results[e.key]["status"] == "ok" for e in ENDPOINTS):
        uncached = Server("app-no-cache", "smart_qn:create_app()", {**env, **no_cache_env}, args, workdir)
        uncached.start()

    # The ceiling must answer byte for byte like the app.
    for path, item in captured.items():
        if path.startswith(LIST_PATH.split("?")[0] + "?page=") and path != LIST_PATH:
            continue
        got = fetch(bare.port, path)
        if got.body != base64.b64decode(item["body_b64"]) or got.status != item["status"]:
            raise RuntimeError(f"the bare app does not reproduce {path}")

    for endpoint in ENDPOINTS:
        entry = results[endpoint.key]
        if entry["status"] != "ok":
            continue
        if endpoint.variant == "uncached":
            # Every request is a new URL, so the response cache never answers: each list is built. What
            # the app keeps besides responses (the total of a paged list) counts as part of building it.
            log(f"{endpoint.key}: app (a new URL every request) ...")
            entry["app"] = measure(args, real, LIST_PATH, vary)
            log(f"{endpoint.key}: ceiling ...")
            entry["ceiling"] = measure(args, bare, LIST_PATH, vary)
        elif endpoint.variant == "nocache":

            def vary_search(offset):
                return LUA_VARY_SEARCH, [str(offset), str(args.threads), *SEARCH_QUERY_PATHS]

            log(f"{endpoint.key}: app {endpoint.path} (response cache off: {args.no_cache_env}) ...")
            entry["app"] = measure(args, uncached, endpoint.path, vary_search)
            log(f"{endpoint.key}: ceiling ...")
            entry["ceiling"] = measure(args, bare, endpoint.path, vary_search)
        else:
            log(f"{endpoint.key}: app {endpoint.path} ...")
            entry["app"] = measure(args, real, endpoint.path)
            log(f"{endpoint.key}: ceiling ...")
            entry["ceiling"] = measure(args, bare, endpoint.path)
        app_run, ceiling_run = entry["app"], entry["ceiling"]
        entry["rps_ratio"] = round(app_run["rps"] / ceiling_run["rps"], 3) if ceiling_run["rps"] else None
        entry["cpu_ratio"] = (
            round(app_run["cpu_ms_per_request"] / ceiling_run["cpu_ms_per_request"], 2)
            if app_run["cpu_ms_per_request"] and ceiling_run["cpu_ms_per_request"]
            else None
        )
        log(
            f"{endpoint.key}: {app_run['rps']} req/s ({entry['rps_ratio']} of {ceiling_run['rps']}), "
            f"{app_run['cpu_ms_per_request']} CPU ms/req, p99 {app_run['latency_ms']['p99']} ms"
        )

    if max_requests:  # what recycling would add per request, spread evenly
        worker_recycling["amortized_cpu_ms_per_request"] = round(
            real.settings["worker_boot_cpu_s"] * 1000 / max_requests, 3
        )
    servers = {
        s.name: {"port": s.port, **s.settings, "rss_mb_at_end": s.rss_mb()}
        for s in (real, bare, uncached)
        if s
    }
    document = {
        "started_at": started_at.isoformat(timespec="seconds"),
        "finished_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "setup": {
            "database": "sqlite (temporary file)" if not args.database_url else "given --database-url",
            "notices_generated": args.notices,
            "anchor": args.anchor,
            "live_notices": live_total,
            "seed_output": seeded,
            "wrk": {
                "threads": args.threads,
                "connections": args.connections,
                "duration_s": args.duration,
                "warmup_s": args.warmup,
                "accept_gzip": args.accept_gzip,
                "cpu": args.client_cpu,
            },
            "server_cpu": args.server_cpu,
            "project_gunicorn_conf": project_conf,
            "source": source,
            "worker_recycling": worker_recycling,
            "servers": servers,
            "app_env": {k: v for k, v in env.items() if k.startswith("SMART_QN_") and k not in _PRIVATE_ENV},
            "environment": environment_info(args),
        },
        "targets": evaluate_targets(results, args),
        "endpoints": results,
    }
    output = Path(args.output) if args.output else next_results_path(started_at)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    print_table(document)
    print(f"\nresults: {output.relative_to(ROOT) if output.is_relative_to(ROOT) else output}")
    return 0


def next_results_path(started_at: dt.datetime) -> Path:
    day = started_at.date().isoformat()
    path, n = BENCH / "results" / f"{day}.json", 1
    while path.exists():
        n += 1
        path = BENCH / "results" / f"{day}-{n}.json"
    return path


def evaluate_targets(results: dict, args) -> list[dict]:
    def verdict(ok: bool | None) -> str:
        return "n/a" if ok is None else ("PASS" if ok else "FAIL")

    targets = []
    for key in ("list", "detail"):
        entry = results[key]
        ratio = entry.get("rps_ratio")
        measured = entry.get("reason", entry["status"])
        if ratio is not None:
            # The same comparison by CPU cost (immune to other processes taking the server's CPU).
            measured = f"{ratio:.0%} (by CPU per request: {1 / entry['cpu_ratio']:.0%})"
        targets.append(
            {
                "target": f"cached {key}: req/s >= {TARGETS['cached_ratio']:.0%} of the ceiling",
                "measured": measured,
                "verdict": verdict(None if ratio is None else ratio >= TARGETS["cached_ratio"]),
            }
        )
    entry = results["list_uncached"]
    cpu = entry.get("app", {}).get("cpu_ms_per_request")
    targets.append(
        {
            "target": f"uncached list of 20 from {args.notices:,} notices: "
            f"<= {TARGETS['uncached_cpu_ms']} ms server CPU per request (SQLite)",
            "measured": f"{cpu:.2f} ms" if cpu is not None else entry.get("reason", entry["status"]),
            "verdict": verdict(None if cpu is None else cpu <= TARGETS["uncached_cpu_ms"]),
        }
    )
    # Judged on the search with the response cache off (each request searches); the cached figure beside.
    cached, uncached = results["search"], results["search_nocache"]
    p99 = uncached.get("app", {}).get("latency_ms", {}).get("p99")
    cached_p99 = cached.get("app", {}).get("latency_ms", {}).get("p99")
    at8 = args.connections == 8
    if p99 is not None:
        measured = f"{p99:.1f} ms with the response cache off"
        if cached_p99 is not None:
            measured += f" ({cached_p99:.1f} ms cached)"
        measured += f", at {args.connections} connections"
    else:
        measured = uncached.get("reason", uncached["status"])
    targets.append(
        {
            "target": f"search p99 < {TARGETS['search_p99_ms']:g} ms at 8 concurrent clients",
            "measured": measured,
            "verdict": verdict(None if p99 is None or not at8 else p99 < TARGETS["search_p99_ms"]),
        }
    )
    entry = results["home"]
    if entry["status"] == "ok":
        served = entry["content_encoding_served"] == "gzip"
        size = entry["gzip_bytes_served"] if served else entry["gzip6_bytes_local"]
        measured = (
            f"{size:,} B gzip as served"
            if served
            else f"{size:,} B gzip -6 computed locally (the app sent it uncompressed: "
            f"{entry['gzip_bytes_served']:,} B)"
        )
        ok = size < TARGETS["home_gzip_bytes"]
        verdict_text = verdict(ok) if served else f"{verdict(ok)} (not compressed by the app)"
    else:
        measured, verdict_text = entry.get("reason", entry["status"]), "n/a"
    targets.append(
        {
            "target": f"home payload for a commune < {TARGETS['home_gzip_bytes']:,} B compressed",
            "measured": measured,
            "verdict": verdict_text,
        }
    )
    return targets


def print_table(document: dict) -> None:
    setup = document["setup"]
    wrk = setup["wrk"]
    app_settings = setup["servers"]["app"]
    print()
    print(
        f"Smart Quảng Nam load benchmark, {document['started_at']} "
        f"(commit {(setup['environment']['git_commit'] or '?')[:10]}"
        f"{', working tree dirty' if setup['environment']['git_dirty_files'] else ''})"
    )
    print(
        f"server: gunicorn {app_settings.get('workers')} x {app_settings.get('worker_class')} "
        f"{app_settings.get('threads')} threads on CPU {setup['server_cpu']}"
        f"{' (project gunicorn.conf.py)' if setup['project_gunicorn_conf'] else ''}; "
        f"load: wrk -t{wrk['threads']} -c{wrk['connections']} -d{wrk['duration_s']:g}s on CPU {wrk['cpu']} "
        f"after {wrk['warmup_s']:g}s warm-up; SQLite, {setup['notices_generated']:,} notices "
        f"({setup['live_notices']} live), anchor {setup['anchor']}"
    )
    header = (
        f"{'endpoint':<26} {'req/s':>8} {'ceiling':>8} {'ratio':>6} {'CPU ms':>7} {'ceiling':>7} "
        f"{'x ceil':>6} {'p50 ms':>7} {'p99 ms':>7} {'errors':>6} {'bytes':>7} {'gzip':>7} {'noise':>5}"
    )
    print()
    print(header)
    print("-" * len(header))
    for entry in document["endpoints"].values():
        if entry["status"] != "ok" or "app" not in entry:
            reason = f"   ({entry['reason'][:80]})" if "reason" in entry else ""
            print(f"{entry['label']:<26} {entry['status']:>8}{reason}")
            continue
        app_run, ceiling = entry["app"], entry["ceiling"]
        errors = sum(app_run["errors"].values())
        gzip_cell = (
            f"{entry['gzip_bytes_served']:,}"
            if entry["content_encoding_served"]
            else f"({entry['gzip6_bytes_local']:,})"
        )
        print(
            f"{entry['label']:<26} {app_run['rps']:>8.1f} {ceiling['rps']:>8.1f} {entry['rps_ratio']:>6.0%} "
            f"{app_run['cpu_ms_per_request']:>7.3f} {ceiling['cpu_ms_per_request']:>7.3f} "
            f"{entry['cpu_ratio']:>6.1f} {app_run['latency_ms']['p50']:>7.2f} "
            f"{app_run['latency_ms']['p99']:>7.2f} {errors:>6} {entry['bytes']:>7,} {gzip_cell:>7} "
            f"{max(app_run['server_cpu_other_util'] or 0, ceiling['server_cpu_other_util'] or 0):>5.0%}"
        )
    print()
    print("ratio: the app's req/s over the ceiling's; x ceil: its CPU ms per request over the ceiling's;")
    print("gzip: bytes sent for 'Accept-Encoding: gzip', or (in brackets) gzip -6 of the body when the app")
    print(
        "sent it uncompressed. errors: wrk socket errors plus non-2xx/3xx answers. noise: the largest share"
    )
    print(
        "of the server's CPU taken by anything else (other processes, interrupts) in the app or ceiling run."
    )
    runs = [
        (entry["label"], name, run)
        for entry in document["endpoints"].values()
        for name in ("app", "ceiling")
        if (run := entry.get(name))
    ]
    for label, name, run in runs:
        if (
            (run["server_cpu_other_util"] or 0) > 0.05
            or run["client_wrk_cpu_util"] > 0.9
            or run["worker_restarts"]
        ):
            print(
                f"warning: {label} ({name}): other load on the server CPU "
                f"{run['server_cpu_other_util']:.0%}, "
                f"wrk {run['client_wrk_cpu_util']:.0%} of the client CPU, "
                f"worker restarts {run['worker_restarts']}"
            )
    for label, name, run in runs:
        shares = run.get("worker_cpu_shares") or []
        if len(shares) > 1 and shares[1] > 0.05:
            split = " / ".join(f"{share:.0%}" for share in shares)
            print(
                f"note: {label} ({name}): wrk's connections were split between the workers (CPU {split}); "
                "see 'Reading latency' in bench/README.md"
            )
    shared = [run["client_cpu_other_util"] or 0 for _, _, run in runs]
    if shared and max(shared) > 0.5:
        print(
            f"note: other processes used up to {max(shared):.0%} of the client CPU (wrk's) in "
            f"{sum(share > 0.5 for share in shared)} of {len(shared)} runs: latencies may read a little high."
        )
    print()
    print("Targets:")
    for target in document["targets"]:
        print(f"  {target['verdict']:<5} {target['target']}: {target['measured']}")


if __name__ == "__main__":
    sys.exit(main())
