"""The load generator, run as `python -m sagespec.ops.loadrun` by `sagespec loadtest`.

Locust monkey-patches the standard library with gevent the moment it is imported, so it runs in
a process of its own: the CLI (and pytest) never see patched sockets. Reads a JSON job on stdin,
runs headless for the given duration, prints one JSON result line on stdout.
"""

from __future__ import annotations

import json
import sys
import time
from typing import Any


def _import_locust() -> Any:
    from gevent import monkey  # type: ignore[import-untyped]

    monkey.patch_all()  # what locust does on import; done first so ssl is patched before urllib3 loads it
    import urllib3.util  # type: ignore[import-untyped]

    if not hasattr(urllib3.util, "create_urllib3_context"):
        # locust's HTTP client imports this urllib3 2 name; urllib3 1.26 (pinned by checkov in the dev
        # extras) has it in util.ssl_ only. sagespec does not use that client, only its runner.
        from urllib3.util import ssl_

        urllib3.util.create_urllib3_context = ssl_.create_urllib3_context
    import locust

    return locust


def run(job: dict[str, Any]) -> dict[str, Any]:
    locust = _import_locust()
    import gevent
    from locust import User, constant, task
    from locust.env import Environment

    from ..aws import Aws

    # One attempt per request: retries would hide throttling and distort the latencies measured.
    runtime = Aws(job["region"], job.get("profile")).client(
        "sagemaker-runtime", max_attempts=1, pool=max(10, int(job["users"]))
    )
    kwargs: dict[str, Any] = {
        "EndpointName": job["endpoint"],
        "Body": job["body"].encode("utf-8"),
        "ContentType": job["content_type"],
        "Accept": job.get("accept", "*/*"),
    }
    if job.get("component"):
        kwargs["InferenceComponentName"] = job["component"]

    class Invoker(User):
        wait_time = constant(0)

        @task
        def invoke(self) -> None:
            start, length, error = time.perf_counter(), 0, None
            try:
                length = len(runtime.invoke_endpoint(**kwargs)["Body"].read())
            except Exception as exc:  # every failure is a data point, not a crash
                error = exc
            self.environment.events.request.fire(
                request_type="invoke",
                name=job["component"] or job["endpoint"],
                response_time=(time.perf_counter() - start) * 1000,
                response_length=length,
                exception=error,
                context={},
            )

    env = Environment(user_classes=[Invoker], events=locust.events)
    runner = env.create_local_runner()
    runner.start(int(job["users"]), spawn_rate=float(job["spawn_rate"]))
    gevent.spawn_later(float(job["duration"]), runner.quit)
    runner.greenlet.join()
    return summarise(env.stats, int(job["users"]), float(job["duration"]))


def summarise(stats: Any, users: int, duration: float) -> dict[str, Any]:
    total = stats.total
    count = int(total.num_requests)
    pct = {
        f"p{int(q * 100)}_ms": (total.get_response_time_percentile(q) if count else None)
        for q in (0.5, 0.9, 0.99)
    }
    errors = sorted(stats.errors.values(), key=lambda e: -e.occurrences)
    return {
        "users": users,
        "duration_s": duration,
        "requests": count,
        "failures": int(total.num_failures),
        "failure_ratio": round(total.fail_ratio, 4),
        "requests_per_s": round(total.total_rps, 2),
        **pct,
        "avg_ms": round(total.avg_response_time, 1) if count else None,
        "min_ms": round(total.min_response_time or 0, 1) if count else None,
        "max_ms": round(total.max_response_time, 1) if count else None,
        "errors": [{"error": str(e.error)[:300], "count": e.occurrences} for e in errors[:5]],
    }


def main() -> int:
    result = run(json.loads(sys.stdin.read()))
    sys.stdout.write(json.dumps(result) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
