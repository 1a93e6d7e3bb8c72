"""The push benchmark of issue 5 (bench/README.md, "Push"): `bench/push [options]`.

1. Approval latency: a real `smart-qn worker`, idle, on a SQLite database and a SQLite queue file; FCM is
   the tests' stand-in in a process of its own (bench/push_standin.py). Each round a communicator drafts a
   province-wide emergency push, records its test send and submits it; after the worker has been idle long
   enough for its polling to settle, a second communicator approves it; the time runs from just before that
   commit to the moment the stand-in has accepted the push's last condition message.
2. Dispatch throughput (`push_bench.py throughput`, a process of its own, since the job queue is one per
   process): 10,000 tokens sent by `deliver` (rows planned by `plan_tokens`) through FcmTransport, against a
   bare loop of firebase-admin's `send_each` over the same messages in batches of 500 through the same
   App and connection pool, alternating, several repetitions.

Writes bench/results/<date>-push.json and prints a summary.
"""

import argparse
import contextlib
import datetime as dt
import inspect
import json
import logging
import os
import platform
import queue
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

WARMUP_TOKENS = 1_500
BODY_VI = (
    "Mưa lớn kéo dài, nước sông Vu Gia - Thu Bồn đang lên nhanh. Người dân vùng trũng thấp di chuyển "
    "ngay đến nơi an toàn theo hướng dẫn của chính quyền địa phương."
)
BODY_EN = (
    "Heavy rain continues and the Vu Gia - Thu Bon rivers are rising fast. Residents of low-lying areas "
    "must move to safety now, following local authorities' instructions."
)


def settings_for(directory: Path, name: str, standin: dict) -> dict:
    return {
        "DATABASE_URL": f"sqlite:///{directory / f'{name}.sqlite3'}",
        "TASK_QUEUE_URL": f"sqlite:///{directory / f'{name}-queue.sqlite3'}",
        "TASK_QUEUE_IMMEDIATE": False,
        "FIREBASE_CREDENTIALS": standin["credentials"],
        "FIREBASE_PROJECT_ID": standin["project_id"],
        "FCM_ENDPOINT_OVERRIDE": standin["url"],
        # Every round is a province-wide push: the daily cap would stop the run after five.
        "PUSH_DAILY_PROVINCE_WIDE_CAP": 100_000,
    }


def prepared_app(settings: dict):
    """The app on a new database, migrated, with the units and two communicators."""
    from flask_migrate import upgrade

    from smart_qn import create_app
    from smart_qn.accounts.users import User
    from smart_qn.content import demo
    from smart_qn.extensions import db

    app = create_app(settings)
    with app.app_context():
        logging.disable(logging.INFO)  # alembic's line per migration
        upgrade()
        logging.disable(logging.NOTSET)
        demo.load_units()
        for number in (1, 2):
            db.session.add(
                User(
                    email=f"communicator{number}@bench.quangnam.gov.vn",
                    display_name=f"Communicator {number}",
                    password_hash="!",
                    is_communicator=True,
                )
            )
        db.session.commit()
    return app


def communicators():
    from sqlalchemy import select

    from smart_qn.accounts.users import User
    from smart_qn.extensions import db

    return db.session.scalars(select(User).where(User.is_communicator).order_by(User.id)).all()


# The stand-in's process


class Standin:
    def __init__(self, directory: Path):
        self.process = subprocess.Popen(
            [sys.executable, str(HERE / "push_standin.py"), str(directory)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        self.info = json.loads(self.process.stdout.readline())
        self.accepted: queue.Queue = queue.Queue()
        threading.Thread(target=self._read, name="standin-reader", daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.accepted.put(json.loads(line))

    def accepted_for(self, notification_id: int, count: int, timeout: float) -> list[dict]:
        """The first `count` accepted messages of the push (others are dropped), waiting at most `timeout`."""
        found, deadline = [], time.monotonic() + timeout
        while len(found) < count:
            event = self.accepted.get(timeout=max(deadline - time.monotonic(), 0.001))
            if event["notification_id"] == str(notification_id):
                found.append(event)
        return found

    def stop(self) -> None:
        with contextlib.suppress(OSError):
            self.process.stdin.close()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


# 1. Approval latency


def idle_settle_seconds(initial: float, backoff: float, maximum: float) -> float:
    """How long a Huey consumer thread must find the queue empty before it polls at its longest interval."""
    waited, delay = 0.0, initial
    while delay < maximum:
        waited += delay
        delay *= backoff
    return waited + maximum


def worker_polling() -> dict:
    """The polling parameters `smart-qn worker` gives its consumer (Huey's defaults unless it sets them)."""
    from huey.consumer import Consumer

    from smart_qn import cli

    defaults = {
        name: parameter.default
        for name, parameter in inspect.signature(Consumer.__init__).parameters.items()
        if name in ("initial_delay", "backoff", "max_delay")
    }
    return defaults | getattr(cli, "WORKER_POLLING", {})


def approval_latency(app, standin: Standin, environment: dict, args, log) -> dict:
    from smart_qn.extensions import db
    from smart_qn.geography import province_on
    from smart_qn.push import notifications as push
    from smart_qn.push.notifications import PushNotification, PushState
    from smart_qn.push.topics import Audience, conditions_for, unit_tree

    polling = worker_polling()
    settle = idle_settle_seconds(polling["initial_delay"], polling["backoff"], polling["max_delay"])
    idle = args.idle if args.idle is not None else settle
    log(
        f"approval latency: {args.warmup} warm-up + {args.rounds} rounds, worker idle {idle:.1f} s "
        f"(+ up to one polling interval, at random) before each approval; consumer polling {polling}"
    )
    worker = subprocess.Popen(
        [str(Path(sys.executable).with_name("smart-qn")), "worker"],
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    worker_log: list[str] = []
    threading.Thread(target=lambda: worker_log.extend(worker.stderr), daemon=True).start()
    samples, commits, rounds = [], [], []
    try:
        with app.app_context():
            province = province_on(app.config["UNITS_AS_OF"])
            expected = len(conditions_for(Audience(units=frozenset({province.id})), unit_tree()))
            composer, approver = communicators()
            for number in range(args.warmup + args.rounds):
                draft = push.create_draft(
                    {
                        "title_vi": f"Cảnh báo lũ khẩn cấp ({number + 1})",
                        "body_vi": BODY_VI,
                        "title_en": f"Emergency flood warning ({number + 1})",
                        "body_en": BODY_EN,
                        "audience_unit_ids": [province.id],
                        "urgency": "emergency",
                    },
                    composer,
                )
                push.record_test_send(draft, composer)
                push.submit(draft, composer, estimated_reach=0)
                db.session.commit()
                time.sleep(idle + random.uniform(0, polling["max_delay"]))
                push.approve(draft, approver)
                t0 = time.monotonic()
                db.session.commit()
                committed = time.monotonic()
                try:
                    accepted = standin.accepted_for(draft.id, expected, timeout=60)
                except queue.Empty:
                    raise SystemExit(
                        f"push {draft.id}: the stand-in did not accept its {expected} messages within 60 s; "
                        "worker output:\n" + "".join(worker_log[-30:])
                    ) from None
                t1 = max(event["at"] for event in accepted)
                _wait_until_sent(draft.id, PushNotification, PushState)
                latency = t1 - t0
                warmup = number < args.warmup
                rounds.append({"push_id": draft.id, "warmup": warmup, "seconds": round(latency, 4)})
                if not warmup:
                    samples.append(latency)
                    commits.append(committed - t0)
                log(f"  round {number + 1:>2}{' (warm-up)' if warmup else ''}: {latency * 1000:7.1f} ms")
    finally:
        worker.send_signal(signal.SIGINT)
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait()
    return {
        "messages_per_push": expected,
        "worker": {"command": "smart-qn worker", "consumer_polling": polling},
        "idle_seconds_before_approval": f"{idle:.2f} + uniform(0, {polling['max_delay']})",
        "rounds": rounds,
        "ms": summary_ms(samples),
        "commit_ms": summary_ms(commits),
        "target_p99_ms": 2000,
        "met": percentile(samples, 99) < 2.0,
    }


def _wait_until_sent(push_id: int, PushNotification, PushState) -> None:
    """The worker finishes the push (and goes idle) before the next round starts."""
    from smart_qn.extensions import db

    deadline = time.monotonic() + 60
    while True:
        db.session.expire_all()
        state = db.session.get(PushNotification, push_id).state
        db.session.rollback()
        if state is PushState.SENT:
            return
        if time.monotonic() > deadline:
            raise SystemExit(f"push {push_id} still {state} a minute after its messages were accepted")
        time.sleep(0.02)


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile: with 30 samples, p99 is the largest."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * pct // 100))
    return ordered[int(rank) - 1]


def summary_ms(values: list[float]) -> dict:
    return {
        "n": len(values),
        "p50": round(percentile(values, 50) * 1000, 1),
        "p90": round(percentile(values, 90) * 1000, 1),
        "p99": round(percentile(values, 99) * 1000, 1),
        "max": round(max(values) * 1000, 1),
        "mean": round(statistics.fmean(values) * 1000, 1),
    }


# 2. Throughput (in a process of its own)


def throughput(args) -> None:
    from firebase_admin import messaging

    from smart_qn.dbtypes import utcnow
    from smart_qn.extensions import db
    from smart_qn.geography import AdminUnit
    from smart_qn.push import delivery
    from smart_qn.push import notifications as push
    from smart_qn.push.delivery import Purpose, PushDelivery
    from smart_qn.push.fcm import firebase_message
    from smart_qn.push.notifications import PushState
    from smart_qn.push.transport import MAX_SEND_EACH, transport_for

    standin = json.loads(args.standin)
    app = prepared_app(settings_for(Path(args.directory), "throughput", standin))
    tokens = [f"bench-token-{number:06d}-{'t' * 140}" for number in range(args.tokens)]
    with app.app_context():
        district = db.session.query(AdminUnit).filter_by(code="513").first()
        composer = communicators()[0]
        transport = transport_for(app)
        pool = transport._service._client.session.get_adapter(standin["url"])

        def new_push(number: int):
            draft = push.create_draft(
                {
                    "title_vi": f"Thông báo lịch cắt điện ({number})",
                    "body_vi": BODY_VI,
                    "audience_unit_ids": [district.id],
                    "urgency": "important",
                },
                composer,
            )
            push.submit(draft, composer, estimated_reach=100)
            push.start_sending(draft, utcnow())
            return draft

        def run_deliver(number: int, count: int) -> dict:
            draft = new_push(number)
            started = time.monotonic()
            delivery.plan_tokens(draft, {"vi": tokens[:count]}, Purpose.AUDIENCE)
            db.session.commit()
            planned = time.monotonic()
            delivery.deliver.call_local(draft.id)
            finished = time.monotonic()
            db.session.refresh(draft)
            accepted = sum(
                row.success_count for row in db.session.query(PushDelivery).filter_by(push_id=draft.id)
            )
            assert draft.state is PushState.SENT and accepted == count, (draft.state, accepted)
            return {
                "tokens": count,
                "seconds": finished - planned,
                "plan_seconds": planned - started,
                "messages_per_second": count / (finished - planned),
            }

        # The bare loop's messages: what deliver sends to the same tokens, built before the clock starts.
        sample = new_push(0)
        db.session.commit()
        bare_messages = [firebase_message(push.message_for(sample, "vi", token=token)) for token in tokens]

        def run_bare(_number: int, count: int) -> dict:
            started, accepted = time.monotonic(), 0
            for start in range(0, count, MAX_SEND_EACH):
                batch = messaging.send_each(
                    bare_messages[start : min(start + MAX_SEND_EACH, count)], app=transport._app
                )
                accepted += batch.success_count
            finished = time.monotonic()
            assert accepted == count, accepted
            return {
                "tokens": count,
                "seconds": finished - started,
                "messages_per_second": count / (finished - started),
            }

        runs = []
        for repetition in range(args.tput_warmup + args.repeats):
            order = [("deliver", run_deliver), ("bare", run_bare)]
            if repetition % 2:
                order.reverse()
            warmup = repetition < args.tput_warmup
            # A warm-up opens the pool's connections and fetches the access token: a few batches do it.
            count = min(len(tokens), WARMUP_TOKENS) if warmup else len(tokens)
            for kind, run in order:
                result = run(repetition + 1, count) | {
                    "kind": kind,
                    "repetition": repetition + 1,
                    "warmup": warmup,
                }
                runs.append(result)
                print(
                    f"  {kind:>7} {'(warm-up) ' if result['warmup'] else ''}"
                    f"{result['messages_per_second']:8.0f} msg/s",
                    file=sys.stderr,
                    flush=True,
                )
        pool_size = pool.poolmanager.connection_pool_kw.get("maxsize")
        transport.close()
    print(json.dumps({"runs": runs, "pool_maxsize": pool_size}))


def throughput_summary(runs: list[dict], tokens: int) -> dict:
    measured = [run for run in runs if not run["warmup"]]
    deliver = [run["messages_per_second"] for run in measured if run["kind"] == "deliver"]
    bare = [run["messages_per_second"] for run in measured if run["kind"] == "bare"]
    # Each repetition's deliver against the bare loop run right beside it.
    paired = [
        d["messages_per_second"] / b["messages_per_second"]
        for d, b in zip(
            [run for run in measured if run["kind"] == "deliver"],
            [run for run in measured if run["kind"] == "bare"],
            strict=True,
        )
    ]
    plan = [run["plan_seconds"] for run in measured if run["kind"] == "deliver"]
    ratio = statistics.median(deliver) / statistics.median(bare)
    return {
        "tokens": tokens,
        "deliver_msg_per_s": {
            "median": round(statistics.median(deliver)),
            "all": [round(v) for v in deliver],
        },
        "bare_send_each_msg_per_s": {
            "median": round(statistics.median(bare)),
            "all": [round(v) for v in bare],
        },
        "ratio_of_medians": round(ratio, 3),
        "ratio_per_repetition": [round(value, 3) for value in paired],
        "plan_tokens_and_commit_ms": {"median": round(statistics.median(plan) * 1000, 1)},
        "target_ratio": 0.8,
        "met": ratio >= 0.8,
    }


# The run


def results_path(day: str) -> Path:
    path, number = HERE / "results" / f"{day}-push.json", 2
    while path.exists():
        path, number = HERE / "results" / f"{day}-{number}-push.json", number + 1
    return path


def git_commit() -> str | None:
    with contextlib.suppress(OSError, subprocess.CalledProcessError):
        return subprocess.check_output(["git", "-C", str(ROOT), "rev-parse", "HEAD"], text=True).strip()
    return None


def main() -> None:
    parser = argparse.ArgumentParser(prog="bench/push", description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=30, help="measured approvals (default 30)")
    parser.add_argument("--warmup", type=int, default=2, help="approvals before them, not counted")
    parser.add_argument(
        "--idle",
        type=float,
        help="seconds the worker stays idle before each approval (default: until its polling has "
        "settled at its longest interval)",
    )
    parser.add_argument("--tokens", type=int, default=10_000, help="tokens per throughput run")
    parser.add_argument("--repeats", type=int, default=3, help="measured deliver/bare pairs")
    parser.add_argument("--tput-warmup", type=int, default=1, help="pairs before them, not counted")
    parser.add_argument("--only", choices=("latency", "throughput"), help="run one part")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    parser.add_argument("--standin", help=argparse.SUPPRESS)
    parser.add_argument("--directory", help=argparse.SUPPRESS)
    if len(sys.argv) > 1 and sys.argv[1] == "throughput":
        throughput(parser.parse_args(sys.argv[2:]))
        return
    args = parser.parse_args()

    def log(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    started = dt.datetime.now(dt.UTC)
    directory = Path(tempfile.mkdtemp(prefix="smart-qn-push-bench-"))
    standin = None
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        standin = Standin(directory)
        log(f"FCM stand-in at {standin.info['url']} (its own process); files in {directory}")
        record = {
            "started": started.isoformat(timespec="seconds"),
            "commit": git_commit(),
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "loadavg_at_start": os.getloadavg(),
            "settings": {
                key: value for key, value in vars(args).items() if key not in ("standin", "directory")
            },
        }
        from firebase_admin import __version__ as firebase_admin_version
        from huey import __version__ as huey_version

        record["versions"] = {"firebase_admin": firebase_admin_version, "huey": huey_version}
        if args.only != "throughput":
            settings = settings_for(directory, "latency", standin.info)
            app = prepared_app(settings)
            environment = os.environ | {
                f"SMART_QN_{key}": json.dumps(value) if isinstance(value, bool) else str(value)
                for key, value in settings.items()
            }
            record["approval_latency"] = approval_latency(app, standin, environment, args, log)
        if args.only != "latency":
            log(
                f"throughput: {args.tokens:,} tokens, {args.tput_warmup} warm-up + {args.repeats} "
                "pairs of deliver / bare send_each, alternating"
            )
            output = subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "throughput",
                    f"--tokens={args.tokens}",
                    f"--repeats={args.repeats}",
                    f"--tput-warmup={args.tput_warmup}",
                    f"--standin={json.dumps(standin.info)}",
                    f"--directory={directory}",
                ],
                stdout=subprocess.PIPE,
                text=True,
                check=True,
            ).stdout
            measured = json.loads(output)
            record["throughput"] = throughput_summary(measured["runs"], args.tokens) | {
                "pool_maxsize": measured["pool_maxsize"],
                "runs": measured["runs"],
            }
        record["seconds"] = round((dt.datetime.now(dt.UTC) - started).total_seconds(), 1)
        record["loadavg_at_end"] = os.getloadavg()
    finally:
        if standin is not None:
            standin.stop()
        if args.keep:
            log(f"kept {directory}")
        else:
            shutil.rmtree(directory, ignore_errors=True)
    path = results_path(started.date().isoformat())
    path.write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n")
    print_summary(record, path)


def print_summary(record: dict, path: Path) -> None:
    print()
    latency = record.get("approval_latency")
    if latency:
        ms = latency["ms"]
        print(
            f"approval → FCM accepted ({latency['messages_per_push']} condition messages, n={ms['n']}): "
            f"p50 {ms['p50']} ms, p90 {ms['p90']} ms, p99 {ms['p99']} ms, max {ms['max']} ms "
            f"(approval commit p50 {latency['commit_ms']['p50']} ms) — target p99 < 2 s: "
            f"{'met' if latency['met'] else 'NOT met'}"
        )
    tput = record.get("throughput")
    if tput:
        print(
            f"per-token dispatch, {tput['tokens']:,} tokens: "
            f"deliver {tput['deliver_msg_per_s']['median']} msg/s, "
            f"bare send_each {tput['bare_send_each_msg_per_s']['median']} msg/s (medians), "
            f"ratio {tput['ratio_of_medians']:.0%} (per pair: "
            f"{', '.join(f'{value:.0%}' for value in tput['ratio_per_repetition'])}) — target ≥ 80 %: "
            f"{'met' if tput['met'] else 'NOT met'}"
        )
    print(f"run took {record['seconds']} s; written to {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
