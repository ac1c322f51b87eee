"""Exercise checks of chapters 01-03: untouched stubs count as "not attempted", and typical
mistakes get the hint that names them (the generic test_exercises.py proves accept/reject)."""

import inspect

import numpy as np
import pytest

from nnlib.exercises import (
    FAIL,
    NOT_ATTEMPTED,
    REGISTRY,
    ch01,
    ch02,
    ch03,
    check_function,
    not_attempted,
)

FUNCTION_EXERCISES = sorted(
    name for name, ex in REGISTRY.items()
    if name.split(".")[0] in ("ch01", "ch02", "ch03") and inspect.isfunction(ex.solution)
)


def _stub_like(fn):
    """A do-nothing function with ``fn``'s parameters, as the notebook's stub cell defines."""
    params = ", ".join(inspect.signature(fn).parameters)
    namespace = {}
    exec(f"def stub({params}):\n    ...  # your code here\n", namespace)
    return namespace["stub"]


def test_chapters_01_to_03_have_at_least_four_exercises_each():
    for chapter in ("ch01", "ch02", "ch03"):
        assert sum(name.startswith(chapter + ".") for name in REGISTRY) >= 4, chapter


def test_do_nothing_functions_count_as_not_attempted():
    def with_docstring(x):
        """Return x doubled."""
        ...

    def with_pass(x):
        pass

    def forgot_return(x):
        y = 2 * x  # noqa: F841

    assert not_attempted(_stub_like(lambda a, b: a))
    assert not_attempted(with_docstring)
    assert not_attempted(with_pass)
    assert not not_attempted(forgot_return)
    assert not not_attempted(lambda x: x)


@pytest.mark.parametrize("name", FUNCTION_EXERCISES)
def test_untouched_stub_is_reported_as_not_attempted(name, capsys):
    exercise = REGISTRY[name]
    assert exercise.check(_stub_like(exercise.solution)) is False
    assert capsys.readouterr().out.startswith(NOT_ATTEMPTED)


def test_function_that_forgets_return_is_told_to_return(capsys):
    def double(x):
        y = 2 * x  # noqa: F841

    assert check_function(double, [(1.0,)], lambda x: 2 * x, name="double") is False
    assert "forget the `return`" in capsys.readouterr().out


def _hint(check, answer, capsys):
    assert check(answer) is False
    out = capsys.readouterr().out
    assert out.startswith(FAIL)
    return out


def test_neuron_without_bias_is_told_about_the_bias(capsys):
    def forgot_bias(inputs, weights, bias):
        return sum(x * w for x, w in zip(inputs, weights, strict=True))

    out = _hint(ch01.check_neuron_output, forgot_bias, capsys)
    assert "forget the bias" in out


def test_layer_using_weight_columns_is_told_rows_are_neurons(capsys):
    out = _hint(ch01.check_layer_outputs, lambda x, W, b: W.T @ x + b, capsys)
    assert "ROW of weights is one neuron" in out


def test_step_prediction_wrong_only_on_the_line_names_step_at_zero(capsys):
    out = _hint(ch01.check_step_outputs, [0, 1, 1, 1], capsys)
    assert "z = 0 exactly" in out


def test_parameter_count_without_biases_is_told_about_biases(capsys):
    def weights_only(sizes):
        return sum(a * b for a, b in zip(sizes[:-1], sizes[1:], strict=True))

    out = _hint(ch02.check_count_parameters, weights_only, capsys)
    assert "forget the biases" in out


def test_he_init_with_transposed_shape_is_told_the_orientation(capsys):
    def transposed(rng, n_inputs, n_neurons):
        return rng.standard_normal((n_neurons, n_inputs)) * np.sqrt(2 / n_inputs)

    out = _hint(ch02.check_he_init, transposed, capsys)
    assert "(n_inputs, n_neurons)" in out


def test_batch_forward_without_transpose_is_asked_about_the_transpose(capsys):
    out = _hint(ch03.check_batch_forward, lambda X, W, b: X @ W + b, capsys)
    assert "did you transpose the weights?" in out


def test_dense_relu_with_an_extra_transpose_is_asked_about_the_transpose(capsys):
    out = _hint(ch03.check_dense_relu_forward,
                lambda X, W, b: np.maximum(0, X @ W.T + b), capsys)
    assert "did you transpose the weights?" in out


def test_dense_relu_with_bias_outside_the_relu_is_told_where_it_belongs(capsys):
    out = _hint(ch03.check_dense_relu_forward,
                lambda X, W, b: np.maximum(0, X @ W) + b, capsys)
    assert "belong inside" in out


def test_product_shape_given_for_a_mismatch_is_told_numpy_raises(capsys):
    answer = list(ch03.SHAPES_SOLUTION)
    answer[1] = (5, 2)
    out = _hint(ch03.check_product_shapes, answer, capsys)
    assert "inner sizes 2 and 3 differ" in out
