"""NumPy reference of a multilayer perceptron's forward and backward passes (03_backprop).

Not installed with nnlib: these are the answers of the notebook's exercises (and its
initialisation and training loop), kept here for the tests and for
``benchmarks/mlp_numpy_vs_keras.py``. ``tests/course/test_references_backprop.py`` checks
them against finite differences and Keras' autodiff, and that they give the same numbers
as the solution notebook's own code for the same inputs and seeds.

Conventions (the slides'): examples are the rows of ``X`` (shape (n, d)); layer k has
weights ``W`` of shape (n_k, n_(k-1)) and bias ``b`` of shape (n_k,), so that

    a(k) = h(k-1) W(k)^T + b(k),   h(k) = phi(a(k)) for k <= L,   h(L+1) = psi(a(L+1)),

with h(0) = X. ``params`` is the list [(W(1), b(1)), ..., (W(L+1), b(L+1))].
"""

from __future__ import annotations

import numpy as np


def sigmoid(a):
    """Overflow-free logistic function, element-wise."""
    a = np.asarray(a, dtype=float) if not isinstance(a, np.ndarray) else a
    z = np.exp(-np.abs(a))
    return np.where(a >= 0, 1.0 / (1.0 + z), z / (1.0 + z))


#: name -> (phi, phi') pairs, vectorised.
ACTIVATIONS = {
    "identity": (lambda a: a, lambda a: np.ones_like(a)),
    "sigmoid": (sigmoid, lambda a: sigmoid(a) * (1.0 - sigmoid(a))),
    "tanh": (np.tanh, lambda a: 1.0 - np.tanh(a) ** 2),
    "relu": (lambda a: np.maximum(a, 0), lambda a: (a > 0).astype(a.dtype)),
}


def init_params(sizes, seed=0, dtype=np.float64):
    """Random weights and biases for layer sizes [d, n_1, ..., n_(L+1)], as the notebook's:
    W(k) ~ N(0, 1/n_(k-1)) (variance 1 over the fan-in), b(k) ~ N(0, 0.1^2).

    Drawn layer by layer, W(k) then b(k), from ``np.random.default_rng(seed)``; ``seed`` may
    also be a ``np.random.Generator``, which is then used (and advanced) as it is.

    Returns
    -------
    list of (W, b) with W of shape (n_k, n_(k-1)) and b of shape (n_k,), of ``dtype``
    """
    rng = np.random.default_rng(seed)
    return [(rng.normal(scale=1 / np.sqrt(n_in), size=(n_out, n_in)).astype(dtype),
             rng.normal(scale=0.1, size=n_out).astype(dtype))
            for n_in, n_out in zip(sizes[:-1], sizes[1:])]


def he_init(n_in, n_out, rng):
    """He-normal weights of a ReLU layer (He et al. 2015), as the notebook's Exercise 7:
    shape (n_out, n_in), entries drawn from N(0, 2 / n_in) by the generator ``rng``."""
    return rng.normal(0.0, np.sqrt(2.0 / n_in), size=(n_out, n_in))


def forward(X, params, phi, psi):
    """Forward pass that keeps every pre-activation and activation.

    Parameters
    ----------
    X : ndarray, shape (n, d)
    params : list of (W, b), W of shape (n_k, n_(k-1)), b of shape (n_k,)
    phi, psi : callable
        Hidden and output activations, element-wise.

    Returns
    -------
    a : list of L+1 ndarrays, ``a[k-1]`` = a(k) of shape (n, n_k)
    h : list of L+2 ndarrays, ``h[0]`` = X and ``h[k]`` = h(k); ``h[-1]`` is the output
    """
    h = [X]
    a = []
    for k, (W, b) in enumerate(params):
        a.append(h[-1] @ W.T + b)
        h.append((psi if k == len(params) - 1 else phi)(a[-1]))
    return a, h


def regression_delta(Y, a_out, f_out, dpsi):
    """delta = dL_n/da(L+1) for the empirical risk L_n = (1/n) sum_i ||Y_i - f(X_i)||^2.

    delta_(i,j) = -2 (Y_(i,j) - f_j(X_i)) psi'(a_j(L+1)(X_i)) / n for output unit j; shape (n, K).
    """
    return -2.0 * (Y - f_out) * dpsi(a_out) / Y.shape[0]


def backward(params, a, h, delta, dphi):
    """Gradients of the loss from the output delta, layer by layer down to layer 1.

    Parameters
    ----------
    params : list of (W, b)
    a, h : the cache of :func:`forward`
    delta : ndarray, shape (n, n_(L+1))
        dL_n/da(L+1), the loss already averaged over the batch.
    dphi : callable
        Derivative of the hidden activation.

    Returns
    -------
    list of (dW, db), dW = delta(k)^T h(k-1) of shape (n_k, n_(k-1)), db = sum_i delta(k)_i

    The delta of layer k-1 is s = phi'(a(k-1)) * (delta(k) W(k)) (the slides' s_(m,i)).
    """
    grads = [None] * len(params)
    for k in range(len(params) - 1, -1, -1):
        W, _ = params[k]
        grads[k] = (delta.T @ h[k], delta.sum(axis=0))
        if k > 0:
            delta = (delta @ W) * dphi(a[k - 1])
    return grads


def softmax(A):
    """Row-wise softmax, stable (the row maximum is subtracted first). Shape of A."""
    Z = A - A.max(axis=1, keepdims=True)
    E = np.exp(Z)
    return E / E.sum(axis=1, keepdims=True)


def softmax_cross_entropy_delta(A, Y):
    """dL_n/dA for L_n = -(1/n) sum_i sum_j Y_(i,j) log softmax(A_i)_j: (softmax(A) - Y) / n."""
    return (softmax(A) - Y) / A.shape[0]


def numerical_gradient(f, x, h=1e-6):
    """Centred finite differences (f(x + h e_j) - f(x - h e_j)) / (2 h), entry by entry.

    ``x`` (float array, any shape) is perturbed in place and restored; returns x's shape.
    """
    x = np.asarray(x)
    grad = np.zeros(x.shape, dtype=float)
    for idx in np.ndindex(x.shape):
        old = x[idx]
        x[idx] = old + h
        up = f(x)
        x[idx] = old - h
        down = f(x)
        x[idx] = old
        grad[idx] = (up - down) / (2 * h)
    return grad


def relative_error(a, b, tiny=np.finfo(float).tiny):
    """||a - b|| / max(||a|| + ||b||, tiny) with Euclidean (Frobenius) norms; 0 when a = b = 0."""
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    return float(np.linalg.norm(a - b) / max(np.linalg.norm(a) + np.linalg.norm(b), tiny))



def rnn_forward(X, W_xh, W_hh, b, h0=None):
    """Every hidden state of a tanh recurrent layer (Elman's simple RNN), as the notebook's
    Exercise 8: h_t = tanh(W_hh h_(t-1) + W_xh x_t + b) for t = 1, ..., T.

    Parameters
    ----------
    X : ndarray, shape (n, T, d)
        n sequences of T steps; ``X[:, t - 1]`` is x_t.
    W_xh : ndarray, shape (n_h, d)
        Input weights (Keras' SimpleRNN ``kernel`` is W_xh^T).
    W_hh : ndarray, shape (n_h, n_h)
        Recurrent weights, the same at every step (Keras' ``recurrent_kernel`` is W_hh^T).
    b : ndarray, shape (n_h,)
    h0 : ndarray of shape (n, n_h), or None
        The initial state h_0; zeros when None.

    Returns
    -------
    ndarray, shape (n, T, n_h)
        ``H[:, t - 1]`` = h_t (h_0 is not included); the last state h_T is ``H[:, -1]``.
    """
    n, T, _ = X.shape
    h = np.zeros((n, W_hh.shape[0])) if h0 is None else h0
    states = []
    for t in range(T):  # one matrix product per step for the whole batch
        h = np.tanh(h @ W_hh.T + X[:, t] @ W_xh.T + b)
        states.append(h)
    return np.stack(states, axis=1)


def state_jacobian_log_norms(H, W_hh):
    """log10 of the spectral norm of dh_T/dh_(T-k), k = 0, ..., T, for each sequence of a
    tanh recurrent layer: the product of the T - t Jacobians diag(tanh'(a_s)) W_hh, with
    tanh'(a_s) = 1 - h_s^2 (the notebook's figure of the gradient through time).

    Parameters
    ----------
    H : ndarray, shape (n, T, n_h)
        The states of :func:`rnn_forward`.
    W_hh : ndarray, shape (n_h, n_h)

    Returns
    -------
    ndarray, shape (n, T + 1); column k is log10 ||dh_T/dh_(T-k)||_2 (column 0 is 0)
    """
    n, T, n_h = H.shape
    slopes = 1 - H ** 2
    out = np.zeros((n, T + 1))
    for i in range(n):
        J = np.eye(n_h)
        for k in range(1, T + 1):
            J = J @ (slopes[i, T - k, :, None] * W_hh)  # times dh_(T-k+1)/dh_(T-k)
            out[i, k] = np.log10(np.linalg.norm(J, 2))
    return out

class NumpyMLP:
    """A ReLU MLP with a softmax output, trained by minibatch SGD with :func:`backward`:
    the notebook's training loop (``numpy_epoch``), step for step.

    Parameters
    ----------
    params : list of (W, b)
        Initial weights (copied), W of shape (n_k, n_(k-1)).
    lr : float
        SGD learning rate.
    """

    def __init__(self, params, lr=0.1):
        self.params = [(W.copy(), b.copy()) for W, b in params]
        self.lr = lr
        self.relu, self.drelu = ACTIVATIONS["relu"]
        self.identity = ACTIVATIONS["identity"][0]

    def logits(self, X):
        return forward(X, self.params, self.relu, self.identity)[1][-1]

    def predict(self, X):
        return self.logits(X).argmax(axis=1)

    def step(self, X, Y):
        """One SGD step on a batch X (m, d), one-hot Y (m, K); returns the batch's mean
        cross-entropy -mean_i log(p_(i, y_i) + 1e-12) before the step."""
        return float(self._step(X, Y))

    def _step(self, X, Y):
        """:meth:`step`, its loss left in the dtype of X (as the notebook keeps it)."""
        a, h = forward(X, self.params, self.relu, self.identity)
        P = softmax(a[-1])
        loss = -np.mean(np.log(np.sum(P * Y, axis=1) + 1e-12))
        grads = backward(self.params, a, h, softmax_cross_entropy_delta(a[-1], Y), self.drelu)
        for (W, b), (dW, db) in zip(self.params, grads):
            W -= self.lr * dW  # in place: self.params holds the same arrays
            b -= self.lr * db
        return loss

    def train_epoch(self, X, Y, batch_size, order):
        """One pass over the rows of X in the given order; returns the mean batch loss."""
        losses = [self._step(X[order[i:i + batch_size]], Y[order[i:i + batch_size]])
                  for i in range(0, len(order), batch_size)]
        return float(np.mean(losses))
