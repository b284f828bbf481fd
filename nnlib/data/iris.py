"""Fisher's Iris flowers (shipped with scikit-learn, so always offline).

Used by 01_neuron for a single neuron's decision boundary.
"""

from __future__ import annotations

import numpy as np


def load_iris_2d(classes=(1, 2), features=(2, 3)):
    """Two features and two classes of Fisher's Iris data (shipped with scikit-learn).

    Parameters
    ----------
    classes : tuple of two int
        Iris classes to keep (0 setosa, 1 versicolor, 2 virginica); the first becomes
        label 0 and the second label 1.
    features : tuple of two int
        Columns to keep (0 sepal length, 1 sepal width, 2 petal length, 3 petal width).

    Returns
    -------
    X : ndarray, shape (n, 2), float64, in centimetres
    y : ndarray, shape (n,), float64 in {0, 1}
    names : list of str, the two feature names
    """
    from sklearn.datasets import load_iris

    iris = load_iris()
    keep = np.isin(iris.target, classes)
    X = iris.data[keep][:, list(features)]
    y = (iris.target[keep] == classes[1]).astype(np.float64)
    names = [iris.feature_names[i] for i in features]
    return X, y, names
