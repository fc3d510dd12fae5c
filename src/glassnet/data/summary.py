"""``TabularPreprocessor.summary``: what a fitted preprocessor decided, as a few lines of text
(roles, features, and what fit imputed, grouped, ignored or found suspicious)."""

from __future__ import annotations

from ..errors import shorten
from .limits import listed

__all__ = ["summary_text"]


def summary_text(prep):
    """The summary of the fitted preprocessor ``prep``, one line per finding."""
    lines = [f"task: {prep.task_}   target: {shorten(prep.target)}   features: "
             f"{prep.n_features_}"]
    for role in ("numeric", "boolean", "categorical", "datetime", "text", "id"):
        cols = [c for c, r in prep.roles_.items() if r == role]
        if cols:
            lines.append(f"{role:>11}: {listed(cols)}")
    r = prep.report_
    if r["imputed"]:
        lines.append("imputed (median/majority + indicator): "
                     + listed(f"{c} {k}" for c, k in r["imputed"].items()))
    if r["missing_category"]:
        lines.append("missing as own category: "
                     + listed(f"{c} {k}" for c, k in r["missing_category"].items()))
    if r["ignored"]:
        lines.append("not used: " + listed(f"{c} ({k})" for c, k in r["ignored"].items()))
    for c, why in r.get("identifiers", {}).items():
        lines.append(f"identifier? {shorten(c, 60)}: {why}")
    if r.get("grouped"):
        lines.append("rare categories grouped as <other>: " + listed(
            f"{c} {g['categories']} categories ({g['rows']} rows)"
            for c, g in r["grouped"].items()))
    if r.get("reproduces_target"):
        lines.append("reproduce the target (leak?): " + listed(
            f"{c} ({how})" for c, how in r["reproduces_target"].items()))
    if r["constant"]:
        lines.append("constant in training: " + listed(r["constant"]))
    if r["rows_without_target"]:
        lines.append(f"rows without a target left out: {r['rows_without_target']}")
    return "\n".join(lines)
