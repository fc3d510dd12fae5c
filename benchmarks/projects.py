"""The two worked projects as benchmarks: IMDB sentiment (sparse input) and bike sharing.

Both use the data bundled with glassnet and the package's own loaders, vectorizer and the bike
project's preparation, so the benchmark times what a user runs.
"""

from __future__ import annotations

import statistics
import time

import numpy as np

import glassnet.nn as gn


class _EpochTimer(gn.Callback):
    """Wall time of every epoch inside one ``fit``."""

    def on_train_begin(self, logs=None):
        self.seconds = []

    def on_epoch_begin(self, epoch, logs=None):
        self._t0 = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        self.seconds.append(time.perf_counter() - self._t0)


def load_imdb(min_count=5):
    """Binary bag-of-words CSR matrices (float32) for the 25k/25k IMDB split, and 0/1 labels.

    The reviews come from glassnet's loader (the repository's data/ folder, then the user cache)
    and the features from glassnet's own ``BagOfWords``, as the sentiment project makes them.
    """
    from glassnet.data import BagOfWords
    from glassnet.datasets.imdb import load_imdb as load_reviews

    train, test = load_reviews("train"), load_reviews("test")
    bow = BagOfWords("binary", min_count=min_count)
    X_train = bow.fit_transform(train["text"].tolist())
    X_test = bow.transform(test["text"].tolist())
    y_train = (train["label"] == "positive").to_numpy(np.float32)
    y_test = (test["label"] == "positive").to_numpy(np.float32)
    return X_train, y_train, X_test, y_test


def sentiment(epochs=5, warmup=1, batch_size=128, hidden=16, lr=3e-4, seed=0):
    """Reviews/second of training (median epoch after warm-up) and test accuracy after them."""
    t0 = time.perf_counter()
    X_train, y_train, X_test, y_test = load_imdb()
    load_seconds = time.perf_counter() - t0
    model = gn.Sequential([gn.Dense(X_train.shape[1], hidden), gn.ReLU(), gn.Dense(hidden, 1),
                           gn.Sigmoid()], seed=seed)
    timer = _EpochTimer()
    # Adam at a small rate: plain SGD's test accuracy swings by 3 points from epoch to epoch
    model.fit(X_train, y_train, optimizer=gn.Adam(lr=lr), epochs=warmup + epochs,
              batch_size=batch_size, callbacks=[timer], verbose=0)
    accuracy = float(np.mean(model.predict_classes(X_test)[:] == y_test))
    seconds = statistics.median(timer.seconds[warmup:])
    return {
        "vocabulary": X_train.shape[1],
        "train_reviews": X_train.shape[0],
        "mean_words_per_review": X_train.nnz / X_train.shape[0],
        "architecture": f"{X_train.shape[1]}-{hidden}-1 (ReLU, sigmoid + BCE), Adam lr {lr:g}",
        "batch_size": batch_size,
        "epochs": warmup + epochs,
        "epoch_seconds": timer.seconds,
        "reviews_per_second": X_train.shape[0] / seconds,
        "test_accuracy": accuracy,
        "load_and_vectorize_seconds": load_seconds,
    }


def load_bike():
    """The course's bike-sharing split (glassnet.projects.bike.prepare): train and validation."""
    from glassnet.projects.bike import prepare

    data = prepare()
    (X, y), (Xv, yv) = data["train"], data["validation"]
    return X, y[:, 0], Xv, yv[:, 0]


class _StopBelow(gn.Callback):
    def __init__(self, threshold):
        self.threshold, self.epoch = threshold, None

    def on_epoch_end(self, epoch, logs=None):
        if logs["val_loss"] < self.threshold:
            self.epoch = epoch + 1
            self.model.stop_training = True


def bike(threshold=0.18, hidden=10, lr=0.25, batch_size=32, max_epochs=100, seed=0):
    """Seconds of fit (validation each epoch included) until validation MSE < threshold."""
    X, y, Xv, yv = load_bike()
    model = gn.mlp([X.shape[1], hidden, 1], activation="sigmoid", seed=seed)
    stop = _StopBelow(threshold)
    t0 = time.perf_counter()
    history = model.fit(X, y, loss="mse", optimizer=gn.SGD(lr=lr), epochs=max_epochs,
                        batch_size=batch_size, validation_data=(Xv, yv), callbacks=[stop],
                        verbose=0)
    seconds = time.perf_counter() - t0
    return {
        "architecture": f"{X.shape[1]}-{hidden}-1 (sigmoid, linear + MSE), SGD lr {lr}",
        "train_rows": X.shape[0],
        "batch_size": batch_size,
        "threshold": threshold,
        "reached": stop.epoch is not None,
        "epochs": len(history.epoch),
        "seconds": seconds,
        "final_val_loss": history["val_loss"][-1],
    }
