"""The "auto" settings of ``TrainConfig``: a network, batch size, patience, penalty and
ensemble chosen from the size of the training data.

The rules below were decided by measurement (``benchmarks/tabular.py``: glassnet against
scikit-learn's MLP, HistGradientBoosting and a linear model on small public tables); the
numbers behind each are in ``docs/design.md``, "Defaults for small tables".
"""

from __future__ import annotations

__all__ = ["AUTO", "auto_settings", "output_init_scale"]

AUTO = "auto"

# The rules of the "auto" settings; the measurements behind each are in docs/design.md,
# "Defaults for small tables" (benchmarks/tabular.py runs them).
BATCH_ROWS = 200        # batch size min(200, n), as scikit-learn's MLP
PATIENCE_STEPS = 400    # early stopping waits this many optimizer steps (at least 10 epochs)
MIN_PATIENCE = 10
MIN_STEPS = 4000        # epochs enough for this many steps (at least 200 epochs) ...
MIN_EPOCHS = 200
MAX_EPOCHS = 5000       # ... and at most this many epochs
L2_PRIOR = 1.0          # l2 = L2_PRIOR / rows: the penalty weighs like this many rows' loss
CLASSIFICATION_L2_PRIOR = 3.0  # ... for a classifier's cross-entropy
SMALL_ROWS = 1000       # below this many training rows, an ensemble of ENSEMBLE networks of
ENSEMBLE = 5            # one hidden layer averaged with a linear model (LINEAR_SHARE of the
LINEAR_SHARE = 0.5      # average); from it on, one network of two hidden layers
REGRESSION_LINEAR_SHARE = 0.6
LINEAR_LR = 0.01        # the linear model trains to convergence (no early stopping): faster
LINEAR_FEATURES = 256   # ... up to this many features (2 ReLU units each in the average)
OUTPUT_INIT_SCALE = 0.1  # a single network's output layer starts at this scale: near-constant
PLATEAU_FACTOR = 0.5    # the plateau schedule halves the learning rate


def auto_settings(n_rows, n_features, config=None, task=None):
    """The values the ``"auto"`` settings take for ``n_rows`` training rows of ``n_features``
    features (and ``task``, "regression" or "classification"): ``{"hidden", "batch_size",
    "epochs", "patience", "l2", "ensemble", "linear_share"}``.

    * batch size min(200, n) (scikit-learn's MLP rule);
    * patience in optimizer steps, not epochs: ``PATIENCE_STEPS`` steps, at least 10 epochs;
    * epochs: enough for ``MIN_STEPS`` steps, between 200 and 5000 (early stopping ends most
      runs long before);
    * hidden: 2 units per feature, between 16 and 128 (more rows allow a little more: n/50);
      one layer below ``SMALL_ROWS`` rows, two from there on (the second half as wide);
    * ensemble: below ``SMALL_ROWS`` rows, ``ENSEMBLE`` networks from different seeds whose
      outputs are averaged (one network on a tiny table depends too much on its seed), and
    * linear_share: ... averaged with a linear model, which takes ``REGRESSION_LINEAR_SHARE``
      of a regression's average and ``LINEAR_SHARE`` of a classifier's (ReLU hidden layers
      and up to ``LINEAR_FEATURES`` features only: written as a ReLU network, the linear
      model takes 2 units per feature; it needs no early stopping, so it also learns from the
      validation rows);
    * l2: ``L2_PRIOR / n`` for a regression, a penalty worth one row's loss (about Ridge's
      alpha = 1 and LogisticRegression's C = 1 in the engine's per-row scale), and
      ``CLASSIFICATION_L2_PRIOR / n`` for a classifier;
    * a single network (``output_init_scale``) starts with its output layer's weights scaled
      down, its first predictions close to a constant.
    """
    n_rows, n_features = max(1, int(n_rows)), max(1, int(n_features))
    batch = config.batch_size if config is not None and config.batch_size != AUTO \
        else min(BATCH_ROWS, n_rows)
    steps = -(-n_rows // (batch or n_rows))  # optimizer steps per epoch (ceil)
    width = int(min(128, max(16, 2 * n_features, n_rows // 50)))
    small = n_rows < SMALL_ROWS
    hidden = [width] if small else [width, max(8, width // 2)]
    return {
        "hidden": hidden,
        "batch_size": min(BATCH_ROWS, n_rows),
        "epochs": int(min(MAX_EPOCHS, max(MIN_EPOCHS, -(-MIN_STEPS // steps)))),
        "patience": int(max(MIN_PATIENCE, -(-PATIENCE_STEPS // steps))),
        "ensemble": ENSEMBLE if small else 1,
        "l2": (CLASSIFICATION_L2_PRIOR if task == "classification" else L2_PRIOR) / n_rows,
        "linear_share": (REGRESSION_LINEAR_SHARE if task == "regression" else LINEAR_SHARE)
        if small and n_features <= LINEAR_FEATURES and _relu_like(config) else 0.0,
    }


def output_init_scale(config):
    """The factor on the output layer's initial weights of the networks ``config`` (resolved)
    trains: ``OUTPUT_INIT_SCALE`` for a single network, 1 for an ensemble's members."""
    return OUTPUT_INIT_SCALE if config.ensemble == 1 else 1.0


def _relu_like(config):
    # A linear model joins the average as a ReLU network (nn.linear_as_relu): exact for ReLU,
    # and for leaky ReLU with one hidden layer.
    if config is None:
        return True
    depth = 1 if config.hidden == AUTO else len(config.hidden)
    return config.activation == "relu" or (config.activation == "leaky_relu" and depth == 1)
