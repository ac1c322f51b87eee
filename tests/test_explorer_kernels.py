"""The kernel explorer of chapter 08 computes what nn.Conv2D computes, states the output size
correctly, and follows the widget conventions (DOM classes, presets, static fallback)."""

import numpy as np
import pytest

from nnlib.explorers import kernels


def loop_conv(image, kernel, stride, padding):
    """Reference: pad with zeros, slide the kernel by ``stride``, no flip."""
    padded = np.pad(image, padding)
    kh, kw = kernel.shape
    rows = (padded.shape[0] - kh) // stride + 1
    cols = (padded.shape[1] - kw) // stride + 1
    return np.array([[np.sum(padded[i * stride:i * stride + kh, j * stride:j * stride + kw]
                             * kernel) for j in range(cols)] for i in range(rows)])


@pytest.mark.parametrize("stride, padding", [(1, 0), (1, 1), (2, 0), (2, 2), (3, 1)])
@pytest.mark.parametrize("name", list(kernels.KERNELS))
def test_convolve_equals_a_loop_over_positions(name, stride, padding):
    image = np.random.default_rng(0).random((9, 11))
    kernel = np.array(kernels.KERNELS[name], dtype=float)
    got = kernels.convolve(image, name, stride, padding)
    np.testing.assert_allclose(got, loop_conv(image, kernel, stride, padding), atol=1e-12)
    assert got.shape == kernels.output_shape(9, 11, 3, stride, padding)


def test_named_kernels_have_the_sums_their_names_promise():
    sums = {name: np.sum(kernel) for name, kernel in kernels.KERNELS.items()}
    for name in ("edges: Sobel x", "edges: Sobel y", "edges: Laplacian"):
        assert sums[name] == pytest.approx(0.0), f"{name} should give 0 on flat regions"
    for name in ("identity", "blur (box)", "blur (Gaussian)", "sharpen"):
        assert sums[name] == pytest.approx(1.0), f"{name} should keep a flat region's value"


def test_sobel_x_sees_vertical_edges_and_not_horizontal_ones():
    vertical = np.zeros((8, 8))
    vertical[:, 4:] = 1.0
    assert np.abs(kernels.convolve(vertical, "edges: Sobel x")).max() > 0
    assert np.abs(kernels.convolve(vertical, "edges: Sobel y")).max() == 0
    assert np.abs(kernels.convolve(vertical.T, "edges: Sobel x")).max() == 0


def test_size_sentence_works_out_the_rule():
    assert kernels.size_sentence(28, 28, 3, 2, 1).endswith("= 14 -> 14x14 pixels")
    text = kernels.size_sentence(28, 20, (3, 5), 2, 1)
    assert "rows (28 + 2*1 - 3) // 2 + 1 = 14" in text and "= 9 -> 14x9" in text


def test_picture_is_rgb_and_its_output_panel_shrinks_with_the_stride():
    wide = kernels.kernel_picture("shapes", "sharpen", stride=1, padding=1)
    narrow = kernels.kernel_picture("shapes", "sharpen", stride=3, padding=1)
    assert wide.dtype == np.uint8 and wide.ndim == 3 and wide.shape[2] == 3
    assert narrow.shape[1] < wide.shape[1]


def test_kernel_panel_writes_different_numbers_differently():
    ones = kernels.kernel_panel(np.ones((3, 3)))
    twos = kernels.kernel_panel(2 * np.ones((3, 3)))
    assert ones.shape == twos.shape
    assert not np.array_equal(ones, twos), "the weights' values should be written in the cells"


@pytest.mark.parametrize("call, message", [
    (lambda: kernels.convolve("shapes", "emboss"), "unknown kernel"),
    (lambda: kernels.convolve(np.ones(5), "identity"), "2-D grey picture"),
    (lambda: kernels.convolve("mona lisa", "identity"), "unknown image"),
    (lambda: kernels.KernelExplorer(stride=4), "stride must be"),
    (lambda: kernels.KernelExplorer(kernel=np.ones((2, 2))), "3x3 kernels"),
])
def test_bad_arguments_are_refused_with_a_clear_message(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_explorer_has_the_dom_hooks_and_a_static_fallback():
    explorer = kernels.KernelExplorer("digit 3", "blur (box)", stride=2, padding=1)
    assert "nnlib-widget" in explorer.widget._dom_classes
    assert "nnlib-plot" in explorer.image._dom_classes
    assert bytes(explorer.png()).startswith(b"\x89PNG")
    bundle = explorer._repr_mimebundle_()
    assert "image/png" in bundle
    assert "14x14" in bundle["text/plain"]
    assert "= 14 -> 14x14" in explorer.status.value


def test_preset_fills_the_grid_and_an_edit_makes_the_kernel_custom():
    explorer = kernels.KernelExplorer("shapes", "identity")
    explorer.kernel_menu.value = "edges: Laplacian"
    np.testing.assert_array_equal(explorer.kernel, kernels.KERNELS["edges: Laplacian"])
    assert explorer.kernel_menu.value == "edges: Laplacian"
    explorer.cells[4].value = -8.0
    assert explorer.kernel_menu.value == kernels.CUSTOM
    assert explorer.kernel[1, 1] == -8.0
    np.testing.assert_allclose(explorer.feature_map(),
                               kernels.convolve("shapes", explorer.kernel, 1, 0))


def test_stride_and_padding_sliders_change_the_stated_size():
    explorer = kernels.KernelExplorer("shapes", "identity")
    assert explorer.status.value.endswith("26x26 pixels")
    explorer.padding.value = 1
    explorer.stride.value = 3
    assert explorer.status.value.endswith("10x10 pixels")
    assert explorer.feature_map().shape == (10, 10)


def test_own_image_can_be_explored():
    image = np.random.default_rng(1).random((12, 16))
    explorer = kernels.KernelExplorer(image, [[0, 0, 0], [0, 2, 0], [0, 0, 0]])
    assert explorer.kernel_menu.value == kernels.CUSTOM
    np.testing.assert_allclose(explorer.feature_map(), 2 * image[1:-1, 1:-1])
