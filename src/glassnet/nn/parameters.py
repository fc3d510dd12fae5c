"""``PackedParameters``: every Dense layer's weights and biases in one flat array.

The layers' ``params`` and ``grads`` hold views (reshaped slices) of two flat arrays, one for
the values and one for the gradients, so an optimizer can step the whole network as a single
``(values, grads)`` pair: a few NumPy calls per step instead of a few per array, which is most
of a small network's step (see docs/design.md). The maths is unchanged, because every update
rule works element by element.

The model owns the packing (``Sequential.packed_parameters``). Writing into a layer's arrays
(``layer.params["W"][...] = values``, the contract for anyone setting weights) writes into the
flat array; replacing an array breaks the link, and the model then packs afresh.
"""

from __future__ import annotations

import numpy as np

from .layers import Dense

__all__ = ["PackedParameters"]


class PackedParameters:
    """The Dense layers of ``layers`` laid end to end: ``values`` and ``grads`` (1-D arrays).

    Layers with parameters of mixed dtypes are not packed (``values`` is None). Only Dense
    layers are packed: a layer of a user's own may keep references to its arrays.
    """

    def __init__(self, layers):
        self.entries = [(layer, key) for layer in layers if isinstance(layer, Dense)
                        for key in layer.params]
        self.values = self.grads = None
        self._views = []
        dtypes = {layer.params[key].dtype for layer, key in self.entries}
        if len(dtypes) != 1:
            return
        size = sum(layer.params[key].size for layer, key in self.entries)
        dtype = dtypes.pop()
        self.values, self.grads = np.empty(size, dtype), np.zeros(size, dtype)
        start = 0
        for layer, key in self.entries:
            p = layer.params[key]
            stop = start + p.size
            self.values[start:stop] = p.reshape(-1)
            layer.params[key] = self.values[start:stop].reshape(p.shape)
            layer.grads[key] = self.grads[start:stop].reshape(p.shape)
            self._views.append((layer.params[key], layer.grads[key]))
            start = stop

    def intact(self, layers):
        """Whether ``layers`` still hold exactly the views handed out (same Dense layers, no
        array replaced since)."""
        dense = [layer for layer in layers if isinstance(layer, Dense)]
        if dense != list(dict.fromkeys(layer for layer, _ in self.entries)):
            return False
        return all(layer.params[key] is p and layer.grads[key] is g
                   for (layer, key), (p, g) in zip(self.entries, self._views))

    def pairs(self, layers):
        """What an optimizer steps: the packed pair, then every other layer's own pairs."""
        others = [(layer.params[k], layer.grads[k]) for layer in layers
                  if not isinstance(layer, Dense) for k in layer.params]
        if self.values is None:
            return [(layer.params[k], layer.grads[k]) for layer, k in self.entries] + others
        return [(self.values, self.grads), *others]
