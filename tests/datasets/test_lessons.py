import hashlib
import re

import numpy as np

from glassnet.datasets.lessons import (
    data_path,
    load_gradient_descent_lab,
    load_student_admissions,
)


def test_bundled_files_match_their_notice():
    notice = data_path("NOTICE.md").read_text()
    for name in ("gradient_descent_lab.csv", "student_admissions.csv"):
        digest = hashlib.sha256(data_path(name).read_bytes()).hexdigest()
        assert re.search(rf"{re.escape(name)} {digest}", notice), name
        assert "MIT" in notice


def test_gradient_descent_lab():
    X, y = load_gradient_descent_lab()
    assert X.shape == (100, 2) and X.dtype == np.float64
    assert set(np.unique(y)) == {0, 1}
    np.testing.assert_allclose(X[0], [0.78051, -0.063669])
    assert load_gradient_descent_lab(dtype=np.float32)[0].dtype == np.float32


def test_student_admissions():
    df = load_student_admissions()
    assert df.shape == (400, 4)
    assert set(df["rank"]) == {1, 2, 3, 4}
    assert df["admit"].sum() == 127
    assert df.notna().all().all()


def test_missing_file_is_named():
    import pytest

    with pytest.raises(FileNotFoundError, match=r"nope\.csv"):
        data_path("nope.csv")
