"""Prediction latency: ``glassnet predict``'s Python path against onnxruntime on the same model.

A model trained by ``glassnet train`` on a mixed-type table (numbers, categories, booleans,
missing values; 64-32 hidden units) predicts one row and 10,000 rows of raw data:

* glassnet: ``predict_frame`` (the TabularPreprocessor's transform, the network, the labels),
  which is what ``glassnet predict`` runs once the CSV is read;
* onnxruntime: ``InferenceSession.run`` on the exported graph, given the input arrays, and
  the same including ``onnx_feed`` (the DataFrame -> arrays step a Python caller needs).

Each figure is the median of ``--repeats`` calls after warm-up calls, the contenders taking
turns. Run it with ``python benchmarks/onnx_latency.py`` (needs the ``bench`` extra); it prints
a table and writes ``benchmarks/results-onnx.json``.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import common  # noqa: E402


def mixed_frame(n, seed):
    """Numbers, categories and booleans with missing values; a three-class target."""
    rng = np.random.default_rng(seed)
    df = pd.DataFrame({
        "age": rng.normal(40, 12, n).round(1),
        "income": rng.lognormal(10, 0.5, n).round(0),
        "city": rng.choice(["Paris", "Lyon", "Nice", "Lille", "Nantes", "Brest"], n),
        "plan": rng.choice(["basic", "plus", "pro"], n),
        "member": rng.choice(["yes", "no"], n),
        "visits": rng.poisson(3, n).astype(float),
    })
    score = (0.05 * (df.age - 40) + (df.city == "Lyon") - (df.member == "yes")
             + 0.2 * df.visits + np.log(df.income) - 10)
    for col in df.columns:
        df.loc[rng.random(n) < 0.05, col] = np.nan
    df["segment"] = np.array(["low", "mid", "high"])[np.digitize(score, [-0.4, 0.6])]
    return df


def median_ms(times):
    return round(1000 * statistics.median(times), 4)


def run(repeats=200, big_repeats=20, threads=1):
    import onnxruntime as ort
    from threadpoolctl import threadpool_limits

    from glassnet.cli import main
    from glassnet.io import export_onnx, load_bundle
    from glassnet.onnx_columns import onnx_feed
    from glassnet.onnx_export import input_columns
    from glassnet.tabular import predict_frame

    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        mixed_frame(5000, 0).to_csv(folder / "train.csv", index=False)
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            assert main(["train", str(folder / "train.csv"), "--target", "segment",
                         "--epochs", "20", "--no-plots", "--out", str(folder / "out")]) == 0
        bundle = load_bundle(folder / "out" / "model.npz")
        proto = export_onnx(bundle)
    options = ort.SessionOptions()
    options.intra_op_num_threads = options.inter_op_num_threads = threads
    session = ort.InferenceSession(proto.SerializeToString(), options,
                                   providers=["CPUExecutionProvider"])
    inputs = input_columns(session)
    rows = mixed_frame(10_000, 1).drop(columns="segment")
    results = {}
    with threadpool_limits(threads), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for label, df, n in (("1 row", rows.iloc[:1], repeats), ("10,000 rows", rows,
                                                                  big_repeats)):
            feed = onnx_feed(inputs, df)
            contenders = {
                "glassnet predict_frame": lambda df=df: predict_frame(
                    bundle.model, bundle.preprocessor, df),
                "onnxruntime run": lambda feed=feed: session.run(None, feed),
                "onnxruntime run + onnx_feed": lambda df=df: session.run(
                    None, onnx_feed(inputs, df)),
            }
            times = {name: [] for name in contenders}
            for r in range(n + 3):
                for name, call in contenders.items():
                    t0 = time.perf_counter()
                    call()
                    if r >= 3:
                        times[name].append(time.perf_counter() - t0)
            base = statistics.median(times["glassnet predict_frame"])
            results[label] = {name: {"median_ms": median_ms(t),
                                     "speedup_vs_glassnet": round(base / statistics.median(t),
                                                                  2)}
                              for name, t in times.items()}
    return {"threads": threads, "results": results,
            "machine": common.machine_info(threads),
            "onnxruntime": ort.__version__}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=200, help="timed calls for one row")
    parser.add_argument("--big-repeats", type=int, default=20,
                        help="timed calls for 10,000 rows")
    parser.add_argument("--threads", type=int, default=1,
                        help="threads for BLAS and onnxruntime (default 1)")
    parser.add_argument("--out", default=str(HERE / "results-onnx.json"))
    args = parser.parse_args(argv)
    report = run(args.repeats, args.big_repeats, args.threads)
    print(f"prediction latency, median ms ({args.threads} thread(s)):")
    for label, entry in report["results"].items():
        for name, figures in entry.items():
            print(f"  {label:>11}  {name:<28} {figures['median_ms']:>10.3f} ms   "
                  f"x{figures['speedup_vs_glassnet']:g}")
    Path(args.out).write_text(json.dumps(report, indent=2) + "\n")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
