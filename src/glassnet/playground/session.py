"""One playground session: its data, its network, its training run, and what the page shows.

A ``Session`` knows nothing of the web: the server calls its methods (under the session's lock,
from a worker thread) and sends what they return. Training uses the engine's public step,
``Sequential.train_step``, one mini-batch at a time; an epoch is one pass over the training
points in an order drawn from the model's generator, as ``fit`` draws it.

Changing the data or the network (data set, noise, features, layers, activation, dropout,
optimizer, seed) starts the run again from the seed's weights, as TensorFlow Playground does;
the learning rate, batch size and regularization change while training goes on. Every change
and manual edit since the last start is kept in ``events``, which the Python panel's script
replays (``exports``).
"""

from __future__ import annotations

import numpy as np

from .. import nn
from . import data as datamod
from .inspector import describe_step, inspect_step
from .protocol import Limits, ProtocolError
from .wire import pack, quantize

__all__ = ["DEFAULTS", "DTYPE", "Session"]

# float64: the step inspector shows gradients of 1e-5 and smaller next to values of order 1,
# and a learner checking them by hand should not meet float32's 7 digits. At these sizes
# (at most 6 x 8 neurons) float64 costs no measurable time.
DTYPE = "float64"

#: TensorFlow Playground's defaults, plus the glass box's own settings
DEFAULTS = {
    "dataset": "circle", "problem": "classification", "noise": 0, "train_ratio": 50,
    "batch_size": 10, "points": 500, "features": ["x1", "x2"], "hidden": [4, 2],
    "activation": "tanh", "lr": 0.03, "regularization": "none", "reg_rate": 0.0,
    "optimizer": "sgd", "dropout": 0.0, "seed": 1, "data_seed": 1, "grid": 50,
}
#: settings that change while training goes on; ``grid`` changes only the picture
LIVE = frozenset({"lr", "batch_size", "regularization", "reg_rate"})
DATA = frozenset({"dataset", "problem", "noise", "train_ratio", "points", "data_seed"})
MAX_EVENTS = 1000  # past this the Python panel cannot replay the run step for step
MAX_HISTORY = 20_000  # rows of the loss history; past it every second row is dropped
THUMB_POINTS = 200


def problem_of(dataset):
    return "regression" if dataset in datamod.REGRESSION else "classification"


def _float(v):
    v = float(v)
    return v if np.isfinite(v) else None


class Session:
    """A data set, a network and its training run, driven by the page's messages."""

    def __init__(self, limits=None, config=None):
        self.limits = limits or Limits()
        self.config = dict(DEFAULTS)
        self.csv = None  # the last CsvTable uploaded
        self.csv_table = None  # the one the data comes from, when the data set is "csv"
        self.csv_use = None  # {"x1", "x2", "target"}: its columns in use
        self.csv_scaling = None
        self._make_data()
        self.restart()
        if config:
            self.update(config)

    # ---------------------------------------------------------------- data and network
    def _make_data(self):
        c = self.config
        if c["dataset"] == "csv":
            X, y, _, self.csv_scaling = datamod.csv_points(self.csv_table,
                                                           problem=c["problem"],
                                                           **self.csv_use)
            X, y = datamod.shuffle(X, y, c["data_seed"])
        else:
            X, y = datamod.make_points(c["dataset"], c["points"], c["noise"] / 100,
                                       c["data_seed"])
        self.X_train, self.y_train, self.X_test, self.y_test = datamod.split(
            X, y, c["train_ratio"])
        self._inputs = None

    def _build(self):
        """Dense + activation (+ Dropout) per hidden layer, then one output unit: sigmoid and
        cross-entropy for classification, linear and mean squared error for regression."""
        c = self.config
        layers, n_in = [], len(c["features"])
        for width in c["hidden"]:
            layers += [nn.Dense(n_in, width), nn.get_activation(c["activation"])]
            if c["dropout"]:
                layers.append(nn.Dropout(c["dropout"]))
            n_in = width
        layers.append(nn.Dense(n_in, 1))
        classify = c["problem"] == "classification"
        if classify:
            layers.append(nn.Sigmoid())
        model = nn.Sequential(layers, seed=c["seed"], dtype=DTYPE)
        model.loss_ = nn.BinaryCrossEntropy() if classify else nn.MSELoss()
        return model

    def _make_optimizer(self):
        c = self.config
        if c["optimizer"] == "adam":
            return nn.Adam(lr=c["lr"])
        return nn.SGD(lr=c["lr"], momentum=0.9 if c["optimizer"] == "momentum" else 0.0)

    def _make_regularizer(self):
        c = self.config
        if c["regularization"] == "L1":
            return nn.L1(c["reg_rate"])
        if c["regularization"] == "L2":
            return nn.L2(c["reg_rate"])
        return None

    def _prepare_inputs(self):
        """The network's inputs for the training points, test points and the map's grid,
        stacked so that one forward pass gives the losses and every map."""
        c = self.config
        grid = datamod.grid_points(c["grid"])
        parts = [self.X_train, self.X_test, grid]
        self._inputs = datamod.make_features(np.concatenate(parts), c["features"])
        self.F_train = self._inputs[:len(self.y_train)]
        self.Y_train = self.y_train.reshape(-1, 1)
        self.Y_test = self.y_test.reshape(-1, 1)

    def restart(self):
        """New weights from the seed, a fresh optimizer, epoch 0, an empty history."""
        self.model = self._build()
        self.loss = self.model.loss_
        self.eval_loss = type(self.loss)()  # its own caches: evaluating never touches training's
        self.optimizer = self._make_optimizer()
        self.regularizer = self._make_regularizer()
        self.dense = [i for i, layer in enumerate(self.model.layers)
                      if isinstance(layer, nn.Dense)]
        # the layers whose outputs are the neurons' values: each hidden activation, the output
        self.neuron_layers = [d + 1 for d in self.dense[:-1]] + [len(self.model.layers) - 1]
        self.start_config = dict(self.config)  # what the Python panel's script starts from
        self.epoch = 0
        self.steps = 0
        self.history = []
        self.events = []
        self.replayable = True
        self.grad_norms = [None] * len(self.dense)
        self.diverged = False
        if self._inputs is None:
            self._prepare_inputs()
        self._evaluate(record=True)

    # ---------------------------------------------------------------- messages
    def update(self, changes):
        """Apply validated settings; returns "restart", "live" or "view" (what changed)."""
        c = {**self.config, **changes}
        if "dataset" in changes and c["dataset"] != "csv":
            wanted = problem_of(c["dataset"])
            if "problem" in changes and changes["problem"] != wanted:
                raise ProtocolError(f"dataset {c['dataset']!r} is a {wanted} data set, not "
                                    f"{changes['problem']}")
            c["problem"] = wanted
        elif "problem" in changes and c["dataset"] != "csv" and \
                problem_of(c["dataset"]) != c["problem"]:
            c["dataset"] = (datamod.CLASSIFICATION if c["problem"] == "classification"
                            else datamod.REGRESSION)[0]
        if c["dataset"] == "csv" and self.csv_use is None:
            raise ProtocolError("dataset 'csv' needs a CSV file: upload one and choose its "
                                "columns first")
        changed = {k for k in c if c[k] != self.config[k]}
        if not changed:
            return "view"
        old = self.config
        self.config = c
        try:
            if changed & DATA:
                self._make_data()
        except ValueError as e:  # e.g. a CSV target that does not fit the new problem type
            self.config = old
            raise ProtocolError(str(e)) from None
        if "features" in changed or "grid" in changed:
            self._inputs = None
        if changed - LIVE - {"grid"}:
            self.restart()
            return "restart"
        if "grid" in changed:
            self._prepare_inputs()
            self._evaluate(record=False)
        live = changed & LIVE
        if live:
            self.optimizer.lr = c["lr"]
            self.regularizer = self._make_regularizer()
            self._log("set", {k: c[k] for k in sorted(live)})
            return "live"
        return "view"

    def regenerate(self):
        """New points from a new data seed (drawn from the old one, so a run stays repeatable)."""
        seed = int(np.random.default_rng(self.config["data_seed"]).integers(2**31 - 1))
        return self.update({"data_seed": seed})

    def load_csv(self, name, text):
        """Parse an uploaded CSV file and keep its numeric columns for ``use_csv``."""
        try:
            self.csv = datamod.read_csv_text(text, name, max_bytes=self.limits.max_upload_bytes,
                                             max_rows=self.limits.max_points)
        except ValueError as e:
            raise ProtocolError(str(e)) from None
        return self.csv.describe()

    def use_csv(self, x1, x2, target, problem="auto"):
        """Train on the uploaded file's columns x1, x2 (features) and target."""
        if self.csv is None:
            raise ProtocolError("use_csv: no CSV file uploaded yet")
        try:
            _, _, problem, _ = datamod.csv_points(self.csv, x1, x2, target, problem)
        except ValueError as e:
            raise ProtocolError(str(e)) from None
        self.csv_table, self.csv_use = self.csv, {"x1": x1, "x2": x2, "target": target}
        self.config = {**self.config, "dataset": "csv", "problem": problem}
        self._make_data()
        self.restart()

    def set_weight(self, layer, source, target, value):
        """Set the weight from neuron ``source`` of one layer to neuron ``target`` of the next;
        ``layer`` counts Dense layers from 0 (the inputs' links)."""
        W = self._dense(layer).params["W"]
        if source >= W.shape[0] or target >= W.shape[1]:
            raise ProtocolError(f"set_weight: layer {layer} has weights {W.shape[0]} x "
                                f"{W.shape[1]}; no ({source}, {target})")
        W[source, target] = value
        self._log("weight", (layer, source, target, float(value)))
        self._evaluate(record=False)

    def set_bias(self, layer, neuron, value):
        b = self._dense(layer).params["b"]
        if neuron >= b.shape[0]:
            raise ProtocolError(f"set_bias: layer {layer} has {b.shape[0]} neurons; no {neuron}")
        b[neuron] = value
        self._log("bias", (layer, neuron, float(value)))
        self._evaluate(record=False)

    def _dense(self, layer):
        if layer >= len(self.dense):
            raise ProtocolError(f"layer must be in [0, {len(self.dense) - 1}], got {layer}")
        return self.model.layers[self.dense[layer]]

    # ---------------------------------------------------------------- training
    def train_epoch(self):
        """One pass over the training points in mini-batches, one ``train_step`` each."""
        n = len(self.y_train)
        size = min(self.config["batch_size"], n)
        order = self.model.rng.permutation(n)
        sums, count = np.zeros(len(self.dense)), 0
        with np.errstate(all="ignore"):  # a diverging run shows as a NaN loss, not a warning
            for start in range(0, n, size):
                rows = order[start:start + size]
                self.model.train_step(self.F_train[rows], self.Y_train[rows], self.loss,
                                      self.optimizer, regularizer=self.regularizer)
                for j, d in enumerate(self.dense):
                    g = self.model.layers[d].grads["W"]
                    sums[j] += np.sqrt(np.vdot(g, g))
                count += 1
        self.epoch += 1
        self.steps += count
        self.grad_norms = [_float(v) for v in sums / count]
        self._log("train", 1)
        self._evaluate(record=True)

    def tick(self):
        """One epoch and the frame that shows it (what a playing session does each frame)."""
        self.train_epoch()
        return self.frame()

    def inspect(self, point):
        """One training step on training point ``point`` alone, with every number kept."""
        if point >= len(self.y_train):
            raise ProtocolError(f"point must be in [0, {len(self.y_train) - 1}] (the training "
                                f"points), got {point}")
        rows = slice(point, point + 1)
        with np.errstate(all="ignore"):
            record = inspect_step(self.model, self.F_train[rows], self.Y_train[rows],
                                  self.loss, self.optimizer, self.regularizer)
        self.steps += 1
        self._log("inspect", point)
        self._evaluate(record=False)
        out = describe_step(self.model, record)
        out.update(point=point, xy=[float(v) for v in self.X_train[point]],
                   target=float(self.y_train[point]), features=list(self.config["features"]))
        return out

    def _log(self, kind, value):
        if not self.replayable:
            return
        if kind == "train" and self.events and self.events[-1][0] == "train":
            self.events[-1] = ("train", self.events[-1][1] + value)
            return
        if len(self.events) >= MAX_EVENTS:
            self.replayable = False
            return
        self.events.append((kind, value))

    # ---------------------------------------------------------------- what the page shows
    def _evaluate(self, record):
        """One forward pass over training points, test points and the grid: the losses, and
        every neuron's map. With ``record`` the epoch's row joins the history."""
        n1, n2 = len(self.y_train), len(self.y_test)
        h, kept = self._inputs, {}
        with np.errstate(all="ignore"):
            for i, layer in enumerate(self.model.layers):
                h = layer.forward(h)  # inference: dropout passes everything
                if i in self.neuron_layers:
                    kept[i] = h
            train = self.eval_loss.forward(h[:n1], self.Y_train)
            test = self.eval_loss.forward(h[n1:n1 + n2], self.Y_test)
        self.losses = {"train": _float(train), "test": _float(test)}
        classify = self.config["problem"] == "classification"
        self.accuracy = None
        if classify:
            pred = h[:n1 + n2, 0] >= 0.5
            truth = np.concatenate([self.y_train, self.y_test]) >= 0.5
            hit = pred == truth
            self.accuracy = {"train": float(hit[:n1].mean()), "test": float(hit[n1:].mean())}
        size = self.config["grid"]
        out = h[n1 + n2:, 0]
        self.output_map = quantize((2 * out - 1) if classify else out).reshape(size, size)
        maps = [kept[i][n1 + n2:].reshape(size, size, -1)[::2, ::2] for i in
                self.neuron_layers[:-1]]
        self.neuron_maps = (quantize(np.concatenate(maps, axis=2).transpose(2, 0, 1)) if maps
                            else np.zeros((0, 0, 0), np.uint8))
        finite = all(np.all(np.isfinite(self.model.layers[d].params["W"])) for d in self.dense)
        if self.losses["train"] is None or not finite:
            self.diverged = True
        if record:
            self.history.append((self.epoch, self.losses["train"], self.losses["test"],
                                 *(self.accuracy.values() if self.accuracy else ()),
                                 *self.grad_norms))
            if len(self.history) > MAX_HISTORY:
                self.history = self.history[::2]

    def weights(self):
        """Every Dense layer's W then b, flattened, in layer order (float32 for the page)."""
        parts = []
        for d in self.dense:
            layer = self.model.layers[d]
            parts += [layer.params["W"].ravel(), layer.params["b"].ravel()]
        return np.concatenate(parts).astype(np.float32)

    def frame(self):
        """The live view: epoch, losses, gradient norms, weights, and the maps (binary)."""
        header = {"type": "frame", "epoch": self.epoch, "steps": self.steps,
                  "loss": self.losses, "accuracy": self.accuracy,
                  "grad_norms": self.grad_norms, "diverged": self.diverged}
        return pack(header, [("weights", self.weights()), ("output", self.output_map),
                             ("neurons", self.neuron_maps)])

    def state(self):
        """The settings and shape of the run (JSON): what a reply to a control carries."""
        c = self.config
        return {"config": {k: (list(v) if isinstance(v, list) else v) for k, v in c.items()},
                "epoch": self.epoch, "layers": [len(c["features"]), *c["hidden"], 1],
                "csv": None if self.csv is None else self.csv.describe(),
                "csv_in_use": None if c["dataset"] != "csv" else {
                    **self.csv_table.describe(), **self.csv_use, "scaling": self.csv_scaling}}

    def setup(self):
        """What changes only on a restart: points, feature maps, the network's shape (binary)."""
        c = self.config
        size = c["grid"]
        grid = datamod.grid_points(size)
        feature_maps = []  # every feature, active or not: the page draws them all
        for name in datamod.FEATURES:
            f = datamod.make_features(grid, [name])[:, 0].reshape(size, size)[::2, ::2]
            scale = np.max(np.abs(f)) or 1.0
            feature_maps.append(quantize(f / scale))
        points = [np.column_stack([X, y]) for X, y in
                  ((self.X_train, self.y_train), (self.X_test, self.y_test))]
        header = {"type": "setup", **self.state(), "problem": c["problem"],
                  "features": [{"name": n, "label": datamod.FEATURES[n][0]}
                               for n in c["features"]],
                  "domain": datamod.DOMAIN, "grid": size, "n_train": len(self.y_train),
                  "n_test": len(self.y_test), "loss_name":
                  "cross-entropy" if c["problem"] == "classification" else "mean squared error"}
        return pack(header, [("train", points[0]), ("test", points[1]),
                             ("inputs", np.stack(feature_maps))])

    @staticmethod
    def thumbnails():
        """Every data set's picture for the data column: (datasets, points, 3) x1, x2, label."""
        pts = [np.column_stack(datamod.make_points(name, THUMB_POINTS, 0.0, seed=0))
               for name in datamod.DATASETS]
        return pack({"type": "thumbs", "datasets": list(datamod.DATASETS),
                     "problems": [problem_of(n) for n in datamod.DATASETS]},
                    [("points", np.stack(pts))])
