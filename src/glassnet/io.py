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
from dataclasses import dataclass, field

import numpy as np

from .nn.errors import ModelFileError
from .nn.files import atomic_write, atomic_write_text
from .nn.serialization import FORMAT_VERSION, load, read_meta, save
from .paths import DEFAULT_OUT

__all__ = ["DEFAULT_OUT", "FORMAT_VERSION", "ModelBundle", "ModelFileError", "atomic_write",
           "atomic_write_text", "load_bundle", "load_model", "read_meta", "save_model"]



def _check_classes(classes, n_outputs):
    if not isinstance(classes, list) or not classes:
        raise ValueError("classes must be a non-empty list of labels")
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
        if meta.get("classes") is not None:
            _check_classes(meta["classes"], model.n_outputs)
        if meta.get("preprocessing") is not None:
            _check_preprocessing(meta["preprocessing"], model.n_features)
    except ValueError as e:
        raise ModelFileError(f"{path}: {e}") from None
    return model, meta


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


def load_bundle(path):
    """``ModelBundle`` of the file at ``path``: the model, its fitted ``TabularPreprocessor``
    and ``TrainConfig`` (``None`` where the file has none), class labels and ``extra``."""
    from .config import TrainConfig
    from .data import TabularPreprocessor

    model, meta = _load(path)
    prep = config = None
    try:
        if meta.get("preprocessing") is not None:
            prep = TabularPreprocessor.from_dict(meta["preprocessing"])
        if meta.get("training_config") is not None:
            config = TrainConfig.from_dict(meta["training_config"])
    except (ValueError, TypeError) as e:
        raise ModelFileError(f"{path}: {e}") from None
    return ModelBundle(model, prep, config, meta.get("classes"), meta.get("extra", {}), meta)
