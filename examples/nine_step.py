"""Worked project 'nine-step': the same as `glassnet example nine-step`.

Run from a checkout:  python examples/nine_step.py [--quick]
"""

import argparse

from glassnet.projects import get

if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=get("nine-step").TITLE)
    parser.add_argument("--quick", action="store_true", help="shorter settings, as in the tour")
    args = parser.parse_args()
    row = get("nine-step").run(quick=args.quick)
    print(f"\n{row['project']}: {row['metric']} = {row['result']} (reference {row['reference']})")
