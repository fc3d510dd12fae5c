"""Model bundles: a network with what it needs on raw data, in one safe file; and the files a
run writes.

A model file is the engine's (``glassnet.nn.serialization``: arrays, architecture, checksums,
no pickle, atomic writes). A bundle adds three named parts, each checked against the network
when saved and when loaded: ``preprocessing`` (a fitted ``TabularPreprocessor``'s state: its
feature count must match the first layer), ``training_config`` (a ``TrainConfig``) and
``classes`` (the class labels: one per output, or two for a single sigmoid output), plus an
``extra`` dict of anything else JSON can hold.
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass, field

import numpy as np

from .nn.errors import ModelFileError
from .nn.files import atomic_write, atomic_write_text
from .nn.serialization import FORMAT_VERSION, load, read_meta, save

__all__ = ["DEFAULT_OUT", "FORMAT_VERSION", "ModelBundle", "ModelFileError", "atomic_write",
           "atomic_write_text", "export_onnx", "load_bundle", "load_model", "read_meta",
           "save_model"]

#: where commands, lessons and projects write their files unless told otherwise
DEFAULT_OUT = "glassnet-out"


def _check_classes(classes, n_outputs):
    if not isinstance(classes, list) or not classes:
        raise ValueError("classes must be a non-empty list of labels")
    if not all(isinstance(c, (str, int, float)) and not (isinstance(c, float) and
                                                         not math.isfinite(c)) for c in classes):
        raise ValueError("class labels must be strings, numbers or booleans")
    if len(set(map(json.dumps, classes))) != len(classes):
        raise ValueError(f"classes holds duplicates: {classes}")
    if n_outputs is not None and not (
            len(classes) == n_outputs or (n_outputs == 1 and len(classes) == 2)):
        raise ValueError(f"{len(classes)} class labels do not fit a network with "
                         f"{n_outputs} output(s)")


def _check_preprocessing(state, n_features):
    names = state.get("feature_names_") if isinstance(state, dict) else None
    if not isinstance(names, list):
        raise ValueError("preprocessing has no feature_names_ list")
    if n_features is not None and len(names) != n_features:
        raise ValueError(f"preprocessing makes {len(names)} features but the network "
                         f"takes {n_features}")


def save_model(model, path, extra=None, *, preprocessor=None, config=None, classes=None):
    """Write ``model`` to ``path`` atomically, with what is needed to use it on raw data.

    ``preprocessor``: a fitted ``glassnet.data.TabularPreprocessor`` (or its ``to_dict()``);
    ``config``: the ``TrainConfig`` (or dict) it was trained with; ``classes``: class labels
    (taken from the preprocessor when it has them); ``extra``: any other JSON-able dict.
    Inconsistent parts (a preprocessor making 12 features for a 10-input network, 3 labels for
    2 outputs) are a ``ValueError`` before anything is written.
    """
    if extra is not None and not isinstance(extra, dict):
        raise TypeError(f"extra must be a dict, got {type(extra).__name__}")
    if preprocessor is not None and hasattr(preprocessor, "to_dict"):
        preprocessor = preprocessor.to_dict()
    if config is not None and hasattr(config, "to_dict"):
        config = config.to_dict()
    if classes is None and isinstance(preprocessor, dict) and "classes_" in preprocessor:
        classes = preprocessor["classes_"]
    if classes is not None:
        classes = [c.item() if isinstance(c, np.generic) else c for c in classes]
        _check_classes(classes, model.n_outputs)
    if preprocessor is not None:
        _check_preprocessing(preprocessor, model.n_features)
    try:
        return save(model, path, {"preprocessing": preprocessor, "training_config": config,
                                  "classes": classes, "extra": extra or {}})
    except TypeError as e:
        raise TypeError(f"extra, preprocessor, config and classes must hold JSON values only "
                        f"({e})") from None


def load_model(path, return_extra=False):
    """Rebuild the model saved at ``path``; with ``return_extra``, also its ``extra`` dict."""
    model, meta = _load(path)
    return (model, meta.get("extra", {})) if return_extra else model


def _load(path):
    model, meta = load(path)
    try:
        if not isinstance(meta.get("extra", {}), dict):
            raise ValueError("extra must be a table")
        if meta.get("classes") is not None:
            _check_classes(meta["classes"], model.n_outputs)
        if meta.get("preprocessing") is not None:
            _check_preprocessing(meta["preprocessing"], model.n_features)
            _check_head(model, meta["preprocessing"], meta.get("classes"))
    except ValueError as e:
        raise ModelFileError(f"{path}: {e}") from None
    return model, meta


def _check_head(model, state, classes):
    """The network's output fits the preprocessor's task: a sigmoid for two classes, a softmax
    over C, a linear unit for regression; and the file's class labels are the preprocessor's."""
    from .nn.activations import Sigmoid, Softmax

    task = state.get("task_")
    kind = model.output_kind()
    if task == "classification":
        labels = state.get("classes_")
        if not isinstance(labels, list):
            raise ValueError("preprocessing has no class labels")
        if classes is not None and classes != labels:
            raise ValueError("the class labels differ from the preprocessing's")
        want = "sigmoid_probs" if len(labels) == 2 else "softmax_probs"
        if kind != want or model.n_outputs != (1 if len(labels) == 2 else len(labels)):
            raise ValueError(f"a network for {len(labels)} classes must end in "
                             f"{'one sigmoid' if len(labels) == 2 else 'a softmax'} output")
    elif task == "regression" and (isinstance(model.layers[-1], (Sigmoid, Softmax))
                                   or model.n_outputs != 1):
        raise ValueError("a regression network must end in one linear output")


@dataclass
class ModelBundle:
    """Everything a model file holds: the network and how to use it on raw data."""

    model: object
    preprocessor: object = None
    config: object = None
    classes: list | None = None
    extra: dict = field(default_factory=dict)
    meta: dict = field(default_factory=dict)

    @property
    def task(self):
        return getattr(self.preprocessor, "task_", None)

    @property
    def read_options(self):
        """How the training CSV was read (separator, missing markers, decimal, encoding):
        checked against ``glassnet.data.reading.READ_OPTIONS`` when the file was loaded."""
        return dict(self.extra.get("read_options") or {})

    def _repr_html_(self):
        """A notebook's view: what the model predicts from what, its network and settings."""
        from .nn.display import html_table

        prep, rows = self.preprocessor, []
        if prep is not None:
            rows += [("target", f"{prep.target} ({prep.task_})"),
                     ("features", f"{prep.n_features_} from {len(prep.columns_)} columns")]
            rows += [(f"{role} columns", ", ".join(c for c, r in prep.roles_.items()
                                                   if r == role))
                     for role in dict.fromkeys(prep.roles_.values())]
        if self.classes is not None:
            rows.append(("classes", ", ".join(map(str, self.classes))))
        rows.append(("network", " -> ".join(type(lay).__name__ for lay in self.model.layers)))
        rows.append(("parameters", f"{self.model.n_params:,} ({self.model.dtype})"))
        if self.config is not None:
            rows += [(k, v) for k, v in self.config.to_dict().items() if v is not None]
        test = (self.extra.get("metrics") or {}).get("test") or {}
        rows += [(f"test {k}", f"{v:.4g}") for k, v in test.items()
                 if isinstance(v, (int, float))]
        return html_table(("", "value"), rows, "glassnet model")


def load_bundle(path):
    """``ModelBundle`` of the file at ``path``: the model, its fitted ``TabularPreprocessor``
    and ``TrainConfig`` (``None`` where the file has none), class labels and ``extra``."""
    from .config import TrainConfig
    from .data import TabularPreprocessor
    from .data.reading import check_read_options

    model, meta = _load(path)
    prep = config = None
    extra = meta.get("extra", {})
    try:
        if meta.get("preprocessing") is not None:
            prep = TabularPreprocessor.from_dict(meta["preprocessing"])
        if meta.get("training_config") is not None:
            config = TrainConfig.from_dict(meta["training_config"])
        if "read_options" in extra:
            extra["read_options"] = check_read_options(extra["read_options"],
                                                       "the saved reading options")
    except (ValueError, TypeError) as e:
        raise ModelFileError(f"{path}: {e}") from None
    return ModelBundle(model, prep, config, meta.get("classes"), extra, meta)


def export_onnx(model, path=None, *, dates_as_seconds=False):
    """Export ``model`` as an ONNX graph (an ``onnx.ModelProto``), written to ``path`` if given.

    ``model``: a model file's path, a ``ModelBundle`` or a ``Sequential``. A model from
    ``glassnet train`` exports with its fitted preprocessing, so the graph takes the raw
    columns (inputs named after them) and returns the labels (or values) and probabilities
    ``glassnet predict`` gives; see ``glassnet.onnx_export``. Needs the ``onnx`` extra.
    """
    from .onnx_export import to_onnx

    if isinstance(model, (str, os.PathLike)):
        model = load_bundle(model)
    return to_onnx(model, path, dates_as_seconds=dates_as_seconds)
