"""scikit-learn estimators on the glassnet engine: ``GlassNetClassifier``, ``GlassNetRegressor``,
and ``TabularTransformer``, glassnet's column handling as a transformer.

They speak ``MLPClassifier``'s language (``hidden_layer_sizes``, ``alpha``, ``max_iter``,
``early_stopping``, ``loss_curve_``, ...) so they drop into ``Pipeline``, ``GridSearchCV`` and
``RandomizedSearchCV``; underneath, ``model_`` is a plain ``glassnet.nn.Sequential`` trained by
its own ``fit``. MLP's stopping rule is a glassnet ``Callback`` (``_StoppingRule``), and
``partial_fit`` is one epoch of ``Sequential.fit`` with the optimizer kept between calls.

Importing ``glassnet`` does not import this module; importing this module needs scikit-learn
(``pip install glassnet[sklearn]``).

Choices that differ from ``MLPClassifier`` (see the README, "scikit-learn estimators"):

* ``alpha`` (and ``l1``) are per-sample strengths as in MLP: a batch of total sample weight m
  adds alpha / (2 m) ||W||^2, i.e. the engine's ``l2 = alpha / m`` with m the batch size times
  the mean sample weight.
* ``sample_weight`` counts a row w times (weights are rescaled to mean 1 for the loss, so a
  full batch of weighted rows gives the same gradient as the rows repeated).
* the regressor's ``loss_curve_`` is the engine's mean squared error, not MLP's half of it.
"""

from ..errors import require

require("sklearn", "sklearn", "glassnet.sklearn")  # one clear line instead of a traceback

from ._estimators import GlassNetClassifier, GlassNetRegressor  # noqa: E402
from ._transformer import TabularTransformer  # noqa: E402

__all__ = ["GlassNetClassifier", "GlassNetRegressor", "TabularTransformer"]
