"""Take it with you: a session's network as a model file, its loss history as CSV, and the
Python panel's glassnet script that reproduces its configuration and run.

The script builds the same points (same generator, settings and seed), the same network (same
seed, so the same first weights), and replays what happened since the run started: the epochs,
each live change of learning rate, batch size or regularization, each weight set by hand and
each step of the step inspector, in order. Run to the end, it holds the weights the page shows.
"""

from __future__ import annotations

import io
import os
import tempfile

__all__ = ["history_csv", "model_file", "python_script"]

_ACTIVATION = {"relu": "ReLU", "tanh": "Tanh", "sigmoid": "Sigmoid", "linear": "Identity"}


def _optimizer(c):
    if c["optimizer"] == "adam":
        return f"Adam(lr={c['lr']!r})"
    if c["optimizer"] == "momentum":
        return f"SGD(lr={c['lr']!r}, momentum=0.9)"
    return f"SGD(lr={c['lr']!r})"


def _regularizer(kind, rate):
    return "None" if kind == "none" else f"{kind}({rate!r})"


def _layers(c):
    rows, n_in = [], len(c["features"])
    for width in c["hidden"]:
        row = f"Dense({n_in}, {width}), {_ACTIVATION[c['activation']]}(),"
        if c["dropout"]:
            row += f" Dropout({c['dropout']!r}),"
        rows.append(row)
        n_in = width
    rows.append(f"Dense({n_in}, 1)," + (" Sigmoid()," if c["problem"] == "classification"
                                       else ""))
    return rows


def _data(session, c):
    if c["dataset"] != "csv":
        return [f"X, y = make_points({c['dataset']!r}, n={c['points']}, "
                f"noise={c['noise'] / 100!r}, seed={c['data_seed']})"]
    use, name = session.csv_use, session.csv_table.name
    return [
        f"# your CSV file: put {name} beside this script. Features {use['x1']!r} and "
        f"{use['x2']!r} are scaled onto [-5, 5]",
        f"table = read_csv_text(open({name!r}, encoding='utf-8').read(), {name!r})",
        f"X, y, problem, scaling = csv_points(table, {use['x1']!r}, {use['x2']!r}, "
        f"{use['target']!r}, {c['problem']!r})",
        f"X, y = shuffle(X, y, seed={c['data_seed']})",
    ]


def _replay(session, c):
    """The run's events as statements, starting from the settings the run started with."""
    reg = [c["regularization"], c["reg_rate"]]
    lines = []
    for kind, value in session.events:
        if kind == "train":
            if value > 1:
                lines += [f"for epoch in range({value}):", "    train_epoch()"]
            else:
                lines.append("train_epoch()")
        elif kind == "set":
            for key, v in value.items():
                if key == "lr":
                    lines.append(f"optimizer.lr = {v!r}")
                elif key == "batch_size":
                    lines.append(f"batch_size = {v}")
                else:
                    reg[0 if key == "regularization" else 1] = v
            if "regularization" in value or "reg_rate" in value:
                lines.append(f"regularizer = {_regularizer(*reg)}")
        elif kind == "weight":
            layer, source, target, v = value
            lines.append(f"model.layers[{session.dense[layer]}].params['W'][{source}, "
                         f"{target}] = {v!r}  # set by hand")
        elif kind == "bias":
            layer, neuron, v = value
            lines.append(f"model.layers[{session.dense[layer]}].params['b'][{neuron}] = {v!r}"
                         "  # set by hand")
        elif kind == "inspect":
            lines += [f"# the step inspector's step on training point {value}",
                      f"model.train_step(F_train[[{value}]], Y_train[[{value}]], loss, "
                      "optimizer, regularizer=regularizer)"]
    return lines


def python_script(session):
    """The script's text for ``session`` (a ``glassnet.playground.session.Session``)."""
    c = session.start_config
    classify = c["problem"] == "classification"
    names = {"Dense", "Sequential", _ACTIVATION[c["activation"]] if c["hidden"] else "Dense",
             "BinaryCrossEntropy" if classify else "MSELoss",
             "Adam" if c["optimizer"] == "adam" else "SGD"}
    if classify:
        names.add("Sigmoid")
    if c["dropout"] and c["hidden"]:
        names.add("Dropout")
    regs = {c["regularization"]} | {v for k, e in session.events if k == "set"
                                    for key, v in e.items() if key == "regularization"}
    names |= regs - {"none"}
    data_names = sorted((["make_points"] if c["dataset"] != "csv"
                         else ["csv_points", "read_csv_text", "shuffle"]) +
                        ["make_features", "split"])
    if session.replayable:
        run = _replay(session, c)
    else:
        now = session.config
        run = ["# (too many changes to replay one by one: the same number of epochs with the",
               "# settings the page shows now)",
               f"optimizer.lr = {now['lr']!r}",
               f"batch_size = {now['batch_size']}",
               f"regularizer = {_regularizer(now['regularization'], now['reg_rate'])}",
               f"for epoch in range({session.epoch}):", "    train_epoch()"]
    dataset = c["dataset"] if c["dataset"] != "csv" else session.csv_table.name
    shape = "-".join(map(str, [len(c["features"]), *c["hidden"], 1]))
    lines = [
        f'"""A glassnet playground run: {dataset}, network {shape} ({c["activation"]}), '
        f'{session.epoch} epochs.',
        "",
        "Made by `glassnet playground`. It builds the same points and network from the same",
        "seeds and replays the run step for step with Sequential.train_step, so it ends with",
        'the weights the page showed."""',
        "",
        f"from glassnet.nn import {', '.join(sorted(names, key=str.lower))}",
        f"from glassnet.playground.data import {', '.join(data_names)}",
        "",
        f"# data: {c['train_ratio']}% of the points train, the rest test",
        *_data(session, c),
        f"X_train, y_train, X_test, y_test = split(X, y, {c['train_ratio']})",
        f"features = {list(c['features'])!r}",
        "F_train, F_test = make_features(X_train, features), make_features(X_test, features)",
        "Y_train, Y_test = y_train.reshape(-1, 1), y_test.reshape(-1, 1)",
        "",
        "# the network: the seed draws the first weights, each epoch's order and dropout masks",
        "model = Sequential([",
        *(f"    {row}" for row in _layers(c)),
        f'], seed={c["seed"]}, dtype="float64")',
        f"loss = {'BinaryCrossEntropy' if classify else 'MSELoss'}()",
        f"optimizer = {_optimizer(c)}",
        f"regularizer = {_regularizer(c['regularization'], c['reg_rate'])}",
        f"batch_size = {c['batch_size']}",
        "",
        "",
        "def train_epoch():",
        '    """One pass over the training points in mini-batches, as the playground trains."""',
        "    n = len(F_train)",
        "    size = min(batch_size, n)",
        "    order = model.rng.permutation(n)",
        "    for start in range(0, n, size):",
        "        rows = order[start:start + size]",
        "        model.train_step(F_train[rows], Y_train[rows], loss, optimizer,",
        "                         regularizer=regularizer)",
        "",
        "",
        "# the run, as it happened on the page",
        *run,
        "",
        "train_loss = loss.forward(model.forward(F_train), Y_train)",
        "test_loss = loss.forward(model.forward(F_test), Y_test)",
        f'print(f"epoch {session.epoch}: training loss {{train_loss:.4f}}, '
        'test loss {test_loss:.4f}")',
        "# to keep the network: from glassnet.io import save_model; save_model(model, 'net.npz')",
        "",
    ]
    return "\n".join(lines)


def model_file(session):
    """The session's network as a glassnet model file (the bytes of the .npz), with the
    playground's settings in ``extra`` so the file says which inputs the network takes."""
    from ..io import save_model

    state = session.state()
    extra = {"playground": {"config": state["config"], "epoch": session.epoch,
                            "features": list(session.config["features"]),
                            "inputs": "features of (x1, x2) in [-6, 6]; see "
                                      "glassnet.playground.data.make_features",
                            "csv": state["csv_in_use"]}}
    fd, path = tempfile.mkstemp(suffix=".npz")
    os.close(fd)
    try:
        save_model(session.model, path, extra=extra)
        with open(path, "rb") as f:
            return f.read()
    finally:
        os.unlink(path)


def history_csv(session):
    """The loss history, one row per epoch: losses, accuracies, each layer's gradient norm."""
    cols = ["epoch", "train_loss", "test_loss"]
    if session.accuracy is not None:
        cols += ["train_accuracy", "test_accuracy"]
    cols += [f"grad_norm_layer{j + 1}" for j in range(len(session.dense))]
    out = io.StringIO()
    out.write(",".join(cols) + "\n")
    for row in session.history:
        out.write(",".join("" if v is None else str(v) if isinstance(v, int) else f"{v:.8g}"
                           for v in row) + "\n")
    return out.getvalue()
