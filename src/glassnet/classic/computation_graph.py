"""The computation graph: a function split into small steps, values forward, derivatives back.

The course's example is J = (a - 1)(b + c) = ab + ac - (b + c), computed in four steps:

    u = a b,    v = a c,    w = b + c,    J = u + v - w.

Forward, each node's value follows from its inputs' (left to right). Backward, the chain rule
runs right to left: a node's derivative dJ/dnode is the sum, over the nodes it feeds, of
dJ/d(that node) times the local derivative d(that node)/dnode:

    dJ/du = 1,  dJ/dv = 1,  dJ/dw = -1
    dJ/da = dJ/du * b + dJ/dv * c               = b + c
    dJ/db = dJ/du * a + dJ/dw * 1               = a - 1
    dJ/dc = dJ/dv * a + dJ/dw * 1               = a - 1

Backpropagation in a network is this, with matrices: every layer is a node that knows its
local derivatives, and ``Sequential.backward`` walks the layers in reverse.
"""

from __future__ import annotations

from dataclasses import dataclass

from ._figures import DEFAULT_OUT, new_figure, save_figure, speaker

__all__ = ["EXAMPLE", "GRAPH", "Node", "backward", "computation_graph", "forward", "lesson",
           "plot", "report"]


@dataclass(frozen=True)
class Node:
    """One step of the graph: ``name = fn(*inputs)``; ``partials`` gives d(name)/d(input) for
    each input, evaluated at the inputs' values."""

    name: str
    inputs: tuple
    fn: object
    partials: object
    formula: str


#: J = (a - 1)(b + c) as the course draws it, nodes in forward order.
GRAPH = (
    Node("u", ("a", "b"), lambda a, b: a * b, lambda a, b: (b, a), "u = a b"),
    Node("v", ("a", "c"), lambda a, c: a * c, lambda a, c: (c, a), "v = a c"),
    Node("w", ("b", "c"), lambda b, c: b + c, lambda b, c: (1.0, 1.0), "w = b + c"),
    Node("J", ("u", "v", "w"), lambda u, v, w: u + v - w, lambda u, v, w: (1.0, 1.0, -1.0),
         "J = u + v - w"),
)

#: The inputs the lesson uses (those of the course's J = 3(a + bc) example).
EXAMPLE = {"a": 5.0, "b": 3.0, "c": 2.0}


def forward(inputs, graph=GRAPH):
    """Every node's value, in forward order: {"a": ..., ..., "J": ...}.

    >>> forward({"a": 5.0, "b": 3.0, "c": 2.0})["J"]
    20.0
    """
    values = {k: float(v) for k, v in inputs.items()}
    for node in graph:
        missing = [i for i in node.inputs if i not in values]
        if missing:
            raise ValueError(f"node {node.name!r} needs {missing}, which nothing computes")
        values[node.name] = float(node.fn(*(values[i] for i in node.inputs)))
    return values


def backward(values, graph=GRAPH):
    """dJ/d(node) for every node and input, from the output back (the chain rule).

    Also returns the local derivative on each edge: ``{(input, node): d node / d input}``.
    """
    output = graph[-1].name
    grads = {name: 0.0 for name in values}
    grads[output] = 1.0
    edges = {}
    for node in reversed(graph):
        local = node.partials(*(values[i] for i in node.inputs))
        for name, d in zip(node.inputs, local):
            edges[(name, node.name)] = float(d)
            grads[name] += grads[node.name] * float(d)
    return grads, edges


def computation_graph(a=EXAMPLE["a"], b=EXAMPLE["b"], c=EXAMPLE["c"], h=1e-6):
    """Values and derivatives of J = (a - 1)(b + c), with the closed forms and a numerical check.

    Returns {"values", "grads", "edges", "closed_form", "finite_differences"}; the closed forms
    are dJ/da = b + c and dJ/db = dJ/dc = a - 1, the finite differences central, step ``h``.
    """
    inputs = {"a": a, "b": b, "c": c}
    values = forward(inputs)
    grads, edges = backward(values)

    def J(**kw):
        return forward({**inputs, **kw})["J"]

    numeric = {k: (J(**{k: v + h}) - J(**{k: v - h})) / (2 * h) for k, v in inputs.items()}
    closed = {"a": b + c, "b": a - 1, "c": a - 1}
    return {"values": values, "grads": grads, "edges": edges, "closed_form": closed,
            "finite_differences": numeric}


def report(result):
    """Forward values, backward derivatives, and the closed forms, as text."""
    v, g = result["values"], result["grads"]
    lines = ["forward:"]
    lines += [f"  {node.formula:<14} = {v[node.name]:g}" for node in GRAPH]
    lines.append("backward (dJ/d node):")
    lines += [f"  dJ/d{name} = {g[name]:g}" for name in ("J", "u", "v", "w", "a", "b", "c")]
    cf, fd = result["closed_form"], result["finite_differences"]
    lines.append(f"closed forms: dJ/da = b + c = {cf['a']:g}, dJ/db = dJ/dc = a - 1 = {cf['b']:g}"
                 f"; central differences {fd['a']:.6f}, {fd['b']:.6f}, {fd['c']:.6f}")
    return "\n".join(lines)


#: Where each node sits in the drawing (x, y in axes units).
_POSITIONS = {"a": (0.08, 0.80), "b": (0.08, 0.50), "c": (0.08, 0.20),
              "u": (0.48, 0.85), "v": (0.48, 0.50), "w": (0.48, 0.15), "J": (0.88, 0.50)}


def plot(result):
    """The graph: each node with its value (black) and dJ/dnode (red); each edge with its local
    derivative."""
    v, g, edges = result["values"], result["grads"], result["edges"]
    fig, ax = new_figure(figsize=(9, 5.2))
    formulas = {node.name: node.formula for node in GRAPH}
    for (src, dst), d in edges.items():
        (x0, y0), (x1, y1) = _POSITIONS[src], _POSITIONS[dst]
        ax.annotate("", xy=(x1 - (0.1 if dst == "J" else 0.065), y1), xytext=(x0 + 0.06, y0),
                    arrowprops={"arrowstyle": "->", "color": "gray", "lw": 1.2})
        xm, ym = x0 + 0.55 * (x1 - x0), y0 + 0.55 * (y1 - y0)
        ax.text(xm, ym, f"d{dst}/d{src} = {d:g}", fontsize=8, color="tab:blue", ha="center",
                va="center", bbox={"fc": "white", "ec": "none", "alpha": 0.8, "pad": 0.5})
    for name, (x, y) in _POSITIONS.items():
        label = formulas.get(name, name)
        ax.text(x, y, f"{label}\n= {v[name]:g}", ha="center", va="center", fontsize=10,
                bbox={"boxstyle": "round", "fc": "#eef3fb", "ec": "black"})
        ax.text(x, y - 0.105, f"dJ/d{name} = {g[name]:g}", ha="center", va="center",
                fontsize=9, color="tab:red")
    ax.set_xlim(-0.05, 1.0)
    ax.set_ylim(0.0, 1.0)
    ax.axis("off")
    ax.set_title("J = (a - 1)(b + c): values forward (black), derivatives backward (red)")
    return fig


def lesson(quick=False, verbose=True, out=DEFAULT_OUT):
    """``glassnet lesson computation-graph``: J = (a - 1)(b + c) forward and backward."""
    say = speaker(verbose)
    result = computation_graph()
    say(f"inputs a = {EXAMPLE['a']:g}, b = {EXAMPLE['b']:g}, c = {EXAMPLE['c']:g}")
    say(report(result))
    result["figure"] = save_figure(plot(result), out, "computation-graph.png")
    say(f"figure: {result['figure']}")
    return result

