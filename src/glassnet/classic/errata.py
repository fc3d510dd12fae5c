"""Where the tutorials' code or text is wrong, shown with numbers.

**The backprop lab's training loss.** The lab trains its 6-2-1 admissions network by looping
over the records, and every tenth of the epochs prints

    hidden_output = sigmoid(np.dot(x, weights_input_hidden))
    out = sigmoid(np.dot(hidden_output, weights_hidden_output))
    loss = np.mean((out - targets) ** 2)

where ``x`` is whatever the record loop left behind: the *last* training record. So ``out`` is
one number, that record's prediction, compared with every target. The printed losses (0.2763
falling to 0.2647) are not the network's loss; computed from all records (``features`` in
place of ``x``) the training MSE falls from 0.2659 to 0.2529. The weights, and so the
training itself, are the same either way: only the printout is wrong.

**"Vanishing gradients come from local minima."** They do not. Backpropagation multiplies
by each layer's activation derivative; the sigmoid's, s (1 - s), is at most 1/4, so after k
sigmoid layers the signal is scaled by at most (1/4)^k (times the weights). A deep sigmoid
network at its random start, far from any minimum (its loss is about ln 2 = 0.69, no better
than a coin), already has first-layer gradients orders of magnitude below its last layer's.
At a minimum, local or not, *every* layer's gradient would be near zero, the last one's too.
"""

from __future__ import annotations

import numpy as np

from ..nn import Callback, Sequential
from ..nn import functional as F
from ._figures import DEFAULT_OUT, new_figure, save_figure, speaker

__all__ = ["COURSE_PRINTED", "CORRECT", "backprop_lab_losses", "lesson", "plot", "report",
           "vanishing_at_init"]

#: The lab's printed training loss at its first and last print (epochs 0 and 810).
COURSE_PRINTED = (0.2763, 0.2647)

#: The same prints computed from every record.
CORRECT = (0.2659, 0.2529)


class _BothLosses(Callback):
    """Every tenth of the epochs: the lab's printed loss (last record) and the correct one."""

    def __init__(self, X, y, epochs):
        self.X, self.y, self.every = X, y, max(1, epochs // 10)
        self.epochs, self.printed, self.correct = [], [], []

    def on_epoch_end(self, epoch, logs=None):
        if epoch % self.every:
            return
        w_ih = self.model.layers[0].params["W"]
        w_ho = self.model.layers[2].params["W"][:, 0]
        x = self.X[-1]  # the record the lab's loop left in x
        out = F.sigmoid(F.sigmoid(x @ w_ih) @ w_ho)
        self.epochs.append(epoch)
        self.printed.append(float(np.mean((out - self.y) ** 2)))
        self.correct.append(float(np.mean((self.model.predict(self.X)[:, 0] - self.y) ** 2)))


def backprop_lab_losses(epochs=900, learn_rate=0.005):
    """Replay the backprop lab (its split, its seed-21 weights, its updates) on the engine and
    return, at every print, the loss the lab prints and the true training MSE."""
    from .admissions import prepare, train_network

    X, y, _, _, _ = prepare(replay_course=True)
    both = _BothLosses(X, y, epochs)
    train_network(X, y, epochs=epochs, learn_rate=learn_rate, replay_course=True,
                  callbacks=[both])
    return {"epochs": both.epochs, "printed": both.printed, "correct": both.correct}


def vanishing_at_init(depth=10, width=32, seed=0):
    """Per-layer gradient norms of a ``depth``-layer sigmoid network (and a tanh one) at its
    random start, with its loss, the sigmoid's largest slope and the (1/4)^k bound."""
    from ..datasets import make_moons
    from .activations import derivative
    from .vanishing import gradient_norms

    X, y = make_moons(400, noise=0.2, seed=seed)
    out = {"max_sigmoid_slope": float(derivative("sigmoid", np.linspace(-10, 10, 20001)).max()),
           "depth": depth}
    for act in ("sigmoid", "tanh"):
        model = Sequential.from_sizes([2, *([width] * (depth - 1)), 1], act, "sigmoid",
                                      seed=seed)
        norms = gradient_norms(model, X, y)
        p = model.predict(X)[:, 0]
        loss = float(-np.mean(y * np.log(p) + (1 - y) * np.log1p(-p)))
        out[act] = {"norms": norms, "loss": loss, "ratio": float(norms[0] / norms[-1])}
    out["bound"] = [0.25 ** k for k in range(depth)][::-1]  # layer l is depth-1-l sigmoids deep
    return out


def report(result):
    """Both errata, with their numbers."""
    lab, van = result["backprop_lab"], result["vanishing"]
    lines = ["The backprop lab prints its loss from the last record's output only:",
             f"  {'epoch':>5}  {'printed by the lab':>18}  {'true training MSE':>18}"]
    lines += [f"  {e:>5}  {p:>18.4f}  {c:>18.4f}"
              for e, p, c in zip(lab["epochs"], lab["printed"], lab["correct"])]
    s, t = van["sigmoid"], van["tanh"]
    lines += [
        f"Vanishing gradients are not local minima. The sigmoid's slope is at most "
        f"{van['max_sigmoid_slope']:.4f}; {van['depth'] - 1} of them multiplied give at most "
        f"{0.25 ** (van['depth'] - 1):.1e}.",
        f"  a {van['depth']}-layer sigmoid network at its random start: loss {s['loss']:.4f} "
        f"(a coin: ln 2 = {np.log(2):.4f}), last layer's gradient {s['norms'][-1]:.2e}, first "
        f"layer's {s['norms'][0]:.2e} ({s['ratio']:.1e} of it)",
        f"  the same network with tanh: first / last = {t['ratio']:.2f}",
        "  no minimum here (the loss is a coin's and the last layer's gradient is large): the "
        "first layers' gradients vanish because of the sigmoid's slope, layer after layer.",
    ]
    return "\n".join(lines)


def plot(result):
    """The lab's printed loss against the true one; per-layer gradient norms at the start."""
    fig, (ax0, ax1) = new_figure(1, 2, figsize=(12, 4.5))
    lab = result["backprop_lab"]
    ax0.plot(lab["epochs"], lab["printed"], marker="o", color="tab:red",
             label="printed by the lab (last record only)")
    ax0.plot(lab["epochs"], lab["correct"], marker="o", color="tab:green",
             label="training MSE over every record")
    ax0.set_xlabel("epoch")
    ax0.set_ylabel("MSE")
    ax0.set_title("The backprop lab's printout against the true loss", fontsize=10)
    ax0.legend(fontsize=8)
    van = result["vanishing"]
    layers = np.arange(1, van["depth"] + 1)
    for act in ("sigmoid", "tanh"):
        ax1.semilogy(layers, van[act]["norms"], marker="o",
                     label=f"{act} (loss {van[act]['loss']:.3f})")
    scale = van["sigmoid"]["norms"][-1]
    ax1.semilogy(layers, scale * np.asarray(van["bound"]), ls=":", color="k",
                 label="last layer's norm x (1/4)^k")
    ax1.set_xticks(layers)
    ax1.set_xlabel("layer (1 = next to the input)")
    ax1.set_ylabel("||dL/dW|| at the random start")
    ax1.set_title("Vanishing at the start, far from any minimum", fontsize=10)
    ax1.legend(fontsize=8)
    fig.tight_layout()
    return fig


def lesson(quick=False, verbose=True, out=DEFAULT_OUT):
    """``glassnet lesson errata``: the backprop lab's misprinted loss; vanishing gradients
    are the sigmoid's slope multiplied, not local minima."""
    say = speaker(verbose)
    result = {"backprop_lab": backprop_lab_losses(), "vanishing": vanishing_at_init()}
    say(report(result))
    result["figure"] = save_figure(plot(result), out, "errata.png")
    say(f"figure: {result['figure']}")
    return result
