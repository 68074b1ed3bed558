"""Helpers of ``scripts/bench.py`` (``make bench``): bench-only settings and URLconf."""
