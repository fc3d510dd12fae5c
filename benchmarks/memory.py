"""Peak memory of a medium ``fit``, measured in a fresh subprocess.

The child loads the libraries and runs a tiny warm-up fit (so BLAS has touched its work
buffers), records its resident set size, loads the data from ``.npy`` files, trains the medium
network, and records the peak resident size (VmHWM, Linux's high-water mark). The growth is
compared with the least any engine must hold: the data, the parameters and one batch's
activations (the input batch and every layer's output). A second pass under ``tracemalloc``
reports the peak of the arrays NumPy allocated during one more epoch, which excludes the data.

Run alone: ``python benchmarks/memory.py``.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

SIZES = (784, 256, 128, 10)


def _child(folder, batch_size, epochs):
    import tracemalloc

    import glassnet.nn as gn

    def status_bytes(field):
        # /proc/self/status, not getrusage: ru_maxrss survives fork and exec, so a child of a
        # large parent (one that imported torch) would report the parent's size as its peak
        with open("/proc/self/status") as f:
            line = next(line for line in f if line.startswith(field + ":"))
        return int(line.split()[1]) * 1024  # kB

    warm = gn.mlp(list(SIZES), activation="relu", output_activation="softmax", seed=1)
    warm.fit(np.zeros((batch_size, SIZES[0]), np.float32), np.zeros(batch_size, np.int64),
             optimizer=gn.SGD(lr=0.01), epochs=1, batch_size=batch_size, verbose=0)
    baseline = status_bytes("VmRSS")  # now: the peak so far may be an import's transient
    X = np.load(Path(folder) / "X.npy")
    y = np.load(Path(folder) / "y.npy")
    model = gn.mlp(list(SIZES), activation="relu", output_activation="softmax", seed=0)
    params = sum(p.nbytes for p, _ in model.parameters())
    model.fit(X, y, optimizer=gn.SGD(lr=0.01), epochs=epochs, batch_size=batch_size, verbose=0)
    peak = status_bytes("VmHWM")  # the high-water mark of the resident size
    tracemalloc.start()
    model.fit(X, y, optimizer=gn.SGD(lr=0.01), epochs=1, batch_size=batch_size, verbose=0)
    traced_peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    data = X.nbytes + y.nbytes
    activations = batch_size * sum(SIZES) * X.itemsize
    floor = data + params + activations
    return {
        "rows": X.shape[0], "batch_size": batch_size, "epochs": epochs,
        "data_bytes": data, "param_bytes": params, "batch_activation_bytes": activations,
        "floor_bytes": floor, "baseline_rss_bytes": baseline,
        "fit_peak_rss_growth_bytes": peak - baseline,
        "ratio_to_floor": (peak - baseline) / floor,
        "tracemalloc_peak_during_epoch_bytes": traced_peak,
    }


def measure(n_rows=20_000, batch_size=256, epochs=2, seed=0):
    """Run the child on freshly written data; returns its measurements as a dict."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n_rows, SIZES[0]), dtype=np.float32)
    y = rng.integers(0, SIZES[-1], n_rows)
    with tempfile.TemporaryDirectory() as folder:
        np.save(Path(folder) / "X.npy", X)
        np.save(Path(folder) / "y.npy", y)
        del X, y
        code = (f"import sys, json; sys.path.insert(0, {str(Path(__file__).parent)!r}); "
                f"import memory; print(json.dumps(memory._child({folder!r}, {batch_size}, "
                f"{epochs})))")
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                              check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    print(json.dumps(measure(), indent=2))
