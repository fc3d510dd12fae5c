"""The data path: from CSV columns and raw text to the arrays the engine trains on."""

from .text import BagOfWords, polarity_ratios, tokenize

__all__ = ["BagOfWords", "polarity_ratios", "tokenize"]
