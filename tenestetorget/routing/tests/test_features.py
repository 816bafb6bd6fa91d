"""Our TF-IDF features are scikit-learn's, computed faster (routing/features.py says why):
held to scikit-learn's own vectorizers on the same texts."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion

from tenestetorget.routing import dataset
from tenestetorget.routing.classifier import texts_of
from tenestetorget.routing.features import TextFeatures


def _reference() -> FeatureUnion:
    return FeatureUnion(
        [
            ("words", TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)),
            (
                "chars",
                TfidfVectorizer(
                    analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, min_df=2
                ),
            ),
        ]
    )


def _same(train: list[str], texts: list[str]) -> None:
    ours = TextFeatures().fit(train)
    theirs = _reference().fit(train)
    a = ours.transform(texts)
    b = sparse.csr_matrix(theirs.transform(texts))
    assert a.shape == b.shape
    assert np.allclose(a.toarray(), b.toarray(), atol=1e-5)


def test_the_features_are_scikit_learns_on_the_shipped_texts() -> None:
    texts = texts_of(dataset.shipped()[:400])
    _same(texts[:300], texts[250:])


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.text(alphabet="abæøå ÆØÅ\t\n-.x1", max_size=30), min_size=2, max_size=8),
    st.lists(st.text(alphabet="abæøå ÆØÅ\t\n-.xy1", max_size=30), min_size=1, max_size=4),
)
def test_the_features_are_scikit_learns_on_any_text(train: list[str], texts: list[str]) -> None:
    """Short words, empty texts, runs of whitespace, words unseen in training."""
    if not any(len(w) >= 2 for t in train for w in t.split()):
        return  # scikit-learn refuses an empty vocabulary
    try:
        _reference().fit(train)
    except ValueError:
        return  # nor a vocabulary pruned to nothing
    _same(train, texts)
