"""Run fuzz cases through ``glassnet.cli.main``, each in a forked child under a memory and a
time limit.

``python harness.py CASES.json RESULTS.json``: one worker process imports glassnet (and pandas,
matplotlib, rich) once, then forks a child per case, so a case costs milliseconds of start-up
and still cannot disturb the next one. Each child sets ``RLIMIT_AS`` to the worker's address
space plus ``MEMORY_LIMIT`` (an allocation past it fails: a blow-up shows as a ``MemoryError``
traceback), arms ``SIGALRM`` after ``TIME_LIMIT`` seconds (a hang shows as a kill), redirects
its standard output and error into files, and runs ``main(argv)`` in the case's folder. The
worker records the exit status, both outputs and the child's peak resident memory
(``wait4``'s ``ru_maxrss``, minus the worker's own at the fork).
"""

import json
import os
import resource
import signal
import sys
import time
import traceback

MEMORY_LIMIT = 1024 * 2**20  # bytes a case may add to the worker's address space
TIME_LIMIT = 30  # seconds of wall time per case (the slowest takes about 5 s of CPU)


def _status_kb(key):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return 0


def _child(case, out_path, err_path):
    os.chdir(case["cwd"])
    sys.stdout.flush()
    sys.stderr.flush()
    for fd, path in ((1, out_path), (2, err_path)):
        target = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        os.dup2(target, fd)
        os.close(target)
    limit = _status_kb("VmSize") * 1024 + MEMORY_LIMIT
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    signal.alarm(TIME_LIMIT)
    from glassnet.cli import main

    try:
        code = main(case["argv"])
    except SystemExit as e:
        code = e.code if isinstance(e.code, int) else 1
    except BaseException:  # a crash: the traceback is what the test reports
        traceback.print_exc()
        code = 99
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code if isinstance(code, int) and 0 <= code < 256 else 98)


def run(cases, folder):
    import matplotlib

    matplotlib.use("Agg")
    import numpy  # noqa: F401  (imported before the forks, as the CLI would)
    import pandas  # noqa: F401
    import rich.console  # noqa: F401

    import glassnet.cli
    import glassnet.io
    import glassnet.tabular

    glassnet.cli.build_parser()  # imports every command's module
    base_rss = _status_kb("VmRSS")
    results = []
    for i, case in enumerate(cases):
        out_path = os.path.join(folder, f"{i}.out")
        err_path = os.path.join(folder, f"{i}.err")
        start = time.perf_counter()
        pid = os.fork()
        if pid == 0:
            try:
                _child(case, out_path, err_path)
            finally:
                os._exit(97)
        deadline = start + TIME_LIMIT + 10
        while True:
            done, status, usage = os.wait4(pid, os.WNOHANG)
            if done:
                break
            if time.perf_counter() > deadline:
                os.kill(pid, signal.SIGKILL)
            time.sleep(0.002)
        with open(out_path, errors="replace") as f:
            stdout = f.read()
        with open(err_path, errors="replace") as f:
            stderr = f.read()
        results.append({
            "id": case["id"],
            "signal": os.WTERMSIG(status) if os.WIFSIGNALED(status) else None,
            "code": os.WEXITSTATUS(status) if os.WIFEXITED(status) else None,
            "stdout": stdout[-20000:], "stderr": stderr[-20000:],
            "seconds": round(time.perf_counter() - start, 3),
            "peak_mb": round(usage.ru_maxrss / 1024, 1),
            "added_mb": round(max(0, usage.ru_maxrss - base_rss) / 1024, 1),
        })
    return results


if __name__ == "__main__":
    with open(sys.argv[1]) as f:
        cases = json.load(f)
    results = run(cases, os.path.dirname(os.path.abspath(sys.argv[2])))
    with open(sys.argv[2], "w") as f:
        json.dump(results, f)
