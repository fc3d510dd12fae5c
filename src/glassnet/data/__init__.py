"""The data path: read a CSV, infer column roles, split, preprocess with one fitted object, and
turn raw text into bag-of-words features.

::

    from glassnet.data import TabularPreprocessor, read_csv, train_val_test_split

    df = read_csv("houses.csv")
    train, val, test = train_val_test_split(df, val_size=0.2, test_size=0.2, seed=0)
    prep = TabularPreprocessor(target="price")
    X_train, y_train = prep.fit_transform(train)   # statistics from these rows only
    X_val, y_val = prep.transform(val)             # never refits
"""

from .columns import UnseenCategoryWarning
from .preprocessing import TabularPreprocessor
from .reading import read_csv
from .roles import ROLES, infer_role, infer_roles, infer_task
from .split import split_indices, time_split, train_val_test_split
from .text import BagOfWords, polarity_ratios, tokenize

__all__ = [
    "ROLES", "BagOfWords", "TabularPreprocessor", "UnseenCategoryWarning", "infer_role",
    "infer_roles", "infer_task", "polarity_ratios", "read_csv", "split_indices", "time_split",
    "tokenize", "train_val_test_split",
]
