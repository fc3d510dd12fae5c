"""``glassnet export MODEL.npz model.onnx``: a model file as an ONNX graph with its preprocessing.

The graph takes the raw columns ``glassnet predict`` reads (one input per column, named after
it) and returns the same predictions and class probabilities; see ``glassnet.onnx_export``.
"""

from __future__ import annotations


def register(subparsers):
    p = subparsers.add_parser(
        "export", help="export a model file to ONNX, preprocessing included",
        description="Write MODEL as an ONNX graph that takes the raw columns glassnet predict "
                    "reads and returns its predictions and probabilities (needs "
                    "glassnet[onnx]).")
    p.add_argument("model", help="model file written by glassnet train (or any model file)")
    p.add_argument("output", help="the ONNX file to write, e.g. model.onnx")
    p.add_argument("--dates-as-seconds", action="store_true",
                   help="take date columns as seconds since 1970-01-01 UTC (an ONNX graph "
                        "cannot parse date text)")
    p.set_defaults(func=cmd_export)


def cmd_export(args):
    from ..errors import require
    from ..io import export_onnx, load_bundle

    require("onnx", "onnx", "glassnet export")
    bundle = load_bundle(args.model)
    graph = export_onnx(bundle, args.output, dates_as_seconds=args.dates_as_seconds).graph
    names = {1: "float", 11: "double", 8: "string", 7: "int64", 9: "bool"}

    def shown(values):
        return ", ".join(f"{v.name} ({names.get(v.type.tensor_type.elem_type, '?')})"
                         for v in values)

    print(f"wrote {args.output}")
    print(f"inputs: {shown(graph.input)}")
    print(f"outputs: {shown(graph.output)}")
    return 0
