"""nnlib.data.iris: two features and two classes of Fisher's Iris data."""

import numpy as np

from nnlib import data


def test_iris_2d():
    X, y, names = data.load_iris_2d()
    assert X.shape == (100, 2) and set(np.unique(y)) == {0.0, 1.0}
    assert names == ["petal length (cm)", "petal width (cm)"]
    assert np.isclose(X[y == 0, 0].mean(), 4.26) and np.isclose(X[y == 1, 0].mean(), 5.552)
