"""Timing and machine description shared by the benchmarks.

Every comparison runs its contenders in one process, one epoch each in turn (A B C A B C ...,
the order reversed every other round so slow drift of the machine cancels), and reports the
median of the timed epochs after a warm-up round, plus the median over rounds of each
contender's time divided by glassnet's in the same round. Each timed epoch directly follows an
untimed one of the same contender (see ``interleaved``).
"""

from __future__ import annotations

import os
import platform
import statistics
import time


def interleaved(contenders, rounds, warmup=1, pause=0.0, driver=None, warm=1):
    """Time one epoch of each contender per round; returns {name: [seconds per timed round]}.

    ``contenders`` maps a name to a function running one epoch. ``pause`` sleeps before each
    contender's turn so one library's idle worker threads (which spin for a while after a BLAS or
    OpenMP call) stop competing with the next library's. ``warm`` untimed epochs then run right
    before each timed one: on a shared machine a pause of 20 ms or more leaves the next epoch
    cold (a 6 ms epoch measured 9.5 ms after a 50 ms sleep, 6 ms after none), which would
    penalise the fastest contender most; training itself runs epoch after epoch, warm.

    ``driver`` = (name, train) times a contender whose epochs must run inside one call, as
    glassnet's ``fit(epochs=n)`` does (it validates its input once per call, not per epoch):
    ``train(n, between)`` trains n epochs, calls ``between()`` after each one and returns the
    seconds of each epoch. The other contenders' round runs inside ``between`` after every
    ``warm + 1`` epochs of the driver.
    """
    names = list(contenders)
    times = {name: [] for name in names}
    done = [0]
    per_round = warm + 1

    def one_round():
        r = done[0]
        done[0] += 1
        for name in (names if r % 2 == 0 else names[::-1]):
            if pause:
                time.sleep(pause)
            for _ in range(warm):
                contenders[name]()
            t0 = time.perf_counter()
            contenders[name]()
            elapsed = time.perf_counter() - t0
            if r >= warmup:
                times[name].append(elapsed)
        if pause and driver is not None:
            time.sleep(pause)

    if driver is None:
        for _ in range(warmup + rounds):
            one_round()
        return times
    name, train = driver
    epochs = [0]

    def between():
        epochs[0] += 1
        if epochs[0] % per_round == 0:
            one_round()

    seconds = train((warmup + rounds) * per_round, between)
    return {name: seconds[warm::per_round][warmup:], **times}


def summarize(times, n_samples, reference="glassnet"):
    """Samples/second (median epoch) per contender and the median per-round time ratio."""
    out = {}
    for name, ts in times.items():
        entry = {"epoch_seconds": ts, "median_seconds": statistics.median(ts),
                 "samples_per_second": n_samples / statistics.median(ts)}
        if name != reference and reference in times:
            ratios = [t / g for t, g in zip(ts, times[reference])]
            entry["glassnet_speedup"] = statistics.median(ratios)
        out[name] = entry
    return out


def cpu_name():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def machine_info(threads):
    """CPU, BLAS libraries (threadpoolctl) and library versions, for results.json."""
    import numpy
    import scipy
    import threadpoolctl

    import glassnet

    versions = {"python": platform.python_version(), "numpy": numpy.__version__,
                "scipy": scipy.__version__, "glassnet": getattr(glassnet, "__version__", "?")}
    for mod in ("torch", "sklearn"):
        try:
            versions[mod] = __import__(mod).__version__
        except ImportError:
            versions[mod] = None
    return {
        "cpu": cpu_name(),
        "logical_cpus": os.cpu_count(),
        "load_average_at_start": os.getloadavg(),
        "platform": platform.platform(),
        "threads_per_library": threads,
        "environment": {k: v for k, v in os.environ.items()
                        if k.startswith(("OPENBLAS", "OMP", "MKL"))},
        "blas": threadpoolctl.threadpool_info(),
        "versions": versions,
    }
