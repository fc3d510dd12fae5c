"""glassnet: a glass-box neural-network toolkit whose engine is NumPy alone."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("glassnet")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.0.0+unknown"

from .nn import (
    SGD,
    Adam,
    BinaryCrossEntropy,
    CrossEntropy,
    Dense,
    Dropout,
    EarlyStopping,
    MSELoss,
    ReLU,
    Sequential,
    Sigmoid,
    Softmax,
    Tanh,
    mlp,
)

__all__ = [
    "SGD", "Adam", "BinaryCrossEntropy", "CrossEntropy", "Dense", "Dropout", "EarlyStopping",
    "MSELoss", "ReLU", "Sequential", "Sigmoid", "Softmax", "Tanh", "__version__", "mlp",
]
