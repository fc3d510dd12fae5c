"""Every user error on the command line is one line and exit code 2: argparse's, and user text
that rich would read as markup is shown as it is."""

import numpy as np
import pandas as pd
import pytest

from glassnet.cli import main


@pytest.mark.parametrize("argv, line", [
    (["train", "d.csv"], "glassnet train: error: the following arguments are required: "
                         "--target/-t (see glassnet train --help)"),
    (["train", "d.csv", "-t", "y", "--epochss", "3"],
     "glassnet train: error: unrecognized arguments: --epochss 3 (see glassnet train --help)"),
    (["train", "d.csv", "-t", "y", "--test-size", "inf"], "expected a fraction in [0, 1) or a "
                                                         "whole row count, got 'inf'"),
    (["train", "d.csv", "-t", "y", "--task", "weird"], "invalid choice: 'weird'"),
    (["nope"], "glassnet: error: argument COMMAND: invalid choice: 'nope'"),
])
def test_argparse_errors_are_one_line_with_a_pointer_to_help(capsys, argv, line):
    assert main(argv) == 2
    captured = capsys.readouterr()
    err = captured.err.strip().splitlines()
    assert len(err) == 1 and line in err[0] and err[0].endswith("--help)")
    assert captured.out == ""


def test_help_and_version_still_exit_0(capsys):
    assert main(["--version"]) == 0
    assert main(["train", "--help"]) == 0
    assert "usage: glassnet train" in capsys.readouterr().out


def test_labels_and_columns_that_look_like_markup_are_shown_as_they_are(tmp_path, capsys):
    rng = np.random.default_rng(0)
    df = pd.DataFrame({"[bold]": rng.normal(size=120)})
    df["[/]"] = np.where(df["[bold]"] > 0, "[low]", "[/]")
    df.to_csv(tmp_path / "m.csv", index=False)
    out = str(tmp_path / "o")
    assert main(["train", str(tmp_path / "m.csv"), "-t", "[/]", "--epochs", "3",
                 "--no-plots", "--out", out]) == 0
    text = capsys.readouterr().out
    assert "[/] (classification)" in text and "[bold]" in text
    assert main(["evaluate", f"{out}/model.npz", str(tmp_path / "m.csv")]) == 0
    text = capsys.readouterr().out
    assert "[low]" in text and text.count("[/]") >= 3  # title, a column and a row label


def test_predictions_are_written_so_spreadsheets_do_not_run_them(tmp_path, capsys):
    rng = np.random.default_rng(1)
    df = pd.DataFrame({"x": rng.normal(size=80)})
    df["y"] = np.where(df.x > 0, "=HYPERLINK(1)", "@evil")
    df.to_csv(tmp_path / "f.csv", index=False)
    out = str(tmp_path / "o")
    assert main(["train", str(tmp_path / "f.csv"), "-t", "y", "--epochs", "3", "--no-plots",
                 "--out", out]) == 0
    assert main(["predict", f"{out}/model.npz", str(tmp_path / "f.csv"), "-o",
                 str(tmp_path / "p.csv")]) == 0
    cells = (tmp_path / "p.csv").read_text().splitlines()[1].split(",")
    assert cells[1] in ("'=HYPERLINK(1)", "'@evil") and cells[2].startswith("'")


def test_outputs_that_would_destroy_an_input_or_are_folders_fail_before_any_work(
        tmp_path, capsys):
    rng = np.random.default_rng(2)
    df = pd.DataFrame({"x": rng.normal(size=60)})
    df["y"] = 2 * df.x
    df.to_csv(tmp_path / "r.csv", index=False)
    out = tmp_path / "o"
    assert main(["train", str(tmp_path / "r.csv"), "-t", "y", "--epochs", "2", "--no-plots",
                 "--out", str(out)]) == 0
    model = out / "model.npz"
    before = model.read_bytes()
    capsys.readouterr()
    for argv, message in [
        (["predict", model, tmp_path / "r.csv", "-o", model], "is the input file"),
        (["predict", model, tmp_path / "r.csv", "-o", tmp_path / "r.csv"], "is the input file"),
        (["evaluate", model, tmp_path / "r.csv", "--json", model], "is the input file"),
        (["predict", model, tmp_path / "r.csv", "-o", tmp_path], "is a folder"),
        (["train", tmp_path / "r.csv", "-t", "y", "--out", tmp_path / "r.csv"],
         "is a file, not a folder"),
    ]:
        assert main([str(a) for a in argv]) == 2
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and message in err[0]
    assert model.read_bytes() == before
