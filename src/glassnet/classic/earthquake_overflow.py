"""Why the tutorial's earthquake network overflows, and the fix.

The tutorial's attempt at the earthquake challenge feeds raw latitude (-77..86), longitude
(-180..180) and depth (km, up to 700) into an 11-line-style sigmoid network, with as many
hidden units as rows and weights 2 * random - 1, and NumPy answers
``RuntimeWarning: overflow encountered in exp``. Two things go wrong together:

* **Unscaled inputs.** A hidden unit's input z = w1 lat + w2 lon + w3 depth with |w| <= 1 is
  already hundreds at the start; the first update, whose size grows with the inputs, throws
  the weights further. The sigmoid is flat beyond |z| of about 30 (its slope s (1 - s) is below
  1e-12 there), so such units pass no gradient: the network cannot learn.
* **The naive sigmoid** 1 / (1 + exp(-z)): for z < -709.78, exp(-z) exceeds the largest
  float64 (1.8e308) and becomes inf. The result, 1 / inf = 0, happens to be right, but the
  warning says the formula left the range of floating point.

The target does not fit either: magnitudes are 5.5 to 9.1, and a sigmoid output lies in
(0, 1), so the output units saturate at 1 chasing it.

The fix: **standardize** each input with the mean and standard deviation of the *training*
rows (then z is of order 1), standardize the target and use a linear output, and compute the
sigmoid in a **stable form** (the engine's ``functional.sigmoid`` evaluates exp(z) / (1 + exp(z))
for negative z, which never overflows).
"""

from __future__ import annotations

import warnings

import numpy as np

from ..nn import SGD, Dense, MSELoss, Sequential, Sigmoid
from ..nn import functional as F
from ._figures import DEFAULT_OUT, new_figure, save_figure, speaker

__all__ = ["COLUMNS", "OVERFLOW_AT", "SATURATED_AT", "fixed_attempt", "lesson", "load_slice",
           "naive_sigmoid", "plot", "report", "sigmoid_at", "tutorial_attempt"]

#: The inputs the tutorial feeds in, raw.
COLUMNS = ("latitude", "longitude", "depth")

#: exp(-z) overflows float64 for z below this: -ln(1.8e308).
OVERFLOW_AT = -float(np.log(np.finfo(np.float64).max))

#: Beyond this |z| the sigmoid's slope s (1 - s) is below 1e-12: the unit has saturated.
SATURATED_AT = 27.6


def load_slice(n=100):
    """The first ``n`` earthquakes: X (n, 3) raw latitude, longitude, depth; y (n, 1) the
    magnitude."""
    from ..datasets.earthquakes import load_earthquakes

    df = load_earthquakes().iloc[:n]
    return df[list(COLUMNS)].to_numpy(np.float64), df[["magnitude"]].to_numpy(np.float64)


def naive_sigmoid(z):
    """1 / (1 + exp(-z)) as the tutorial writes it (overflows for z < -709.78)."""
    return 1 / (1 + np.exp(-z))


def _caught(fn):
    """Run ``fn()``; returns (its result, the messages of the RuntimeWarnings it raised)."""
    with warnings.catch_warnings(record=True) as caught, np.errstate(over="warn"):
        warnings.simplefilter("always", RuntimeWarning)
        result = fn()
    return result, [f"RuntimeWarning: {w.message}" for w in caught
                    if issubclass(w.category, RuntimeWarning)]


def _stats(z):
    return {"max_abs_z": float(np.max(np.abs(z))),
            "overflowing": float(np.mean(-z > -OVERFLOW_AT)),
            "saturated": float(np.mean(np.abs(z) > SATURATED_AT))}


def tutorial_attempt(X, y, epochs=5, seed=1):
    """The tutorial's loop on raw inputs: hidden units = rows, weights 2 * random - 1 (a
    private ``RandomState(seed)``), naive sigmoid, ``+= k.T.dot(delta)`` updates.

    Returns per epoch the hidden pre-activations' statistics (largest |z|, share overflowing,
    share saturated), the RuntimeWarnings raised, and the outputs' range.
    """
    rs = np.random.RandomState(seed)
    n = len(X)
    syn0 = 2 * rs.random_sample((X.shape[1], n)) - 1
    syn1 = 2 * rs.random_sample((n, 1)) - 1
    epochs_out = []
    for _ in range(epochs):
        def step():
            nonlocal syn0, syn1
            z = X @ syn0
            l1 = naive_sigmoid(z)
            l2 = naive_sigmoid(l1 @ syn1)
            l2_delta = (y - l2) * (l2 * (1 - l2))
            l1_delta = l2_delta.dot(syn1.T) * (l1 * (1 - l1))
            syn1 = syn1 + l1.T.dot(l2_delta)
            syn0 = syn0 + X.T.dot(l1_delta)
            return z, l2

        (z, l2), messages = _caught(step)
        epochs_out.append({**_stats(z), "warnings": messages,
                           "output_range": (float(l2.min()), float(l2.max())),
                           "z": z.ravel()})
    return {"epochs": epochs_out, "n_hidden": n,
            "warnings": sum(len(e["warnings"]) for e in epochs_out)}


def fixed_attempt(X, y, epochs=300, n_train=80, seed=1, lr=0.01):
    """The fix: standardize inputs and target with the first ``n_train`` rows' statistics, the
    same width of sigmoid hidden layer, a linear output, the engine's stable sigmoid.

    Returns the first pre-activations' statistics, the warnings raised (none), and the
    training and held-out MSE (standardized target) before and after training.
    """
    mean, std = X[:n_train].mean(axis=0), X[:n_train].std(axis=0)
    Xs = (X - mean) / std
    y_mean, y_std = y[:n_train].mean(), y[:n_train].std()
    ys = (y - y_mean) / y_std
    n = len(X)
    model = Sequential([Dense(X.shape[1], n), Sigmoid(), Dense(n, 1)], seed=seed,
                       dtype="float64")

    def mse(rows):
        return float(np.mean((model.predict(Xs[rows]) - ys[rows]) ** 2))

    train, held = slice(0, n_train), slice(n_train, None)
    z = model.layers[0].forward(Xs)
    before = {"train": mse(train), "held_out": mse(held)}
    history, messages = _caught(lambda: model.fit(
        Xs[train], ys[train], loss=MSELoss(), optimizer=SGD(lr=lr), epochs=epochs,
        shuffle=False, verbose=0))
    return {**_stats(z), "z": z.ravel(), "warnings": messages, "before": before,
            "after": {"train": mse(train), "held_out": mse(held)},
            "loss": list(history.history["loss"]), "scaling": (mean, std)}


def report(result):
    """What happened, in numbers."""
    tut, fix = result["tutorial"], result["fixed"]
    e0 = tut["epochs"][0]
    lines = [f"the tutorial's network on {tut['n_hidden']} raw rows ({', '.join(COLUMNS)}): "
             f"{tut['n_hidden']} hidden sigmoid units, weights 2 * random - 1"]
    for k, e in enumerate(tut["epochs"]):
        lines.append(f"  epoch {k}: largest |z| {e['max_abs_z']:.3g}; "
                     f"{e['saturated']:.0%} of the hidden units saturated, "
                     f"{e['overflowing']:.0%} overflowing exp; outputs "
                     f"{e['output_range'][0]:.3g} to {e['output_range'][1]:.3g}; "
                     f"{len(e['warnings'])} warning(s)")
    first = next((e["warnings"][0] for e in tut["epochs"] if e["warnings"]), None)
    lines.append(f"  NumPy says: {first}" if first else "  (no warning)")
    lines.append(f"  at the start {e0['saturated']:.0%} of the units are already flat "
                 f"(|z| > {SATURATED_AT}); the magnitudes (5.5 to 9.1) lie outside the "
                 "sigmoid's (0, 1)")
    demo = result["sigmoid_at_-800"]
    lines.append(f"  sigmoid(-800): naive {demo['naive']!r} with {demo['naive_warnings']}; "
                 f"stable {demo['stable']!r} with {demo['stable_warnings'] or 'no warning'}; "
                 f"log_sigmoid(-800) = {demo['log_sigmoid']!r}")
    lines.append(f"the fix (inputs and target standardized on the first 80 rows, stable "
                 f"sigmoid, linear output): largest |z| {fix['max_abs_z']:.3g}, "
                 f"{fix['saturated']:.0%} saturated, {len(fix['warnings'])} warnings; MSE "
                 f"train {fix['before']['train']:.3f} -> {fix['after']['train']:.3f}, held-out "
                 f"rows {fix['before']['held_out']:.3f} -> {fix['after']['held_out']:.3f}")
    lines.append("  (an MSE near 1 is the magnitude's own variance: where and how deep an "
                 "earthquake is says little about its size, as the earthquake project finds)")
    return "\n".join(lines)


def plot(result):
    """Hidden pre-activations raw against standardized (the overflow and saturation lines),
    and the fixed network's training loss."""
    fig, (ax0, ax1) = new_figure(1, 2, figsize=(12, 4.5))
    tut, fix = result["tutorial"], result["fixed"]
    for label, z in ((f"raw inputs, epoch {len(tut['epochs']) - 1}", tut["epochs"][-1]["z"]),
                     ("raw inputs, at the start", tut["epochs"][0]["z"]),
                     ("standardized inputs", fix["z"])):
        ax0.hist(np.clip(z, -1e4, 1e4), bins=np.r_[-np.geomspace(1e4, 0.1, 40), 0,
                                                     np.geomspace(0.1, 1e4, 40)],
                 histtype="step", lw=1.6, label=label)
    ax0.set_xscale("symlog", linthresh=1)
    for x, text in ((OVERFLOW_AT, "exp(-z) overflows"), (-SATURATED_AT, "saturated"),
                    (SATURATED_AT, "saturated")):
        ax0.axvline(x, color="k", ls=":", lw=1)
        ax0.text(x, 0.55, text, rotation=90, fontsize=8, ha="right", va="center",
                 transform=ax0.get_xaxis_transform())
    ax0.set_xlabel("hidden pre-activation z (symlog; clipped at +-1e4)")
    ax0.set_ylabel("count")
    ax0.set_title("Raw inputs push z far past the sigmoid's working range", fontsize=10)
    ax0.legend(fontsize=8, loc="upper right")
    ax1.plot(fix["loss"], color="tab:green")
    ax1.set_xlabel("epoch")
    ax1.set_ylabel("training MSE (standardized magnitude)")
    ax1.set_title(f"After the fix it trains, with {len(fix['warnings'])} warnings", fontsize=10)
    fig.tight_layout()
    return fig


def sigmoid_at(z=-800.0):
    """The naive and the stable sigmoid at ``z``, with the warnings each raised."""
    z = np.float64(z)
    naive, naive_warnings = _caught(lambda: float(naive_sigmoid(z)))
    stable, stable_warnings = _caught(lambda: float(F.sigmoid(z)))
    return {"naive": naive, "naive_warnings": naive_warnings, "stable": stable,
            "stable_warnings": stable_warnings, "log_sigmoid": float(F.log_sigmoid(z))}


def lesson(quick=False, verbose=True, out=DEFAULT_OUT):
    """``glassnet lesson earthquake-overflow``: the overflow reproduced, explained and fixed."""
    say = speaker(verbose)
    X, y = load_slice()
    result = {"tutorial": tutorial_attempt(X, y), "fixed": fixed_attempt(X, y),
              "sigmoid_at_-800": sigmoid_at(-800.0)}
    say(report(result))
    result["figure"] = save_figure(plot(result), out, "earthquake-overflow.png")
    say(f"figure: {result['figure']}")
    return result
