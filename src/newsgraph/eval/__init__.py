"""Scoring newsgraph against external gold data (../shared/data/) next to plain-tool baselines."""
