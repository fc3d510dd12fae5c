"""What a notebook shows: the HTML views of a model bundle (the engine's own views are tested
in tests/nn/test_callbacks.py)."""

import numpy as np
import pandas as pd

from glassnet.config import TrainConfig
from glassnet.io import load_bundle
from glassnet.tabular import train_frame


def test_a_model_bundle_shows_what_it_predicts_from_what(tmp_path):
    rng = np.random.default_rng(0)
    df = pd.DataFrame({"size": rng.normal(size=120), "town&region": rng.choice(["A", "B"], 120)})
    df["kind"] = np.where(df["size"] > 0, "big", "small")
    train_frame(df, "kind", TrainConfig(hidden=[4], epochs=3, ensemble=1,
                                        linear_share=0.0), tmp_path, plots=False)
    page = load_bundle(tmp_path / "model.npz")._repr_html_()
    assert page.startswith("<table><caption>glassnet model</caption>")
    for cell in ("kind (classification)", "3 from 2 columns", "big, small", "town&amp;region",
                 "Dense -&gt; ReLU -&gt; Dense -&gt; Sigmoid", "21 (float32)"):
        assert f"<td>{cell}" in page, cell
    assert "<td>test accuracy</td>" in page
    assert "<td>hidden</td><td>[4]</td>" in page
