import ast
import hashlib
import re
from pathlib import Path

import numpy as np

import glassnet.datasets.digits as digits_module
from glassnet.datasets import load_digits
from glassnet.datasets.lessons import data_path


def test_shape_labels_and_pixels():
    X, y, images = load_digits(return_images=True)
    assert X.shape == (1797, 64) and X.dtype == np.float64
    assert images.shape == (1797, 8, 8)
    np.testing.assert_array_equal(images.reshape(1797, 64), X)
    assert y.dtype == np.int64 and set(np.unique(y)) == set(range(10))
    assert X.min() == 0 and X.max() == 16 and np.all(X == np.round(X))
    assert load_digits(dtype=np.float32)[0].dtype == np.float32
    # the first image is a 0, as in the UCI file
    assert y[0] == 0 and X[0, :8].tolist() == [0, 0, 5, 13, 9, 1, 0, 0]


def test_file_matches_its_notice_entry():
    notice = data_path("NOTICE.md").read_text()
    digest = hashlib.sha256(data_path("digits.csv.gz").read_bytes()).hexdigest()
    assert re.search(rf"digits\.csv\.gz {digest}", notice)
    row = next(line for line in notice.splitlines() if line.startswith("| digits.csv.gz"))
    assert "CC BY 4.0" in row and "10.24432/C50P49" in row and "1,797" in row


def test_the_loader_does_not_need_scikit_learn():
    tree = ast.parse(Path(digits_module.__file__).read_text())
    imported = {alias.name.split(".")[0] for node in ast.walk(tree)
                if isinstance(node, (ast.Import, ast.ImportFrom))
                for alias in getattr(node, "names", [])}
    modules = {node.module.split(".")[0] for node in ast.walk(tree)
               if isinstance(node, ast.ImportFrom) and node.module}
    assert "sklearn" not in imported | modules
