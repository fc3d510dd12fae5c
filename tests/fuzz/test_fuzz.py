"""The fuzz suite: hundreds of hostile inputs through the real command line, each under a memory
and a time limit (``harness.py``), and every one ends in success with sane output or in exit
code 2 with one error line: never a traceback, a hang or a blow-up.

``corpus.py`` generates the cases (seeded): hostile CSVs, flags and settings files for
``train``; hostile rows and output paths for ``predict`` and ``evaluate``; truncated, bit-flipped,
edited (naively, and re-signed with a valid checksum), oversized and foreign model files. Set
``GLASSNET_FUZZ_REPORT=path.json`` to keep every case's outcome, time and peak memory.
"""

import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).parent))

from corpus import base_frames, csv_cases, model_cases, predict_cases

from glassnet.config import TrainConfig
from glassnet.tabular import train_frame

SRC = Path(__file__).resolve().parents[2] / "src"
HARNESS = Path(__file__).parent / "harness.py"


def _outcome(case, result):
    """``(outcome, problem)``: outcome "ok" or "error"; problem None when the case passed. An
    error must be one ``glassnet ...: error:`` line, the last, with at most warning lines
    before it."""
    err = [line for line in result["stderr"].splitlines() if line.strip()]
    if result["signal"] is not None:
        return "killed", f"killed by signal {result['signal']} (hang or blow-up)"
    if "Traceback" in result["stderr"] or result["code"] not in (0, 2):
        return "crash", f"exit {result['code']}: {result['stderr'][-1500:]}"
    if result["code"] == 2:
        errors = [line for line in err if line.startswith("glassnet") and ": error: " in line]
        others = [line for line in err if line not in errors and
                  not line.startswith("glassnet: warning:")]
        if len(errors) != 1 or err[-1] != errors[0] or others:
            return "error", f"error output is not one line: {err[-5:]}"
        if case["expect"] == "ok":
            return "error", f"should have succeeded: {errors[0]}"
        return "error", None
    if case["expect"] == "error":
        return "ok", "should have failed, but succeeded"
    return "ok", _check_success(case, result)


def _check_success(case, result):
    kind, _, rest = case["check"].partition(":")
    cwd = Path(case["cwd"])
    if kind == "train":
        out = cwd / rest
        m = json.loads((out / "metrics.json").read_text())
        if not all(np.isfinite(v) for v in m["test"].values() if isinstance(v, float)):
            return f"non-finite test metrics {m['test']}"
        names = set(os.listdir(out))
        if not {"model.npz", "metrics.json", "run.toml"} <= names:
            return f"the run folder lacks files: {sorted(names)}"
    elif kind in ("predict", "predict-stdout"):
        if kind == "predict":
            path, _, rows = rest.rpartition(":")
            frame = pd.read_csv(cwd / path)
        else:
            rows = rest
            frame = pd.read_csv(pd.io.common.StringIO(result["stdout"]))
        if len(frame) != int(rows) or not any(c.startswith("predicted_") for c in frame):
            return f"predictions have {len(frame)} rows and columns {list(frame)[:5]}"
    elif kind == "json":
        text = result["stdout"] if rest == "-" else (cwd / rest).read_text()
        if "rows" not in json.loads(text):
            return "the metrics JSON has no rows"
    elif kind in ("info", "evaluate") and not result["stdout"].strip():
        return f"{kind} printed nothing"
    return None


@pytest.fixture(scope="module")
def fuzzed(tmp_path_factory):
    """Every case run once through the harness: ``{category: [(case, result), ...]}``."""
    rng = np.random.default_rng(20260101)
    data = tmp_path_factory.mktemp("fuzz-data")
    models = tmp_path_factory.mktemp("fuzz-models")
    clf, reg = base_frames()
    config = TrainConfig(hidden=[4], epochs=3, patience=0)
    model = train_frame(clf, "label", config, models / "clf", plots=False).files["model"]
    reg_model = train_frame(reg, "y", config, models / "reg", plots=False).files["model"]
    cases = {"csv and flags": csv_cases(data, rng) + predict_cases(data, model, reg_model),
             "model files": model_cases(models, Path(model), rng)}
    everything = [c for group in cases.values() for c in group]
    folder = tmp_path_factory.mktemp("fuzz-run")
    (folder / "cases.json").write_text(json.dumps(everything))
    env = dict(os.environ, PYTHONPATH=str(SRC), OPENBLAS_NUM_THREADS="1",
               OMP_NUM_THREADS="1", MKL_NUM_THREADS="1", MPLBACKEND="Agg", COLUMNS="100")
    run = subprocess.run([sys.executable, str(HARNESS), str(folder / "cases.json"),
                          str(folder / "results.json")], env=env, capture_output=True,
                         text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-3000:]
    results = iter(json.loads((folder / "results.json").read_text()))
    out = {name: [(c, next(results)) for c in group] for name, group in cases.items()}
    if os.environ.get("GLASSNET_FUZZ_REPORT"):
        Path(os.environ["GLASSNET_FUZZ_REPORT"]).write_text(json.dumps(
            {name: [{**c, **{k: r[k] for k in ("code", "signal", "seconds", "peak_mb",
                                                "added_mb")}, "stderr": r["stderr"][-300:]}
                    for c, r in pairs] for name, pairs in out.items()}, indent=1))
    return out


def _assert_clean(pairs, minimum):
    assert len(pairs) >= minimum
    outcomes, problems = Counter(), []
    for case, result in pairs:
        outcome, problem = _outcome(case, result)
        outcomes[outcome] += 1
        if problem:
            problems.append(f"{case['id']} ({' '.join(case['argv'])[:120]}): {problem}")
    worst = max(pairs, key=lambda p: p[1]["added_mb"])
    single = sum(r["code"] == 2 and len(r["stderr"].strip().splitlines()) == 1 for _, r in pairs)
    summary = (f"{len(pairs)} cases: {dict(outcomes)} ({single} errors alone on stderr); worst "
               f"memory {worst[1]['added_mb']} MB added, {worst[1]['peak_mb']} MB peak "
               f"({worst[0]['id']}); slowest {max(r['seconds'] for _, r in pairs):.2f} s")
    assert not problems, summary + "\n" + "\n".join(problems)
    print(summary)


def test_hostile_csvs_and_flags_end_cleanly(fuzzed):
    _assert_clean(fuzzed["csv and flags"], 150)


def test_damaged_and_crafted_model_files_end_cleanly(fuzzed):
    _assert_clean(fuzzed["model files"], 150)
