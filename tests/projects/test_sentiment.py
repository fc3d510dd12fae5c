"""The sentiment project in small settings: each stage learns, and the learned weights put
"excellent" among positive words and "terrible" among negative ones."""

import numpy as np
import pytest

from glassnet.data import BagOfWords
from glassnet.datasets.imdb import load_imdb
from glassnet.io import load_model, save_model
from glassnet.projects import sentiment


@pytest.fixture(scope="module")
def course():
    return sentiment.course_reviews(3000)


def test_course_order_alternates_like_the_course_labels(course):
    texts, labels = course
    assert len(texts) == 3000 and labels[:4].tolist() == [1, 0, 1, 0]
    train = load_imdb("train")
    assert texts[0] == train["text"].iloc[0] and texts[1] == train["text"].iloc[12_500]


def test_course_network_learns_one_review_at_a_time(course):
    texts, labels = course
    bow = BagOfWords("binary", min_count=5)
    X = bow.fit_transform(texts[:2500])
    model = sentiment.train_course_network(X, labels[:2500])
    acc = np.mean(model.predict_classes(bow.transform(texts[2500:])) == labels[2500:])
    assert acc > 0.72
    near = sentiment.similar_words(model, bow, "excellent", k=5, metric="dot", min_count=10)
    assert len(near) == 5 and "excellent" not in [w for w, _ in near]


def test_best_network_and_word_neighbours(tmp_path):
    train, test = load_imdb("train"), load_imdb("test")
    pick = np.r_[0:2000, 12_500:14_500]  # 2,000 positive and 2,000 negative reviews each
    bow = BagOfWords("tfidf", min_count=3)
    X = bow.fit_transform(train["text"].iloc[pick].tolist())
    y = (train["label"].iloc[pick] == "positive").to_numpy(np.int64)
    model = sentiment.train_best_network(X, y, epochs=4, batch_size=64, lr=3e-3)
    X_test = bow.transform(test["text"].iloc[pick].tolist())
    y_test = (test["label"].iloc[pick] == "positive").to_numpy(np.int64)
    assert np.mean(model.predict_classes(X_test) == y_test) > 0.82
    ratios = BagOfWords(min_count=3, polarity_min_count=1).fit(
        train["text"].iloc[pick].tolist(), y).polarity_
    for word, sign in (("excellent", 1), ("terrible", -1)):
        near = sentiment.similar_words(model, bow, word, k=10, min_count=20)
        assert sign * np.mean([ratios[w] for w, _ in near]) > 0.3, near
    with pytest.raises(ValueError, match="vocabulary"):
        sentiment.similar_words(model, bow, "qwertyuiop")
    # The model and its vectorizer travel in one file and predict raw text identically.
    path = save_model(model, tmp_path / "sentiment.npz", extra={"bow": bow.to_dict()})
    loaded, extra = load_model(path, return_extra=True)
    raw = test["text"].iloc[:50].tolist()
    np.testing.assert_array_equal(
        loaded.predict(BagOfWords.from_dict(extra["bow"]).transform(raw)),
        model.predict(bow.transform(raw)))
