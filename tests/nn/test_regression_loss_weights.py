"""Row weights in the regression losses: integer weights act like repeated rows."""

import numpy as np
import pytest

from glassnet.nn import HuberLoss, MAELoss, MSELoss, SSELoss


@pytest.mark.parametrize("loss_cls", [MSELoss, MAELoss, HuberLoss, SSELoss])
def test_integer_weights_equal_repeated_rows(loss_cls):
    rng = np.random.default_rng(0)
    pred, target = rng.normal(size=(6, 2)), rng.normal(size=(6, 2))
    w = np.array([0, 1, 2, 3, 1, 2])
    weighted, repeated = loss_cls(), loss_cls()
    value_w = weighted.forward(pred, target, sample_weight=w)
    value_r = repeated.forward(pred.repeat(w, axis=0), target.repeat(w, axis=0))
    # the mean divides by the number of elements, which repetition changes
    scale = w.sum() / w.size if weighted.reduction == "mean" else 1.0
    assert value_w == pytest.approx(value_r * scale)
    grad_w = weighted.backward()
    grad_r = repeated.backward() * scale
    # the gradient of a repeated row is the sum over its copies
    summed = np.zeros_like(pred)
    np.add.at(summed, np.arange(6).repeat(w), grad_r)
    np.testing.assert_allclose(grad_w, summed, rtol=1e-10, atol=1e-12)


def test_bad_weights_are_rejected():
    with pytest.raises(ValueError, match="sample_weight"):
        MSELoss().forward(np.zeros((3, 1)), np.zeros((3, 1)), sample_weight=[1.0, -1.0, 1.0])
    with pytest.raises(ValueError, match="sample_weight"):
        MSELoss().forward(np.zeros((3, 1)), np.zeros((3, 1)), sample_weight=[1.0, 1.0])
