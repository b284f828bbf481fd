"""The course on JupyterHub: one machine (``nncourse hub``) or Zero to JupyterHub.

- :mod:`~nncourse.hub.settings`: what a hub of the course is (course id, groups, exchange root).
- :mod:`~nncourse.hub.configs`: the Jupyter and nbgrader configuration each role's servers
  read, as files (pure functions: the same text goes to a single machine and to Kubernetes).
- :mod:`~nncourse.hub.setup`: what ``nncourse hub`` prepares as root (exchange, course folder,
  configuration folders) before it starts JupyterHub with ``deploy/jupyterhub/jupyterhub_config.py``.
"""
