"""Across articles: global entities and deals."""
