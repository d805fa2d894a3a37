"""The HTTP layer: a JSON API and web pages over the store's query API (``newsgraph serve``)."""
from .app import create_app

__all__ = ["create_app"]
