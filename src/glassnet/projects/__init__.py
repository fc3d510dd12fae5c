"""The worked projects: each module has ``run(quick=False, verbose=True, out=DEFAULT_OUT)``
(the protocol lessons share), which writes any files into the folder ``out`` and returns one
tour row ``{"project", "metric", "result", "reference", ...}``.

The registry maps a project's command-line name to its module, imported only when used, so
``glassnet example --list`` and the tour stay cheap to start.
"""

from __future__ import annotations

import importlib

from ..paths import DEFAULT_OUT

__all__ = ["PROJECTS", "available", "get", "run", "tour_entries"]

# name -> (module, one-line description)
PROJECTS = {
    "bike-sharing": ("glassnet.projects.bike",
                     "predict hourly bike rentals (UCI); course bar train < 0.09, val < 0.18"),
    "sentiment": ("glassnet.projects.sentiment",
                  "IMDB reviews: the course's network, noise reduction, then 25k/25k at >= 88%"),
    "nine-step": ("glassnet.projects.nine_step",
                  "the 9-step regressor: a, b -> a + b, a - b, |a - b|"),
    "earthquakes": ("glassnet.projects.earthquakes",
                    "earthquake magnitude: 30-trial random search vs mean, linear and boosting"),
    "student-admissions": ("glassnet.classic.admissions",
                           "UCLA graduate admissions: logistic network on gre, gpa, rank"),
}


def available():
    """{name: one-line description} of every project."""
    return {name: desc for name, (_, desc) in PROJECTS.items()}


def get(name):
    """The module of project ``name``; ``ValueError`` listing the choices for an unknown one."""
    if name not in PROJECTS:
        raise ValueError(f"unknown project {name!r}; choose one of {', '.join(PROJECTS)}")
    return importlib.import_module(PROJECTS[name][0])


def run(name, quick=False, verbose=True, out=DEFAULT_OUT):
    """Run project ``name`` and return its tour row."""
    return get(name).run(quick=quick, verbose=verbose, out=out)


def _tour_entry(name):
    def entry(quick=True, verbose=True, out=DEFAULT_OUT):
        # The tour always takes the quick settings: `make demo` must finish in well under
        # two minutes, and `glassnet example NAME` is there for the full runs.
        return get(name).run(quick=True, verbose=verbose, out=out)

    entry.__name__ = entry.__qualname__ = name.replace("-", "_")
    return entry


def tour_entries(names=("student-admissions", "bike-sharing", "sentiment", "nine-step",
                        "earthquakes")):
    """Tour functions (quick settings) for the given projects."""
    return [_tour_entry(n) for n in names]
