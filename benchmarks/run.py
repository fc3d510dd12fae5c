"""glassnet's benchmark suite: ``make bench`` (or ``python benchmarks/run.py``).

Trains the same networks on the same float32 data with plain mini-batch SGD in glassnet,
PyTorch (CPU) and scikit-learn, next to a loop of only the networks' matrix products (the
ceiling), each contender one epoch in turn; then the IMDB sentiment and bike-sharing projects
and the peak memory of a fit. Prints a table and writes ``benchmarks/out/results.json`` with the
machine's CPU, BLAS and library versions. Each figure is the median of ``--rounds`` timed epochs
(more for the smaller networks, see ``ROUNDS_SCALE``) after a warm-up round, each timed epoch
right after an untimed one; each ratio the median over rounds of the per-round ratio.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import common  # noqa: E402
import dense_nets  # noqa: E402

TARGETS = {  # (network, contender) -> least speed-up of glassnet over it (gemm: share of it)
    ("small", "pytorch"): 5.0, ("small", "sklearn"): 3.0,
    ("medium", "pytorch"): 1.15, ("large", "pytorch"): 1.0,
}
CEILING_TARGET = 0.85  # at batch 256, medium and large: glassnet >= 85% of the GEMM-only speed
SENTIMENT_TARGET = {"reviews_per_second": 20_000, "test_accuracy": 0.88}
MEMORY_TARGET = 1.2
# Timed rounds per figure, as a multiple of --rounds: a small network's epoch takes milliseconds
# and this machine's noise comes in phases of about a second, so more rounds buy a steadier
# median for almost no time; a large network's epoch takes a second or two.
ROUNDS_SCALE = {"small": 4, "medium": 2, "large": 1}


def available_contenders():
    names = ["glassnet"]
    for name, module in (("pytorch", "torch"), ("sklearn", "sklearn")):
        try:
            __import__(module)
            names.append(name)
        except ImportError:
            print(f"{module} is not installed: its column is skipped")
    return [*names, "gemm_only"]


def run_dense(spec, batch_size, names, rounds, pause, rows=None, warm=1):
    if rows:
        spec = dense_nets.NetSpec(spec.name, spec.sizes, rows, spec.activation, spec.task)
    X, y = dense_nets.make_data(spec)
    contenders = {name: dense_nets.CONTENDERS[name](spec, X, y, batch_size)
                  for name in names if name != "glassnet"}
    driver = ("glassnet", dense_nets.glassnet_train(spec, X, y, batch_size))
    times = common.interleaved(contenders, rounds, warmup=1, pause=pause, driver=driver,
                                warm=warm)
    result = {"network": spec.name, "sizes": spec.sizes, "rows": spec.n_rows,
              "activation": spec.activation, "task": spec.task, "batch_size": batch_size,
              "contenders": common.summarize(times, spec.n_rows)}
    checks = []
    for name, entry in result["contenders"].items():
        target = TARGETS.get((spec.name, name))
        if target is not None:
            checks.append(_check(f"{spec.name} b{batch_size}: glassnet / {name} samples/s",
                                 entry["glassnet_speedup"], target))
    if batch_size == 256 and spec.name in ("medium", "large") and "gemm_only" in times:
        share = result["contenders"]["gemm_only"]["glassnet_speedup"]
        checks.append(_check(f"{spec.name} b256: glassnet / GEMM-only ceiling", share,
                             CEILING_TARGET))
    result["checks"] = checks
    return result


def _check(name, value, target, at_most=False):
    met = value <= target if at_most else value >= target
    return {"name": name, "value": value, "target": f"{'<=' if at_most else '>='} {target:,g}",
            "met": bool(met)}


def print_table(dense, extras, checks):
    from rich.console import Console
    from rich.table import Table

    console = Console(width=None if sys.stdout.isatty() else 130)  # a log file: keep rows whole
    table = Table(title="Training speed: samples/second (median epoch), plain SGD, float32")
    for col in ("network", "batch", "glassnet", "PyTorch", "sklearn", "GEMM only",
                "vs PyTorch", "vs sklearn", "of ceiling"):
        table.add_column(col, justify="left" if col == "network" else "right")
    for r in dense:
        c = r["contenders"]

        def rate(name, c=c):
            return f"{c[name]['samples_per_second']:,.0f}" if name in c else "-"

        def ratio(name, c=c, r=r):
            if name not in c:
                return "-"
            value = c[name]["glassnet_speedup"]
            target = (TARGETS.get((r["network"], name)) if name != "gemm_only"
                      else CEILING_TARGET if r["batch_size"] == 256 and r["network"] != "small"
                      else None)
            text = f"{value:.0%}" if name == "gemm_only" else f"{value:.2f}x"
            if target is None:
                return text
            return f"[{'green' if value >= target else 'red'}]{text}[/]"

        table.add_row(f"{r['network']} {'-'.join(map(str, r['sizes']))}", str(r["batch_size"]),
                      rate("glassnet"), rate("pytorch"), rate("sklearn"), rate("gemm_only"),
                      ratio("pytorch"), ratio("sklearn"), ratio("gemm_only"))
    console.print(table)
    for line in extras:
        console.print(line)
    summary = Table(title="Targets")
    for col in ("check", "measured", "target", "met"):
        summary.add_column(col)
    for c in checks:
        summary.add_row(c["name"], f"{c['value']:,.3g}", c["target"],
                        "[green]yes[/]" if c["met"] else "[red]no[/]")
    console.print(summary)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5,
                        help="timed epochs per figure (>= 5; x4 for small, x2 for medium)")
    parser.add_argument("--threads", type=int, default=os.cpu_count(),
                        help="threads for every library's BLAS/OpenMP (default: all cores)")
    parser.add_argument("--pause", type=float, default=0.05,
                        help="seconds of sleep before each timed epoch (idle threads settle)")
    parser.add_argument("--warm", type=int, default=1,
                        help="untimed epochs right before each timed one (caches warm again "
                             "after the pause)")
    parser.add_argument("--quick", action="store_true",
                        help="a smoke run: fewer rows, 2 rounds, no projects (not for reporting)")
    parser.add_argument("--skip", nargs="*", default=[],
                        choices=["small", "medium", "large", "sentiment", "bike", "memory"])
    parser.add_argument("--out", type=Path, default=HERE / "out" / "results.json",
                        help="where the results go (default benchmarks/out/, not tracked: "
                             "the tracked results.json files are the runs the README quotes)")
    args = parser.parse_args(argv)

    from threadpoolctl import threadpool_limits

    t_start = time.perf_counter()
    names = available_contenders()
    if "pytorch" in names:
        import torch

        torch.set_num_threads(args.threads)
    rounds = 2 if args.quick else args.rounds
    results = {"machine": common.machine_info(args.threads),
               "settings": {"rounds": rounds, "rounds_scale": ROUNDS_SCALE, "warmup_rounds": 1,
                            "pause": args.pause,
                            "warm_epochs_before_each_timed": args.warm,
                            "learning_rate": dense_nets.LR, "quick": args.quick},
               "dense": []}
    checks, extras = [], []
    with threadpool_limits(args.threads):
        for spec in dense_nets.SPECS:
            if spec.name in args.skip:
                continue
            for batch_size in (32, 256):
                rows = max(2048, spec.n_rows // 8) if args.quick else None
                t0 = time.perf_counter()
                n_rounds = rounds if args.quick else rounds * ROUNDS_SCALE[spec.name]
                r = run_dense(spec, batch_size, names, n_rounds, args.pause, rows, args.warm)
                print(f"{spec.name} batch {batch_size}: {time.perf_counter() - t0:.0f}s",
                      file=sys.stderr)
                results["dense"].append(r)
                checks += r["checks"]
        if not args.quick:
            import projects

            if "sentiment" not in args.skip:
                s = results["sentiment"] = projects.sentiment()
                extras.append(f"Sentiment ({s['architecture']}, batch {s['batch_size']}): "
                              f"{s['reviews_per_second']:,.0f} reviews/s of training, test "
                              f"accuracy {s['test_accuracy']:.2%} (course: 1,275/s at 85.9%)")
                checks.append(_check("sentiment: reviews/second of training",
                                     s["reviews_per_second"],
                                     SENTIMENT_TARGET["reviews_per_second"]))
                checks.append(_check("sentiment: test accuracy", s["test_accuracy"],
                                     SENTIMENT_TARGET["test_accuracy"]))
            if "bike" not in args.skip:
                b = results["bike"] = projects.bike()
                extras.append(f"Bike sharing ({b['architecture']}, batch {b['batch_size']}): "
                              + (f"validation MSE < {b['threshold']} after {b['epochs']} epochs "
                                 f"in {b['seconds']:.2f}s" if b["reached"] else
                                 f"validation MSE {b['final_val_loss']:.3f} not below "
                                 f"{b['threshold']} in {b['epochs']} epochs"))
    if not args.quick and "memory" not in args.skip:
        import memory

        m = results["memory"] = memory.measure()
        extras.append(f"Memory, medium fit (batch {m['batch_size']}): peak RSS growth "
                      f"{m['fit_peak_rss_growth_bytes'] / 2**20:.1f} MiB = "
                      f"{m['ratio_to_floor']:.2f}x data + parameters + one batch's activations "
                      f"({m['floor_bytes'] / 2**20:.1f} MiB); NumPy arrays allocated during an "
                      f"epoch peak at {m['tracemalloc_peak_during_epoch_bytes'] / 2**20:.1f} MiB")
        checks.append(_check("memory: peak RSS growth / (data + params + activations)",
                             m["ratio_to_floor"], MEMORY_TARGET, at_most=True))
    results["checks"] = checks
    results["total_seconds"] = time.perf_counter() - t_start
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=1, default=float) + "\n")
    print_table(results["dense"], extras, checks)
    print(f"{results['total_seconds']:.0f}s in all; results written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
