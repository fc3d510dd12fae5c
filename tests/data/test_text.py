"""BagOfWords: tokenizer, vocabulary, values (checked against scikit-learn), polarity filter,
CSR output, and Dense's sparse forward/backward against the dense one."""

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer

from glassnet.data import BagOfWords, polarity_ratios, tokenize
from glassnet.nn import SGD, Dense, Sequential, Sigmoid, SSELoss, gradcheck

TEXTS = [
    "The movie was great, great fun.<br /><br />I loved it!",
    "A dull movie. I didn't love it; the plot was dull",
    "Great acting, great plot, a great film",
    "Boring, dull and far too long. The worst film",
]
LABELS = np.array([1, 0, 1, 0])


def test_tokenize_lowercases_strips_tags_keeps_apostrophes():
    assert tokenize("Didn't<br />LIKE it, 10/10!") == ["didn't", "like", "it", "10", "10"]
    assert tokenize("Didn't", lowercase=False) == ["Didn't"]
    assert tokenize("Un cliché_total") == ["un", "cliché", "total"]
    with pytest.raises(TypeError, match="str"):
        tokenize(3)


def test_vocabulary_by_count_then_alphabet_and_min_count():
    bow = BagOfWords("count", min_count=2).fit(TEXTS)
    counts = {}
    for t in TEXTS:
        for w in tokenize(t):
            counts[w] = counts.get(w, 0) + 1
    expected = sorted((w for w, c in counts.items() if c >= 2), key=lambda w: (-counts[w], w))
    assert bow.words_ == expected
    assert bow.words_[0] == "great"  # 5 times
    assert list(bow.counts_) == [counts[w] for w in expected]
    assert bow.n_dropped_["min_count"] == sum(c < 2 for c in counts.values())
    assert bow.vocabulary_ == {w: i for i, w in enumerate(expected)}


def _sklearn_counts(bow, texts):
    cv = CountVectorizer(vocabulary=bow.vocabulary_, tokenizer=tokenize, lowercase=False,
                         token_pattern=None)
    return cv.transform(texts).toarray().astype(np.float64)


def test_count_and_binary_values_match_sklearn():
    bow = BagOfWords("count").fit(TEXTS)
    new = ["great great great plot", "nothing known here", "dull, dull: the film"]
    X = bow.transform(new)
    assert sp.isspmatrix_csr(X) and X.dtype == np.float32 and X.has_sorted_indices
    np.testing.assert_array_equal(X.toarray(), _sklearn_counts(bow, new))
    assert X[1].nnz == 0  # unknown words are ignored
    B = BagOfWords("binary").fit(TEXTS).transform(new)
    np.testing.assert_array_equal(B.toarray(), (_sklearn_counts(bow, new) > 0).astype(float))


@pytest.mark.parametrize("sublinear", [False, True])
def test_tfidf_matches_sklearn(sublinear):
    bow = BagOfWords("tfidf", sublinear_tf=sublinear, dtype=np.float64)
    X = bow.fit_transform(TEXTS)
    counts = _sklearn_counts(bow, TEXTS)
    ref = TfidfTransformer(sublinear_tf=sublinear).fit(counts)
    np.testing.assert_allclose(bow.idf_, ref.idf_, rtol=1e-12)
    np.testing.assert_allclose(X.toarray(), ref.transform(counts).toarray(), rtol=1e-12)
    new = ["great dull plot", "unknown words only"]
    np.testing.assert_allclose(bow.transform(new).toarray(),
                               ref.transform(_sklearn_counts(bow, new)).toarray(), rtol=1e-12)
    assert X.dtype == np.float64


def test_tfidf_by_hand():
    # Two texts: "a a b" and "b c". idf = ln(3 / (1 + df)) + 1.
    X = BagOfWords("tfidf", dtype=np.float64).fit_transform(["a a b", "b c"])
    idf = {"a": np.log(3 / 2) + 1, "b": 1.0, "c": np.log(3 / 2) + 1}
    row = np.array([2 * idf["a"], idf["b"], 0.0])  # columns: a (2x), b (2x), c, by count
    row /= np.linalg.norm(row)
    np.testing.assert_allclose(X.toarray()[0], row)


def test_polarity_ratios_and_filter():
    ratios = polarity_ratios([tokenize(t) for t in TEXTS], LABELS.astype(bool))
    assert ratios["great"] == pytest.approx(np.log((5 + 1) / (0 + 1)))
    assert ratios["dull"] == pytest.approx(np.log(1 / 4))
    assert ratios["movie"] == pytest.approx(0.0)  # once in each class
    bow = BagOfWords("binary", polarity_cutoff=0.5, polarity_min_count=1).fit(TEXTS, LABELS)
    kept = set(bow.words_)
    assert {"great", "dull"} <= kept
    assert "movie" not in kept and "the" not in kept
    assert all(abs(bow.polarity_[w]) >= 0.5 for w in kept)
    assert bow.n_dropped_["polarity"] == sum(abs(r) < 0.5 for r in ratios.values())
    # Words rarer than polarity_min_count are not judged and stay.
    lenient = BagOfWords("binary", polarity_cutoff=0.5, polarity_min_count=3).fit(TEXTS, LABELS)
    assert "movie" in lenient.words_ and "the" not in lenient.words_  # 2 vs 3 occurrences
    # String labels work too.
    named = np.where(LABELS == 1, "positive", "negative")
    assert BagOfWords(polarity_cutoff=0.5, polarity_min_count=1).fit(TEXTS, named).words_ == \
        bow.words_


def test_word_pairs_match_sklearn_ngram_range():
    bow = BagOfWords("count", ngram=2).fit(TEXTS)
    cv = CountVectorizer(vocabulary=bow.vocabulary_, tokenizer=tokenize, lowercase=False,
                         token_pattern=None, ngram_range=(1, 2))
    new = [*TEXTS, "dull plot, great film"]
    np.testing.assert_array_equal(bow.transform(new).toarray(), cv.transform(new).toarray())
    auto = CountVectorizer(tokenizer=tokenize, lowercase=False, token_pattern=None,
                           ngram_range=(1, 2)).fit(TEXTS)
    assert set(bow.words_) == set(auto.vocabulary_)


def test_ngrams_and_max_features():
    bow = BagOfWords("count", ngram=2).fit(["not good at all", "not good"])
    assert bow.words_[:2] == ["good", "not"] and "not good" in bow.vocabulary_
    assert bow.transform(["not good"]).toarray()[0, bow.vocabulary_["not good"]] == 1
    assert len(BagOfWords(max_features=3).fit(TEXTS)) == 3


def test_bad_input_is_reported():
    with pytest.raises(TypeError, match="not one string"):
        BagOfWords().fit("one text")
    with pytest.raises(TypeError, match=r"texts\[1\]"):
        BagOfWords().fit(["ok", None])
    with pytest.raises(ValueError, match="values"):
        BagOfWords("tf")
    with pytest.raises(ValueError, match="min_count"):
        BagOfWords(min_count=0)
    with pytest.raises(ValueError, match="needs the labels"):
        BagOfWords(polarity_cutoff=0.1).fit(TEXTS)
    with pytest.raises(ValueError, match="shape"):
        BagOfWords(polarity_cutoff=0.1).fit(TEXTS, [1, 0])
    with pytest.raises(ValueError, match="0 and 1"):
        BagOfWords(polarity_cutoff=0.1).fit(TEXTS, [1, 0, 2, 0])
    with pytest.raises(ValueError, match="not fitted"):
        BagOfWords().transform(["x"])
    with pytest.raises(ValueError, match="empty"):
        BagOfWords(min_count=50).fit(TEXTS)


def _sparse_and_dense(rng, n=6, n_in=9):
    X = sp.random(n, n_in, density=0.3, format="csr", random_state=np.random.RandomState(0))
    X.data[:] = rng.integers(1, 4, X.nnz)
    return X, X.toarray()


def test_dense_layer_csr_forward_backward_equal_dense():
    rng = np.random.default_rng(0)
    Xs, Xd = _sparse_and_dense(rng)
    layer = Dense(9, 4, rng=1, dtype=np.float64)
    g = rng.normal(size=(6, 4))
    out_s = layer.forward(Xs)
    dx_s = layer.backward(g)
    grads_s = {k: v.copy() for k, v in layer.grads.items()}
    out_d = layer.forward(Xd)
    dx_d = layer.backward(g)
    assert isinstance(out_s, np.ndarray)
    np.testing.assert_allclose(out_s, out_d, rtol=1e-12)
    np.testing.assert_allclose(dx_s, dx_d, rtol=1e-12)
    for k in grads_s:
        np.testing.assert_allclose(grads_s[k], layer.grads[k], rtol=1e-12)


def test_dense_csr_weight_gradient_matches_central_differences():
    rng = np.random.default_rng(1)
    Xs, _ = _sparse_and_dense(rng)
    y = rng.normal(size=(6, 4))
    layer = Dense(9, 4, rng=2, dtype=np.float64)
    errors = gradcheck(layer, SSELoss(), Xs, y)
    assert set(errors) == {"0.W", "0.b"} and max(errors.values()) < 1e-8
    # Columns of x that are zero in every row get exactly zero gradient.
    layer.backward(layer.forward(Xs) - y)
    unused = np.asarray(Xs.sum(axis=0)).ravel() == 0
    assert np.all(layer.grads["W"][unused] == 0)


def test_training_on_csr_matches_training_on_dense():
    rng = np.random.default_rng(2)
    Xs, Xd = _sparse_and_dense(rng, n=40)
    y = (Xd[:, 0] > 0).astype(np.int64)
    models = []
    for X in (Xs, Xd):
        m = Sequential([Dense(9, 3), Sigmoid(), Dense(3, 1), Sigmoid()], seed=5, dtype="float64")
        m.fit(X, y, optimizer=SGD(lr=0.5), epochs=5, batch_size=8, verbose=0)
        models.append(m)
    for a, b in zip(models[0].parameters(), models[1].parameters()):
        np.testing.assert_allclose(a[0], b[0], rtol=1e-10)


def test_state_round_trip_through_json_transforms_identically():
    import json

    for values in ("binary", "count", "tfidf"):
        bow = BagOfWords(values, ngram=2, min_count=1).fit(TEXTS)
        again = BagOfWords.from_dict(json.loads(json.dumps(bow.to_dict())))
        new = ["great plot, dull film", "never seen words"]
        assert (bow.transform(new) != again.transform(new)).nnz == 0
        assert again.words_ == bow.words_
    state = BagOfWords().fit(TEXTS).to_dict()
    state["counts"] = state["counts"][:-1]
    with pytest.raises(ValueError, match="inconsistent"):
        BagOfWords.from_dict(state)
    with pytest.raises(ValueError, match="not a BagOfWords state"):
        BagOfWords.from_dict({"words": []})
