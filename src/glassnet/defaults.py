"""The "auto" settings of ``TrainConfig``: a network, batch size, patience, penalty and
ensemble chosen from the size of the training data.

The rules below were decided by measurement (``benchmarks/tabular.py``: glassnet against
scikit-learn's MLP, HistGradientBoosting and a linear model on small public tables); the
numbers behind each are in ``docs/design.md``, "Defaults for small tables".
"""

from __future__ import annotations

__all__ = ["AUTO", "auto_settings"]

AUTO = "auto"

# The rules of the "auto" settings; the measurements behind each are in docs/design.md,
# "Defaults for small tables" (benchmarks/tabular.py runs them).
BATCH_ROWS = 200        # batch size min(200, n), as scikit-learn's MLP
HIDDEN_LAYERS = 1
PATIENCE_STEPS = 400    # early stopping waits this many optimizer steps (at least 10 epochs)
MIN_PATIENCE = 10
MIN_STEPS = 4000        # epochs enough for this many steps (at least 200 epochs) ...
MIN_EPOCHS = 200
MAX_EPOCHS = 5000       # ... and at most this many epochs
L2_PRIOR = 1.0          # l2 = L2_PRIOR / rows: the penalty weighs like this many rows' loss
SMALL_ROWS = 1000       # below this many training rows, an ensemble of ENSEMBLE networks
ENSEMBLE = 5            # ... averaged with a linear model (LINEAR_SHARE of the average)
LINEAR_SHARE = 0.5
LINEAR_LR = 0.01        # the linear model trains to convergence (no early stopping): faster
PLATEAU_FACTOR = 0.5    # the plateau schedule halves the learning rate


def auto_settings(n_rows, n_features, config=None, task=None):
    """The values the ``"auto"`` settings take for ``n_rows`` training rows of ``n_features``
    features (and ``task``, "regression" or "classification"): ``{"hidden", "batch_size",
    "epochs", "patience", "l2", "ensemble", "linear_share"}``.

    * batch size min(200, n) (scikit-learn's MLP rule);
    * patience in optimizer steps, not epochs: ``PATIENCE_STEPS`` steps, at least 10 epochs;
    * epochs: enough for ``MIN_STEPS`` steps, between 200 and 5000 (early stopping ends most
      runs long before);
    * hidden: one layer, 2 units per feature, between 16 and 128 (fewer units for few rows);
    * ensemble: below ``SMALL_ROWS`` rows, ``ENSEMBLE`` networks from different seeds whose
      outputs are averaged (one network on a tiny table depends too much on its seed), and
    * linear_share: ... and for a regression, averaged half and half with a linear model
      (ReLU hidden layers only): it measured better on small regression tables, not on
      classification ones;
    * l2: ``L2_PRIOR / n``, a penalty worth one row's loss (scikit-learn's LogisticRegression
      default, C = 1, in the engine's per-row scale).
    """
    n_rows, n_features = max(1, int(n_rows)), max(1, int(n_features))
    batch = config.batch_size if config is not None and config.batch_size != AUTO \
        else min(BATCH_ROWS, n_rows)
    steps = -(-n_rows // (batch or n_rows))  # optimizer steps per epoch (ceil)
    width = int(min(128, max(16, 2 * n_features, n_rows // 50)))
    hidden = [width] if HIDDEN_LAYERS == 1 else [width, max(8, width // 2)]
    return {
        "hidden": hidden,
        "batch_size": min(BATCH_ROWS, n_rows),
        "epochs": int(min(MAX_EPOCHS, max(MIN_EPOCHS, -(-MIN_STEPS // steps)))),
        "patience": int(max(MIN_PATIENCE, -(-PATIENCE_STEPS // steps))),
        "ensemble": ENSEMBLE if n_rows < SMALL_ROWS else 1,
        "l2": L2_PRIOR / n_rows,
        "linear_share": LINEAR_SHARE if n_rows < SMALL_ROWS and task == "regression"
        and _relu_like(config) else 0.0,
    }


def _relu_like(config):
    # A linear model joins the average as a ReLU network (nn.linear_as_relu): exact for ReLU,
    # and for leaky ReLU with one hidden layer.
    if config is None:
        return True
    depth = 1 if config.hidden == AUTO else len(config.hidden)
    return config.activation == "relu" or (config.activation == "leaky_relu" and depth == 1)
