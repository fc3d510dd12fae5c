"""How long each of the course's notebooks takes to execute (a benchmark, not a timed test).

``python benchmarks/notebooks.py [--full] [--lang en zh] [NAME ...]``

Executes the notebooks one after another, each in a fresh kernel (as ``glassnet lesson NAME
--notebook DIR`` writes them), at their quick settings (``GLASSNET_QUICK=1``, as the test suite
runs them) unless ``--full``, and prints one line per notebook: its wall time, kernel start
included, and whether it ran without error; then the total. The test suite runs three kernels at
a time, so its wall time is below this serial total.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="notebooks to time (default: all)")
    parser.add_argument("--full", action="store_true", help="full settings, not quick")
    parser.add_argument("--lang", nargs="+", default=["en", "zh"], choices=["en", "zh"])
    args = parser.parse_args(argv)

    import jupytext
    import nbclient

    from glassnet.classic.notebooks import CURRICULUM, notebook_source

    env = dict(os.environ, OPENBLAS_NUM_THREADS="1")
    if not args.full:
        env["GLASSNET_QUICK"] = "1"
    total, failed = 0.0, []
    for name in args.names or list(CURRICULUM):
        for lang in args.lang:
            notebook = jupytext.read(notebook_source(name, lang), fmt="md:myst")
            start = time.perf_counter()
            with tempfile.TemporaryDirectory() as folder:
                client = nbclient.NotebookClient(notebook, timeout=1800, kernel_name="python3",
                                                 resources={"metadata": {"path": folder}})
                try:
                    asyncio.run(client.async_execute(env=env))
                    status = "ok"
                except nbclient.exceptions.CellExecutionError as e:
                    status = f"FAILED: {str(e).strip().splitlines()[-1]}"
                    failed.append(f"{lang}/{name}")
            seconds = time.perf_counter() - start
            total += seconds
            print(f"{lang}/{name:<22} {seconds:6.1f} s  {status}", flush=True)
    print(f"total {total:.1f} s for {len(args.names or CURRICULUM) * len(args.lang)} notebooks"
          f"{'; failed: ' + ', '.join(failed) if failed else ''}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
