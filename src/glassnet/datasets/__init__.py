"""Bundled data sets, data-set loaders and synthetic generators."""

from .bike import load_bike_sharing
from .digits import load_digits
from .imdb import load_imdb
from .synthetic import make_blobs, make_moons, make_spirals, make_xor

__all__ = ["load_bike_sharing", "load_digits", "load_imdb", "make_blobs", "make_moons",
           "make_spirals", "make_xor"]
