"""Conv2D, MaxPool2D, AvgPool2D and Flatten: right answers, right gradients, clear errors.

- Forward passes equal straightforward loop implementations written here.
- Backward passes pass centred-difference gradient checks: relative error below 1e-6 in
  float64 (typically 1e-8 to 1e-11).
- Max-pooling sends each window's gradient to one input, the first maximum in row-major
  order, as PyTorch does; when torch is installed the layers are compared with it directly.
"""

import numpy as np
import pytest

import nnlib as nn
from nnlib.conv import output_size

TOLERANCE = 1e-6


# --- loop references ------------------------------------------------------------------------
def loop_conv(X, W, b, stride, padding):
    """Conv2D by four loops over samples, filters and output pixels."""
    N, _, H, Wd = X.shape
    F, _, kh, kw = W.shape
    Xp = np.pad(X, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    h_out = (H + 2 * padding - kh) // stride + 1
    w_out = (Wd + 2 * padding - kw) // stride + 1
    out = np.zeros((N, F, h_out, w_out))
    for n in range(N):
        for f in range(F):
            for y in range(h_out):
                for x in range(w_out):
                    patch = Xp[n, :, y * stride:y * stride + kh, x * stride:x * stride + kw]
                    out[n, f, y, x] = np.sum(patch * W[f]) + b[f]
    return out


def loop_pool(X, kernel, stride, reduce):
    """Pooling by loops: ``reduce`` (np.max or np.mean) of every window."""
    (kh, kw), (sh, sw) = kernel, stride
    N, C, H, W = X.shape
    out = np.zeros((N, C, (H - kh) // sh + 1, (W - kw) // sw + 1))
    for y in range(out.shape[2]):
        for x in range(out.shape[3]):
            window = X[:, :, y * sh:y * sh + kh, x * sw:x * sw + kw]
            out[:, :, y, x] = reduce(window, axis=(2, 3))
    return out


# --- Conv2D -----------------------------------------------------------------------------------
CONV_CASES = {
    # name: (in_channels, out_channels, kernel_size, stride, padding, input (H, W))
    "1->2 3x3": (1, 2, 3, 1, 0, (6, 7)),
    "3->2 3x3 padding 1": (3, 2, 3, 1, 1, (5, 5)),
    "2->3 non-square 2x3 stride 2 padding 1": (2, 3, (2, 3), 2, 1, (7, 5)),
    "2->2 5x5 padding 2 on 4x5": (2, 2, 5, 1, 2, (4, 5)),
    "1->1 3x1 stride 3": (1, 1, (3, 1), 3, 1, (8, 6)),
    "2->4 1x1": (2, 4, 1, 1, 0, (3, 4)),
    "2->2 kernel as large as the input": (2, 2, 4, 1, 0, (4, 4)),
}


def make_conv(case, rng=1):
    C, F, k, s, p, _ = CONV_CASES[case]
    layer = nn.Conv2D(C, F, k, s, p, rng=rng)
    layer.biases[:] = np.random.default_rng(rng).standard_normal(F)  # non-zero biases
    return layer


def conv_inputs(case, n=3, rng=0):
    C, *_, (H, W) = CONV_CASES[case]
    return np.random.default_rng(rng).standard_normal((n, C, H, W))


@pytest.mark.parametrize("case", CONV_CASES)
def test_conv_forward_equals_loop_reference(case):
    layer, X = make_conv(case), conv_inputs(case)
    expected = loop_conv(X, layer.weights, layer.biases, layer.stride, layer.padding)
    np.testing.assert_allclose(layer.forward(X), expected, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("case", CONV_CASES)
def test_conv_output_shape_follows_the_formula(case):
    C, F, k, s, p, (H, W) = CONV_CASES[case]
    kh, kw = (k, k) if isinstance(k, int) else k
    output = make_conv(case).forward(conv_inputs(case, n=2))
    assert output.shape == (2, F, (H + 2 * p - kh) // s + 1, (W + 2 * p - kw) // s + 1)
    assert output.shape[2:] == (output_size(H, kh, s, p), output_size(W, kw, s, p))


def test_output_size_formula_on_known_values():
    assert output_size(28, 3) == 26            # "valid" 3x3
    assert output_size(28, 3, padding=1) == 28  # "same" 3x3
    assert output_size(28, 2, stride=2) == 14   # 2x2 pooling
    assert output_size(7, 3, stride=2, padding=1) == 4
    assert output_size(5, 2, stride=2) == 2     # the last row is dropped


@pytest.mark.parametrize("case", CONV_CASES)
def test_conv_gradients_pass_gradcheck(case):
    errors = nn.gradcheck(make_conv(case), conv_inputs(case, n=2))
    assert set(errors) == {"inputs", "weights", "biases"}
    assert max(errors.values()) < TOLERANCE, errors


@pytest.mark.parametrize("case", ["3->2 3x3 padding 1", "2->3 non-square 2x3 stride 2 padding 1"])
def test_conv_in_chunks_gives_the_same_results_and_bounds_the_buffer(case):
    X, dout_rng = conv_inputs(case, n=5), np.random.default_rng(9)
    whole = make_conv(case)
    out = whole.forward(X)
    dout = dout_rng.standard_normal(out.shape)
    whole.backward(dout)
    chunked = make_conv(case)
    per_sample = whole.peak_buffer_bytes // 5
    chunked.max_buffer_bytes = 2 * per_sample           # two samples per chunk
    np.testing.assert_allclose(chunked.forward(X), out, rtol=1e-12, atol=1e-12)
    chunked.backward(dout)
    for name in ("dinputs", "dweights", "dbiases"):
        np.testing.assert_allclose(getattr(chunked, name), getattr(whole, name),
                                   rtol=1e-12, atol=1e-12)
    assert chunked.peak_buffer_bytes == 2 * per_sample
    assert whole.peak_buffer_bytes == 5 * per_sample


def test_conv_gradients_are_set_not_accumulated():
    layer, X = make_conv("3->2 3x3 padding 1"), conv_inputs("3->2 3x3 padding 1")
    dout = np.ones_like(layer.forward(X))
    first = [layer.backward(dout).copy(), layer.dweights.copy(), layer.dbiases.copy()]
    second = [layer.backward(dout), layer.dweights, layer.dbiases]
    for a, b in zip(first, second, strict=True):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("chunked", [False, True], ids=["one chunk", "in chunks"])
@pytest.mark.parametrize("case", CONV_CASES)
def test_conv_skipping_the_input_gradient_keeps_parameter_gradients_and_returns_none(case,
                                                                                      chunked):
    layer, X = make_conv(case), conv_inputs(case, n=5)
    if chunked:
        layer.max_buffer_bytes = 1      # one sample per chunk: backward rebuilds the columns
    dout = np.random.default_rng(2).standard_normal(layer.forward(X).shape)
    assert layer.backward(dout) is not None
    full = (layer.dweights.copy(), layer.dbiases.copy())
    assert layer.can_skip_input_gradient
    assert layer.backward(dout, input_gradient=False) is None
    assert layer.dinputs is None
    np.testing.assert_allclose(layer.dweights, full[0], rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(layer.dbiases, full[1], rtol=1e-12, atol=1e-12)


def test_cnn_training_step_skips_the_first_conv_input_gradient_only():
    model = small_cnn()
    X = np.random.default_rng(0).random((3, 1, 12, 20))
    dout = np.random.default_rng(1).standard_normal(model.forward(X).shape)
    model.backward(dout)
    full = [grad.copy() for _, grad in model.parameters()]
    assert model.backward(dout, input_gradient=False) is None
    assert model.layers[0].dinputs is None and model.layers[1].dinputs is not None
    for expected, (_, grad) in zip(full, model.parameters(), strict=True):
        np.testing.assert_allclose(grad, expected, rtol=1e-12, atol=1e-12)


def test_conv_float32_layer_computes_in_float32_and_agrees_with_float64():
    layer64 = make_conv("3->2 3x3 padding 1")
    layer32 = nn.Conv2D(3, 2, 3, padding=1, dtype=np.float32)
    layer32.weights[...] = layer64.weights
    layer32.biases[...] = layer64.biases
    X = conv_inputs("3->2 3x3 padding 1")
    out32 = layer32.forward(X)                      # float64 inputs are converted
    assert out32.dtype == np.float32
    dX = layer32.backward(np.ones(out32.shape))
    assert dX.dtype == layer32.dweights.dtype == layer32.dbiases.dtype == np.float32
    np.testing.assert_allclose(out32, layer64.forward(X), rtol=1e-4, atol=1e-5)


def test_conv_weights_follow_pytorch_layout_and_he_initialisation():
    layer = nn.Conv2D(3, 64, (5, 3), rng=0)
    assert layer.weights.shape == (64, 3, 5, 3)
    assert layer.biases.shape == (64,)
    assert not layer.biases.any()
    assert layer.weights.std() == pytest.approx(np.sqrt(2 / (3 * 5 * 3)), rel=0.1)


def test_conv_finds_a_vertical_edge():
    image = np.zeros((1, 1, 5, 6))
    image[..., 3:] = 1.0                        # dark left half, bright right half
    edge = nn.Conv2D(1, 1, (1, 2))
    edge.weights[...] = [[[[-1.0, 1.0]]]]        # right pixel minus left pixel
    response = edge.forward(image)[0, 0]
    assert response.shape == (5, 5)
    np.testing.assert_array_equal(response, np.tile([0.0, 0.0, 1.0, 0.0, 0.0], (5, 1)))


# --- pooling ----------------------------------------------------------------------------------
POOL_CASES = {
    # name: (kernel_size, stride, input (H, W))
    "2x2": (2, None, (6, 8)),
    "2x2 odd input (edge dropped)": (2, None, (7, 5)),
    "3x3 stride 2 (overlapping)": (3, 2, (7, 8)),
    "2x2 stride 1 (overlapping)": (2, 1, (5, 6)),
    "non-square 2x3 stride (1, 2)": ((2, 3), (1, 2), (6, 7)),
    "3x3 stride 3": (3, 3, (6, 9)),
}


def make_pool(kind, case):
    kernel, stride, _ = POOL_CASES[case]
    return kind(kernel, stride)


def pool_inputs(case, n=2, channels=3, rng=0):
    *_, (H, W) = POOL_CASES[case]
    return np.random.default_rng(rng).standard_normal((n, channels, H, W))


@pytest.mark.parametrize("case", POOL_CASES)
@pytest.mark.parametrize("kind, reduce", [(nn.MaxPool2D, np.max), (nn.AvgPool2D, np.mean)])
def test_pool_forward_equals_loop_reference(kind, reduce, case):
    layer, X = make_pool(kind, case), pool_inputs(case)
    expected = loop_pool(X, layer.kernel_size, layer.stride, reduce)
    np.testing.assert_allclose(layer.forward(X), expected, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("case", POOL_CASES)
@pytest.mark.parametrize("kind", [nn.MaxPool2D, nn.AvgPool2D])
def test_pool_gradients_pass_gradcheck(kind, case):
    errors = nn.gradcheck(make_pool(kind, case), pool_inputs(case))
    assert errors["inputs"] < TOLERANCE, errors


def test_pool_stride_defaults_to_kernel_size():
    assert nn.MaxPool2D(3).stride == (3, 3)
    assert nn.AvgPool2D((2, 3)).stride == (2, 3)
    assert nn.MaxPool2D(3, stride=1).stride == (1, 1)


def test_maxpool_sends_gradient_to_the_first_maximum_of_each_window():
    # after a ReLU many windows hold several equal maxima (zeros): one of them gets it all
    X = np.array([[[[0.0, 0.0, 5.0, 1.0],
                    [0.0, 0.0, 1.0, 5.0],
                    [2.0, 3.0, 7.0, 7.0],
                    [3.0, 1.0, 7.0, 7.0]]]])
    pool = nn.MaxPool2D(2)
    np.testing.assert_array_equal(pool.forward(X)[0, 0], [[0.0, 5.0], [3.0, 7.0]])
    dX = pool.backward(np.array([[[[1.0, 2.0], [3.0, 4.0]]]]))
    np.testing.assert_array_equal(dX[0, 0], [[1.0, 0.0, 2.0, 0.0],
                                             [0.0, 0.0, 0.0, 0.0],
                                             [0.0, 3.0, 4.0, 0.0],
                                             [0.0, 0.0, 0.0, 0.0]])


def test_maxpool_with_ties_keeps_the_total_gradient_of_each_window():
    X = np.maximum(np.random.default_rng(0).integers(-2, 2, (4, 3, 9, 9)), 0).astype(float)
    for pool in (nn.MaxPool2D(3), nn.MaxPool2D(3, stride=2), nn.MaxPool2D(2, stride=1)):
        out = pool.forward(X)
        dout = np.random.default_rng(1).random(out.shape)
        dX = pool.backward(dout)
        assert np.isclose(dX.sum(), dout.sum())     # nothing counted twice, nothing lost
        assert np.count_nonzero(dX) <= dout.size     # at most one input per window


def test_overlapping_maxpool_adds_gradients_where_windows_share_their_maximum():
    X = np.zeros((1, 1, 3, 3))
    X[0, 0, 1, 1] = 1.0                          # the centre is the maximum of all 4 windows
    pool = nn.MaxPool2D(2, stride=1)
    pool.forward(X)
    dX = pool.backward(np.ones((1, 1, 2, 2)))
    assert dX[0, 0, 1, 1] == 4.0
    assert dX.sum() == 4.0


def test_avgpool_shares_gradient_equally():
    pool = nn.AvgPool2D(2)
    pool.forward(np.arange(16.0).reshape(1, 1, 4, 4))
    dX = pool.backward(np.array([[[[4.0, 8.0], [0.0, 4.0]]]]))
    np.testing.assert_array_equal(dX[0, 0], [[1, 1, 2, 2], [1, 1, 2, 2],
                                             [0, 0, 1, 1], [0, 0, 1, 1]])


# --- Flatten ----------------------------------------------------------------------------------
def test_flatten_turns_images_into_rows_and_back():
    X = np.arange(2 * 3 * 4 * 5.0).reshape(2, 3, 4, 5)
    flatten = nn.Flatten()
    out = flatten.forward(X)
    assert out.shape == (2, 60)
    np.testing.assert_array_equal(out[1], X[1].ravel())
    np.testing.assert_array_equal(flatten.backward(out), X)
    assert nn.gradcheck(flatten, X)["inputs"] < TOLERANCE


# --- errors -------------------------------------------------------------------------------------
def test_wrong_channel_count_names_expected_and_got():
    with pytest.raises(ValueError, match=r"3 channel\(s\).*expects 1"):
        nn.Conv2D(1, 8, 3).forward(np.zeros((2, 3, 28, 28)))


def test_channels_last_images_are_reported_as_wrong_channels():
    with pytest.raises(ValueError, match=r"28 channel\(s\).*NCHW"):
        nn.Conv2D(1, 8, 3).forward(np.zeros((2, 28, 28, 1)))


@pytest.mark.parametrize("shape, hint", [((28, 28), r"x\[None, None\]"),
                                         ((1, 28, 28), r"x\[None\]"),
                                         ((2, 784), "4-D")])
@pytest.mark.parametrize("layer", [lambda: nn.Conv2D(1, 2, 3), lambda: nn.MaxPool2D(2),
                                   lambda: nn.AvgPool2D(2)])
def test_wrong_number_of_dimensions_is_explained(layer, shape, hint):
    with pytest.raises(ValueError, match=hint):
        layer().forward(np.zeros(shape))


@pytest.mark.parametrize("layer, shape, message", [
    (lambda: nn.Conv2D(1, 2, 5), (1, 1, 4, 9), r"4x9 pixels: the 5x5 kernel does not fit"),
    (lambda: nn.Conv2D(1, 2, 7, padding=1), (1, 1, 4, 9), r"padded by 1 on each side to 6x11"),
    (lambda: nn.Conv2D(1, 2, (2, 6)), (1, 1, 4, 5), r"the 2x6 kernel does not fit"),
    (lambda: nn.MaxPool2D(3), (1, 1, 2, 2), r"2x2 pixels: the 3x3 kernel does not fit"),
    (lambda: nn.AvgPool2D(3), (1, 1, 5, 2), r"5x2 pixels: the 3x3 kernel does not fit"),
])
def test_kernel_larger_than_padded_input_is_refused(layer, shape, message):
    with pytest.raises(ValueError, match=message):
        layer().forward(np.zeros(shape))


def test_kernel_that_fits_only_thanks_to_padding_works():
    assert nn.Conv2D(1, 1, 5, padding=1).forward(np.zeros((1, 1, 3, 3))).shape == (1, 1, 1, 1)


@pytest.mark.parametrize("make, error, message", [
    (lambda: nn.Conv2D(0, 2, 3), ValueError, "in_channels must be at least 1, but got 0"),
    (lambda: nn.Conv2D(1, 2.0, 3), TypeError, "out_channels must be a whole number"),
    (lambda: nn.Conv2D(1, 2, 0), ValueError, "kernel_size must be at least 1, but got 0"),
    (lambda: nn.Conv2D(1, 2, 2.5), TypeError, r"kernel_size must be an int or a pair"),
    (lambda: nn.Conv2D(1, 2, "3"), TypeError, r"kernel_size must be an int or a pair"),
    (lambda: nn.Conv2D(1, 2, (3, 3, 3)), ValueError, r"pair \(height, width\), but got"),
    (lambda: nn.Conv2D(1, 2, (3, -1)), ValueError, "at least 1, but got -1"),
    (lambda: nn.Conv2D(1, 2, 3, stride=0), ValueError, "stride must be at least 1"),
    (lambda: nn.Conv2D(1, 2, 3, padding=-1), ValueError, "padding must be at least 0"),
    (lambda: nn.Conv2D(1, 2, 3, padding=0.5), TypeError, "padding must be a whole number"),
    (lambda: nn.Conv2D(1, 2, 3, init="lecun"), ValueError, "init must be one of"),
    (lambda: nn.MaxPool2D(0), ValueError, "MaxPool2D kernel_size must be at least 1"),
    (lambda: nn.MaxPool2D(2, stride=0), ValueError, "MaxPool2D stride must be at least 1"),
    (lambda: nn.AvgPool2D(2, stride=1.5), TypeError, "AvgPool2D stride must be an int or a pair"),
])
def test_invalid_sizes_and_strides_are_refused(make, error, message):
    with pytest.raises(error, match=message):
        make()


@pytest.mark.parametrize("layer", [lambda: nn.Conv2D(1, 2, 3), lambda: nn.MaxPool2D(2),
                                   lambda: nn.AvgPool2D(2), nn.Flatten])
def test_backward_before_forward_is_refused(layer):
    with pytest.raises(RuntimeError, match=r"before forward\(\)"):
        layer().backward(np.zeros((1, 2, 2, 2)))


@pytest.mark.parametrize("layer", [lambda: nn.Conv2D(1, 2, 3), lambda: nn.MaxPool2D(2),
                                   lambda: nn.AvgPool2D(2), nn.Flatten])
def test_gradient_of_the_wrong_shape_is_refused(layer):
    layer = layer()
    out = layer.forward(np.zeros((2, 1, 6, 6)))
    with pytest.raises(ValueError, match=r"gradient of shape \(3,.*output had shape \(2,"):
        layer.backward(np.zeros((3,) + out.shape[1:]))


def test_flatten_refuses_one_dimensional_inputs():
    with pytest.raises(ValueError, match=r"sample axis first.*\(5,\)"):
        nn.Flatten().forward(np.zeros(5))


def test_non_numeric_images_are_refused():
    with pytest.raises(TypeError, match="must contain numbers"):
        nn.Conv2D(1, 1, 1).forward(np.array([[[["a"]]]]))


# --- whole networks -----------------------------------------------------------------------------
def small_cnn(dtype=np.float64):
    return nn.Sequential(
        nn.Conv2D(1, 4, 3, padding=1, rng=0, dtype=dtype), nn.ReLU(), nn.MaxPool2D(2),
        nn.Conv2D(4, 6, (3, 2), stride=2, rng=1, dtype=dtype), nn.ReLU(),
        nn.AvgPool2D(2, stride=1), nn.Flatten(), nn.Dense(6 * 1 * 4, 10, rng=2, dtype=dtype),
    )


def test_cnn_gradients_pass_gradcheck_end_to_end():
    model = small_cnn()
    X = np.random.default_rng(0).random((2, 1, 12, 20))
    errors = nn.gradcheck(model, X)
    assert len(errors) == 1 + 6
    assert max(errors.values()) < TOLERANCE, errors


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_cnn_survives_save_and_load(tmp_path, dtype):
    model = small_cnn(dtype)
    X = np.random.default_rng(0).random((3, 1, 12, 20))
    path = tmp_path / "cnn.npz"
    nn.save(model, path)
    loaded = nn.load(path)
    assert [type(layer) for layer in loaded] == [type(layer) for layer in model]
    assert [layer.config() for layer in loaded] == [layer.config() for layer in model]
    assert loaded[0].weights.dtype == dtype
    np.testing.assert_array_equal(loaded.predict(X), model.predict(X))


def test_small_cnn_learns_rendered_digits():
    train = nn.digits.render(600, rng=0, dtype=np.float32)
    model = nn.Sequential(
        nn.Conv2D(1, 6, 3, rng=0, dtype=np.float32), nn.ReLU(), nn.MaxPool2D(2),
        nn.Flatten(), nn.Dense(6 * 13 * 13, 10, rng=1, dtype=np.float32),
    )
    history = model.fit(train.X, train.y, loss=nn.SoftmaxCrossEntropy(),
                        optimizer=nn.Adam(0.003), epochs=4, batch_size=32, rng=0)
    assert history["loss"][-1] < 0.5 * history["loss"][0]
    assert history["accuracy"][-1] > 0.8


# --- against PyTorch (only when it is installed) --------------------------------------------
TORCH_CONV_CASES = ["3->2 3x3 padding 1", "2->3 non-square 2x3 stride 2 padding 1",
                    "1->1 3x1 stride 3"]


@pytest.mark.parametrize("case", TORCH_CONV_CASES)
def test_conv_matches_pytorch(case):
    torch = pytest.importorskip("torch")
    layer, X = make_conv(case), conv_inputs(case)
    out = layer.forward(X)
    dout = np.random.default_rng(5).standard_normal(out.shape)
    layer.backward(dout)
    Xt = torch.tensor(X, requires_grad=True)
    Wt = torch.tensor(layer.weights, requires_grad=True)
    bt = torch.tensor(layer.biases, requires_grad=True)
    out_t = torch.nn.functional.conv2d(Xt, Wt, bt, stride=layer.stride, padding=layer.padding)
    out_t.backward(torch.tensor(dout))
    np.testing.assert_allclose(out, out_t.detach().numpy(), rtol=1e-10, atol=1e-12)
    for mine, theirs in [(layer.dinputs, Xt), (layer.dweights, Wt), (layer.dbiases, bt)]:
        np.testing.assert_allclose(mine, theirs.grad.numpy(), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("case", POOL_CASES)
@pytest.mark.parametrize("kind", ["max", "avg"])
def test_pooling_matches_pytorch_even_with_ties(kind, case):
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(0)
    X = np.maximum(rng.integers(-3, 3, (2, 3) + POOL_CASES[case][2]), 0).astype(float)  # ties
    layer = make_pool(nn.MaxPool2D if kind == "max" else nn.AvgPool2D, case)
    out = layer.forward(X)
    dout = rng.standard_normal(out.shape)
    dX = layer.backward(dout)
    Xt = torch.tensor(X, requires_grad=True)
    pool = getattr(torch.nn.functional, f"{kind}_pool2d")
    out_t = pool(Xt, layer.kernel_size, layer.stride)
    out_t.backward(torch.tensor(dout))
    np.testing.assert_allclose(out, out_t.detach().numpy(), rtol=1e-12)
    np.testing.assert_allclose(dX, Xt.grad.numpy(), rtol=1e-12, atol=1e-15)
