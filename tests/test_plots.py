import numpy as np
import pytest

from glassnet import plots

PNG = b"\x89PNG\r\n\x1a\n"


def test_each_plot_writes_a_png_where_asked(tmp_path):
    history = {"loss": [1.0, 0.5, 0.3], "val_loss": [1.1, 0.7, 0.6]}
    y = np.linspace(0, 10, 30)
    written = [
        plots.learning_curve(history, tmp_path / "a" / "curve.png", best_epoch=2),
        plots.confusion_matrix_plot([[5, 1], [2, 7]], ["no", "yes"], tmp_path / "cm.png"),
        plots.predicted_vs_actual(y, y + 0.5, tmp_path / "pva.png"),
        plots.residuals_plot(y, y[::-1], tmp_path / "res.png"),
    ]
    for path in written:
        assert path.read_bytes()[:8] == PNG


def test_plots_reject_inconsistent_input(tmp_path):
    with pytest.raises(ValueError, match="no 'loss'"):
        plots.learning_curve({}, tmp_path / "x.png")
    with pytest.raises(ValueError, match="3 labels"):
        plots.confusion_matrix_plot(np.eye(2, dtype=int), ["a", "b", "c"], tmp_path / "x.png")
    with pytest.raises(ValueError, match="differ in length"):
        plots.predicted_vs_actual([1, 2], [1, 2, 3], tmp_path / "x.png")
    assert not (tmp_path / "x.png").exists()
