"""The glassnet engine: layers, losses, initializers, optimizers, regularizers and a model.

Depends on NumPy alone; SciPy is imported only when sparse input arrives. Nothing here imports
the rest of glassnet. Read it in this order: ``Sequential.train_step`` (model.py), ``Dense``
(layers.py), an activation (activations.py), a loss (losses.py), ``SGD``/``Adam``
(optimizers.py), then ``fit`` (training.py) and the speed machinery beside it (fast/).

Each public name below lives in the module it is listed under; ``from glassnet.nn import
Dense`` loads ``glassnet/nn/layers.py`` on first use (PEP 562), so importing a light part of
the engine (its errors, say) does not import NumPy and every module it needs.
"""

import importlib

# module -> the names it gives this package
_MODULES = {
    "activations": ("LeakyReLU", "ReLU", "Sigmoid", "Softmax", "Step", "Tanh",
                    "get_activation"),
    "callbacks": ("CSVLogger", "Callback", "EarlyStopping", "History", "ProgressLogger"),
    "checkpoint": ("ModelCheckpoint",),
    "ensemble": ("average_networks", "linear_as_relu"),
    "errors": ("DivergenceError", "GlassnetError", "ModelFileError"),
    "gradcheck": ("gradcheck", "relative_error"),
    "heads": ("Head", "head_for"),
    "layers": ("Dense", "Dropout", "Identity", "Layer", "register_layer"),
    "lr_finder": ("LRFinder", "LRFinderResult"),
    "losses": ("BinaryCrossEntropy", "CrossEntropy", "HuberLoss", "Loss", "MAELoss",
               "MSELoss", "SSELoss"),
    "model": ("Sequential", "mlp"),
    "optimizers": ("SGD", "Adagrad", "Adam", "AdamW", "Optimizer", "RMSprop",
                   "clip_grad_norm"),
    "parameters": ("PackedParameters",),
    "regularizers": ("L1", "L1L2", "L2", "Regularizer"),
    "schedules": ("CosineAnnealingLR", "ExponentialLR", "ReduceLROnPlateau", "StepLR"),
    "serialization": ("load", "save"),
    "threads": ("blas_threads",),
}
_SUBMODULES = ("fast", "functional", "initializers", "metrics")
_WHERE = {name: module for module, names in _MODULES.items() for name in names}

__all__ = sorted([*_WHERE, *_SUBMODULES])


def __getattr__(name):
    if name in _WHERE:
        value = getattr(importlib.import_module(f"{__name__}.{_WHERE[name]}"), name)
    elif name in _SUBMODULES:
        value = importlib.import_module(f"{__name__}.{name}")
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value  # later lookups find it directly
    return value


def __dir__():
    return sorted(set(globals()) | set(__all__))
