"""TF-IDF features of word n-grams and of character n-grams within words, built for speed.

The features are those of scikit-learn's TfidfVectorizer (analyzer «word» with unigrams and
bigrams, and «char_wb» 3–5; sublinear tf, smooth idf, each block L2-normalised, the two
blocks side by side as FeatureUnion puts them), but computed another way: scikit-learn's
analyzers and counting run in Python once per n-gram, about 1,000 per text, which held
prediction to about 2,000 texts a second on one core. Here the character n-grams of a word
are looked up once and kept (as feature numbers) for the next time the word is seen, and the
counting, weighting and normalising are done for a whole batch in numpy, so Python works
once per word. A test holds the result to scikit-learn's own vectorizers on the same texts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import chain, pairwise

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin

_WORD = re.compile(r"(?u)\b\w\w+\b")
#: Words whose character n-grams are kept between texts (a few MB at most).
CACHE_WORDS = 200_000


def _char_ngrams(word: str, low: int, high: int) -> list[str]:
    """char_wb's n-grams of one whitespace-separated word: padded with a space each side,
    every n from low to high; a padded word shorter than n gives itself once."""
    padded = f" {word} "
    grams: list[str] = []
    length = len(padded)
    for n in range(low, high + 1):
        if n > length:
            break
        grams.extend(padded[i : i + n] for i in range(length - n + 1))
        if n == length:
            break
    if length < low:
        grams.append(padded)
    return grams


@dataclass
class _Block:
    """One TF-IDF block: its vocabulary and idf."""

    vocabulary: dict[str, int] = field(default_factory=dict)
    idf: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.float32))


class _WordCache(dict[str, np.ndarray]):
    """word → its character n-grams' feature numbers, computed on the first miss (a hit is
    one dict lookup in C). Emptied when it grows past CACHE_WORDS."""

    def __init__(self, features: TextFeatures) -> None:
        super().__init__()
        self.features = features

    def __missing__(self, word: str) -> np.ndarray:
        if len(self) >= CACHE_WORDS:
            self.clear()
        found = self[word] = self.features.char_ids(word)
        return found


class TextFeatures(TransformerMixin, BaseEstimator):
    """fit(texts) learns the vocabularies and idf; transform(texts) gives the CSR matrix.
    A scikit-learn transformer, so that it sits in a Pipeline and is cloned for
    cross-validation."""

    def __init__(self, char_low: int = 3, char_high: int = 5, char_min_df: int = 2) -> None:
        self.char_low = char_low
        self.char_high = char_high
        self.char_min_df = char_min_df

    # Tokens as the two analyzers see them

    @staticmethod
    def _word_grams(lowered: str) -> list[str]:
        tokens = _WORD.findall(lowered)
        return tokens + [f"{a} {b}" for a, b in pairwise(tokens)]

    @staticmethod
    def _char_words(lowered: str) -> list[str]:
        # char_wb folds runs of whitespace and splits on them: what split() does.
        return lowered.split()

    # Fitting

    def fit(self, texts: Sequence[str], y: object = None) -> TextFeatures:
        n = len(texts)
        lowered = [t.lower() for t in texts]
        self.words_ = _fit_block((set(self._word_grams(t)) for t in lowered), n, 1)
        per_text = (
            {g for w in self._char_words(t) for g in _char_ngrams(w, self.char_low, self.char_high)}
            for t in lowered
        )
        self.chars_ = _fit_block(per_text, n, self.char_min_df)
        self._cache = _WordCache(self)
        return self

    # Transforming

    def transform(self, texts: Sequence[str]) -> sparse.csr_matrix:
        word_id = self.words_.vocabulary.get
        cache = self._cache
        word_rows: list[list[int]] = []
        # The character n-grams of the whole batch as one list of per-word arrays, joined
        # once (a join per text cost more than the rest of the text's work).
        pieces: list[np.ndarray] = []
        char_lengths: list[int] = []
        for text in texts:
            lowered = text.lower()
            word_rows.append([i for i in map(word_id, self._word_grams(lowered)) if i is not None])
            ids = [cache[w] for w in lowered.split()]
            char_lengths.append(sum(map(len, ids)))
            pieces.extend(ids)
        left = _tfidf(_counts_of_rows(word_rows), len(texts), self.words_.idf)
        right = _tfidf(_counts_of_pieces(pieces, char_lengths), len(texts), self.chars_.idf)
        return sparse.hstack([left, right], format="csr", dtype=np.float32)

    def char_ids(self, word: str) -> np.ndarray:
        """The feature numbers of the word's character n-grams that are in the vocabulary."""
        vocabulary = self.chars_.vocabulary
        grams = _char_ngrams(word, self.char_low, self.char_high)
        return np.array([vocabulary[g] for g in grams if g in vocabulary], dtype=np.int32)

    def __getstate__(self) -> dict[str, object]:
        # The cache is rebuilt as texts come; it need not be in the model file.
        state = dict(self.__dict__)
        state.pop("_cache", None)
        return state

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)
        self._cache = _WordCache(self)


def _fit_block(documents: Iterable[set[str]], n: int, min_df: int) -> _Block:
    counts: dict[str, int] = {}
    for grams in documents:
        for gram in grams:
            counts[gram] = counts.get(gram, 0) + 1
    kept = sorted(g for g, df in counts.items() if df >= min_df)
    vocabulary = {g: i for i, g in enumerate(kept)}
    df = np.array([counts[g] for g in kept], dtype=np.float64)
    # scikit-learn's smooth idf: ln((1 + n) / (1 + df)) + 1.
    idf = (np.log((1 + n) / (1 + df)) + 1).astype(np.float32)
    return _Block(vocabulary, idf)


def _counts_of_rows(rows: Sequence[Sequence[int]]) -> tuple[np.ndarray, np.ndarray]:
    """(indptr, indices) of rows of feature numbers."""
    lengths = np.fromiter((len(r) for r in rows), dtype=np.int64, count=len(rows))
    indices = np.fromiter(chain.from_iterable(rows), dtype=np.int32, count=int(lengths.sum()))
    return np.concatenate([[0], np.cumsum(lengths)]), indices


def _counts_of_pieces(
    pieces: list[np.ndarray], lengths: list[int]
) -> tuple[np.ndarray, np.ndarray]:
    indptr = np.concatenate([[0], np.cumsum(np.asarray(lengths, dtype=np.int64))])
    indices = np.concatenate(pieces) if pieces else np.zeros(0, dtype=np.int32)
    return indptr, indices.astype(np.int32, copy=False)


def _tfidf(counts: tuple[np.ndarray, np.ndarray], n: int, idf: np.ndarray) -> sparse.csr_matrix:
    """Counts per row → (1 + ln tf) · idf, each row scaled to unit length."""
    indptr, indices = counts
    data = np.ones(len(indices), dtype=np.float32)
    matrix = sparse.csr_matrix((data, indices, indptr), shape=(n, len(idf)))
    matrix.sum_duplicates()
    matrix.data = (1 + np.log(matrix.data)) * idf[matrix.indices]
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1
    matrix = sparse.diags(1 / norms.astype(np.float32)) @ matrix
    return matrix.tocsr()
