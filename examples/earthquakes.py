"""Predict an earthquake's magnitude from when and where it happened (USGS 1965-2016).

    python examples/earthquakes.py            # 30-trial random search, about 3-5 minutes
    python examples/earthquakes.py --quick    # 8 short trials

Same as ``glassnet example earthquakes``; see glassnet/projects/earthquakes.py.
"""

import argparse

from glassnet.projects.earthquakes import run

if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="8 short trials")
    parser.add_argument("--trials", type=int, default=None)
    parser.add_argument("--jobs", type=int, default=None)
    args = parser.parse_args()
    run(quick=args.quick, trials=args.trials, jobs=args.jobs)
