
import numpy as np
import pytest

from glassnet.nn import (
    initializers,
)


def test_initializer_registry():
    rng = np.random.default_rng(0)
    assert initializers.get("uniform")((1000,), rng).min() >= -1
    normal = initializers.get("normal", scale=0.1)((10000,), rng)
    assert normal.std() == pytest.approx(0.1, rel=0.05)
    w = initializers.get("lecun_normal")((400, 300), rng)
    assert w.std() == pytest.approx(1 / 20, rel=0.02)
    w = initializers.get("glorot_normal")((400, 300), rng)
    assert w.std() == pytest.approx(np.sqrt(2 / 700), rel=0.02)
    w = initializers.get("he_uniform")((400, 300), rng)
    assert np.abs(w).max() <= np.sqrt(6 / 400)
    with pytest.raises(ValueError, match="unknown initializer"):
        initializers.get("orthogonal")
