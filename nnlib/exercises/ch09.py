"""Exercise checks for chapter 09, the playground.

Two predictions the learner can then test in the playground (which features make the circle
and XOR separable without a hidden layer), a parameter count, and two pieces of code around
what the playground keeps: changing the seed in a saved configuration, and rebuilding an
exported model to use its predictions.
"""

import json
import tempfile
from pathlib import Path

import numpy as np

from ..playground import PlaygroundConfig, Session
from . import (
    check_choice,
    check_function,
    check_value,
    exercise,
    not_attempted,
    report,
    report_not_attempted,
)

# --- 1. and 2. predict: features that need no hidden layer -----------------------------------

CIRCLE_OPTIONS = ("x1 and x2", "x1² and x2²", "x1·x2", "sin x1 and sin x2")


@exercise(solution="x1² and x2²", wrong=["x1 and x2", "x1·x2"])
def check_circle_features(answer):
    """Which inputs let a network with NO hidden layer separate the circle data?"""
    return check_choice(
        answer, "x1² and x2²", name="circle features", options=CIRCLE_OPTIONS,
        explain="without a hidden layer the boundary is w1 f1 + w2 f2 + b = 0; with f1 = x1², "
                "f2 = x2² and w1 = w2 that is x1² + x2² = r², a circle.",
        hints={
            "x1 and x2": "with x1 and x2 alone the boundary w1 x1 + w2 x2 + b = 0 is a straight "
                         "line, and no line separates the inner ring from the outer one.",
            "x1·x2": "x1·x2 is positive in two opposite quadrants and negative in the other "
                     "two: that is XOR's pattern, not a circle's.",
            "sin x1 and sin x2": "sines make stripes; the circle is about the distance from "
                                 "the centre, x1² + x2².",
        },
    )


XOR_OPTIONS = ("x1", "x1²", "x1·x2", "sin x2")


@exercise(solution="x1·x2", wrong=["x1", "x1²"])
def check_xor_feature(answer):
    """Which ONE input alone lets a network with no hidden layer classify XOR?"""
    return check_choice(
        answer, "x1·x2", name="XOR feature", options=XOR_OPTIONS,
        explain="XOR's class is 'x1 and x2 have different signs', exactly where x1·x2 < 0, "
                "so one weight and a bias on x1·x2 are enough.",
        hints={
            "x1": "x1 only tells left from right; XOR also depends on x2.",
            "x1²": "x1² is the same for x1 and -x1, so it cannot see signs at all, and XOR is "
                   "about signs.",
            "sin x2": "sin x2 changes along x2 only; XOR also depends on x1.",
        },
    )


# --- 3. count the parameters of the default network ---------------------------------------------


@exercise(solution=28, wrong=[20, 8, 22])
def check_default_parameter_count(answer):
    """Weights + biases of the default playground network: 2 features, hidden [4, 2], 2 outputs."""
    return check_value(
        answer, 28, name="parameters of the 2-4-2-2 network",
        explain="(2*4 + 4) + (4*2 + 2) + (2*2 + 2) = 12 + 10 + 6 = 28.",
        mistakes={
            "count the biases too: one per neuron in every layer after the inputs.": 20,
            "that counts the neurons that have parameters; count their weights and biases.": 8,
            "the output layer has parameters too: 2 neurons with 2 weights and 1 bias each.": 22,
        },
    )


# --- 4. a saved configuration with a new seed ------------------------------------------------

SEED_CASES = [
    (PlaygroundConfig().to_json(), 7),
    (PlaygroundConfig(dataset="spiral", n_classes=3, hidden=[8, 8], seed=5).to_json(), 123),
    (PlaygroundConfig(problem="regression", dataset="plane", seed=9).to_json(indent=None), 0),
]


def with_seed_solution(config_json, seed):
    """The same configuration as JSON text, with ``seed`` replaced."""
    config = json.loads(config_json)
    config["seed"] = seed
    return json.dumps(config)


def _returns_dict(config_json, seed):
    config = json.loads(config_json)
    config["seed"] = seed
    return config


def _seed_as_text(config_json, seed):
    config = json.loads(config_json)
    config["seed"] = str(seed)
    return json.dumps(config)


def _unchanged(config_json, seed):
    return config_json


@exercise(solution=with_seed_solution, wrong=[_returns_dict, _seed_as_text, _unchanged])
def check_with_seed(fn):
    """``fn(config_json, seed) -> JSON text``: read back by ``PlaygroundConfig.from_json``."""
    if not_attempted(fn):
        return report_not_attempted("with_seed")
    if not callable(fn):
        return report(False, f"with_seed should be a function, but got {type(fn).__name__}")
    for number, (text, seed) in enumerate(SEED_CASES, start=1):
        try:
            got = fn(text, seed)
        except Exception as error:
            return report(False, f"with_seed raised {type(error).__name__}: {error} on test "
                                 f"case {number}")
        if got is None:
            return report(False, "with_seed returned None: did you forget the `return`?")
        if not isinstance(got, str):
            return report(False, f"with_seed must return JSON TEXT (a str), got "
                                 f"{type(got).__name__}: use json.dumps(...) at the end")
        try:
            config = PlaygroundConfig.from_json(got)
        except (ValueError, TypeError) as error:
            return report(False, f"the playground cannot read your JSON on test case "
                                 f"{number}: {error}")
        expected = PlaygroundConfig.from_json(text).replace(seed=seed)
        if config.seed != seed:
            return report(False, f"the seed is {config.seed!r} on test case {number}, "
                                 f"expected {seed}: set config['seed'] = seed")
        if config != expected:
            return report(False, f"settings other than the seed changed on test case {number}")
    return report(True, f"with_seed gives the right configuration on all {len(SEED_CASES)} "
                        "hidden test cases.")


# --- 5. rebuild an exported model and use it ----------------------------------------------------

_EXPORTS = {}


def _export_cases():
    """(code, X) pairs from three trained playground models, exported to a temporary folder."""
    if not _EXPORTS:
        folder = Path(tempfile.mkdtemp(prefix="nnlib_ch09_"))
        configs = [PlaygroundConfig(seed=1),
                   PlaygroundConfig(dataset="spiral", n_classes=3, hidden=[6], seed=2),
                   PlaygroundConfig(dataset="xor", features=["x1", "x2", "x1_x2"], hidden=[],
                                    seed=3)]
        cases = []
        for index, config in enumerate(configs):
            session = Session(config)
            session.step(2)
            path = folder / f"model_{index}.npz"
            path.write_bytes(session.model_bytes())
            X = np.random.default_rng(index).uniform(-6, 6, (20, 2))
            cases.append((session.model_code(str(path)), X))
        _EXPORTS["cases"] = cases
    return _EXPORTS["cases"]


def rebuilt_classes_solution(code, X):
    """Run the exported code, then return the rebuilt model's predicted class for each row."""
    namespace = {}
    exec(code, namespace)
    return namespace["model"].predict(X).argmax(axis=1)


def _scores(code, X):
    namespace = {}
    exec(code, namespace)
    return namespace["model"].predict(X)


def _argmax_over_samples(code, X):
    namespace = {}
    exec(code, namespace)
    return namespace["model"].predict(X).argmax(axis=0)


@exercise(solution=rebuilt_classes_solution, wrong=[_scores, _argmax_over_samples])
def check_rebuilt_classes(fn):
    """``fn(code, X) -> (n,) predicted classes`` from a model rebuilt by exported code."""
    return check_function(
        fn, _export_cases(), rebuilt_classes_solution, name="rebuilt_classes",
        mistakes={
            "predict gives one score per class; the class is the column with the largest "
            "score: .argmax(axis=1).": _scores,
            "take the largest score in each ROW (each point): argmax(axis=1), not axis=0.":
                _argmax_over_samples,
        },
    )


__all__ = ["check_circle_features", "check_xor_feature", "check_default_parameter_count",
           "check_with_seed", "check_rebuilt_classes"]
