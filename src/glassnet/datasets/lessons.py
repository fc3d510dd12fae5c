"""The small data sets of the classic lessons, shipped inside the package (see files/NOTICE.md).

* ``load_gradient_descent_lab()``: the gradient-descent lab's 100 points, two features and a
  binary label (not quite linearly separable: the best line gets 92 of them right).
* ``load_student_admissions()``: 400 graduate applications, columns admit, gre, gpa, rank.
"""

from __future__ import annotations

from importlib import resources

import numpy as np

__all__ = ["data_path", "load_gradient_descent_lab", "load_student_admissions"]


def data_path(name):
    """Path of a bundled data file (a ``Traversable``; ``str()`` it for pandas)."""
    path = resources.files("glassnet.datasets").joinpath("files", name)
    if not path.is_file():
        raise FileNotFoundError(f"no bundled data file {name!r} in glassnet/datasets/files")
    return path


def load_gradient_descent_lab(dtype=np.float64):
    """The lab's ``data.csv``: X (100, 2) of ``dtype`` and integer labels y (100,) in {0, 1}.

    >>> X, y = load_gradient_descent_lab()
    >>> X.shape, y.shape, int(y.sum())
    ((100, 2), (100,), 50)
    """
    import pandas as pd

    with data_path("gradient_descent_lab.csv").open("r") as fh:
        frame = pd.read_csv(fh, header=None, names=["x1", "x2", "label"])
    return frame[["x1", "x2"]].to_numpy(dtype=dtype), frame["label"].to_numpy(dtype=np.int64)


def load_student_admissions():
    """The admissions data as a pandas DataFrame with columns admit, gre, gpa, rank (400 rows).

    >>> df = load_student_admissions()
    >>> df.shape, list(df.columns), round(float(df["admit"].mean()), 4)
    ((400, 4), ['admit', 'gre', 'gpa', 'rank'], 0.3175)
    """
    import pandas as pd

    with data_path("student_admissions.csv").open("r") as fh:
        return pd.read_csv(fh)
