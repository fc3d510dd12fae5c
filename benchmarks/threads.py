"""BLAS threads for small networks: one thread against all cores, on a quiet and a busy machine.

For networks from tiny to medium, times ``Sequential.fit`` epochs with BLAS on one thread and
on every core (``fit(threads=1)`` against ``fit(threads=None)``), alternating the two, first
with the machine as it is and then with ``--busy`` processes spinning on the cores (other jobs
of a shared machine). The size of each network's largest product of one batch (rows x n_in x
n_out multiply-adds) is printed beside it: ``glassnet.nn.threads.SMALL_PRODUCT`` is chosen from
where one thread stops winning.

    python benchmarks/threads.py                 # quiet, then busy with one spinner per core
    python benchmarks/threads.py --busy 0        # quiet only
"""

from __future__ import annotations

import argparse
import itertools
import json
import multiprocessing
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import common  # noqa: E402

# (name, layer sizes, batch size, rows)
NETWORKS = [
    ("bike 56-10-1", [56, 10, 1], 32, 8000),
    ("digits 64-128-10", [64, 128, 10], 200, 1400),
    ("table 30-64-1", [30, 64, 1], 200, 4000),
    ("wide 100-256-1", [100, 256, 1], 200, 4000),
    ("wider 200-512-10", [200, 512, 10], 200, 2000),
    ("medium 784-256-128-10", [784, 256, 128, 10], 256, 2048),
    ("medium 784-256-128-10", [784, 256, 128, 10], 32, 1024),
]


def _spin(stop):
    while not stop.is_set():
        sum(i * i for i in range(10_000))


def largest_product(sizes, batch):
    return max(batch * a * b for a, b in itertools.pairwise(sizes))


def time_epochs(sizes, batch, rows, threads, epochs):
    import glassnet.nn as gn

    rng = np.random.default_rng(0)
    X = rng.normal(size=(rows, sizes[0])).astype(np.float32)
    y = rng.integers(0, sizes[-1], rows) if sizes[-1] > 1 else rng.normal(size=rows)
    out = "softmax" if sizes[-1] > 1 else None
    model = gn.mlp(sizes, "relu", out, seed=0)
    t0 = time.perf_counter()
    model.fit(X, y, epochs=epochs, batch_size=batch, verbose=0, threads=threads,
              optimizer=gn.SGD(lr=0.01))
    return (time.perf_counter() - t0) / epochs


def measure(rounds, epochs):
    rows = []
    for name, sizes, batch, n in NETWORKS:
        one, every = [], []
        for r in range(rounds):
            pair = [(1, one), (None, every)]
            for threads, kept in (pair if r % 2 == 0 else pair[::-1]):
                kept.append(time_epochs(sizes, batch, n, threads, epochs))
        a, b = statistics.median(one), statistics.median(every)
        rows.append({"network": name, "batch": batch, "rows": n,
                     "largest_product": largest_product(sizes, batch),
                     "one_thread_ms": 1e3 * a, "all_threads_ms": 1e3 * b,
                     "all_over_one": b / a})
        print(f"  {name} b{batch}: product {rows[-1]['largest_product']:,}; one thread "
              f"{1e3 * a:.1f} ms/epoch, all {1e3 * b:.1f} ms ({b / a:.2f}x)", file=sys.stderr)
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--busy", type=int, default=os.cpu_count(),
                        help="spinning processes for the busy run (0: no busy run)")
    parser.add_argument("--out", type=Path, default=HERE / "out" / "threads.json")
    args = parser.parse_args(argv)

    report = {"machine": common.machine_info(os.cpu_count())}
    print("quiet:", file=sys.stderr)
    report["quiet"] = measure(args.rounds, args.epochs)
    if args.busy:
        stop = multiprocessing.Event()
        spinners = [multiprocessing.Process(target=_spin, args=(stop,), daemon=True)
                    for _ in range(args.busy)]
        for p in spinners:
            p.start()
        try:
            print(f"busy ({args.busy} spinning processes):", file=sys.stderr)
            report["busy"] = measure(args.rounds, args.epochs)
        finally:
            stop.set()
            for p in spinners:
                p.join(timeout=5)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=1) + "\n")
    for key in ("quiet", "busy"):
        if key not in report:
            continue
        print(f"\n{key}: ms per epoch, one BLAS thread vs all {os.cpu_count()}")
        print("| network | batch | largest product | one thread | all threads | all / one |")
        print("|---|---:|---:|---:|---:|---:|")
        for r in report[key]:
            print(f"| {r['network']} | {r['batch']} | {r['largest_product']:,} | "
                  f"{r['one_thread_ms']:.1f} | {r['all_threads_ms']:.1f} | "
                  f"{r['all_over_one']:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
