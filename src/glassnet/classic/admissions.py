"""Student admissions: the course's first real data set, and what one test split can tell you.

Data preparation, as in the course: ``rank`` (1-4) becomes four one-hot columns rank_1..rank_4
(a rank is a category, not a quantity), ``gre`` and ``gpa`` are standardized to mean 0 and
standard deviation 1 (so neither dominates the dot product by its units), and a random 10% of
the rows is held out for testing. (The course standardizes with the statistics of all 400 rows,
test rows included; we keep that to replay its numbers.)

Two models, both trained by full-batch gradient descent on the mean squared error
E = 1/n sum (y - y_hat)^2 with the course's update

    w <- w + lr * mean over rows of (y - y_hat) y_hat (1 - y_hat) x:

* logistic regression, y_hat = sigmoid(x @ w) (no bias: the four rank columns sum to 1 and
  play its part), 1,000 epochs at lr 0.5;
* a backprop network with 2 sigmoid hidden units, 900 epochs at lr 0.005.

On the engine each is a ``Sequential`` of ``Dense(bias=False)`` and ``Sigmoid`` layers trained
with ``MSELoss`` and ``SGD(lr / 2)``: the engine's MSE gradient is 2 (y_hat - y) / n, so half the
course's rate takes exactly the course's step.

A 40-row test set is small: one row is 2.5 points of accuracy. So the lesson puts the course's
0.725 next to the majority-class baseline (always predict "not admitted") and next to the mean
and spread of the test accuracy over 20 random splits.
"""

from __future__ import annotations

import numpy as np

from ..nn import SGD, Callback, Dense, MSELoss, Sequential, Sigmoid, initializers
from ._figures import DEFAULT_OUT, new_figure, save_figure

__all__ = ["accuracy", "lesson", "majority_baseline", "prepare", "repeated_splits", "run",
           "train_logistic", "train_network"]


def prepare(data=None, test_fraction=0.1, seed=None, replay_course=False):
    """One-hot ``rank``, standardize ``gre``/``gpa``, split off a random test set.

    Returns (X_train, y_train, X_test, y_test, columns), X float64 (n, 6). ``replay_course``
    draws the split as the course does (``np.random.seed(42)``; ``np.random.choice`` of 90% of
    the index): a documented replay of NumPy's legacy stream through a private RandomState.
    Otherwise the test rows come from a ``numpy.random.Generator`` seeded with ``seed``.
    """
    import pandas as pd

    from ..datasets.lessons import load_student_admissions

    data = load_student_admissions() if data is None else data
    missing = {"admit", "gre", "gpa", "rank"} - set(data.columns)
    if missing:
        raise ValueError(f"data is missing the column(s) {sorted(missing)}")
    if not 0 < test_fraction < 1:
        raise ValueError(f"test_fraction must be in (0, 1), got {test_fraction!r}")
    frame = pd.concat([data, pd.get_dummies(data["rank"], prefix="rank", dtype=float)], axis=1)
    frame = frame.drop(columns="rank")
    for col in ("gre", "gpa"):
        frame[col] = (frame[col] - frame[col].mean()) / frame[col].std()
    n_train = int(len(frame) * (1 - test_fraction))
    if replay_course:
        train_index = np.random.RandomState(42).choice(frame.index, size=n_train, replace=False)
    else:
        train_index = np.random.default_rng(seed).choice(frame.index, size=n_train,
                                                          replace=False)
    train, test = frame.loc[train_index], frame.drop(train_index)
    columns = [c for c in frame.columns if c != "admit"]
    return (train[columns].to_numpy(np.float64), train["admit"].to_numpy(np.int64),
            test[columns].to_numpy(np.float64), test["admit"].to_numpy(np.int64), columns)


class _CoursePrinter(Callback):
    """Every tenth of the epochs: the training MSE, with the course's warning when it rose."""

    def __init__(self, X, y, epochs, verbose):
        self.X, self.y, self.every, self.verbose = X, y, max(1, epochs // 10), verbose
        self.losses, self.last = [], None

    def on_epoch_end(self, epoch, logs=None):
        if epoch % self.every:
            return
        loss = float(np.mean((self.model.predict(self.X)[:, 0] - self.y) ** 2))
        self.losses.append((epoch, loss))
        if self.verbose:
            warn = "  WARNING - Loss Increasing" if self.last is not None and self.last < loss \
                else ""
            print(f"Train loss:  {loss}{warn}")
        self.last = loss


def _fit(model, X, y, epochs, learn_rate, verbose, callbacks=()):
    printer = _CoursePrinter(X, y, epochs, verbose)
    model.fit(X, y, loss=MSELoss(), optimizer=SGD(lr=learn_rate / 2), epochs=epochs,
              shuffle=False, verbose=0, callbacks=[printer, *callbacks])
    model.course_losses_ = printer.losses
    return model


def train_logistic(X, y, epochs=1000, learn_rate=0.5, seed=None, replay_course=False,
                   verbose=False):
    """Logistic regression (sigmoid of x @ w, no bias) by full-batch gradient descent.

    Initial w ~ N(0, 1/n_features) from ``seed`` (or the course's ``np.random.seed(42)``
    draw with ``replay_course``). Returns the trained ``Sequential``; ``model.course_losses_``
    holds the (epoch, training MSE) pairs printed every tenth of the epochs.
    """
    k = X.shape[1]
    model = Sequential([Dense(k, 1, bias=False, init=initializers.Normal(k ** -0.5)), Sigmoid()],
                       seed=seed, dtype="float64")
    if replay_course:
        w = np.random.RandomState(42).normal(scale=k ** -0.5, size=k)
        model.set_weights([{"W": w.reshape(-1, 1)}, {}])
    return _fit(model, X, y, epochs, learn_rate, verbose)


def train_network(X, y, n_hidden=2, epochs=900, learn_rate=0.005, seed=None,
                  replay_course=False, verbose=False, callbacks=()):
    """The backprop lesson's network: sigmoid hidden layer (no biases), sigmoid output.

    Both weight matrices ~ N(0, 1/n_features), from ``seed`` or, with ``replay_course``, the
    course's ``np.random.seed(21)`` draws (W_ih first, then W_ho). ``callbacks`` are passed
    on to ``fit``.
    """
    k = X.shape[1]
    init = initializers.Normal(k ** -0.5)
    model = Sequential([Dense(k, n_hidden, bias=False, init=init), Sigmoid(),
                        Dense(n_hidden, 1, bias=False, init=init), Sigmoid()],
                       seed=seed, dtype="float64")
    if replay_course:
        rs = np.random.RandomState(21)
        w_ih = rs.normal(scale=k ** -0.5, size=(k, n_hidden))
        w_ho = rs.normal(scale=k ** -0.5, size=n_hidden)
        model.set_weights([{"W": w_ih}, {}, {"W": w_ho.reshape(-1, 1)}, {}])
    return _fit(model, X, y, epochs, learn_rate, verbose, callbacks)


def accuracy(model, X, y):
    """Share of rows where (output > 0.5) equals the label."""
    return float(np.mean((model.predict(X)[:, 0] > 0.5) == y))


def majority_baseline(y_train, y_test):
    """Accuracy on the test rows of always predicting the training set's majority class."""
    majority = int(np.mean(y_train) > 0.5)
    return float(np.mean(y_test == majority))


def repeated_splits(n_splits=20, seed=0, epochs=(1000, 900)):
    """Test accuracy of both models and of the baseline over ``n_splits`` random 90/10 splits.

    Split k uses ``seed + k`` for its split and its initial weights. Returns a dict of arrays
    ``logistic``, ``network``, ``majority``, each (n_splits,).
    """
    out = {"logistic": [], "network": [], "majority": []}
    for k in range(n_splits):
        X, y, Xt, yt, _ = prepare(seed=seed + k)
        out["logistic"].append(accuracy(train_logistic(X, y, epochs[0], seed=seed + k), Xt, yt))
        out["network"].append(accuracy(train_network(X, y, epochs=epochs[1], seed=seed + k),
                                       Xt, yt))
        out["majority"].append(majority_baseline(y, yt))
    return {k: np.array(v) for k, v in out.items()}


def _course_split(verbose):
    say = print if verbose else (lambda *a, **k: None)
    X, y, Xt, yt, columns = prepare(replay_course=True)
    say(f"Student admissions: {len(X)} training rows, {len(Xt)} test rows; features {columns}")
    say("\nLogistic regression (1,000 epochs, learn rate 0.5):")
    logistic = train_logistic(X, y, replay_course=True, verbose=verbose)
    acc_log = accuracy(logistic, Xt, yt)
    say(f"Prediction accuracy: {acc_log:.3f}")
    say("\nBackprop network with 2 hidden units (900 epochs, learn rate 0.005):")
    network = train_network(X, y, replay_course=True, verbose=verbose)
    acc_net = accuracy(network, Xt, yt)
    say(f"Prediction accuracy: {acc_net:.3f}")
    start, end = network.course_losses_[0][1], network.course_losses_[-1][1]
    faster = accuracy(train_network(X, y, learn_rate=0.5, replay_course=True), Xt, yt)
    say(f"At learn rate 0.005 the loss only fell from {start:.3f} to {end:.3f}: the network is "
        f"still near its random start. The same network at learn rate 0.5 scores {faster:.3f}.")
    base = majority_baseline(y, yt)
    say(f"\nMajority baseline (always 'not admitted') on this test split: {base:.3f}; "
        f"on all 400 rows: {1 - float(np.mean(np.r_[y, yt])):.4f}")
    return {"logistic": acc_log, "network": acc_net, "network_lr05": faster, "majority": base,
            "logistic_losses": logistic.course_losses_, "network_losses": network.course_losses_}


def run(quick=False, verbose=True, out=None):
    """The tour's row: the course split's test accuracy next to the course's and the baseline.

    ``quick`` replaces the 20-split spread by 5 splits.
    """
    course = _course_split(verbose=False)
    spread = repeated_splits(5 if quick else 20)
    mean, sd = spread["logistic"].mean(), spread["logistic"].std(ddof=1)
    if verbose:
        print(f"Student admissions: logistic regression test accuracy {course['logistic']:.3f} "
              f"on the course's split; {mean:.3f} +- {sd:.3f} over {len(spread['logistic'])} "
              f"random splits (majority baseline {spread['majority'].mean():.3f})")
    return {"project": "Student admissions", "metric": "test accuracy",
            "result": f"{course['logistic']:.3f} ({mean:.2f} +- {sd:.2f})",
            "reference": f"course ~0.725 (majority {course['majority']:.3f} on this split)"}


def lesson(quick=False, verbose=True, out=DEFAULT_OUT):
    """``glassnet lesson admissions``: the course's two models, the baseline and the spread."""
    say = print if verbose else (lambda *a, **k: None)
    course = _course_split(verbose)
    n_splits = 3 if quick else 20
    spread = repeated_splits(n_splits)
    say(f"\nTest accuracy over {n_splits} random 90/10 splits (mean +- standard deviation, "
        "min - max):")
    for name in ("logistic", "network", "majority"):
        a = spread[name]
        sd = a.std(ddof=1) if len(a) > 1 else 0.0
        say(f"  {name:<9} {a.mean():.3f} +- {sd:.3f}   ({a.min():.3f} - {a.max():.3f})")
    say("One split's 40 test rows move the accuracy in steps of 0.025: read 0.725 against "
        "the spread and the baseline, not alone.")

    fig, (ax0, ax1) = new_figure(1, 2, figsize=(11, 4.2))
    for key, label in (("logistic_losses", "logistic regression (lr 0.5)"),
                       ("network_losses", "2 hidden units (lr 0.005)")):
        epochs, losses = zip(*course[key])
        ax0.plot(epochs, losses, marker="o", label=label)
    ax0.set_xlabel("epoch")
    ax0.set_ylabel("training MSE")
    ax0.set_title("Training loss on the course's split")
    ax0.legend(fontsize=8)
    names = ["logistic", "network", "majority"]
    rng = np.random.default_rng(0)
    for i, name in enumerate(names):
        a = spread[name]
        ax1.scatter(i + rng.uniform(-0.12, 0.12, len(a)), a, alpha=0.6, s=20)
        ax1.errorbar(i + 0.3, a.mean(), yerr=a.std(ddof=1) if len(a) > 1 else 0, fmt="ks",
                     capsize=4)
    ax1.axhline(course["logistic"], color="tab:red", ls="--", lw=1,
                label=f"logistic on the course's split: {course['logistic']:.3f}")
    ax1.set_xticks(range(3), names)
    ax1.set_ylabel("test accuracy")
    ax1.set_title(f"Test accuracy over {n_splits} random splits")
    ax1.legend(fontsize=8, loc="lower left")
    fig.tight_layout()
    path = save_figure(fig, out, "admissions.png")
    say(f"figure: {path}")
    return {**course, "spread": spread, "figure": path}
