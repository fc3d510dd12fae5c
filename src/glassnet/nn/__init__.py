"""The glassnet engine: layers, losses, initializers, optimizers, regularizers and a model.

Depends on NumPy alone; SciPy is imported only when sparse input arrives. Nothing here imports
the rest of glassnet. Read it in this order: ``Sequential.train_step`` (model.py), ``Dense``
(layers.py), an activation (activations.py), a loss (losses.py), ``SGD``/``Adam``
(optimizers.py), then ``fit`` (training.py) and the speed machinery beside it (fast/).
"""

from . import fast, functional, initializers, metrics
from .activations import LeakyReLU, ReLU, Sigmoid, Softmax, Step, Tanh, get_activation
from .callbacks import Callback, CSVLogger, EarlyStopping, History, ProgressLogger
from .checkpoint import ModelCheckpoint
from .errors import DivergenceError, GlassnetError, ModelFileError
from .gradcheck import gradcheck, relative_error
from .heads import Head, head_for
from .layers import Dense, Dropout, Identity, Layer, register_layer
from .losses import (
    BinaryCrossEntropy,
    CrossEntropy,
    HuberLoss,
    Loss,
    MAELoss,
    MSELoss,
    SSELoss,
)
from .lr_finder import LRFinder, LRFinderResult
from .model import Sequential, mlp
from .optimizers import SGD, Adagrad, Adam, AdamW, Optimizer, RMSprop, clip_grad_norm
from .parameters import PackedParameters
from .regularizers import L1, L1L2, L2, Regularizer
from .schedules import CosineAnnealingLR, ExponentialLR, ReduceLROnPlateau, StepLR
from .serialization import load, save

__all__ = [
    "L1", "L2", "SGD", "Adagrad", "Adam", "AdamW", "BinaryCrossEntropy", "CSVLogger", "Callback",
    "CosineAnnealingLR", "CrossEntropy", "Dense", "DivergenceError", "Dropout", "EarlyStopping",
    "ExponentialLR", "GlassnetError", "Head", "History", "HuberLoss", "Identity", "L1L2", "Layer",
    "LRFinder", "LRFinderResult", "LeakyReLU", "Loss", "MAELoss", "MSELoss", "ModelCheckpoint",
    "ModelFileError", "Optimizer", "PackedParameters", "ProgressLogger", "RMSprop", "ReLU",
    "ReduceLROnPlateau", "Regularizer", "SSELoss", "Sequential", "Sigmoid", "Softmax", "Step",
    "StepLR", "Tanh", "clip_grad_norm", "fast", "functional", "get_activation", "gradcheck",
    "head_for", "initializers", "load", "metrics", "mlp", "register_layer", "relative_error",
    "save",
]
