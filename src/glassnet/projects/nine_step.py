"""The 9-step regressor: learn a + b, a - b and |a - b| from a and b.

The nine steps of a supervised project, in order: (1) make the data: a, b uniform in [0, 100],
10,000 samples, three targets; (2) split 70/30 at random (seeded); (3) fit the standardization
of inputs and targets on the training rows only; (4) apply it to both splits; (5) build a
2-64-64-3 ReLU network with a linear output; (6) train with Adam on mean squared error;
(7) predict the test set; (8) undo the target scaling; (9) report test loss against training
loss (close values: no overfitting) and R² per output, in the targets' own units.

a + b and a - b are linear, so a linear model would do; |a - b| has a kink along a = b that a
ReLU network draws with its hidden units.
"""

from __future__ import annotations

import numpy as np

from ..nn import Adam, Sequential

NAME = "nine-step"
TITLE = "9-step regressor: a, b -> a + b, a - b, |a - b|"
OUTPUTS = ("a + b", "a - b", "|a - b|")


def make_data(n=10_000, seed=0):
    """X (n, 2) with a, b ~ U[0, 100]; Y (n, 3) = [a + b, a - b, |a - b|] (float64)."""
    rng = np.random.default_rng(seed)
    X = rng.uniform(0, 100, size=(n, 2))
    a, b = X[:, 0], X[:, 1]
    return X, np.c_[a + b, a - b, np.abs(a - b)]


def r2_scores(y_true, y_pred):
    """R² per column: 1 - SS_res / SS_tot."""
    ss_res = np.sum((y_true - y_pred) ** 2, axis=0)
    ss_tot = np.sum((y_true - y_true.mean(axis=0)) ** 2, axis=0)
    return 1 - ss_res / ss_tot


def run(quick=False, verbose=True, out=None, seed=0):
    """All nine steps; returns the tour row (worst R² on the test set) with details."""
    X, Y = make_data(seed=seed)                                       # 1
    order = np.random.default_rng(seed).permutation(len(X))          # 2
    n_train = int(0.7 * len(X))
    tr, te = order[:n_train], order[n_train:]
    x_mean, x_std = X[tr].mean(axis=0), X[tr].std(axis=0)            # 3
    y_mean, y_std = Y[tr].mean(axis=0), Y[tr].std(axis=0)
    Xs, Ys = (X - x_mean) / x_std, (Y - y_mean) / y_std              # 4
    model = Sequential.from_sizes([2, 64, 64, 3], "relu", seed=seed)  # 5
    model.fit(Xs[tr], Ys[tr], optimizer=Adam(lr=3e-3), epochs=30 if quick else 100,
              batch_size=64, verbose=0)                              # 6
    pred = {name: model.predict(Xs[idx]) * y_std + y_mean            # 7, 8
            for name, idx in (("train", tr), ("test", te))}
    loss = {name: float(np.mean(((pred[name] - Y[idx]) / y_std) ** 2))  # 9
            for name, idx in (("train", tr), ("test", te))}
    r2 = {name: r2_scores(Y[idx], pred[name]) for name, idx in (("train", tr), ("test", te))}
    rmse = np.sqrt(np.mean((pred["test"] - Y[te]) ** 2, axis=0))
    if verbose:
        print(TITLE)
        print(f"  {len(tr):,} train / {len(te):,} test rows; scaling fitted on train only")
        print(f"  MSE (standardized targets): train {loss['train']:.2e}  test {loss['test']:.2e}"
              f"  (test / train = {loss['test'] / loss['train']:.2f})")
        for i, name in enumerate(OUTPUTS):
            print(f"  {name:>8}: test R² {r2['test'][i]:.5f}  RMSE {rmse[i]:.3f}")
    return {"project": "9-step regressor (a+b, a-b, |a-b|)", "metric": "test R² (worst output)",
            "result": f"{r2['test'].min():.4f}", "reference": ">= 0.99",
            "passed": bool(r2["test"].min() >= 0.99), "loss": loss,
            "r2": {k: v.tolist() for k, v in r2.items()}, "rmse": rmse.tolist()}
