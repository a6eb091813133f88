"""Run checkov for several directories from one process: import once, fork once per job.

Checkov takes 10-25 s just to import on a busy 2-core machine; forking after the import makes each
extra scan cost seconds instead. Each child gets a clean copy of checkov's module-level state (its
runners cache parsed definitions, so one process must not scan twice).

Usage: python checkov_driver.py JOBS_JSON, where JOBS_JSON is a list of
{"dir": ..., "var_file": ... or null, "out": <folder for results_json.json>}. Exit code: 0 when every
child finished (whatever it found), 3 when one crashed.
"""

from __future__ import annotations

import json
import os
import sys
import traceback


def _scan(job: dict[str, str | None]) -> int:
    from checkov.main import Checkov

    argv = [
        "-d",
        str(job["dir"]),
        "--framework",
        "terraform",
        "--download-external-modules",
        "false",
        "--skip-download",
        "--quiet",
        "--compact",
        "-o",
        "json",
        "--output-file-path",
        str(job["out"]),
    ]
    if job.get("var_file"):
        argv += ["--var-file", str(job["var_file"])]
    return int(Checkov(argv).run() or 0)


def main() -> int:
    jobs = json.loads(sys.argv[1])
    import checkov.main  # noqa: F401  # the slow part, paid once before forking

    children = {}
    for job in jobs:
        pid = os.fork()
        if pid == 0:
            try:
                code = _scan(job)
            except BaseException:
                traceback.print_exc()
                code = 3
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(0 if code in (0, 1) else 3)
        children[pid] = job
    worst = 0
    for pid in children:
        _, status = os.waitpid(pid, 0)
        worst = max(worst, os.waitstatus_to_exitcode(status))
    return 3 if worst else 0


if __name__ == "__main__":
    sys.exit(main())
