"""What both estimators share: parameter checks, MLP's stopping rule, the training run."""

from __future__ import annotations

import numbers
import warnings

import numpy as np
from sklearn.base import BaseEstimator, is_regressor
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split
from sklearn.utils.validation import check_is_fitted, validate_data

from ..nn import Callback, Dense, Sequential, initializers
from ..nn import optimizers as optimizers_mod

_ACTIVATIONS = {"identity": "identity", "logistic": "sigmoid", "tanh": "tanh", "relu": "relu",
                "sigmoid": "sigmoid", "leaky_relu": "leaky_relu"}
_SOLVERS = ("adam", "sgd", "adamw", "rmsprop", "adagrad")
_ACCEPT_SPARSE = "csr"  # any other sparse format is converted to CSR


def _is_int(value, low):
    return isinstance(value, numbers.Integral) and not isinstance(value, bool) and value >= low


def _is_real(value, low, high, low_open=False, high_open=False):
    if not isinstance(value, numbers.Real) or isinstance(value, bool) or not np.isfinite(value):
        return False
    above = value > low if low_open else value >= low
    below = value < high if high_open else value <= high
    return above and below


def _float_dtype(dtype):
    try:
        dtype = np.dtype(dtype)
    except TypeError:
        return None
    return dtype if dtype in (np.float32, np.float64) else None


def _seed_sequences(random_state):
    """Two independent seed sequences (model, validation split) from sklearn's random_state.

    An int gives the same run every time; a Generator or RandomState is drawn from (so a shared
    one advances); None asks the operating system, as ``numpy.random.default_rng()`` does.
    """
    if random_state is None:
        root = np.random.SeedSequence()
    elif _is_int(random_state, 0):
        root = np.random.SeedSequence(int(random_state))
    elif isinstance(random_state, np.random.Generator):
        root = np.random.SeedSequence(int(random_state.integers(2**63)))
    elif isinstance(random_state, np.random.RandomState):
        root = np.random.SeedSequence(int(random_state.randint(2**31 - 1)))
    else:
        raise ValueError(
            "random_state must be None, a non-negative int, a numpy Generator or RandomState, "
            f"got {random_state!r}"
        )
    return root.spawn(2)


class _StoppingRule(Callback):
    """MLPClassifier's stopping rule as a glassnet callback, writing the estimator's curves.

    After each epoch: append the training loss to ``loss_curve_``; with a validation set,
    append its score (accuracy or R^2) to ``validation_scores_`` and keep the best weights.
    An epoch that does not beat the best value by ``tol`` counts as no improvement; more than
    ``n_iter_no_change`` of them in a row stops training.
    """

    def __init__(self, estimator, validation=None):
        self.est, self.validation = estimator, validation
        self.best_weights, self.stopped = None, False

    def on_epoch_end(self, epoch, logs=None):
        est, loss = self.est, float(logs["loss"])
        est.n_iter_ += 1
        est.loss_ = loss
        est.loss_curve_.append(loss)
        if self.validation is not None:
            X_val, y_val, sw_val = self.validation
            score = est._score_prepared(X_val, y_val, sw_val)
            est.validation_scores_.append(score)
            improved = score >= est.best_validation_score_ + est.tol
            if score > est.best_validation_score_:
                est.best_validation_score_ = score
                self.best_weights = self.model.get_weights()
        else:
            improved = loss <= est.best_loss_ - est.tol
            est.best_loss_ = min(est.best_loss_, loss)
        est._no_improvement_count = 0 if improved else est._no_improvement_count + 1
        if est.verbose and self.validation is not None:
            print(f"Validation score: {est.validation_scores_[-1]:f}")
        if est._no_improvement_count > est.n_iter_no_change:
            self.stopped = True
            self.model.stop_training = True

    def on_train_end(self, logs=None):
        if self.best_weights is not None:
            self.model.set_weights(self.best_weights)


class _GlassNetBase(BaseEstimator):
    """What both estimators share: parameter checks, the model, the training run."""

    # ------------------------------------------------------------------ checks
    def _check_params(self):
        sizes = self.hidden_layer_sizes
        sizes = [sizes] if isinstance(sizes, numbers.Integral) else sizes
        try:
            sizes = list(sizes)
        except TypeError:
            raise ValueError(
                f"hidden_layer_sizes must be an int or a sequence of ints, got {sizes!r}"
            ) from None
        if not all(_is_int(h, 1) for h in sizes):
            raise ValueError(f"hidden_layer_sizes must hold positive integers, got {sizes!r}")
        if self.activation not in _ACTIVATIONS:
            raise ValueError(
                f"activation must be one of {sorted(_ACTIVATIONS)}, got {self.activation!r}"
            )
        if self.solver not in _SOLVERS:
            hint = " (glassnet trains by mini-batch gradient descent)" if self.solver == "lbfgs" \
                else ""
            raise ValueError(f"solver must be one of {list(_SOLVERS)}, got {self.solver!r}{hint}")
        checks = [
            ("alpha", _is_real(self.alpha, 0, np.inf), ">= 0"),
            ("l1", _is_real(self.l1, 0, np.inf), ">= 0"),
            ("dropout", _is_real(self.dropout, 0, 1, high_open=True), "in [0, 1)"),
            ("learning_rate_init", _is_real(self.learning_rate_init, 0, np.inf, low_open=True),
             "> 0"),
            ("momentum", _is_real(self.momentum, 0, 1), "in [0, 1]"),
            ("beta_1", _is_real(self.beta_1, 0, 1, high_open=True), "in [0, 1)"),
            ("beta_2", _is_real(self.beta_2, 0, 1, high_open=True), "in [0, 1)"),
            ("epsilon", _is_real(self.epsilon, 0, np.inf, low_open=True), "> 0"),
            ("max_iter", _is_int(self.max_iter, 1), "a positive integer"),
            ("tol", _is_real(self.tol, 0, np.inf), ">= 0"),
            ("n_iter_no_change", _is_int(self.n_iter_no_change, 1), "a positive integer"),
            ("validation_fraction",
             _is_real(self.validation_fraction, 0, 1, low_open=True, high_open=True), "in (0, 1)"),
            ("batch_size", self.batch_size == "auto" or _is_int(self.batch_size, 1),
             "'auto' or a positive integer"),
            ("dtype", _float_dtype(self.dtype) is not None, "float32 or float64"),
        ]
        for name, ok, what in checks:
            if not ok:
                raise ValueError(f"{name} must be {what}, got {getattr(self, name)!r}")
        if self.init is not None and str(self.init).lower() not in initializers.REGISTRY:
            raise ValueError(f"init must be None or one of {sorted(initializers.REGISTRY)}, "
                             f"got {self.init!r}")
        for name in ("shuffle", "nesterov", "early_stopping", "warm_start"):
            if not isinstance(getattr(self, name), (bool, np.bool_)):
                raise ValueError(f"{name} must be True or False, got {getattr(self, name)!r}")
        return sizes

    # ------------------------------------------------------------------ building
    def _make_optimizer(self):
        lr = float(self.learning_rate_init)
        if self.solver == "sgd":
            return optimizers_mod.SGD(lr, momentum=float(self.momentum),
                                      nesterov=bool(self.nesterov) and self.momentum > 0)
        if self.solver in ("adam", "adamw"):
            return optimizers_mod.get(self.solver, lr=lr, betas=(self.beta_1, self.beta_2),
                                      eps=float(self.epsilon))
        return optimizers_mod.get(self.solver, lr=lr)

    def _initialize(self, sizes, n_features, n_outputs, seed):
        self.model_ = Sequential.from_sizes(
            [n_features, *sizes, n_outputs], _ACTIVATIONS[self.activation],
            self._head(n_outputs).activation, dropout=float(self.dropout), init=self.init,
            seed=seed, dtype=_float_dtype(self.dtype),
        )
        self.n_outputs_ = n_outputs
        self.out_activation_ = self._head(n_outputs).activation or "identity"
        self.n_iter_ = 0
        self.loss_curve_ = []
        self._no_improvement_count = 0
        if self.early_stopping:
            self.validation_scores_, self.best_validation_score_ = [], -np.inf
            self.best_loss_ = None
        else:
            self.validation_scores_ = self.best_validation_score_ = None
            self.best_loss_ = np.inf

    # ------------------------------------------------------------------ training
    def _check_sample_weight(self, sample_weight, n):
        if sample_weight is None:
            return None
        sw = np.asarray(sample_weight, dtype=np.float64)
        if sw.ndim == 0:
            sw = np.full(n, float(sw))
        if sw.shape != (n,):
            raise ValueError(f"sample_weight has shape {sw.shape}, expected ({n},)")
        if not np.all(np.isfinite(sw)) or np.any(sw < 0):
            raise ValueError("sample_weight must be finite and non-negative")
        return sw

    def _fit(self, X, y, sample_weight=None, incremental=False, classes=None):
        sizes = self._check_params()
        if incremental and self.early_stopping:
            raise ValueError("partial_fit does not support early_stopping=True")
        first = not hasattr(self, "model_") or not (self.warm_start or incremental)
        X, y = validate_data(self, X, y, reset=first, accept_sparse=_ACCEPT_SPARSE,
                             dtype=(np.float64, np.float32), multi_output=True,
                             y_numeric=is_regressor(self))
        n = X.shape[0]
        Y, y = self._encode_target(y, first, incremental, classes)
        sw = self._sample_weights(self._check_sample_weight(sample_weight, n), y, incremental)
        model_seed, split_seed = _seed_sequences(self.random_state)
        if first:
            self._initialize(sizes, X.shape[1], Y.shape[1], model_seed)
        elif Y.shape[1] != self.n_outputs_:
            raise ValueError(f"y has {Y.shape[1]} outputs but the model was fitted with "
                             f"{self.n_outputs_}")
        if not incremental or not hasattr(self, "_optimizer"):
            self._optimizer = self._make_optimizer()

        validation = None
        if self.early_stopping:
            stratify = y if self._stratify(Y) else None
            parts = train_test_split(X, Y, y, *([] if sw is None else [sw]), stratify=stratify,
                                     test_size=self.validation_fraction,
                                     random_state=int(split_seed.generate_state(1)[0]))
            X, X_val, Y, _, _, y_val = parts[:6]
            sw, sw_val = (parts[6], parts[7]) if sw is not None else (None, None)
            if X_val.shape[0] < 2:
                raise ValueError("The validation set is too small: increase validation_fraction "
                                 "or use more samples")
            validation = (X_val, y_val, sw_val)
        n = X.shape[0]
        if self.batch_size == "auto":
            batch_size = min(200, n)
        else:
            if self.batch_size > n:
                warnings.warn(f"batch_size={self.batch_size} is larger than the {n} training "
                              "samples; it is clipped to them", stacklevel=3)
            batch_size = min(self.batch_size, n)
        mean_weight = 1.0
        if sw is not None:
            mean_weight = float(sw.mean())
            if mean_weight <= 0:
                raise ValueError("sample_weight is zero for every training sample: there is "
                                 "nothing to learn from")
            sw = sw / mean_weight  # mean 1: the loss stays a mean; weights are counts
        # MLP's penalty alpha / (2 m) ||W||^2 per batch, m = the batch's total sample weight.
        per_sample = 1.0 / (batch_size * mean_weight)

        self._no_improvement_count = 0 if not incremental else self._no_improvement_count
        rule = _StoppingRule(self, validation)
        self.model_.fit(
            X, Y, loss=self._make_loss(Y.shape[1]), optimizer=self._optimizer,
            epochs=1 if incremental else self.max_iter, batch_size=batch_size,
            shuffle=bool(self.shuffle), callbacks=[rule], verbose=2 if self.verbose else 0,
            metrics=[], l1=self.l1 * per_sample, l2=self.alpha * per_sample, sample_weight=sw,
        )
        if not incremental and not rule.stopped:
            warnings.warn(
                f"{type(self).__name__}: max_iter={self.max_iter} epochs reached and the "
                "optimization has not converged yet.", ConvergenceWarning, stacklevel=3,
            )
        return self

    # ------------------------------------------------------------------ inference
    def _logits(self, X, batch_size=8192):
        """The network's output before its last activation, for validated X (in row batches)."""
        model = self.model_
        layers = model.layers[:-1] if self.out_activation_ != "identity" else model.layers
        chunks = []
        for start in range(0, X.shape[0], batch_size):
            out = X[start:start + batch_size]
            for layer in layers:
                out = layer.forward(out)
            chunks.append(out)
        return chunks[0] if len(chunks) == 1 else np.concatenate(chunks)

    def _validated(self, X):
        check_is_fitted(self, "model_")
        X = validate_data(self, X, reset=False, accept_sparse=_ACCEPT_SPARSE,
                          dtype=(np.float64, np.float32))
        # Predictions follow the input's precision, as in scikit-learn's MLP: float64 input is
        # not rounded to the float32 weights' precision. It also makes a row's prediction the
        # same whichever rows come with it: float32 BLAS sums one row (gemv) and a block of rows
        # (gemm) in different orders, up to ~1e-6 apart, float64 up to ~1e-15.
        return X if X.dtype == np.float64 else X.astype(self.model_.dtype, copy=False)

    @property
    def coefs_(self):
        """Weight matrices W (n_in, n_out) of the Dense layers, as in MLPClassifier."""
        check_is_fitted(self, "model_")
        return [lay.params["W"] for lay in self.model_.layers if isinstance(lay, Dense)]

    @property
    def intercepts_(self):
        """Bias vectors b (n_out,) of the Dense layers, as in MLPClassifier."""
        check_is_fitted(self, "model_")
        return [lay.params["b"] for lay in self.model_.layers if isinstance(lay, Dense)]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        return tags
