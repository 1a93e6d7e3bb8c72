"""The FCM stand-in of the tests (tests/push/fcm_standin.py) in a process of its own, for bench/push.

`python bench/push_standin.py DIR` writes a service-account file into DIR, prints one JSON line (url,
project_id, credentials) and then one JSON line per accepted (200) topic or condition message: the
notification id, the condition and `at`, the CLOCK_MONOTONIC time its answer was ready, which is the same
clock in every process of the machine. Accepted token messages are only counted (there are tens of
thousands), and it keeps no record of the requests it answered (the tests' stand-in keeps them all). It
stops when its standard input closes, so it never outlives the benchmark.
"""

import json
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.push.fcm_standin import FcmStandin


class ReportingStandin(FcmStandin):
    def __init__(self):
        super().__init__()
        self._output = threading.Lock()
        self.accepted_tokens = 0

    def answer(self, method: str, path: str, query: dict, headers: dict, body: dict | None):
        status, answer, extra_headers = super().answer(method, path, query, headers, body)
        at = time.monotonic()
        with self._lock:
            self.requests.clear()
        message = body.get("message") if isinstance(body, dict) else None
        if status == 200 and isinstance(message, dict):
            if message.get("token"):
                with self._lock:
                    self.accepted_tokens += 1
            else:
                line = json.dumps(
                    {
                        "at": at,
                        "notification_id": message.get("data", {}).get("notification_id"),
                        "condition": message.get("condition") or message.get("topic"),
                    }
                )
                with self._output:
                    print(line, flush=True)
        return status, answer, extra_headers


def main() -> None:
    directory = Path(sys.argv[1])
    standin = ReportingStandin().start()
    credentials = standin.service_account_file(directory)
    print(
        json.dumps({"url": standin.url, "project_id": standin.project_id, "credentials": str(credentials)}),
        flush=True,
    )
    sys.stdin.read()
    standin.stop()


if __name__ == "__main__":
    main()
