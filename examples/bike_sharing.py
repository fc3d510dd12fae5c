"""Worked project 'bike-sharing': the same as `glassnet example bike-sharing`.

Run from a checkout:  python examples/bike_sharing.py [--quick]
"""

import argparse

from glassnet.projects import get

if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=get("bike-sharing").TITLE)
    parser.add_argument("--quick", action="store_true", help="shorter settings, as in the tour")
    args = parser.parse_args()
    row = get("bike-sharing").run(quick=args.quick)
    print(f"\n{row['project']}: {row['metric']} = {row['result']} (reference {row['reference']})")
