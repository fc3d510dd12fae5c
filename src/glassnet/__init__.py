"""glassnet: a glass-box neural-network toolkit whose engine is NumPy alone.

``import glassnet`` is cheap: the engine's most used names (``glassnet.Sequential``,
``glassnet.Dense``, ...) are loaded from ``glassnet.nn`` on first use, so the ``glassnet``
command starts without importing NumPy until a subcommand needs it.
"""

__version__ = "0.1.0"

# The names ``glassnet.X`` lends from the engine (``from glassnet import Dense`` works too).
_ENGINE_NAMES = (
    "SGD", "Adam", "BinaryCrossEntropy", "CrossEntropy", "Dense", "Dropout", "EarlyStopping",
    "MSELoss", "ReLU", "Sequential", "Sigmoid", "Softmax", "Tanh", "mlp",
)

# Subpackages and modules reachable as attributes (``glassnet.nn.Dense``) without an import.
_SUBMODULES = ("classic", "cli", "config", "data", "datasets", "errors", "io", "nn", "paths",
               "plots", "projects", "scoring", "sklearn", "tabular", "tour", "tune")

__all__ = [*_ENGINE_NAMES, "__version__"]


def __getattr__(name):
    # PEP 562: called only for names not found in the module, i.e. before the first use.
    import importlib

    if name in _ENGINE_NAMES:
        value = getattr(importlib.import_module(f"{__name__}.nn"), name)
    elif name in _SUBMODULES:
        value = importlib.import_module(f"{__name__}.{name}")
    else:
        raise AttributeError(f"module 'glassnet' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(__all__))
