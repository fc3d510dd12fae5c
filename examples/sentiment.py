"""Worked project 'sentiment': the same as `glassnet example sentiment`.

Run from a checkout:  python examples/sentiment.py [--quick]
"""

import argparse

from glassnet.projects import get

if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=get("sentiment").TITLE)
    parser.add_argument("--quick", action="store_true", help="shorter settings, as in the tour")
    args = parser.parse_args()
    row = get("sentiment").run(quick=args.quick)
    print(f"\n{row['project']}: {row['metric']} = {row['result']} (reference {row['reference']})")
