"""Start-up cost: CPU seconds of ``glassnet --help`` and friends, each in a fresh process.

The target: ``glassnet --help`` in at most 0.3 s of CPU (user + system). Each command runs
``--repeat`` times; the figure is the median CPU time of the child process (``resource``'s
RUSAGE_CHILDREN, so the machine's other load does not count), with the wall time beside it.
The modules each command imported come from ``-X importtime``'s list, to show what was loaded.

    python benchmarks/startup.py
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
TARGET = 0.3  # seconds of CPU for `glassnet --help`

COMMANDS = {
    "glassnet --help": ["-m", "glassnet", "--help"],
    "glassnet train --help": ["-m", "glassnet", "train", "--help"],
    "glassnet lesson --list": ["-m", "glassnet", "lesson", "--list"],
    "python -c 'import glassnet'": ["-c", "import glassnet"],
    "python -c 'import glassnet.nn' (engine: NumPy)": ["-c", "import glassnet.nn.model"],
    "python -c 'import numpy'": ["-c", "import numpy"],
    "python -c 'pass'": ["-c", "pass"],
}


def cpu_seconds(args):
    """(CPU seconds, wall seconds) of one run of ``python args``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run([sys.executable, *args], check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), wall


def heavy_imports(args):
    """Top-level packages the command imported, from ``-X importtime``."""
    run = subprocess.run([sys.executable, "-X", "importtime", *args], capture_output=True,
                         text=True, check=True)
    names = set()
    for line in run.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            names.add(line.rsplit("|", 1)[1].strip().split(".")[0])
    return sorted(names & {"numpy", "scipy", "pandas", "matplotlib", "rich", "sklearn",
                           "optuna", "threadpoolctl"})


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--out", type=Path, default=HERE / "out" / "startup.json")
    args = parser.parse_args(argv)
    env_note = os.environ.get("PYTHONPATH", "")
    results = []
    for name, command in COMMANDS.items():
        runs = [cpu_seconds(command) for _ in range(args.repeat)]
        cpu = statistics.median(r[0] for r in runs)
        wall = statistics.median(r[1] for r in runs)
        results.append({"command": name, "cpu_s": cpu, "wall_s": wall,
                        "imports": heavy_imports(command)})
    print("| command | CPU s (median) | wall s | heavy packages imported |")
    print("|---|---:|---:|---|")
    for r in results:
        print(f"| `{r['command']}` | {r['cpu_s']:.3f} | {r['wall_s']:.3f} | "
              f"{', '.join(r['imports']) or '-'} |")
    help_cpu = results[0]["cpu_s"]
    met = help_cpu <= TARGET
    print(f"target: glassnet --help <= {TARGET} s CPU: {help_cpu:.3f} s, "
          f"{'met' if met else 'MISSED'}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"results": results, "target": TARGET, "met": met,
                                    "python": sys.version, "pythonpath": env_note},
                                   indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
