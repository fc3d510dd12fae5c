"""The fuzz corpus: hostile CSV files and flags for train/evaluate/predict, and corrupted or
crafted model files, generated afresh (seeded) into a folder.

Each case is ``{"id", "argv", "cwd", "expect", "check"}``: ``expect`` is ``"error"`` (must end
in one clean error line), ``"ok"`` (must succeed with sane output) or ``"either"``; ``check``
names what a success must have produced (``train:DIR``, ``predict:FILE:ROWS``,
``predict-stdout:ROWS``, ``json:FILE``, ``info``, ``evaluate``).
"""

import gzip
import hashlib
import io
import json
import os
import struct
import zipfile
import zlib

import numpy as np
import pandas as pd

FAST = ["--epochs", "2", "--no-plots", "--hidden", "4"]


def case(cases, cid, argv, cwd, expect="either", check="none"):
    cases.append({"id": cid, "argv": [str(a) for a in argv], "cwd": str(cwd),
                  "expect": expect, "check": check})


def base_frames(seed=0, n=120):
    """A classification table (string labels, a categorical, a date, gaps) and a regression
    table with the same features."""
    rng = np.random.default_rng(seed)
    df = pd.DataFrame({
        "x": rng.normal(size=n).round(4),
        "z": rng.uniform(0, 100, n).round(2),
        "city": rng.choice(["Oslo", "Bergen", "Tromsø"], n),
        "when": pd.date_range("2020-01-01", periods=n, freq="D").astype(str),
    })
    df.loc[3, "x"] = np.nan
    clf = df.assign(label=np.where(df.x.fillna(0) + rng.normal(0, 0.5, n) > 0, "yes", "no"))
    reg = df.assign(y=(3 * df.x.fillna(0) + df.z / 50 + rng.normal(0, 0.1, n)).round(4))
    return clf, reg


# ---------------------------------------------------------------------------- CSV + flags
def _write(folder, name, text=None, data=None):
    path = folder / name
    if data is not None:
        path.write_bytes(data)
    else:
        path.write_text(text, encoding="utf-8")
    return name


def hostile_csvs(folder, rng):
    """``[(file name, target column, expect)]`` of hostile data files written into ``folder``."""
    clf, reg = base_frames()
    good = clf.to_csv(index=False)
    files = []

    def add(name, target, expect="either", text=None, data=None):
        files.append((_write(folder, name, text, data), target, expect))

    add("good.csv", "label", "ok", good)
    add("reg.csv", "y", "ok", reg.to_csv(index=False))
    add("empty.csv", "label", "error", "")
    add("blank.csv", "label", "error", "\n\n   \n")
    add("header_only.csv", "label", "error", "x,z,city,when,label\n")
    add("one_column.csv", "label", "error", "label\n" + "yes\nno\n" * 30)
    add("ragged.csv", "label", "error", "a,b,label\n1,2,yes\n3,4,5,6,no\n")
    add("binary.csv", "label", "error", data=bytes(range(256)) * 16)
    add("nul.csv", "label", "error", data=good.encode()[:200] + b"\x00" * 50)
    add("latin1.csv", "label", "either",
        data=b"x,city,label\n" + "1,Tromsø,yes\n2,Bergen,no\n".encode("latin-1") * 20)
    add("utf16.csv", "label", "either", data=good.encode("utf-16"))
    add("crlf.csv", "label", "ok", good.replace("\n", "\r\n"))
    add("unterminated_quote.csv", "label", "error", 'x,label\n1,"yes\n2,no\n' * 5)
    add("no_header.csv", "label", "error", "1,2,yes\n3,4,no\n" * 20)
    add("target_missing_all.csv", "label", "error", clf.assign(label=np.nan).to_csv(index=False))
    add("target_single.csv", "label", "error", clf.assign(label="yes").to_csv(index=False))
    add("markup_labels.csv", "label", "ok",
        clf.assign(label=clf.label.map({"yes": "[/]", "no": "[low]"})).to_csv(index=False))
    add("formula_labels.csv", "label", "ok",
        clf.assign(label=clf.label.map({"yes": "=1+1", "no": "@SUM(A1)"}),
                   city="-" + clf.city).to_csv(index=False))
    add("markup_columns.csv", "[/]", "ok", clf.rename(columns={"label": "[/]",
                                                               "x": "[bold]"}).to_csv(index=False))
    add("newline_labels.csv", "label", "either",
        clf.assign(label=clf.label.map({"yes": "a\nb", "no": "c\rd"})).to_csv(index=False))
    add("unicode.csv", "ñ標", "ok", clf.rename(columns={"label": "ñ標"}).to_csv(index=False))
    for value, name in [("1e39", "f32_overflow"), ("1e308", "f64_huge"), ("-1e308", "f64_neg"),
                        ("inf", "inf_feature"), ("1e400", "beyond_f64")]:
        bad = clf.astype({"z": object})
        bad.loc[7, "z"] = value
        add(f"{name}.csv", "label", "error", bad.to_csv(index=False))
    bad = reg.astype({"y": object})
    bad.loc[len(bad) - 1, "y"] = "inf"  # among the last rows, so in validation or test
    add("target_inf.csv", "y", "error", bad.to_csv(index=False))
    bad.loc[len(bad) - 1, "y"] = "1e308"
    add("target_huge.csv", "y", "error", bad.to_csv(index=False))
    add("target_text_regression.csv", "y", "either", reg.assign(
        y=reg.y.astype(str).where(reg.index != 5, "oops")).to_csv(index=False))
    add("junk_numeric.csv", "label", "error",
        clf.astype({"z": object}).assign(z=lambda d: d.z.where(d.index != 9, "12,5")).to_csv(
            index=False))
    add("all_missing_feature.csv", "label", "ok", clf.assign(x=np.nan).to_csv(index=False))
    add("constant.csv", "label", "ok", clf.assign(x=1.0, z=2.0).to_csv(index=False))
    add("bools.csv", "label", "ok", clf.assign(flag=np.where(clf.x > 0, "yes", "no"))
        .to_csv(index=False))
    add("bad_dates.csv", "label", "either", clf.assign(
        when=clf.when.where(clf.index != 4, "2020-13-45")).to_csv(index=False))
    add("big_ints.csv", "label", "either", clf.assign(
        z=[str(10**30 + i) for i in range(len(clf))]).to_csv(index=False))
    add("dup_columns.csv", "label", "either", "a,a,label\n" + "1,2,yes\n3,4,no\n" * 20)
    add("empty_names.csv", "label", "either", ",,label\n" + "1,2,yes\n3,4,no\n" * 20)
    add("few_rows.csv", "label", "either", "x,label\n1,yes\n2,no\n")
    add("mixed_types.csv", "label", "either", clf.assign(
        x=[v if i % 3 else "word" for i, v in enumerate(clf.x)]).to_csv(index=False))
    add("long_cell.csv", "label", "either", clf.assign(
        city=clf.city.where(clf.index != 2, "c" * 200_000)).to_csv(index=False))
    name = "n" * 10_000_000
    add("huge_column_name.csv", "label", "either",
        clf.rename(columns={"city": name}).to_csv(index=False))
    wide = pd.DataFrame(rng.normal(size=(40, 20_000)).round(2),
                        columns=[f"c{i}" for i in range(20_000)])
    wide["label"] = np.where(wide.c0 > 0, "yes", "no")
    add("wide_20000_columns.csv", "label", "either", wide.to_csv(index=False))
    cats = pd.DataFrame({"code": [f"k{i:05d}" for i in range(20_000)] * 2,
                         "x": rng.normal(size=40_000).round(3)})
    cats["label"] = np.where(cats.x > 0, "yes", "no")
    add("categories_20000.csv", "label", "error", cats.to_csv(index=False))
    # compressed: a small bomb (well past the expansion limit), truncated, fake
    comp = zlib.compressobj(9, zlib.DEFLATED, 31)
    chunk = ("1,2,yes\n" * 131072).encode()
    bomb = comp.compress(b"a,b,label\n") + b"".join(comp.compress(chunk) for _ in range(96))
    add("bomb.csv.gz", "label", "error", data=bomb + comp.flush())
    add("truncated.csv.gz", "label", "error", data=gzip.compress(good.encode())[:300])
    add("fake.csv.gz", "label", "error", good)
    add("ok.csv.gz", "label", "ok", data=gzip.compress(good.encode()))
    add("fake.csv.xz", "label", "error", data=b"\xfd7zXZ\x00garbage" * 10)
    add("fake.csv.bz2", "label", "error", data=b"BZh91AY&SYgarbage" * 10)
    os.mkfifo(folder / "fifo.csv")
    files.append(("fifo.csv", "label", "error"))
    os.symlink("/dev/zero", folder / "zero.csv")
    files.append(("zero.csv", "label", "error"))
    (folder / "folder.csv").mkdir()
    files.append(("folder.csv", "label", "error"))
    files.append(("missing.csv", "label", "error"))
    for i in range(12):  # random damage of the good file
        data = bytearray(good.encode())
        for _ in range(int(rng.integers(1, 30))):
            data[int(rng.integers(len(data)))] = int(rng.integers(256))
        add(f"damaged_{i}.csv", "label", "either", data=bytes(data))
    return files


CONFIGS = {
    "activation_int.toml": "[train]\nactivation = 5\n",
    "optimizer_list.toml": '[train]\noptimizer = ["adam"]\n',
    "standardize_text.toml": '[train]\nstandardize_target = "no"\n',
    "hidden_nested.toml": "[train]\nhidden = [[1]]\n",
    "lr_text.toml": '[train]\nlr = "0.1"\n',
    "lr_inf.toml": "[train]\nlr = inf\n",
    "unknown_key.toml": "[train]\nlearning_rate = 0.1\n",
    "train_not_table.toml": "train = 5\n",
    "deep.toml": "[train]\nhidden = " + "[" * 5000 + "]" * 5000 + "\n",
    "not_toml.toml": "this is = = not toml\n",
    "seed_negative.toml": "[train]\nseed = -1\n",
    "seed_huge.toml": "[train]\nseed = 1" + "0" * 30 + "\n",
    "epochs_float.toml": "[train]\nepochs = 2.5\n",
    "good.toml": "[train]\nhidden = [3]\nepochs = 2\n",
}

BAD_FLAGS = [
    ["--hidden", "0"], ["--hidden", "-3"], ["--hidden", "20000", "20000"],
    ["--hidden", "100000000"], ["--hidden", "x"], ["--lr", "0"], ["--lr", "nan"],
    ["--lr", "inf"], ["--lr", "-1"], ["--momentum", "2"], ["--momentum", "-0.5"],
    ["--dropout", "1"], ["--dropout", "nan"], ["--epochs", "0"], ["--epochs", "-5"],
    ["--batch-size", "0"], ["--batch-size", "x"], ["--test-size", "inf"],
    ["--test-size", "-1"], ["--test-size", "1e30"], ["--test-size", "0.999"],
    ["--test-size", "2.5"], ["--validation-split", "1"], ["--validation-split", "-0.1"],
    ["--patience", "-1"], ["--seed", "-1"], ["--activation", "5"], ["--activation", "[/]"],
    ["--optimizer", "nope"], ["--task", "weird"], ["--dtype", "float16"], ["--l1", "-1"],
    ["--l2", "nan"], ["--split", "time", "--test-days", "3"], ["--role", "x=bad"],
    ["--role", "=x"], ["--role", "nope=numeric"], ["--drop", "nope"], ["--sep", ";;"],
    ["--sep", ""], ["--bogus"], ["--na-values"], ["--time-column", "nope", "--split", "time"],
]

ODD_FLAGS = [  # legal, unusual: must work or fail cleanly
    ["--batch-size", "full"], ["--batch-size", "100000"], ["--dtype", "float64"],
    ["--optimizer", "sgd", "--momentum", "0.9"], ["--activation", "tanh"],
    ["--validation-split", "0"], ["--patience", "0"], ["--test-size", "5"],
    ["--split", "time", "--time-column", "when", "--test-days", "10"], ["--role", "z=categorical"],
    ["--drop", "city", "when"], ["--na-values", "?", "n/a"], ["--l2", "0.5"],
    ["--lr", "1e6"], ["--l2", "1e30"], ["--lr", "1e6", "--optimizer", "sgd"],
    ["--seed", str(2**62)], ["--dropout", "0.9"], ["--task", "regression"],
]


def csv_cases(folder, rng):
    """Cases for ``train``, ``predict`` and ``evaluate`` on hostile data and flags."""
    cases = []
    for name, target, expect in hostile_csvs(folder, rng):
        case(cases, f"train:{name}", ["train", name, "-t", target, "--out", f"out-{name}", *FAST],
             folder, expect, f"train:out-{name}")
    for cfg, text in CONFIGS.items():
        _write(folder, cfg, text)
        case(cases, f"config:{cfg}", ["train", "good.csv", "-t", "label", "--config", cfg,
                                      "--out", f"out-{cfg}", "--no-plots"], folder,
             "ok" if cfg == "good.toml" else "error", f"train:out-{cfg}")
    os.mkfifo(folder / "fifo.toml")
    case(cases, "config:fifo", ["train", "good.csv", "-t", "label", "--config", "fifo.toml"],
         folder, "error")
    for i, flags in enumerate(BAD_FLAGS):
        case(cases, f"flags:{' '.join(flags)}", ["train", "good.csv", "-t", "label", "--out",
                                                 f"out-bad{i}", *FAST, *flags], folder, "error")
    for i, flags in enumerate(ODD_FLAGS):
        case(cases, f"flags:{' '.join(flags)}", ["train", "good.csv", "-t", "label", "--out",
                                                 f"out-odd{i}", *FAST, *flags],
             folder, "either", f"train:out-odd{i}")
    (folder / "a_file").write_text("x")
    case(cases, "out:file", ["train", "good.csv", "-t", "label", "--out", "a_file", *FAST],
         folder, "error")
    (folder / "out-sub" / "inner").mkdir(parents=True)
    case(cases, "out:has-subfolder", ["train", "good.csv", "-t", "label", "--out", "out-sub",
                                      *FAST], folder, "error")
    return cases


def predict_cases(folder, model, reg_model):
    """``predict`` and ``evaluate`` of good models on hostile rows and outputs."""
    cases = []
    clf, reg = base_frames(seed=1, n=30)
    rows = {
        "same.csv": clf, "features_only.csv": clf.drop(columns="label"),
        "unseen.csv": clf.assign(city="Paris"), "missing_cols.csv": clf.drop(columns=["x"]),
        "extra_cols.csv": clf.assign(extra="=HYPERLINK(1)"),
        "nan_features.csv": clf.assign(x=np.nan, z=np.nan),
        "overflow.csv": clf.astype({"z": object}).assign(z="1e39"),
        "huge.csv": clf.astype({"z": object}).assign(z="1e300"),
        "new_label.csv": clf.assign(label="maybe"),
        "markup.csv": clf.assign(city="[/]", label="yes"),
    }
    for name, df in rows.items():
        df.to_csv(folder / name, index=False)
    for name in rows:
        case(cases, f"predict:{name}", ["predict", model, name, "-o", f"p-{name}"], folder,
             "either", f"predict:p-{name}:30")
        case(cases, f"evaluate:{name}", ["evaluate", model, name, "--json", f"e-{name}.json"],
             folder, "either", f"json:e-{name}.json")
    reg.to_csv(folder / "reg_rows.csv", index=False)
    case(cases, "predict:stdout", ["predict", reg_model, "reg_rows.csv", "--only-predictions"],
         folder, "ok", "predict-stdout:30")
    case(cases, "evaluate:json-stdout", ["evaluate", reg_model, "reg_rows.csv", "--json", "-"],
         folder, "ok", "json:-")
    os.symlink("linked_target.csv", folder / "link.csv")
    case(cases, "predict:symlink", ["predict", model, "same.csv", "-o", "link.csv"], folder,
         "ok", "predict:linked_target.csv:30")
    for target, expect in [(".", "error"), (model, "error"), ("same.csv", "error"),
                           ("/dev/null", "ok"), ("no/such/dir/p.csv", "ok")]:
        case(cases, f"predict:-o {target}", ["predict", model, "same.csv", "-o", target],
             folder, expect)
    case(cases, "evaluate:--json model", ["evaluate", model, "same.csv", "--json", model],
         folder, "error")
    case(cases, "predict:--sep", ["predict", model, "same.csv", "--sep", ";;"], folder, "error")
    return cases


# ---------------------------------------------------------------------------- model files
def _members(path):
    with np.load(path, allow_pickle=False) as f:
        return {k: f[k] for k in f.files}


def _save(path, arrays):
    np.savez(path, **arrays)


def canonical_json(value):
    """The writer's canonical form, without its checks (a crafted file may break them)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()


def metadata_digest(meta):
    return hashlib.sha256(canonical_json(
        {k: v for k, v in meta.items() if k != "metadata_sha256"})).hexdigest()


def _with_meta(arrays, meta, sign):
    arrays = dict(arrays)
    meta = json.loads(json.dumps(meta))
    if sign:
        meta["metadata_sha256"] = metadata_digest(meta)
    arrays["__meta__"] = np.frombuffer(canonical_json(meta), np.uint8)
    return arrays


def _raw_meta(arrays, raw):
    arrays = dict(arrays)
    arrays["__meta__"] = np.frombuffer(raw, np.uint8)
    return arrays


EDITS = {  # name -> change(meta); applied naively (no re-signing) and re-signed (crafted)
    "mean": lambda m: m["preprocessing"]["columns_"][0].update(mean=99.0),
    "scale_zero": lambda m: m["preprocessing"]["columns_"][0].update(scale=0),
    "scale_negative": lambda m: m["preprocessing"]["columns_"][0].update(scale=-1.0),
    "classes_permuted": lambda m: m.update(classes=m["classes"][::-1]),
    "classes_prep_permuted": lambda m: m["preprocessing"].update(
        classes_=m["preprocessing"]["classes_"][::-1]),
    "categories": lambda m: next(c for c in m["preprocessing"]["columns_"]
                                 if c["role"] == "categorical").update(categories=["a", "b", "c"]),
    "role_unknown": lambda m: m["preprocessing"]["roles_"].update(x="weird"),
    "spec_role_unknown": lambda m: m["preprocessing"]["columns_"][0].update(role="weird"),
    "spec_name_int": lambda m: m["preprocessing"]["columns_"][0].update(name=5),
    "feature_names": lambda m: m["preprocessing"].update(feature_names_=["a"]),
    "columns_not_list": lambda m: m["preprocessing"].update(columns_={"a": 1}),
    "prep_not_dict": lambda m: m.update(preprocessing=[1, 2]),
    "prep_version": lambda m: m["preprocessing"].update(version=99),
    "task_unknown": lambda m: m["preprocessing"].update(task_="clustering"),
    "read_skiprows": lambda m: m["extra"].update(read_options={"skiprows": 10**9}),
    "read_encoding": lambda m: m["extra"].update(read_options={"encoding": "rot13-nope"}),
    "read_sep_long": lambda m: m["extra"].update(read_options={"sep": "a" * 1000}),
    "read_not_dict": lambda m: m["extra"].update(read_options=[1]),
    "extra_not_dict": lambda m: m.update(extra=5),
    "dense_huge": lambda m: m["layers"][0]["config"].update(n_in=40000, n_out=40000),
    "dense_text": lambda m: m["layers"][0]["config"].update(n_in="5"),
    "dense_float": lambda m: m["layers"][0]["config"].update(n_out=4.0),
    "dense_extra_arg": lambda m: m["layers"][0]["config"].update(evil=1),
    "dense_init_unknown": lambda m: m["layers"][0]["config"].update(init="nope"),
    "dense_init_int": lambda m: m["layers"][0]["config"].update(init=5),
    "layer_unknown": lambda m: m["layers"][0].update(type="EvilLayer"),
    "layer_type_list": lambda m: m["layers"][0].update(type=["Dense"]),
    "layer_config_list": lambda m: m["layers"][0].update(config=[1]),
    "layers_empty": lambda m: m.update(layers=[]),
    "layers_dropped": lambda m: m.update(layers=m["layers"][:-1]),
    "loss_dunder": lambda m: m["loss"].update(type="__class__"),
    "loss_unknown": lambda m: m["loss"].update(type="Nope"),
    "loss_bad_arg": lambda m: m["loss"]["config"].update(evil=True),
    "checksums_removed": lambda m: m.pop("checksums"),
    "checksums_null": lambda m: m.update(checksums=None),
    "checksums_list": lambda m: m.update(checksums=[1]),
    "checksum_wrong": lambda m: m["checksums"].update({"layers.0.W": "0" * 64}),
    "digest_removed": lambda m: m.pop("metadata_sha256"),
    "version_old": lambda m: m.update(format_version=1),
    "version_new": lambda m: m.update(format_version=99),
    "version_text": lambda m: m.update(format_version="2"),
    "dtype_bad": lambda m: m.update(dtype="float16"),
    "dtype_object": lambda m: m.update(dtype="object"),
    "config_activation_int": lambda m: m["training_config"].update(activation=5),
    "config_optimizer_list": lambda m: m["training_config"].update(optimizer=["adam"]),
    "config_unknown_key": lambda m: m["training_config"].update(evil=1),
    "config_not_dict": lambda m: m.update(training_config="x"),
    "classes_three": lambda m: m.update(classes=["a", "b", "c"]),
    "classes_objects": lambda m: m.update(classes=[{"a": 1}, {"b": 2}]),
    "classes_dupes": lambda m: m.update(classes=["a", "a"]),
    "deep_extra": lambda m: m["extra"].update(deep=json.loads("[" * 40 + "]" * 40)),
    "format_other": lambda m: m.update(format="other"),
    "extra_metrics_markup": lambda m: m["extra"].update(metrics={"test": {"[/]": "[bold]"}}),
    "extra_metrics_list": lambda m: m["extra"].update(metrics=[1, 2]),
    "version_markup": lambda m: m.update(glassnet_version="[/]" * 1000),
}
# edits that still make a valid file once re-signed: loading may succeed
VALID_WHEN_SIGNED = {"mean", "extra_metrics_markup", "extra_metrics_list", "version_markup"}


def _deflated(arrays):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for k, v in arrays.items():
            member = io.BytesIO()
            np.save(member, v)
            z.writestr(k + ".npy", member.getvalue())
    return buf.getvalue()


def _forge_size(data, member, size):
    """The zip ``data`` with ``member``'s declared uncompressed size in its central directory
    replaced by ``size`` (what a hand-made zip bomb does)."""
    data = bytearray(data)
    name = member.encode()
    at = data.find(b"PK\x01\x02" + b"\x00" * 0, 0)
    while at != -1:
        n = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46: at + 46 + n] == name:
            struct.pack_into("<I", data, at + 24, size)
        at = data.find(b"PK\x01\x02", at + 4)
    return bytes(data)


def model_files(folder, model_path, rng):
    """``[(file name, expect)]``: damaged, edited, crafted and foreign model files."""
    good = model_path.read_bytes()
    arrays = _members(model_path)
    meta = json.loads(arrays["__meta__"].tobytes())
    files = []

    def add(name, expect, data=None, arrays_=None):
        path = folder / name
        if arrays_ is not None:
            _save(path, arrays_)
        else:
            path.write_bytes(data)
        files.append((name, expect))

    for i, keep in enumerate(np.linspace(0, len(good) - 1, 24).astype(int)):
        add(f"truncated_{i}.npz", "error", good[:keep])
    for i, offset in enumerate(rng.choice(len(good), 48, replace=False)):
        data = bytearray(good)
        data[int(offset)] ^= 1 << int(rng.integers(8))
        add(f"flip_{i}.npz", "either", bytes(data))
    for name, change in EDITS.items():
        m = json.loads(json.dumps(meta))
        try:
            change(m)
        except (KeyError, StopIteration, AttributeError):
            continue
        add(f"naive_{name}.npz", "error", arrays_=_with_meta(arrays, m, sign=False))
        if name not in ("checksums_removed", "digest_removed"):
            # re-signed: a consistent file except where the checks behind the checksum bite
            add(f"signed_{name}.npz", "either" if name in VALID_WHEN_SIGNED else "error",
                arrays_=_with_meta(arrays, m, sign=True))
    raw = canonical_json(meta)
    add("meta_whitespace.npz", "error", arrays_=_raw_meta(arrays, raw[:-1] + b" " * 1000 + b"}"))
    add("meta_nan.npz", "error",
        arrays_=_raw_meta(arrays, raw.replace(b'"dtype"', b'"n":NaN,"dtype"')))
    add("meta_infinity.npz", "error",
        arrays_=_raw_meta(arrays, raw.replace(b'"dtype"', b'"n":1e999,"dtype"')))
    add("meta_bigint.npz", "error",
        arrays_=_raw_meta(arrays, raw.replace(b'"dtype"', b'"n":' + b"9" * 5000 + b',"dtype"')))
    add("meta_deep.npz", "error", arrays_=_raw_meta(
        arrays, raw.replace(b'"dtype"', b'"n":' + b"[" * 50000 + b"]" * 50000 + b',"dtype"')))
    add("meta_dupkey.npz", "error",
        arrays_=_raw_meta(arrays, raw.replace(b'"dtype"', b'"dtype":"float64","dtype"')))
    add("meta_not_utf8.npz", "error", arrays_=_raw_meta(arrays, b"\xff\xfe" + raw))
    add("meta_not_json.npz", "error", arrays_=_raw_meta(arrays, b"{not json"))
    add("meta_list.npz", "error", arrays_=_raw_meta(arrays, b"[1,2]"))
    add("meta_float_array.npz", "error", arrays_={**arrays, "__meta__": np.ones(3)})
    add("meta_2d.npz", "error", arrays_={**arrays, "__meta__": np.zeros((2, 2), np.uint8)})
    big = dict(arrays)
    big["layers.0.W"] = np.zeros((4000, 4000), np.float32)
    add("array_swapped_big.npz", "error", arrays_=big)
    add("array_extra.npz", "error", arrays_={**arrays, "layers.9.W": np.ones(3, np.float32)})
    add("array_evil_name.npz", "error", arrays_={**arrays, "../evil": np.ones(3)})
    add("array_object.npz", "error",
        arrays_={**arrays, "layers.0.W": np.array([{"a": 1}], dtype=object)})
    add("array_float64.npz", "error",
        arrays_={**arrays, "layers.0.W": arrays["layers.0.W"].astype(np.float64)})
    add("array_missing.npz", "error",
        arrays_={k: v for k, v in arrays.items() if k != "layers.0.b"})
    nan = dict(arrays)
    nan["layers.0.W"] = arrays["layers.0.W"].copy()
    nan["layers.0.W"][0, 0] = np.nan
    add("array_nan.npz", "error", arrays_=nan)
    add("deflated.npz", "error", _deflated(arrays))
    add("zeros_member_forged.npz", "error", _forge_size(good, "layers.0.W.npy", 2**31 - 1))
    with zipfile.ZipFile(folder / "extra_text_member.npz", "w") as z:
        for k, v in arrays.items():
            member = io.BytesIO()
            np.save(member, v)
            z.writestr(k + ".npy", member.getvalue())
        z.writestr("readme.txt", "hello")
    files.append(("extra_text_member.npz", "error"))
    foreign = {
        "empty.npz": b"", "text.npz": b"hello world\n", "csv.npz": b"a,b\n1,2\n",
        "png.npz": b"\x89PNG\r\n\x1a\n" + bytes(100), "json.npz": b'{"format":"glassnet-model"}',
        "random.npz": bytes(rng.integers(0, 256, 5000, dtype=np.uint8)),
        "zip_magic_only.npz": b"PK\x03\x04" + bytes(60),
    }
    for name, data in foreign.items():
        add(name, "error", data)
    buf = io.BytesIO()
    np.save(buf, np.ones(3))
    add("plain.npy", "error", buf.getvalue())
    add("plain.npz", "error", arrays_={"x": np.ones(3)})
    os.mkfifo(folder / "fifo.npz")
    files.append(("fifo.npz", "error"))
    os.symlink("/dev/zero", folder / "zero.npz")
    files.append(("zero.npz", "error"))
    (folder / "dir.npz").mkdir()
    files.append(("dir.npz", "error"))
    files.append(("missing.npz", "error"))
    return files


def model_cases(folder, model_path, rng):
    """Each model file through ``info``, ``predict`` or ``evaluate`` (in turn); the re-signed
    ones through ``info`` too."""
    clf, _ = base_frames(seed=2, n=20)
    clf.to_csv(folder / "rows.csv", index=False)
    cases = []
    commands = [
        (["info", "{m}"], "info"),
        (["predict", "{m}", "rows.csv", "-o", "p-{i}.csv"], "predict:p-{i}.csv:20"),
        (["evaluate", "{m}", "rows.csv"], "evaluate"),
    ]
    for i, (name, expect) in enumerate(model_files(folder, model_path, rng)):
        argv, check = commands[i % 3]
        case(cases, f"model:{name}", [a.format(m=name, i=i) for a in argv], folder, expect,
             check.format(i=i))
        if name.startswith("signed_") and argv[0] != "info":  # info prints most of the file
            case(cases, f"model-info:{name}", ["info", name], folder, expect, "info")
    return cases
