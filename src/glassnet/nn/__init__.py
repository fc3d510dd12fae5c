"""The glassnet engine: layers, losses, initializers, optimizers, regularizers and a model.

Depends on NumPy (and SciPy for ``expit`` and sparse input) only.
"""

from . import functional, initializers, metrics
from .callbacks import Callback, EarlyStopping, History, ModelCheckpoint, ProgressLogger
from .gradcheck import gradcheck, relative_error
from .layers import (
    Dense,
    Dropout,
    Identity,
    Layer,
    LeakyReLU,
    ReLU,
    Sigmoid,
    Softmax,
    Step,
    Tanh,
    get_activation,
)
from .losses import (
    BinaryCrossEntropy,
    CrossEntropy,
    HuberLoss,
    Loss,
    MAELoss,
    MSELoss,
    SSELoss,
)
from .model import DivergenceError, Sequential, mlp
from .optimizers import SGD, Adagrad, Adam, AdamW, Optimizer, RMSprop, clip_grad_norm
from .regularizers import L1, L1L2, L2, Regularizer
from .schedules import CosineAnnealingLR, ExponentialLR, ReduceLROnPlateau, StepLR

__all__ = [
    "L1", "L2", "SGD", "Adagrad", "Adam", "AdamW", "BinaryCrossEntropy", "Callback",
    "CosineAnnealingLR", "CrossEntropy", "Dense", "DivergenceError", "Dropout", "EarlyStopping",
    "ExponentialLR", "History", "HuberLoss", "Identity", "L1L2", "Layer", "LeakyReLU", "Loss",
    "MAELoss", "MSELoss", "ModelCheckpoint", "Optimizer", "ProgressLogger", "RMSprop", "ReLU",
    "ReduceLROnPlateau", "Regularizer", "SSELoss", "Sequential", "Sigmoid", "Softmax",
    "Step", "StepLR", "Tanh", "clip_grad_norm", "functional", "get_activation", "gradcheck",
    "initializers", "metrics", "mlp", "relative_error",
]
