"""Bag-of-words features for text: a tokenizer, a vocabulary, and sparse CSR rows.

``BagOfWords`` learns its vocabulary from training texts only and turns any texts into a
``scipy.sparse`` CSR matrix (n_texts, n_words), float32 by default. Values are

* ``"binary"``: 1 where the word occurs in the text (the sentiment course's "noise reduction"),
* ``"count"``: how many times it occurs,
* ``"tfidf"``: count * idf, idf = ln((1 + n) / (1 + df)) + 1, each row scaled to unit L2 norm
  (scikit-learn's ``TfidfVectorizer`` defaults, so the numbers can be checked against it).

The vocabulary keeps words seen at least ``min_count`` times in the training texts and, when a
``polarity_cutoff`` is given with labels, only the words whose positive/negative log-ratio
``log((pos + 1) / (neg + 1))`` is at least the cutoff in absolute value: the sentiment course's
filter, which drops words like "the" that say nothing about the label.
"""

from __future__ import annotations

import re
from collections import Counter

import numpy as np
import scipy.sparse as sp

from ..errors import DataError

__all__ = ["BagOfWords", "polarity_ratios", "tokenize"]

_TAG = re.compile(r"<[^>]{0,40}>")
# Runs of letters or digits in any script ("cliché" stays whole), with one inner apostrophe.
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)?")


def tokenize(text, lowercase=True):
    """Split a text into words: HTML tags such as ``<br />`` removed, letters/digits runs kept
    (with an inner apostrophe, so "don't" is one word), lowercased by default."""
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    if lowercase:
        text = text.lower()
    return _WORD.findall(_TAG.sub(" ", text))


def _ngrams(tokens, n_max):
    if n_max == 1:
        return tokens
    grams = list(tokens)
    for n in range(2, n_max + 1):
        grams += [" ".join(tokens[i:i + n]) for i in range(len(tokens) - n + 1)]
    return grams


def _check_texts(texts, name="texts"):
    if isinstance(texts, str):
        raise TypeError(f"{name} must be a sequence of strings, not one string; wrap it in a list")
    texts = list(texts)
    for i, t in enumerate(texts):
        if not isinstance(t, str):
            raise TypeError(f"{name}[{i}] is a {type(t).__name__}, not a str")
    return texts


def _check_labels(y, n):
    y = np.asarray(y)
    if y.shape != (n,):
        raise DataError(f"y must have shape ({n},) to match the texts, got {y.shape}")
    if y.dtype.kind in "US" or y.dtype == object:
        values = {str(v) for v in y}
        if not values <= {"positive", "negative"}:
            raise DataError(
                f"y must be 0/1 or 'positive'/'negative', got values {sorted(values)[:5]}"
            )
        return np.array([str(v) == "positive" for v in y])
    if not np.isin(y, (0, 1)).all():
        raise DataError("y must hold only 0 and 1 (negative, positive)")
    return y.astype(bool)


def polarity_ratios(token_lists, y, min_count=1):
    """Each word's positive/negative log-ratio: log((pos + 1) / (neg + 1)).

    ``pos``/``neg`` count the word's occurrences in positive/negative texts. Positive ratios lean
    positive ("excellent" is about +1.5), negative ones negative, and 0 means no lean. Only words
    seen at least ``min_count`` times get a ratio (rare words' ratios are mostly noise).
    Returns a dict word -> ratio.
    """
    pos, neg = Counter(), Counter()
    for tokens, label in zip(token_lists, y):
        (pos if label else neg).update(tokens)
    ratios = {}
    for word in pos.keys() | neg.keys():
        p, q = pos[word], neg[word]
        if p + q >= min_count:
            ratios[word] = float(np.log((p + 1) / (q + 1)))
    return ratios


class BagOfWords:
    """Texts -> sparse bag-of-words rows over a vocabulary learned in ``fit``.

    Parameters
    ----------
    values : "binary", "count" or "tfidf"
        What a row holds for each word of the vocabulary: 1 if present, its count, or TF-IDF.
    min_count : int
        Keep words seen at least this many times in the training texts.
    max_features : int, optional
        Keep only the most frequent words (after the other filters).
    ngram : int
        1 for single words; 2 adds pairs of adjacent words ("not good"), and so on.
    polarity_cutoff : float, optional
        Keep only words with |log((pos + 1) / (neg + 1))| >= cutoff; needs labels in ``fit``.
    polarity_min_count : int
        Words seen fewer times than this are not judged by ``polarity_cutoff`` and stay (the
        course's rule: their ratio is too noisy to trust either way).
    sublinear_tf : bool
        With "tfidf", use 1 + ln(count) instead of the count.
    lowercase : bool
        Lowercase the texts before tokenizing.
    dtype : float32 (default) or float64
        The dtype of the rows.

    Attributes
    ----------
    vocabulary_ : dict
        Word -> column.
    words_ : list of str
        Column -> word, most frequent first.
    counts_ : ndarray
        Training occurrences per column.
    idf_ : ndarray
        "tfidf" only: the inverse document frequency of each column.
    polarity_ : dict
        Word -> log-ratio, when labels were given.
    n_dropped_ : dict
        How many words each filter removed.
    n_texts_ : int
        The number of training texts.
    """

    VALUES = ("binary", "count", "tfidf")

    def __init__(self, values="binary", *, min_count=1, max_features=None, ngram=1,
                 polarity_cutoff=None, polarity_min_count=50, sublinear_tf=False,
                 lowercase=True, dtype=np.float32):
        if values not in self.VALUES:
            raise DataError(f"values must be one of {self.VALUES}, got {values!r}")
        for name, v in (("min_count", min_count), ("ngram", ngram),
                        ("polarity_min_count", polarity_min_count)):
            if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v < 1:
                raise DataError(f"{name} must be a positive integer, got {v!r}")
        if max_features is not None and (isinstance(max_features, bool) or not isinstance(
                max_features, (int, np.integer)) or max_features < 1):
            raise DataError(f"max_features must be a positive integer or None, got "
                             f"{max_features!r}")
        if polarity_cutoff is not None and not (np.isfinite(polarity_cutoff)
                                                and polarity_cutoff >= 0):
            raise DataError(f"polarity_cutoff must be >= 0 or None, got {polarity_cutoff!r}")
        if np.dtype(dtype) not in (np.float32, np.float64):
            raise DataError(f"dtype must be float32 or float64, got {np.dtype(dtype)}")
        self.values, self.min_count, self.max_features = values, int(min_count), max_features
        self.ngram, self.polarity_cutoff = int(ngram), polarity_cutoff
        self.polarity_min_count, self.sublinear_tf = int(polarity_min_count), bool(sublinear_tf)
        self.lowercase, self.dtype = bool(lowercase), np.dtype(dtype)

    # ------------------------------------------------------------------ fitting
    def _tokens(self, texts):
        return [_ngrams(tokenize(t, self.lowercase), self.ngram) for t in texts]

    def fit(self, texts, y=None):
        """Learn the vocabulary (and idf) from training texts; ``y`` (0/1 or "positive"/
        "negative") is needed only for the polarity filter."""
        self._fit(self._tokens(_check_texts(texts)), y)
        return self

    def _fit(self, token_lists, y):
        n = len(token_lists)
        if n == 0:
            raise DataError("texts is empty: nothing to learn a vocabulary from")
        if self.polarity_cutoff is not None and y is None:
            raise DataError("polarity_cutoff needs the labels: call fit(texts, y)")
        counts = Counter()
        for tokens in token_lists:
            counts.update(tokens)
        dropped = {"min_count": 0, "polarity": 0, "max_features": 0}
        kept = {w: c for w, c in counts.items() if c >= self.min_count}
        dropped["min_count"] = len(counts) - len(kept)
        self.polarity_ = None
        if y is not None:
            labels = _check_labels(y, n)
            self.polarity_ = polarity_ratios(token_lists, labels, self.polarity_min_count)
            if self.polarity_cutoff is not None:
                cut = self.polarity_cutoff
                before = len(kept)
                kept = {w: c for w, c in kept.items()
                        if w not in self.polarity_ or abs(self.polarity_[w]) >= cut}
                dropped["polarity"] = before - len(kept)
        words = sorted(kept, key=lambda w: (-kept[w], w))
        if self.max_features is not None and len(words) > self.max_features:
            dropped["max_features"] = len(words) - self.max_features
            words = words[:self.max_features]
        if not words:
            raise DataError(
                f"the vocabulary is empty after filtering ({dropped}); lower min_count or "
                "polarity_cutoff"
            )
        self.words_ = words
        self.vocabulary_ = {w: i for i, w in enumerate(words)}
        self.counts_ = np.array([kept[w] for w in words], dtype=np.int64)
        self.n_dropped_ = dropped
        self.n_texts_ = n
        if self.values == "tfidf":
            counts = self._counts(token_lists)
            df = np.bincount(counts.indices, minlength=len(words))
            self.idf_ = (np.log((1 + n) / (1 + df)) + 1).astype(self.dtype)
        return counts if self.values == "tfidf" else None

    # ------------------------------------------------------------------ transform
    def _counts(self, token_lists):
        """CSR of raw counts (int-valued, float dtype), columns sorted within each row."""
        vocab = self.vocabulary_
        lengths = np.empty(len(token_lists), dtype=np.int64)
        cols = []
        for i, tokens in enumerate(token_lists):
            row = [vocab[t] for t in tokens if t in vocab]
            lengths[i] = len(row)
            cols += row
        indptr = np.zeros(len(token_lists) + 1, dtype=np.int64)
        np.cumsum(lengths, out=indptr[1:])
        indices = np.array(cols, dtype=np.int32)
        data = np.ones(len(indices), dtype=self.dtype)
        X = sp.csr_matrix((data, indices, indptr), shape=(len(token_lists), len(vocab)))
        X.sum_duplicates()  # repeated words become one entry holding their count
        return X

    def _values(self, X):
        if self.values == "binary":
            X.data[:] = 1
        elif self.values == "tfidf":
            if self.sublinear_tf:
                np.log(X.data, out=X.data)
                X.data += 1
            X = X @ sp.diags(self.idf_)
            X = sp.csr_matrix(X, dtype=self.dtype)
            norms = np.sqrt(np.asarray(X.multiply(X).sum(axis=1)).ravel())
            norms[norms == 0] = 1  # a text with no known word stays an all-zero row
            X = sp.csr_matrix(sp.diags((1 / norms).astype(self.dtype)) @ X, dtype=self.dtype)
        X.sort_indices()
        return X

    def transform(self, texts):
        """Texts -> CSR matrix (n_texts, n_words) of ``dtype``; unknown words are ignored."""
        self._check_fitted()
        return self._values(self._counts(self._tokens(_check_texts(texts))))

    def fit_transform(self, texts, y=None):
        """``fit`` then ``transform`` on the same texts, tokenizing them once."""
        token_lists = self._tokens(_check_texts(texts))
        counts = self._fit(token_lists, y)
        return self._values(counts if counts is not None else self._counts(token_lists))

    def _check_fitted(self):
        if not hasattr(self, "vocabulary_"):
            raise DataError("this BagOfWords is not fitted yet: call fit(texts) first")

    def __len__(self):
        self._check_fitted()
        return len(self.words_)

    def to_dict(self):
        """The fitted vectorizer as JSON-able values (for a model file's ``extra``): its
        configuration, the words in column order, and the idf weights for "tfidf"."""
        self._check_fitted()
        state = {"config": self.get_config(), "words": list(self.words_),
                 "counts": self.counts_.tolist()}
        if self.values == "tfidf":
            state["idf"] = self.idf_.astype(np.float64).tolist()
        return state

    @classmethod
    def from_dict(cls, state):
        """Rebuild a fitted vectorizer from ``to_dict()``; it transforms texts identically."""
        try:
            bow = cls(**state["config"])
            words, counts = list(state["words"]), np.asarray(state["counts"], dtype=np.int64)
            idf = np.asarray(state["idf"], dtype=bow.dtype) if bow.values == "tfidf" else None
        except (KeyError, TypeError) as e:
            raise DataError(f"not a BagOfWords state: {e}") from None
        if len(set(words)) != len(words) or counts.shape != (len(words),) or (
                idf is not None and idf.shape != (len(words),)):
            raise DataError("BagOfWords state is inconsistent: words, counts and idf differ "
                             "in length or repeat a word")
        bow.words_, bow.counts_ = words, counts
        bow.vocabulary_ = {w: i for i, w in enumerate(words)}
        if idf is not None:
            bow.idf_ = idf
        return bow

    def get_config(self):
        """Constructor arguments as JSON-able values."""
        return {"values": self.values, "min_count": self.min_count,
                "max_features": self.max_features, "ngram": self.ngram,
                "polarity_cutoff": self.polarity_cutoff,
                "polarity_min_count": self.polarity_min_count,
                "sublinear_tf": self.sublinear_tf, "lowercase": self.lowercase,
                "dtype": self.dtype.name}

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        return f"BagOfWords({args})"
