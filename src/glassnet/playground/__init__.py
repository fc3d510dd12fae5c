"""``glassnet playground``: a neural network in the browser, trained by glassnet's own engine.

TensorFlow Playground's experience (toy data sets, features, layers, live decision maps) with
the glass box opened: the step inspector shows one step's forward values, gradients and
updates, the gradient-flow chart shows each layer's gradient norm over time, and a run can be
taken away as a model file, a Python script and a loss history.

The parts: ``data`` (data sets, features, CSV), ``session`` (one run: training and maps),
``inspector`` (one step written out layer by layer), ``exports`` (model file, loss history and
the Python panel's script), ``protocol`` (the messages and their checks), ``wire`` (binary
frames), ``server`` (the Starlette app) and ``cli`` (the command). Only ``server`` and ``cli``
need the ``playground`` extra (Starlette and uvicorn); the rest is NumPy and the engine, so a
generated script runs without it.
"""
