"""Vectors and broadcasting: element-wise ``*`` against ``np.dot``, and flattening an image.

* ``a * b`` multiplies element by element. Shapes need not be equal: NumPy *broadcasts*,
  comparing them from the last axis back; two sizes fit when they are equal or one is 1, and a
  size-1 axis is stretched (without copying) to the other's size. (3, 3) * (3, 1) multiplies
  each column by the (3, 1) vector: a (3, 3) result. (4, 3) * (3, 2) does not fit: an error.
* ``np.dot(a, b)`` (or ``a @ b``) is the matrix product: (n, k) @ (k, m) -> (n, m), each entry
  a sum over k. It is what a layer computes: X (m, n_x) @ W (n_x, n_h).
* Vectorization: one ``np.dot`` of two 1,000,000-vectors gives the same number as a Python loop
  over their elements, tens to hundreds of times faster (the lesson times both).
* Rank-1 arrays: ``np.random.randn(5)`` has shape (5,), which is neither a row nor a column
  (its ``.T`` is itself); write (5, 1) or (1, 5) so shapes say what they mean.
* An image of 32 x 32 pixels in 3 colours is an array (32, 32, 3); a network takes it as one
  vector: ``img.reshape((32 * 32 * 3, 1))``, a column (3072, 1) in the course's samples-as-
  columns notation (glassnet's rows: ``imgs.reshape(m, -1)``, (m, 3072) for m images).
"""

from __future__ import annotations

import time

import numpy as np

from ._figures import DEFAULT_OUT, blank_figure, save_figure, speaker

__all__ = ["broadcast_examples", "flatten_image", "lesson", "plot", "report",
           "vectorization", "vectors_numbers"]


def _try(fn):
    try:
        return tuple(np.shape(fn()))
    except ValueError as e:
        return f"error: {str(e).splitlines()[0]}"


def broadcast_examples(seed=0):
    """The course's shape quiz, computed: a list of (expression, result shape or error)."""
    rng = np.random.default_rng(seed)

    def r(*shape):
        return rng.standard_normal(shape)

    a33, b31, a23, b21 = r(3, 3), r(3, 1), r(2, 3), r(2, 1)
    a43, b32, a13, big, b150 = r(4, 3), r(3, 2), r(1, 3), r(12288, 150), r(150, 45)
    v = r(5)
    return [
        ("(3, 3) * (3, 1)", _try(lambda: a33 * b31)),
        ("(2, 3) + (2, 1)", _try(lambda: a23 + b21)),
        ("(4, 3) * (3, 2)", _try(lambda: a43 * b32)),
        ("np.dot((4, 3), (3, 2))", _try(lambda: np.dot(a43, b32))),
        ("(1, 3) * (3, 1)", _try(lambda: a13 * b31)),
        ("np.dot((1, 3), (3, 1))", _try(lambda: np.dot(a13, b31))),
        ("np.dot((12288, 150), (150, 45))", _try(lambda: np.dot(big, b150))),
        ("randn(5).T", _try(lambda: v.T)),
        ("np.dot(randn(5), randn(5).T)", _try(lambda: np.dot(v, v.T))),
        ("randn(5).reshape(5, 1) @ .T", _try(lambda: v.reshape(5, 1) @ v.reshape(5, 1).T)),
    ]


def flatten_image(img):
    """An image (height, width, channels) as one column vector (height * width * channels, 1).

    >>> flatten_image(np.zeros((32, 32, 3))).shape
    (3072, 1)
    """
    img = np.asarray(img)
    if img.ndim != 3:
        raise ValueError(f"img must be (height, width, channels), got shape {img.shape}")
    return img.reshape((img.shape[0] * img.shape[1] * img.shape[2], 1))


def vectorization(n=1_000_000, seed=0):
    """A dot product of two n-vectors by a Python loop and by ``np.dot``: both values and
    each one's time in seconds (the times depend on the machine)."""
    rng = np.random.default_rng(seed)
    a, b = rng.random(n), rng.random(n)
    t0 = time.perf_counter()
    loop = 0.0
    for i in range(n):
        loop += a[i] * b[i]
    t1 = time.perf_counter()
    vec = float(np.dot(a, b))
    t2 = time.perf_counter()
    return {"n": n, "loop": float(loop), "dot": vec, "loop_seconds": t1 - t0,
            "dot_seconds": t2 - t1}


def vectors_numbers(quick=False):
    """Every number of the lesson: the shape quiz, the flattening, the vectorization timing."""
    from ..datasets import load_digits

    _, y, images = load_digits(return_images=True)
    digit = images[0]
    return {
        "broadcasting": broadcast_examples(),
        "image_shape": (32, 32, 3),
        "image_vector_shape": flatten_image(np.zeros((32, 32, 3))).shape,
        "digit": digit, "digit_label": int(y[0]),
        "digit_vector": flatten_image(digit[:, :, None]),
        "vectorization": vectorization(100_000 if quick else 1_000_000),
    }


def report(numbers):
    """The shape quiz's answers, the flattening and the timing, as text."""
    lines = ["shapes (a * b is element-wise with broadcasting; np.dot is the matrix product):"]
    width = max(len(e) for e, _ in numbers["broadcasting"])
    lines += [f"  {expr:<{width}}  ->  {res}" for expr, res in numbers["broadcasting"]]
    lines.append(f"an image {numbers['image_shape']} flattened by img.reshape((32*32*3, 1)): "
                 f"{numbers['image_vector_shape']}")
    lines.append(f"an 8x8 digit (a {numbers['digit_label']}) flattened: "
                 f"{numbers['digit_vector'].shape}")
    v = numbers["vectorization"]
    lines.append(f"dot product of two {v['n']:,}-vectors: loop {v['loop']:.6f} in "
                 f"{1e3 * v['loop_seconds']:.1f} ms, np.dot {v['dot']:.6f} in "
                 f"{1e3 * v['dot_seconds']:.2f} ms")
    return "\n".join(lines)


def _matrix(ax, values, x0, y0, color, stretched=()):
    """Draw ``values`` as a grid of cells with their numbers; ``stretched`` cells are faint."""
    values = np.atleast_2d(values)
    for i in range(values.shape[0]):
        for j in range(values.shape[1]):
            faint = (i, j) in stretched
            ax.add_patch(_rect((x0 + j, y0 - i), color, 0.25 if faint else 0.8))
            ax.text(x0 + j + 0.5, y0 - i + 0.5, f"{values[i, j]:g}", ha="center", va="center",
                    fontsize=9, color="gray" if faint else "black")


def _rect(xy, color, alpha):
    from matplotlib.patches import Rectangle

    return Rectangle(xy, 1, 1, facecolor=color, edgecolor="white", alpha=alpha)


def plot(numbers):
    """Broadcasting (3, 1) + (1, 4) drawn cell by cell, and an 8x8 digit and its 64-vector."""
    fig = blank_figure(figsize=(13, 4.2))
    grid = fig.add_gridspec(1, 3, width_ratios=[2.2, 1, 1.6])
    ax = fig.add_subplot(grid[0])
    col, row = np.array([[0.0], [10.0], [20.0]]), np.array([[1.0, 2.0, 3.0, 4.0]])
    stretched_col = {(i, j) for i in range(3) for j in range(1, 4)}
    stretched_row = {(i, j) for i in range(1, 3) for j in range(4)}
    _matrix(ax, np.repeat(col, 4, axis=1), 0, 2, "tab:blue", stretched_col)
    ax.text(4.5, 1.5, "+", fontsize=18, ha="center", va="center")
    _matrix(ax, np.repeat(row, 3, axis=0), 5, 2, "tab:orange", stretched_row)
    ax.text(9.5, 1.5, "=", fontsize=18, ha="center", va="center")
    _matrix(ax, col + row, 10, 2, "tab:green")
    ax.set_xlim(-0.2, 14.2)
    ax.set_ylim(-0.6, 3.4)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title("(3, 1) + (1, 4) -> (3, 4): size-1 axes stretched (faint cells)", fontsize=10)
    ax1 = fig.add_subplot(grid[1])
    ax1.imshow(numbers["digit"], cmap="gray_r")
    ax1.set_title(f"an 8x8 image (a {numbers['digit_label']})", fontsize=10)
    ax1.set_xticks([])
    ax1.set_yticks([])
    ax2 = fig.add_subplot(grid[2])
    ax2.imshow(numbers["digit_vector"].T, cmap="gray_r", aspect=6)
    ax2.set_title("img.reshape((64, 1)), drawn as a row", fontsize=10)
    ax2.set_yticks([])
    ax2.set_xticks([0, 8, 16, 24, 32, 40, 48, 56, 63])
    fig.tight_layout()
    return fig


def lesson(quick=False, verbose=True, out=DEFAULT_OUT):
    """``glassnet lesson vectors``: broadcasting against np.dot, rank-1 arrays, flattening."""
    say = speaker(verbose)
    numbers = vectors_numbers(quick)
    say(report(numbers))
    numbers["figure"] = save_figure(plot(numbers), out, "vectors.png")
    say(f"figure: {numbers['figure']}")
    return numbers
