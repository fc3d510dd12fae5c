"""ONNX export: a network, and for a model from ``glassnet train`` its fitted preprocessing and
output head, as one graph that any ONNX runtime can run without Python or glassnet.

A bare ``Sequential`` becomes a graph with one input ``X`` (n, n_features) of the model's
dtype and one output ``output`` (n, n_outputs), equal to ``model.predict(X)``. A model bundle
becomes the whole of ``glassnet predict``: one input per raw column, named after it (see
``glassnet.onnx_columns`` for each role's input and encoding), and the outputs

* ``prediction`` (n,): the class label (string, integer, float or bool, as the training
  target held them) or the regression value in the target's own units;
* ``probabilities`` (n, C), classification only: float64, in the order of the metadata's
  ``classes`` (the columns ``proba_<class>`` of ``glassnet predict``).

The graph's ``metadata_props`` hold ``glassnet_inputs`` (JSON: each input's column, role and
type), ``task``, ``target`` and ``classes``. Layers map to the ONNX operators of the same maths
(Dense to MatMul and Add, Sigmoid, Tanh, Relu, Softmax, LeakyReLU as x > 0 ? x : alpha x, Step
as x >= 0); Dropout and Identity are the identity at inference. Any other layer is an error
naming it.
"""

from __future__ import annotations

import json

import numpy as np

from .errors import UsageError, require
from .nn.activations import LeakyReLU, ReLU, Sigmoid, Softmax, Step, Tanh
from .nn.files import atomic_write
from .nn.layers import Dense, Dropout, Identity
from .onnx_columns import encode_column

__all__ = ["OPSET", "input_columns", "to_onnx"]

#: the ONNX operator set the graphs use (RegexFullMatch needs 20; onnxruntime >= 1.18 runs 21)
OPSET = 21
_OUTPUTS = ("prediction", "probabilities")


class _Graph:
    """An ONNX graph under construction: inputs, constants and nodes with unique names."""

    def __init__(self, columns=()):
        onnx = require("onnx", "onnx", "ONNX export")
        self.onnx, self.helper = onnx, onnx.helper
        self.types = {"double": onnx.TensorProto.DOUBLE, "float": onnx.TensorProto.FLOAT,
                      "string": onnx.TensorProto.STRING, "int64": onnx.TensorProto.INT64,
                      "bool": onnx.TensorProto.BOOL}
        self.nodes, self.initializers, self.inputs, self.outputs = [], [], [], []
        self.columns = set(columns)  # never given to a value of the graph's own
        self.taken = set(_OUTPUTS)
        self.count = 0

    def _name(self, hint):
        while True:
            self.count += 1
            name = f"{hint}_{self.count}"
            if name not in self.taken and name not in self.columns:
                self.taken.add(name)
                return name

    def input(self, name, kind, doc, width=1):
        """A graph input of shape (n, width); ``kind`` "double", "float" or "string"."""
        if name in self.taken:
            raise UsageError(f"column {name!r} has the name of one of the graph's outputs; "
                             "rename it to export")
        self.taken.add(name)
        self.inputs.append(self.helper.make_tensor_value_info(
            name, self.types[kind], ["n", width], doc_string=doc))
        return name

    def output(self, value, name, kind, shape, doc):
        self.nodes.append(self.helper.make_node("Identity", [value], [name]))
        self.outputs.append(self.helper.make_tensor_value_info(
            name, self.types[kind], shape, doc_string=doc))

    def const(self, value, dtype=np.float64):
        """A constant tensor (a Python number becomes a float64 scalar)."""
        array = np.asarray(value) if isinstance(value, np.ndarray) else np.asarray(value, dtype)
        name = self._name("const")
        if array.dtype == object:
            tensor = self.helper.make_tensor(name, self.onnx.TensorProto.STRING, array.shape,
                                             [str(v).encode("utf-8") for v in array.ravel()])
        else:
            tensor = self.onnx.numpy_helper.from_array(array, name)
        self.initializers.append(tensor)
        return name

    def op(self, kind, *inputs, **attrs):
        """One node ``kind(*inputs)`` with ``attrs``; returns the name of its output."""
        if "to" in attrs:
            attrs["to"] = self.types[attrs["to"]]
        out = self._name(kind.lower())
        self.nodes.append(self.helper.make_node(kind, list(inputs), [out], **attrs))
        return out

    def model(self, doc, metadata):
        from . import __version__

        graph = self.helper.make_graph(self.nodes, "glassnet", self.inputs, self.outputs,
                                       self.initializers)
        model = self.helper.make_model(
            graph, opset_imports=[self.helper.make_opsetid("", OPSET)], ir_version=10,
            producer_name="glassnet", producer_version=__version__, doc_string=doc)
        self.helper.set_model_props(model, {k: str(v) for k, v in metadata.items()})
        self.onnx.checker.check_model(model, full_check=True)
        return model


def _network(g, model, x):
    """The layers of ``model`` as nodes applied to value ``x``; returns the output's name."""
    dtype = np.dtype(model.dtype)
    for i, layer in enumerate(model.layers):
        kind = type(layer)
        if kind is Dense:
            x = g.op("MatMul", x, g.const(layer.params["W"], dtype))
            if layer.bias:
                x = g.op("Add", x, g.const(layer.params["b"], dtype))
        elif kind in (Sigmoid, Tanh, ReLU):
            x = g.op({Sigmoid: "Sigmoid", Tanh: "Tanh", ReLU: "Relu"}[kind], x)
        elif kind is LeakyReLU:  # np.where(x > 0, x, x * alpha), as the layer computes it
            zero, alpha = g.const(0, dtype), g.const(layer.alpha, dtype)
            x = g.op("Where", g.op("Greater", x, zero), x, g.op("Mul", x, alpha))
        elif kind is Softmax:
            x = g.op("Softmax", x, axis=1)
        elif kind is Step:
            x = g.op("Cast", g.op("GreaterOrEqual", x, g.const(0, dtype)), to=_kind(dtype))
        elif kind not in (Identity, Dropout):
            raise UsageError(
                f"layer {i} ({kind.__name__}) has no ONNX form; export supports Dense, "
                "Dropout, Identity, Sigmoid, Tanh, ReLU, LeakyReLU, Softmax and Step")
    return x


def _kind(dtype):
    return "double" if np.dtype(dtype) == np.float64 else "float"


def _label_tensor(classes):
    """The class labels as one constant's values and its ONNX type, as ``glassnet predict``
    writes them: integers, floats or bools as such, anything else (or a mix) as text."""
    if all(isinstance(c, bool) for c in classes):
        return np.array(classes, dtype=bool), "bool"
    if all(isinstance(c, int) and not isinstance(c, bool) for c in classes):
        return np.array(classes, dtype=np.int64), "int64"
    if all(isinstance(c, (int, float)) and not isinstance(c, bool) for c in classes):
        return np.array(classes, dtype=np.float64), "double"
    return np.array([str(c) for c in classes], dtype=object), "string"


def _probabilities(g, model, out):
    """The network output as class probabilities, float64 (n, C), as ``predict_proba``."""
    kind = model.output_kind()
    if kind is None:
        raise UsageError("this classifier's output is not a probability (no Sigmoid or Softmax "
                         "output layer), so the graph could not give class probabilities")
    if kind == "sigmoid_logits":
        out = g.op("Sigmoid", out)
    elif kind == "softmax_logits":
        out = g.op("Softmax", out, axis=1)
    p = g.op("Cast", out, to="double")
    if model.n_outputs == 1:  # one sigmoid unit: P(class 1); both columns, as predict does
        p = g.op("Concat", g.op("Sub", g.const(1.0), p), p, axis=1)
    return p


def _bundle_graph(g, model, prep, dates_as_seconds):
    inputs, blocks = [], []
    for spec in prep.columns_:
        block, described = encode_column(g, spec, dates_as_seconds)
        blocks.append(block)
        inputs.append(described)
    x = blocks[0] if len(blocks) == 1 else g.op("Concat", *blocks, axis=1)
    # transform() casts to the preprocessor's dtype, predict() to the model's
    for dtype in dict.fromkeys([np.dtype(prep.dtype), np.dtype(model.dtype)]):
        if dtype != np.float64:
            x = g.op("Cast", x, to=_kind(dtype))
    out = _network(g, model, x)
    if prep.task_ == "classification":
        p = _probabilities(g, model, out)
        labels, kind = _label_tensor(prep.classes_)
        index = g.op("ArgMax", p, axis=1, keepdims=0)  # the first of equal values, as NumPy
        g.output(g.op("Gather", g.const(labels), index), "prediction", kind, ["n"],
                 f"predicted {prep.target}")
        g.output(p, "probabilities", "double", ["n", len(prep.classes_)],
                 f"probability of each class of {prep.target}: {prep.classes_}")
    else:
        y = g.op("Cast", g.op("Squeeze", out, g.const([1], np.int64)), to="double")
        y = g.op("Add", g.op("Mul", y, g.const(prep.target_scale_)),
                 g.const(prep.target_mean_))
        g.output(y, "prediction", "double", ["n"], f"predicted {prep.target}")
    metadata = {"glassnet_inputs": json.dumps(inputs), "task": prep.task_,
                "target": prep.target}
    if prep.task_ == "classification":
        metadata["classes"] = json.dumps(prep.classes_)
    return metadata


def to_onnx(model, path=None, *, preprocessor=None, dates_as_seconds=False):
    """The ONNX graph (an ``onnx.ModelProto``) of ``model``, written to ``path`` if given.

    ``model``: a ``Sequential``, or a ``ModelBundle`` whose fitted preprocessor makes the graph
    take raw columns (``preprocessor`` gives one for a bare network). ``dates_as_seconds``: take
    date columns as seconds since 1970-01-01 UTC (without it a date column is an error: ONNX
    cannot parse date text). The graph is checked with ``onnx.checker`` (full check).
    """
    if hasattr(model, "preprocessor") and hasattr(model, "model"):
        model, preprocessor = model.model, preprocessor or model.preprocessor
    if not hasattr(model, "layers"):
        raise TypeError(f"model must be a Sequential or a ModelBundle, got "
                        f"{type(model).__name__}")
    g = _Graph([] if preprocessor is None else [c["name"] for c in preprocessor.columns_])
    if preprocessor is None:
        dtype = _kind(model.dtype)
        x = g.input("X", dtype, "network input: standardized features", model.n_features)
        g.output(_network(g, model, x), "output", dtype, ["n", model.n_outputs],
                 "network output, as Sequential.predict")
        metadata = {"glassnet_inputs": json.dumps([])}
        doc = "A glassnet network."
    else:
        if preprocessor.n_features_ != model.n_features:
            raise UsageError(f"the preprocessor makes {preprocessor.n_features_} features but "
                             f"the network takes {model.n_features}")
        metadata = _bundle_graph(g, model, preprocessor, dates_as_seconds)
        doc = (f"A glassnet model predicting {preprocessor.target} ({preprocessor.task_}) from "
               "raw columns, with its fitted preprocessing.")
    onnx_model = g.model(doc, metadata)
    if path is not None:
        data = onnx_model.SerializeToString()
        atomic_write(path, lambda f: f.write(data))
    return onnx_model


def input_columns(source):
    """The ``glassnet_inputs`` metadata of an exported graph: ``[{"name", "role", "type"},
    ...]``. ``source``: an ``onnx.ModelProto``, a path to one, or an
    ``onnxruntime.InferenceSession``."""
    if hasattr(source, "get_modelmeta"):
        props = source.get_modelmeta().custom_metadata_map
    else:
        if not hasattr(source, "metadata_props"):
            source = require("onnx", "onnx", "reading an ONNX file").load(str(source))
        props = {p.key: p.value for p in source.metadata_props}
    if "glassnet_inputs" not in props:
        raise UsageError("this ONNX graph was not exported by glassnet (no glassnet_inputs "
                         "metadata)")
    return json.loads(props["glassnet_inputs"])
