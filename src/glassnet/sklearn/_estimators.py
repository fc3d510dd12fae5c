"""The two public estimators: GlassNetClassifier and GlassNetRegressor."""

from __future__ import annotations

import numpy as np
from sklearn.base import ClassifierMixin, RegressorMixin
from sklearn.metrics import accuracy_score, r2_score
from sklearn.preprocessing import LabelBinarizer
from sklearn.utils.class_weight import compute_class_weight
from sklearn.utils.multiclass import (
    _check_partial_fit_first_call,
    check_classification_targets,
    type_of_target,
    unique_labels,
)
from sklearn.utils.validation import column_or_1d

from ..nn import functional as F
from ..nn import head_for
from ..nn import losses as losses_mod
from ._base import _GlassNetBase

__all__ = ["GlassNetClassifier", "GlassNetRegressor"]

_REGRESSION_LOSSES = {"squared_error": losses_mod.MSELoss, "absolute_error": losses_mod.MAELoss,
                      "huber": losses_mod.HuberLoss}


class GlassNetClassifier(ClassifierMixin, _GlassNetBase):
    """A glassnet network as a scikit-learn classifier (binary, multiclass or multilabel).

    Binary and multilabel targets get sigmoid outputs and binary cross-entropy; multiclass
    targets a softmax output and cross-entropy. Parameters mean what they mean in
    ``MLPClassifier``; glassnet adds ``dropout`` (after each hidden activation), ``l1``,
    ``dtype``, ``class_weight`` (None, "balanced" or {label: weight}) and the ``solver`` names
    "adamw", "rmsprop" and "adagrad". ``model_`` is the trained ``glassnet.nn.Sequential``.
    """

    def __init__(self, hidden_layer_sizes=(100,), activation="relu", *, solver="adam",
                 alpha=0.0001, l1=0.0, dropout=0.0, batch_size="auto", learning_rate_init=0.001,
                 momentum=0.9, nesterov=True, beta_1=0.9, beta_2=0.999, epsilon=1e-8,
                 max_iter=200, shuffle=True, tol=1e-4, n_iter_no_change=10,
                 init="glorot_uniform",
                 early_stopping=False, validation_fraction=0.1, loss="log_loss",
                 class_weight=None, dtype="float32", random_state=None, verbose=False,
                 warm_start=False):
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.solver = solver
        self.alpha = alpha
        self.l1 = l1
        self.dropout = dropout
        self.batch_size = batch_size
        self.learning_rate_init = learning_rate_init
        self.momentum = momentum
        self.nesterov = nesterov
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self.max_iter = max_iter
        self.shuffle = shuffle
        self.tol = tol
        self.n_iter_no_change = n_iter_no_change
        self.init = init
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.loss = loss
        self.class_weight = class_weight
        self.dtype = dtype
        self.random_state = random_state
        self.verbose = verbose
        self.warm_start = warm_start

    def fit(self, X, y, sample_weight=None):
        """Train on X (n, n_features), dense or sparse, and labels y (n,) or indicators (n, k)."""
        return self._fit(X, y, sample_weight)

    def partial_fit(self, X, y, classes=None, sample_weight=None):
        """One epoch over (X, y), continuing the weights and the optimizer's state.

        ``classes`` (every label that will ever appear) is required on the first call.
        """
        if _check_partial_fit_first_call(self, classes):
            # _check_partial_fit_first_call set classes_; the label binarizer is built in _fit
            del self.classes_
            return self._fit(X, y, sample_weight, incremental=True, classes=classes)
        return self._fit(X, y, sample_weight, incremental=True)

    # ------------------------------------------------------------------ targets
    def _head(self, n_outputs):
        if self._label_binarizer.y_type_ == "multilabel-indicator":
            return head_for("multilabel", n_outputs=n_outputs)
        return head_for("classification", n_classes=len(self.classes_))

    def _make_loss(self, n_outputs):
        if self.loss != "log_loss":
            raise ValueError(f"loss must be 'log_loss' for a classifier, got {self.loss!r}")
        return self._head(n_outputs).make_loss()

    def _stratify(self, Y):
        return self._label_binarizer.y_type_ != "multilabel-indicator"

    def _encode_target(self, y, first, incremental, classes):
        if y.ndim == 2 and y.shape[1] == 1:
            y = column_or_1d(y, warn=True)
        check_classification_targets(y)
        multilabel = type_of_target(y).startswith("multilabel")
        if first:
            lb = LabelBinarizer()
            lb.fit(classes if incremental and not multilabel else y)
            if len(lb.classes_) < 2:
                raise ValueError(f"y holds one class only ({lb.classes_[0]!r}); a classifier "
                                 "needs at least two classes")
            self._label_binarizer, self.classes_ = lb, lb.classes_
        else:
            unseen = np.setdiff1d(unique_labels(y), self.classes_)
            if unseen.size:
                raise ValueError(f"y holds classes {unseen.tolist()} that are not in classes_ "
                                 f"{self.classes_.tolist()} of the first fit")
            if multilabel != (self._label_binarizer.y_type_ == "multilabel-indicator"):
                raise ValueError("y switched between multilabel and single-label targets")
        Y = self._label_binarizer.transform(y)
        return (Y.toarray() if hasattr(Y, "toarray") else Y), y

    def _sample_weights(self, sw, y, incremental):
        if self.class_weight is not None:
            if self._label_binarizer.y_type_ == "multilabel-indicator":
                raise ValueError("class_weight is not supported for multilabel targets")
            if self.class_weight == "balanced" and incremental:
                raise ValueError("class_weight='balanced' needs all of y; it cannot be used "
                                 "with partial_fit. Pass a dict of weights instead.")
            if not (self.class_weight == "balanced" or isinstance(self.class_weight, dict)):
                raise ValueError("class_weight must be None, 'balanced' or a dict, got "
                                 f"{self.class_weight!r}")
            present = np.unique(y)
            cw = compute_class_weight(self.class_weight, classes=present, y=y)
            w = cw[np.searchsorted(present, y)]
            sw = w if sw is None else sw * w
        if sw is not None and not incremental \
                and self._label_binarizer.y_type_ != "multilabel-indicator":
            kept = np.unique(y[sw > 0])
            if kept.size == 1:
                raise ValueError(f"only one class ({kept[0]!r}) has non-zero sample weight; "
                                 "a classifier needs samples of at least two classes")
        return sw

    # ------------------------------------------------------------------ prediction
    def _proba_prepared(self, X):
        z = self._logits(X).astype(np.float64)  # probabilities that sum to 1 in float64
        if self.out_activation_ == "softmax":
            return F.softmax(z, axis=1)
        return F.sigmoid(z)

    def _labels_from_proba(self, p):
        return self._label_binarizer.inverse_transform(p)

    def _score_prepared(self, X, y, sample_weight):
        return accuracy_score(y, self._labels_from_proba(self._proba_prepared(X)),
                              sample_weight=sample_weight)

    def predict(self, X):
        """Class labels (n,), or a 0/1 indicator matrix (n, k) for multilabel targets."""
        return self._labels_from_proba(self._proba_prepared(self._validated(X)))

    def predict_proba(self, X):
        """Class probabilities (n, n_classes); for multilabel, P(label) per column (n, k)."""
        p = self._proba_prepared(self._validated(X))
        if p.shape[1] == 1 and self._label_binarizer.y_type_ == "binary":
            return np.hstack([1.0 - p, p])
        return p

    def predict_log_proba(self, X):
        """log of ``predict_proba``, computed from the logits so it never underflows to -inf."""
        z = self._logits(self._validated(X)).astype(np.float64)
        if self.out_activation_ == "softmax":
            return F.log_softmax(z, axis=1)
        if self._label_binarizer.y_type_ == "binary":
            return np.hstack([F.log_sigmoid(-z), F.log_sigmoid(z)])
        return F.log_sigmoid(z)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_label = True
        return tags


class GlassNetRegressor(RegressorMixin, _GlassNetBase):
    """A glassnet network as a scikit-learn regressor, one output or several (y of (n, k)).

    The output layer is linear; ``loss`` is "squared_error" (default), "absolute_error" or
    "huber". Scale the target too (``TransformedTargetRegressor(regressor=...,
    transformer=StandardScaler())``) when its values are far from unit size.
    """

    def __init__(self, hidden_layer_sizes=(100,), activation="relu", *, solver="adam",
                 alpha=0.0001, l1=0.0, dropout=0.0, batch_size="auto", learning_rate_init=0.001,
                 momentum=0.9, nesterov=True, beta_1=0.9, beta_2=0.999, epsilon=1e-8,
                 max_iter=200, shuffle=True, tol=1e-4, n_iter_no_change=10,
                 init="glorot_uniform",
                 early_stopping=False, validation_fraction=0.1, loss="squared_error",
                 dtype="float32", random_state=None, verbose=False, warm_start=False):
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.solver = solver
        self.alpha = alpha
        self.l1 = l1
        self.dropout = dropout
        self.batch_size = batch_size
        self.learning_rate_init = learning_rate_init
        self.momentum = momentum
        self.nesterov = nesterov
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self.max_iter = max_iter
        self.shuffle = shuffle
        self.tol = tol
        self.n_iter_no_change = n_iter_no_change
        self.init = init
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.loss = loss
        self.dtype = dtype
        self.random_state = random_state
        self.verbose = verbose
        self.warm_start = warm_start

    def fit(self, X, y, sample_weight=None):
        """Train on X (n, n_features), dense or sparse, and targets y (n,) or (n, k)."""
        return self._fit(X, y, sample_weight)

    def partial_fit(self, X, y, sample_weight=None):
        """One epoch over (X, y), continuing the weights and the optimizer's state."""
        return self._fit(X, y, sample_weight, incremental=True)

    def _head(self, n_outputs):
        return head_for("regression", n_outputs=n_outputs)

    def _make_loss(self, n_outputs):
        try:
            return _REGRESSION_LOSSES[self.loss]()
        except (KeyError, TypeError):
            raise ValueError(f"loss must be one of {sorted(_REGRESSION_LOSSES)}, "
                             f"got {self.loss!r}") from None

    def _stratify(self, Y):
        return False

    def _encode_target(self, y, first, incremental, classes):
        Y = y.reshape(-1, 1) if y.ndim == 1 else y
        return Y, y

    def _sample_weights(self, sw, y, incremental):
        return sw

    def _predict_prepared(self, X):
        out = self._logits(X).astype(np.float64)
        return out[:, 0] if out.shape[1] == 1 else out

    def _score_prepared(self, X, y, sample_weight):
        return r2_score(y, self._predict_prepared(X), sample_weight=sample_weight)

    def predict(self, X):
        """Predicted targets: (n,) for one output, (n, k) for several."""
        return self._predict_prepared(self._validated(X))

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        return tags
