"""The record of grading: what the client writes once a task's result comes back.

- :mod:`.store`: the class gradebook on SQLite or PostgreSQL, written by the client only.
"""
