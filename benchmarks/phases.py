"""Where a glassnet epoch goes: milliseconds per epoch in each layer's forward and backward,
the batch gather and the optimizer step, next to the GEMM-only loop's epoch.

    python benchmarks/phases.py large 256      # network (small, medium, large) and batch size

Each phase is timed by wrapping the method of the fit's kernels (``glassnet.nn.fast``) with
``perf_counter`` (a microsecond or so of overhead per call, visible only on the small network);
"rest" is the loop itself (loss, metric bookkeeping, Python between the calls).
"""

from __future__ import annotations

import argparse
import collections
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import dense_nets

import glassnet.nn as gn
from glassnet.nn.fast import optim
from glassnet.nn.fast import plan as plan_module


def _timed(obj, name, key, totals):
    inner = getattr(obj, name)

    def wrapper(*args, **kwargs):
        t0 = time.perf_counter()
        try:
            return inner(*args, **kwargs)
        finally:
            totals[key] += time.perf_counter() - t0

    setattr(obj, name, wrapper)
    return inner


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("network", choices=[s.name for s in dense_nets.SPECS])
    parser.add_argument("batch_size", type=int)
    parser.add_argument("--epochs", type=int, default=3)
    args = parser.parse_args(argv)
    spec = next(s for s in dense_nets.SPECS if s.name == args.network)
    X, y = dense_nets.make_data(spec)
    out = "softmax" if spec.task == "classification" else None
    model = gn.mlp(list(spec.sizes), activation=spec.activation, output_activation=out, seed=0)
    totals = collections.defaultdict(float)
    index = {id(layer): i for i, layer in enumerate(model.layers)}
    make_kernel = plan_module.kernel_for

    def timed_kernel(layer, *args, **kwargs):
        kernel = make_kernel(layer, *args, **kwargs)
        for method in ("forward", "backward"):
            _timed(kernel, method, f"{index[id(layer)]} {type(layer).__name__}.{method}", totals)
        return kernel

    opt = gn.SGD(lr=dense_nets.LR)
    plan_module.kernel_for = timed_kernel
    step = _timed(optim.OptimizerStep, "__call__", "optimizer step", totals)
    take = _timed(plan_module, "_take_rows", "batch gather", totals)
    try:
        model.fit(X, y, optimizer=opt, epochs=1, batch_size=args.batch_size, verbose=0)  # warm
        totals.clear()
        t0 = time.perf_counter()
        model.fit(X, y, optimizer=opt, epochs=args.epochs, batch_size=args.batch_size, verbose=0)
        total = (time.perf_counter() - t0) / args.epochs
    finally:
        plan_module.kernel_for, plan_module._take_rows = make_kernel, take
        optim.OptimizerStep.__call__ = step
    gemm = dense_nets.gemm_epoch(spec, X, y, args.batch_size)
    gemm()
    t0 = time.perf_counter()
    for _ in range(args.epochs):
        gemm()
    gemm_seconds = (time.perf_counter() - t0) / args.epochs
    print(f"{spec.name} {'-'.join(map(str, spec.sizes))}, batch {args.batch_size}: "
          f"ms per epoch (mean of {args.epochs})")
    for key, seconds in totals.items():
        print(f"  {key:<24s} {seconds * 1e3 / args.epochs:9.1f}")
    rest = total - sum(totals.values()) / args.epochs
    print(f"  {'rest':<24s} {rest * 1e3:9.1f}")
    print(f"  {'epoch':<24s} {total * 1e3:9.1f}")
    print(f"  {'GEMM-only epoch':<24s} {gemm_seconds * 1e3:9.1f}  "
          f"(glassnet at {gemm_seconds / total:.0%} of it)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
