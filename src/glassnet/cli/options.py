"""The command line's option types and the options ``train``, ``evaluate`` and ``predict``
share: how the CSV is read, and the data file taken back from a list option that swallowed it.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from ..errors import UsageError

__all__ = ["CONFIG_FLAGS", "add_read_options", "batch_size_arg", "count_or_auto",
           "hidden_sizes", "number_or_auto", "read_options", "role_arg", "size_arg",
           "take_data_back"]

# Flags that map one-to-one onto TrainConfig fields (dest -> field).
CONFIG_FLAGS = ("task", "hidden", "activation", "optimizer", "lr", "momentum", "epochs",
                 "batch_size", "l1", "l2", "dropout", "patience", "validation_split", "schedule",
                 "ensemble", "linear_share", "seed", "dtype", "standardize_target")
# Options that take several values: a data file written after them lands in their list.
LISTS = ("hidden", "na_values", "drop")


def batch_size_arg(text):
    if text.lower() in ("full", "none"):
        return "full"
    return count_or_auto(text)


def count_or_auto(text, least=1):
    if text.lower() == "auto":
        return "auto"
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a whole number or 'auto', got {text!r}") from None
    if value < least:
        raise argparse.ArgumentTypeError(f"must be >= {least}, got {value}")
    return value


def number_or_auto(text):
    if text.lower() == "auto":
        return "auto"
    try:
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number or 'auto', got {text!r}") from None


def size_arg(text):
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not (0 <= value < 1 or (value >= 1 and value.is_integer() and value < 2**53)):
        raise argparse.ArgumentTypeError(
            f"expected a fraction in [0, 1) or a whole row count, got {text!r}")
    return int(value) if value >= 1 else value


def role_arg(text):
    column, sep, role = text.rpartition("=")
    if not sep or not column:
        raise argparse.ArgumentTypeError(f"expected COLUMN=ROLE, got {text!r}")
    return column, role


def add_read_options(p):
    g = p.add_argument_group("reading the CSV")
    g.add_argument("--sep", help="column separator (default: ',')")
    g.add_argument("--na-values", nargs="+", metavar="TEXT",
                   help="extra markers of a missing value, e.g. '?' 'n/a'")
    g.add_argument("--decimal", choices=["auto", ",", "."], default=None, metavar="MARK",
                   help="decimal mark of the numbers: auto (default), ',' or '.'; auto reads "
                        "columns like '24,0' as numbers and says so")


def read_options(args, saved=None):
    """``read_csv`` keyword arguments: those saved with a model, then any flag given (both
    checked against ``glassnet.data.reading.READ_OPTIONS``)."""
    from ..data.reading import check_read_options

    options = dict(saved or {})
    if args.sep is not None:
        options["sep"] = args.sep
    if args.na_values:
        options["na_values"] = list(args.na_values)
    if args.decimal is not None:
        options["decimal"] = args.decimal
    return check_read_options(options, "--sep/--na-values/--decimal")


def take_data_back(args, command):
    """The data file, even when written after an option that takes several values
    (``--hidden 8 data.csv``, ``--na-values '?' data.csv``), whose list then swallowed it:
    the last value of such a list that names an existing file (or ``-``) is taken back."""
    if args.data is not None:
        return
    for name in LISTS:
        values = getattr(args, name, None)
        if values and (values[-1] == "-" or Path(str(values[-1])).is_file()):
            args.data = values.pop()
            setattr(args, name, values or None)
            return
    raise UsageError(f"glassnet {command} needs a data file: put it right after "
                     f"'{command}' (glassnet {command} DATA.csv ...), before options that take "
                     "several values")


def hidden_sizes(values):
    """``--hidden`` values: whole numbers, or the single word 'auto'."""
    if values is None:
        return None
    if [v.lower() for v in values] == ["auto"]:
        return "auto"
    try:
        sizes = [int(v) for v in values]
    except ValueError:
        raise UsageError(f"--hidden takes whole numbers (or 'auto'), got {' '.join(values)}; "
                         "if one is the data file, put it first") from None
    return sizes
