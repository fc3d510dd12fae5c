"""A real image task: the 8x8 handwritten digits, flattened to vectors, read by a softmax network.

Each of the 1,797 images (shipped with glassnet, ``glassnet.datasets.load_digits``) is an 8x8
grid of ink counts 0..16. Flattened row by row it is a 64-vector, so the data set is a matrix
X (1797, 64), one image per row, and the network never sees that the pixels form a grid.

    X / 16            (n, 64)   pixels scaled to [0, 1]
    64 -> 128 -> 64   ReLU hidden layers
    -> 10 softmax     p (n, 10): the probability of each digit, rows summing to 1
    loss              cross-entropy -1/n sum_i ln p[i, y_i], Adam, L2 1e-4 on the weights

A quarter of the images (stratified: each digit in proportion) is held out and scored once.
The misclassified test images are drawn with their true and predicted digit: mostly ones a
person would hesitate over too.
"""

from __future__ import annotations

import numpy as np

from ..nn import Adam, Sequential
from ._figures import DEFAULT_OUT, new_figure, save_figure, speaker

__all__ = ["HIDDEN", "SEED", "digits_network", "lesson", "plot", "report", "split_digits",
           "train_digits"]

#: Hidden layer sizes of the lesson's network.
HIDDEN = (128, 64)

#: The seed of the split and of the network's starting weights.
SEED = 0


def split_digits(test_size=0.25, seed=SEED):
    """(X_train, y_train, X_test, y_test, images_test): pixels / 16, a stratified split."""
    from ..data.split import split_indices
    from ..datasets import load_digits

    X, y, images = load_digits(return_images=True)
    train, _, test = split_indices(len(y), val_size=0, test_size=test_size, seed=seed,
                                   stratify=y)
    X = X / 16.0
    return X[train], y[train], X[test], y[test], images[test]


def digits_network(seed=SEED, hidden=HIDDEN):
    """The 64-128-64-10 ReLU network with a softmax output."""
    return Sequential.from_sizes([64, *hidden, 10], "relu", "softmax", seed=seed)


def train_digits(epochs=40, lr=0.002, batch_size=32, l2=1e-4, seed=SEED):
    """Train the network on 75% of the digits; returns its numbers on the held-out 25%.

    A dict: ``accuracy`` (test), ``train_accuracy``, ``confusion`` (10, 10) (rows true,
    columns predicted), ``wrong`` (indices into the test set), ``y_test``, ``predicted``,
    ``images_test`` (the test images, 8x8), ``model`` and ``history``.
    """
    from ..nn.metrics import confusion_matrix

    X, y, Xt, yt, images = split_digits(seed=seed)
    model = digits_network(seed)
    history = model.fit(X, y, optimizer=Adam(lr=lr), epochs=epochs, batch_size=batch_size,
                        l2=l2, verbose=0)
    predicted = model.predict_classes(Xt)
    wrong = np.flatnonzero(predicted != yt)
    return {"accuracy": float(np.mean(predicted == yt)),
            "train_accuracy": float(np.mean(model.predict_classes(X) == y)),
            "n_train": len(y), "n_test": len(yt),
            "confusion": confusion_matrix(yt, predicted, n_classes=10),
            "wrong": wrong, "y_test": yt, "predicted": predicted, "images_test": images,
            "model": model, "history": history}


def report(result):
    """Accuracy, the confusions that happened, and the parameter count."""
    cm = result["confusion"]
    pairs = sorted(((int(cm[i, j]), i, j) for i in range(10) for j in range(10)
                    if i != j and cm[i, j]), reverse=True)
    lines = [f"{result['n_train']} training images, {result['n_test']} test images, each "
             f"8x8 -> a 64-vector; network 64-{'-'.join(map(str, HIDDEN))}-10 "
             f"({result['model'].n_params:,} parameters)",
             f"train accuracy {result['train_accuracy']:.4f}, test accuracy "
             f"{result['accuracy']:.4f} ({len(result['wrong'])} of {result['n_test']} wrong)",
             "confusions (true -> predicted: count): "
             + ", ".join(f"{i} -> {j}: {k}" for k, i, j in pairs)]
    return "\n".join(lines)


def plot(result, max_shown=24):
    """Every misclassified test digit (up to ``max_shown``), titled true -> predicted."""
    wrong = result["wrong"][:max_shown]
    cols = 8
    rows = max(1, -(-len(wrong) // cols))
    fig, axes = new_figure(rows, cols, figsize=(1.5 * cols, 1.75 * rows + 0.6), squeeze=False)
    for ax in axes.ravel():
        ax.axis("off")
    for ax, k in zip(axes.ravel(), wrong):
        ax.imshow(result["images_test"][k], cmap="gray_r")
        ax.set_title(f"{result['y_test'][k]} -> {result['predicted'][k]}", fontsize=10,
                     color="tab:red")
    fig.suptitle(f"The {len(result['wrong'])} misclassified test digits (true -> predicted); "
                 f"test accuracy {result['accuracy']:.4f}")
    fig.tight_layout()
    return fig


def lesson(quick=False, verbose=True, out=DEFAULT_OUT):
    """``glassnet lesson digits``: 8x8 digits as 64-vectors, a softmax network, its mistakes."""
    say = speaker(verbose)
    result = train_digits()
    say(report(result))
    result["figure"] = save_figure(plot(result), out, "digits.png")
    say(f"figure: {result['figure']}")
    return result
