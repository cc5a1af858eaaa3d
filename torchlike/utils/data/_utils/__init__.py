"""Internals of the DataLoader: collation, fetching, worker processes (mirrors torch's ``_utils``)."""

from . import collate, fetch, worker

__all__ = ["collate", "fetch", "worker"]
