"""Every exercise check accepts its solution, rejects typical wrong answers, never raises."""

import importlib
import pkgutil

import pytest

import nnlib.exercises as exercises
from nnlib.exercises import (
    FAIL,
    NOT_ATTEMPTED,
    PASS,
    REGISTRY,
    check_function,
    check_value,
    compare,
)

for module in pkgutil.iter_modules(exercises.__path__):
    importlib.import_module(f"nnlib.exercises.{module.name}")

NAMES = sorted(REGISTRY)


def test_some_exercises_are_registered():
    assert NAMES, "no exercise checks were found in nnlib/exercises"


@pytest.mark.parametrize("name", NAMES)
def test_check_accepts_the_solution(name, capsys):
    exercise = REGISTRY[name]
    assert exercise.check(exercise.solution) is True
    assert capsys.readouterr().out.startswith(PASS)


@pytest.mark.parametrize("name", NAMES)
def test_check_rejects_each_typical_wrong_answer(name, capsys):
    exercise = REGISTRY[name]
    assert len(exercise.wrong) >= 2, f"{name} needs at least two typical wrong answers"
    for wrong in exercise.wrong:
        assert exercise.check(wrong) is False, f"{name} accepted the wrong answer {wrong!r}"
        assert capsys.readouterr().out.startswith(FAIL)


@pytest.mark.parametrize("name", NAMES)
def test_unattempted_exercise_does_not_raise(name, capsys):
    assert REGISTRY[name].check(...) is False
    assert capsys.readouterr().out.startswith(NOT_ATTEMPTED)


def test_function_check_explains_a_transposed_result(capsys):
    def reference(a):
        return a

    assert not check_function(lambda a: a.T, [(__import__("numpy").ones((2, 3)),)], reference,
                              name="f")
    assert "did you transpose" in capsys.readouterr().out


def test_function_check_reports_an_exception_without_raising(capsys):
    def broken(a):
        return a + "text"

    assert check_function(broken, [(1.0,)], lambda a: a, name="broken") is False
    assert "raised TypeError" in capsys.readouterr().out


def test_function_check_names_a_known_mistake(capsys):
    assert not check_function(lambda a: a * 2, [(3.0,)], lambda a: a + 1, name="g",
                              mistakes={"You doubled it.": lambda a: a * 2})
    assert "You doubled it." in capsys.readouterr().out


def test_value_check_accepts_close_numbers_and_rejects_others(capsys):
    assert check_value(0.3000000001, 0.3, name="x")
    assert not check_value(0.31, 0.3, name="x")
    assert compare([1, 2], [1, 2]) is None
    assert "shape" in compare([1, 2, 3], [1, 2])
