"""Checking a saved ``TabularPreprocessor`` state field by field, before it is used.

A model file's preprocessing part is JSON that ``glassnet predict`` turns back into a fitted
preprocessor. Whatever a damaged or edited file holds there, ``check_state`` either accepts it
as a state ``TabularPreprocessor.to_dict`` could have written or raises one ``DataError``
naming the field: never a ``KeyError`` on an unknown role or an ``AttributeError`` on a number
where a string belongs, and never a non-finite or zero scale that would turn predictions into
NaN.
"""

from __future__ import annotations

import math

from ..errors import DataError, shown
from .roles import ROLES

__all__ = ["check_state"]

_TASKS = ("auto", "regression", "classification")
_DTYPES = ("float32", "float64")


def _fail(where, what, value):
    raise DataError(f"preprocessing state: {where} must be {what}, got {shown(value, 60)}")


def _text(v):
    return isinstance(v, str)


def _flag(v):
    return isinstance(v, bool)


def _finite(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def _positive(v):
    return _finite(v) and v > 0


def _count(v):
    return isinstance(v, int) and not isinstance(v, bool) and v >= 0


def _texts(v):
    return isinstance(v, list) and all(map(_text, v))


def _label(v):
    return isinstance(v, (str, int, float)) and (not isinstance(v, float) or math.isfinite(v))


_CHECKS = {  # name -> (check, description)
    "text": (_text, "a string"), "flag": (_flag, "true or false"),
    "finite": (_finite, "a finite number"), "positive": (_positive, "a positive number"),
    "count": (_count, "a whole number >= 0"), "texts": (_texts, "a list of strings"),
}

# The statistics each role's column spec holds (``columns.fit_column`` writes them).
_SPECS = {
    "categorical": {"categories": "texts", "missing": "flag"},
    "boolean": {"fill": "finite", "indicator": "flag"},
    "numeric": {"mean": "finite", "scale": "positive", "median": "finite", "indicator": "flag"},
    "datetime": {"mean": "finite", "scale": "positive", "median": "finite", "indicator": "flag",
                 "time_only": "flag", "time_of_day": "flag"},
}


def _field(where, value, kind):
    check, what = _CHECKS[kind]
    if not check(value):
        _fail(where, what, value)


def _check_spec(i, spec):
    if not isinstance(spec, dict):
        _fail(f"columns_[{i}]", "a table", spec)
    role = spec.get("role")
    if role not in _SPECS:
        _fail(f"columns_[{i}].role", f"one of {sorted(_SPECS)}", role)
    _field(f"columns_[{i}].name", spec.get("name"), "text")
    wanted = {"name", "role", *_SPECS[role]}
    if set(spec) != wanted:
        _fail(f"columns_[{i}] ({role})", f"the keys {sorted(wanted)}", sorted(spec))
    for key, kind in _SPECS[role].items():
        _field(f"columns_[{i}].{key}", spec[key], kind)
    if role == "categorical" and len(set(spec["categories"])) != len(spec["categories"]):
        _fail(f"columns_[{i}].categories", "distinct", spec["categories"])
    if role == "boolean" and spec["fill"] not in (0, 1):
        _fail(f"columns_[{i}].fill", "0 or 1", spec["fill"])


def check_state(state):
    """Raise ``DataError`` unless ``state`` is a preprocessor state this glassnet writes."""
    if not isinstance(state, dict):
        _fail("the state", "a table", state)
    params = state.get("params")
    if not isinstance(params, dict) or not set(params) <= {
            "target", "task", "roles", "drop", "standardize_target", "dtype"}:
        _fail("params", "a table of the preprocessor's arguments", params)
    if params.get("target") is not None:
        _field("params.target", params["target"], "text")
    if params.get("task", "auto") not in _TASKS:
        _fail("params.task", f"one of {_TASKS}", params.get("task"))
    if params.get("dtype", "float32") not in _DTYPES:
        _fail("params.dtype", f"one of {_DTYPES}", params.get("dtype"))
    _field("params.standardize_target", params.get("standardize_target", True), "flag")
    _field("params.drop", params.get("drop", []), "texts")
    for where in ("params.roles", "roles_"):
        roles = params.get("roles", {}) if where == "params.roles" else state.get("roles_")
        if not (isinstance(roles, dict) and all(r in ROLES for r in roles.values())):
            _fail(where, f"a table of column roles ({', '.join(ROLES)})", roles)
    if state.get("task_") not in ("regression", "classification"):
        _fail("task_", "regression or classification", state.get("task_"))
    columns = state.get("columns_")
    if not isinstance(columns, list) or not columns:
        _fail("columns_", "a non-empty list of column statistics", columns)
    for i, spec in enumerate(columns):
        _check_spec(i, spec)
    _field("feature_names_", state.get("feature_names_"), "texts")
    report = state.get("report_")
    if not isinstance(report, dict):
        _fail("report_", "a table", report)
    for key, kind in (("imputed", "count"), ("missing_category", "count"), ("ignored", "text")):
        table = report.get(key, {})
        if not (isinstance(table, dict) and all(_CHECKS[kind][0](v) for v in table.values())):
            _fail(f"report_.{key}", "a table", table)
    _field("report_.constant", report.get("constant", []), "texts")
    _field("report_.rows_without_target", report.get("rows_without_target", 0), "count")
    if state["task_"] == "classification":
        classes = state.get("classes_")
        if not (isinstance(classes, list) and len(classes) >= 2 and all(map(_label, classes))
                and len({repr(c) for c in classes}) == len(classes)):
            _fail("classes_", "a list of at least two distinct labels", classes)
    else:
        _field("target_mean_", state.get("target_mean_"), "finite")
        _field("target_scale_", state.get("target_scale_"), "positive")
