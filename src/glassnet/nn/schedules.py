"""Learning-rate schedules, stepped once per epoch (they are callbacks: pass them to ``fit``).

Each follows the closed form of its ``torch.optim.lr_scheduler`` namesake, where ``epoch`` is
the number of epochs finished:

* ``StepLR``:             lr = base * gamma ** (epoch // step_size)
* ``ExponentialLR``:      lr = base * gamma ** epoch
* ``CosineAnnealingLR``:  lr = eta_min + (base - eta_min) (1 + cos(pi epoch / T_max)) / 2
* ``ReduceLROnPlateau``:  lr *= factor after ``patience`` epochs without improvement
"""

from __future__ import annotations

import math

from .callbacks import Callback, mode_for

__all__ = ["CosineAnnealingLR", "ExponentialLR", "ReduceLROnPlateau", "StepLR"]


class _Schedule(Callback):
    def __init__(self, optimizer):
        self.optimizer = optimizer
        self.base_lr = optimizer.lr
        self.epoch = 0

    def step(self):
        """Advance one epoch and set the optimizer's learning rate."""
        self.epoch += 1
        self.optimizer.lr = self.lr_at(self.epoch)
        return self.optimizer.lr

    def on_epoch_end(self, epoch, logs=None):
        self.step()


class StepLR(_Schedule):
    def __init__(self, optimizer, step_size, gamma=0.1):
        super().__init__(optimizer)
        if step_size < 1:
            raise ValueError(f"step_size must be >= 1, got {step_size!r}")
        self.step_size, self.gamma = int(step_size), float(gamma)

    def lr_at(self, epoch):
        return self.base_lr * self.gamma ** (epoch // self.step_size)


class ExponentialLR(_Schedule):
    def __init__(self, optimizer, gamma):
        super().__init__(optimizer)
        self.gamma = float(gamma)

    def lr_at(self, epoch):
        return self.base_lr * self.gamma ** epoch


class CosineAnnealingLR(_Schedule):
    def __init__(self, optimizer, T_max, eta_min=0.0):
        super().__init__(optimizer)
        if T_max < 1:
            raise ValueError(f"T_max must be >= 1, got {T_max!r}")
        self.T_max, self.eta_min = int(T_max), float(eta_min)

    def lr_at(self, epoch):
        cos = (1 + math.cos(math.pi * epoch / self.T_max)) / 2
        return self.eta_min + (self.base_lr - self.eta_min) * cos


class ReduceLROnPlateau(Callback):
    """Multiply the learning rate by ``factor`` when ``monitor`` stalls for ``patience`` epochs.

    Improvement is relative, as PyTorch's default ``threshold_mode="rel"``: in min mode a value
    counts as better when it is below best * (1 - threshold).
    """

    def __init__(self, optimizer, monitor="val_loss", mode="auto", factor=0.1, patience=10,
                 threshold=1e-4, cooldown=0, min_lr=0.0, eps=1e-8):
        if not 0 < factor < 1:
            raise ValueError(f"factor must be in (0, 1), got {factor!r}")
        self.optimizer, self.monitor = optimizer, monitor
        self.mode = mode_for(monitor, mode)
        self.factor, self.patience, self.threshold = float(factor), int(patience), threshold
        self.cooldown, self.min_lr, self.eps = int(cooldown), float(min_lr), eps
        self.best = math.inf if self.mode == "min" else -math.inf
        self.num_bad, self.cooldown_left = 0, 0

    def _better(self, value):
        if self.mode == "min":
            return value < self.best * (1 - self.threshold)
        return value > self.best * (1 + self.threshold)

    def step(self, value):
        """Feed one epoch's monitored value; returns the (possibly reduced) learning rate."""
        if self._better(value):
            self.best, self.num_bad = value, 0
        else:
            self.num_bad += 1
        if self.cooldown_left > 0:
            self.cooldown_left -= 1
            self.num_bad = 0
        if self.num_bad > self.patience:
            new_lr = max(self.optimizer.lr * self.factor, self.min_lr)
            if self.optimizer.lr - new_lr > self.eps:
                self.optimizer.lr = new_lr
            self.cooldown_left, self.num_bad = self.cooldown, 0
        return self.optimizer.lr

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        if self.monitor not in logs:
            raise KeyError(f"ReduceLROnPlateau monitors {self.monitor!r}, not in {sorted(logs)}")
        self.step(logs[self.monitor])
