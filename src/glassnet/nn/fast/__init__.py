"""The speed machinery of ``fit``, beside the textbook code it replaces and tested equal to it.

* ``plan.FitPlan``: one fit's batches and steps (what replaces what: its docstring);
* ``kernels``: each built-in layer's forward and backward in kept buffers;
* ``optim``: the optimizers' rules as cache-sized kernels, and row-hinted SGD.

Nothing here is needed to read how a network learns: ``Sequential.train_step``, the layers and
the optimizers' ``update`` are the maths. The tests in ``tests/nn/fast/`` prove each piece
equal to the code it replaces.
"""
