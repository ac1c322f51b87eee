"""Automatic checks for the course's exercises.

In a notebook:

    from nnlib.exercises import ch01
    ch01.check_weighted_sum(weighted_sum)     # prints a pass mark or a specific hint

Every check runs the learner's function (or compares the learner's value) on hidden cases,
prints one friendly line and returns ``True`` or ``False``. It never raises, so "Run All"
keeps going past an unfinished exercise.

Writing a check (in ``nnlib/exercises/chNN.py``)::

    @exercise(solution=reference_fn, wrong=[forgot_bias, transposed])
    def check_weighted_sum(fn):
        return check_function(fn, CASES, reference_fn, name="weighted_sum",
                              mistakes={"Did you forget to add the bias?": forgot_bias})

``exercise`` records a known-correct answer and typical wrong ones; ``tests/test_exercises.py``
proves every check accepts the solution and rejects each wrong answer.
"""

import dis
import traceback
from dataclasses import dataclass, field

import numpy as np

PASS = "✅ Correct"
FAIL = "❌ Not yet"
NOT_ATTEMPTED = "✏️ Not attempted yet"


@dataclass
class Exercise:
    """A registered check with a known-correct answer and typical wrong answers."""

    check: callable
    solution: object
    wrong: list = field(default_factory=list)

    @property
    def name(self):
        return self.check.__name__


#: every registered exercise, keyed by "module.check_name"
REGISTRY = {}


def exercise(*, solution, wrong):
    """Register the decorated check with its solution and (at least two) wrong answers.

    The decorated check is wrapped so that it never raises: an unexpected error inside the
    check itself is reported as a failed check with its message.
    """

    def register(check):
        def safe_check(answer):
            try:
                return bool(check(answer))
            except Exception as error:  # a check must never stop Run All
                return report(False, f"the check could not run your answer ({error!r})")

        safe_check.__name__ = check.__name__
        safe_check.__doc__ = check.__doc__
        safe_check.__wrapped__ = check
        REGISTRY[f"{check.__module__.rsplit('.', 1)[-1]}.{check.__name__}"] = Exercise(
            safe_check, solution, list(wrong)
        )
        return safe_check

    return register


def report(passed, message):
    """Print one line for the learner and return ``passed``."""
    print(f"{PASS if passed else FAIL}: {message}")
    return passed


def not_attempted(answer):
    """True when the learner has not filled the exercise in yet.

    That is ``...`` or ``None``, or a function whose body does nothing (the notebook's stub
    ``def f(x):\\n    ...  # your code here``, with or without a docstring): calling such a
    stub would return None and the learner would be told to add a `return` they never wrote.
    """
    if answer is Ellipsis or answer is None:
        return True
    code = getattr(answer, "__code__", None)
    if code is None:
        return False
    return all(
        op.opname in _DO_NOTHING_OPS and (op.opname not in _CONST_OPS or op.argval is None)
        for op in dis.get_instructions(code)
    )


#: bytecode of a function whose body does nothing and returns None (Python 3.10 to 3.13)
_DO_NOTHING_OPS = {"RESUME", "NOP", "LOAD_CONST", "RETURN_VALUE", "RETURN_CONST"}
_CONST_OPS = {"LOAD_CONST", "RETURN_CONST"}


def report_not_attempted(what):
    print(f"{NOT_ATTEMPTED}: replace the `...` in {what} with your answer, "
          "then run this cell again.")
    return False


def check_value(answer, expected, *, name, mistakes=None, rtol=1e-6, atol=1e-9, explain=""):
    """Compare a value the learner computed or predicted with the expected one.

    ``mistakes`` maps a hint to the value a typical mistake gives; a match prints that hint.
    """
    if not_attempted(answer):
        return report_not_attempted(name)
    problem = compare(answer, expected, rtol=rtol, atol=atol)
    if problem is None:
        return report(True, f"{name} is right. {explain}".strip())
    for hint, wrong_value in (mistakes or {}).items():
        if compare(answer, wrong_value, rtol=rtol, atol=atol) is None:
            return report(False, f"{name}: {hint}")
    return report(False, f"{name}: {problem}")


def check_choice(answer, correct, *, name, options, explain, hints=None):
    """A multiple-choice "predict" exercise: ``answer`` must be one of ``options``."""
    if not_attempted(answer):
        return report_not_attempted(name)
    if answer not in options:
        return report(False, f"{name}: choose one of {options!r}; you wrote {answer!r}")
    if answer == correct:
        return report(True, f"{name}: {explain}")
    return report(False, f"{name}: {(hints or {}).get(answer, 'think again about ' + explain)}")


def check_function(fn, cases, reference, *, name, mistakes=None, rtol=1e-6, atol=1e-9,
                   comparison=None):
    """Run the learner's ``fn`` on each hidden case and compare with ``reference``.

    ``cases`` is a list of argument tuples. ``mistakes`` maps a hint to a function computing
    what a typical wrong implementation returns; when the learner's output matches it, the hint
    is printed. Otherwise the first difference found is described (shape, then values).
    ``comparison(got, expected, rtol=, atol=)`` returns None for a match or a sentence; it
    defaults to ``compare`` (one array or number).
    """
    comparison = comparison or compare
    if not_attempted(fn):
        return report_not_attempted(name)
    if not callable(fn):
        return report(False, f"{name} should be a function, but got {type(fn).__name__}")
    for case_number, args in enumerate(cases, start=1):
        expected = reference(*_copies(args))
        try:
            got = fn(*_copies(args))
        except NotImplementedError:
            return report_not_attempted(f"the body of {name}")
        except Exception as error:
            where = traceback.extract_tb(error.__traceback__)[-1]
            return report(
                False,
                f"{name} raised {type(error).__name__}: {error} (line {where.lineno}) on test "
                f"case {case_number} with inputs of shape {_shapes(args)}",
            )
        if got is None or got is Ellipsis:
            return report(False, f"{name} returned None: did you forget the `return` statement?")
        problem = comparison(got, expected, rtol=rtol, atol=atol)
        if problem is None:
            continue
        for hint, wrong_fn in (mistakes or {}).items():
            try:
                wrong = wrong_fn(*_copies(args))
            except Exception:  # a mistake model that cannot run on this case is no match
                continue
            if comparison(got, wrong, rtol=rtol, atol=atol) is None:
                return report(False, f"{name}: {hint}")
        return report(False, f"{name} on test case {case_number}: {problem}")
    return report(True, f"{name} gives the right answer on all {len(cases)} hidden test cases.")


def compare(got, expected, *, rtol=1e-6, atol=1e-9):
    """None when ``got`` matches ``expected``, else a sentence saying how it differs."""
    if isinstance(expected, str):
        return None if got == expected else f"expected {expected!r}, got {got!r}"
    try:
        got_array = np.asarray(got, dtype=np.float64)
    except (TypeError, ValueError):
        return f"expected a number or array, but got {type(got).__name__} {got!r}"
    expected_array = np.asarray(expected, dtype=np.float64)
    if got_array.shape != expected_array.shape:
        message = f"your output has shape {got_array.shape}, expected {expected_array.shape}"
        if got_array.shape == expected_array.shape[::-1] and got_array.ndim == 2:
            message += ": did you transpose something (e.g. the weights)?"
        elif got_array.size == expected_array.size:
            message += ": the numbers may be right but arranged differently (check reshape/axis)"
        return message
    if np.allclose(got_array, expected_array, rtol=rtol, atol=atol, equal_nan=True):
        return None
    if got_array.ndim == 0:
        return f"expected {_fmt(expected_array)}, got {_fmt(got_array)}"
    bad = np.argwhere(~np.isclose(got_array, expected_array, rtol=rtol, atol=atol))
    index = tuple(int(i) for i in bad[0])
    return (
        f"{len(bad)} of {got_array.size} numbers differ; e.g. at index {index} expected "
        f"{_fmt(expected_array[index])}, got {_fmt(got_array[index])}"
    )


def _fmt(x):
    return f"{float(x):.6g}"


def _copies(args):
    """Fresh copies of the case's arrays, so a learner's in-place change cannot leak."""
    return tuple(a.copy() if isinstance(a, np.ndarray) else a for a in args)


def _shapes(args):
    return ", ".join(str(np.shape(a)) for a in args)
