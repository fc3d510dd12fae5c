"""``fit``'s BLAS threads: one thread for small networks, restored afterwards, overridable."""

import numpy as np
import pytest

import glassnet.nn as gn
from glassnet.nn.threads import SMALL_PRODUCT, threads_for

threadpoolctl = pytest.importorskip("threadpoolctl")


def blas_threads_now():
    return [i["num_threads"] for i in threadpoolctl.threadpool_info() if i["user_api"] == "blas"]


def test_the_rule_one_thread_for_small_products_and_the_override():
    small, large = gn.mlp([30, 64, 1]).layers, gn.mlp([784, 1024, 10]).layers
    assert threads_for("auto", small, 200) == 1             # 200 x 30 x 64 = 384k
    assert threads_for("auto", large, 256) is None          # 256 x 784 x 1024 = 205M
    assert 200 * 30 * 64 <= SMALL_PRODUCT < 256 * 784 * 1024
    assert threads_for(3, small, 200) == 3 and threads_for(None, small, 200) is None
    with pytest.raises(ValueError, match="threads"):
        threads_for(0, small, 200)


class Spy(gn.Callback):
    """Records the BLAS thread count seen inside fit."""

    def on_epoch_end(self, epoch, logs=None):
        self.seen = blas_threads_now()


def test_fit_limits_blas_inside_and_restores_it_after_even_when_it_raises():
    X = np.random.default_rng(0).normal(size=(64, 8)).astype(np.float32)
    y = np.arange(64) % 2
    before = blas_threads_now()
    spy = Spy()
    gn.mlp([8, 16, 1], "relu", "sigmoid", seed=0).fit(X, y, epochs=1, verbose=0, callbacks=[spy])
    assert spy.seen and set(spy.seen) == {1}
    assert blas_threads_now() == before
    with threadpoolctl.threadpool_limits(1):  # an override of 2 is kept exactly
        gn.mlp([8, 16, 1], "relu", "sigmoid", seed=0).fit(X, y, epochs=1, verbose=0,
                                                           callbacks=[spy], threads=2)
    assert set(spy.seen) == {2}

    class Boom(gn.Callback):
        def on_epoch_end(self, epoch, logs=None):
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        gn.mlp([8, 16, 1], "relu", "sigmoid", seed=0).fit(X, y, epochs=1, verbose=0,
                                                           callbacks=[Boom()])
    assert blas_threads_now() == before
