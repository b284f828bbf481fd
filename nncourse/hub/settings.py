"""What a hub of the course is: its course, its people, its exchange, its folders.

nbgrader's :class:`~nbgrader.auth.JupyterHubAuthPlugin` reads a user's courses from the
hub's groups: ``nbgrader-<course>`` for students, ``formgrade-<course>`` for instructors.
A hub user in neither group sees no assignment of the course.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

from nncourse import layout

#: nbgrader's exchange on a single machine (nbgrader's documented default).
DEFAULT_EXCHANGE_ROOT = Path("/srv/nbgrader/exchange")
#: Where ``nncourse hub`` keeps the hub's own state and the configuration folders it writes.
DEFAULT_HUB_STATE = Path("/srv/nncourse-hub")
#: The environment variable through which ``nncourse hub`` hands its settings to
#: ``deploy/jupyterhub/jupyterhub_config.py`` (JSON of :class:`HubSettings`).
SETTINGS_VARIABLE = "NNCOURSE_HUB_SETTINGS"
#: An API token for an admin service (tests and scripts); no service without it.
ADMIN_TOKEN_VARIABLE = "NNCOURSE_HUB_ADMIN_TOKEN"
#: Where the course's own ``nbgrader_config.py`` finds the exchange when it is not the
#: course folder's ``.nbgrader/exchange`` (an instructor's server on the hub).
EXCHANGE_VARIABLE = "NNCOURSE_EXCHANGE"
#: The name of that service.
ADMIN_SERVICE = "nncourse-admin"
#: Student servers run the course as students run it anywhere else.
STUDENT_MODE = "full"


def student_group(course_id: str) -> str:
    """The hub group of the course's students (nbgrader's naming)."""
    return f"nbgrader-{course_id}"


def instructor_group(course_id: str) -> str:
    """The hub group of the course's instructors (nbgrader's naming)."""
    return f"formgrade-{course_id}"


@dataclass(frozen=True)
class HubSettings:
    """One course on one hub.

    Attributes
    ----------
    instructors, students : tuple of str
        Unix user names (they must exist on the machine).
    course_root : str
        The instructors' course folder (``solutions/``, ``course/``, ``nbgrader_config.py``,
        the gradebook under ``.nbgrader/``); readable by the instructors only.
    exchange_root : str
        nbgrader's exchange, world-writable with the sticky bit.
    port : int
        The hub's public port; the hub's API listens on ``port + 1`` and the proxy's on
        ``port + 2``, both on the loopback only.
    state : str
        The hub's own folder (database, cookie secret, the configuration folders).
    python_bin : str
        The ``bin/`` of the environment every server runs from (``jupyterhub-singleuser``).
    """

    instructors: tuple[str, ...]
    students: tuple[str, ...]
    course_root: str
    course_id: str = layout.COURSE_ID
    exchange_root: str = str(DEFAULT_EXCHANGE_ROOT)
    state: str = str(DEFAULT_HUB_STATE)
    ip: str = "127.0.0.1"
    port: int = 8000
    python_bin: str = field(default_factory=layout.bin_dir)

    def to_json(self) -> str:
        """The settings as one line of JSON (for :data:`SETTINGS_VARIABLE`)."""
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> "HubSettings":
        """Read what :meth:`to_json` wrote."""
        data = json.loads(text)
        data["instructors"] = tuple(data["instructors"])
        data["students"] = tuple(data["students"])
        return cls(**data)

    @classmethod
    def from_environment(cls) -> "HubSettings":
        """The settings ``nncourse hub`` put in :data:`SETTINGS_VARIABLE`."""
        text = os.environ.get(SETTINGS_VARIABLE)
        if not text:
            raise RuntimeError(f"{SETTINGS_VARIABLE} is not set: start the hub with `nncourse hub`")
        return cls.from_json(text)

    @property
    def hub_port(self) -> int:
        """The port of the hub's own API (loopback)."""
        return self.port + 1

    @property
    def proxy_api_port(self) -> int:
        """The port of configurable-http-proxy's API (loopback)."""
        return self.port + 2

    def config_dir(self, role: str) -> Path:
        """The Jupyter configuration folder of ``role`` (``"student"`` or ``"instructor"``)."""
        return Path(self.state) / "config" / role
