"""Bundled data sets and synthetic generators."""

from .synthetic import make_blobs, make_moons, make_spirals, make_xor

__all__ = ["make_blobs", "make_moons", "make_spirals", "make_xor"]
