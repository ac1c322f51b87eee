"""Layers for images: ``Conv2D``, ``MaxPool2D``, ``AvgPool2D`` and ``Flatten``.

Images travel as NCHW arrays, as in PyTorch: (n_samples, channels, height, width).
A convolution with ``out_channels`` filters of ``kh x kw`` pixels has weights of shape
(out_channels, in_channels, kh, kw) and biases of shape (out_channels,). With stride ``s`` and
``padding`` p zeros added on every side, an input of height H gives an output of height

    H_out = (H + 2p - kh) // s + 1            (the same for the width)

How the fast version works ("im2col"). Every output pixel is a dot product between one filter
and the kh x kw x C patch under it. Copy all the patches into the columns of one matrix, the
*column buffer* ``cols`` of shape (N, C*kh*kw, H_out*W_out); then the whole convolution is a
single (batched) matrix product ``weights.reshape(F, -1) @ cols``, which numpy hands to BLAS.
The copy needs one Python loop over the kh*kw kernel offsets, never over pixels:
offset (i, j) contributes the input pixels ``X[:, :, i::s, j::s]`` (cut to H_out x W_out).
The backward pass reuses ``cols``: dweights = dout @ cols.T, and the patch gradients
``weights.T @ dout`` are added back into the image offset by offset ("col2im").

For stride 1 a trick turns every copy into long contiguous runs, which numpy copies fastest:
the output is computed on a grid as wide as the padded input, Wp, so that offset (i, j) reads
one unbroken run of each flattened image, starting at i*Wp + j. The extra Wp - W_out columns
per row are thrown away after the product (their gradients are zero). An extra zero row at the
bottom of the padded image keeps the last run inside the array.

The column buffer holds C*kh*kw numbers per output pixel, so for big batches it is processed
in chunks of samples whose buffer stays under ``max_buffer_bytes`` (64 MiB unless changed);
``peak_buffer_bytes`` reports the largest buffer a layer has allocated (set it to 0 to start
counting again). Between forward and backward a layer keeps its column buffer only when the
whole batch fitted in one chunk; otherwise backward rebuilds the columns chunk by chunk.
"""

from numbers import Integral

import numpy as np

from . import init as initialisers
from .checks import non_negative_int, positive_int
from .layer import Layer

#: default upper bound for one column buffer (``Conv2D.max_buffer_bytes``)
MAX_BUFFER_BYTES = 64 * 2**20


def output_size(size, kernel_size, stride=1, padding=0):
    """Output length along one axis: ``(size + 2 * padding - kernel_size) // stride + 1``."""
    return (size + 2 * padding - kernel_size) // stride + 1


class Conv2D(Layer):
    """A 2-D convolution (strictly, a cross-correlation, as in every deep-learning library).

    ``output[n, f] = biases[f] + sum over c, i, j of weights[f, c, i, j] * X_padded[n, c,
    s*y + i, s*x + j]``.

    Shapes: inputs (N, in_channels, H, W); weights (out_channels, in_channels, kh, kw);
    biases (out_channels,); output (N, out_channels, H_out, W_out), see ``output_size``.

    Args:
        in_channels: channels of each input image (1 for grey, 3 for RGB).
        out_channels: number of filters, i.e. channels of the output.
        kernel_size: filter size, an int for a square kernel or a pair ``(kh, kw)``.
        stride: step between neighbouring output pixels, in input pixels.
        padding: zeros added on each of the four sides of the input.
        init: weight initialiser (``"he"`` by default, for ReLU networks), see ``nnlib.init``;
            fan_in = in_channels*kh*kw and fan_out = out_channels*kh*kw, as in PyTorch.
        rng: a seed or ``numpy.random.Generator`` for the initial weights.
        dtype: ``numpy.float64`` (default, for gradient checks) or ``numpy.float32`` (faster,
            and precise enough for training); inputs are converted to it.
    """

    param_names = ("weights", "biases")
    can_skip_input_gradient = True
    #: largest column buffer (bytes) to build at once; set on a layer to change it
    max_buffer_bytes = MAX_BUFFER_BYTES

    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0, *,
                 init="he", rng=None, dtype=np.float64):
        super().__init__()
        self.in_channels = positive_int(in_channels, "Conv2D in_channels")
        self.out_channels = positive_int(out_channels, "Conv2D out_channels")
        self.kernel_size = _pair(kernel_size, "Conv2D kernel_size")
        self.stride = positive_int(stride, "Conv2D stride")
        self.padding = non_negative_int(padding, "Conv2D padding")
        self.init = init
        kh, kw = self.kernel_size
        shape = (self.out_channels, self.in_channels, kh, kw)
        draw = initialisers.resolve(init)
        weights = draw(np.random.default_rng(rng), shape, self.in_channels * kh * kw,
                       self.out_channels * kh * kw)
        self.weights = np.asarray(weights, dtype=np.dtype(dtype))
        self.biases = np.zeros(self.out_channels, dtype=self.weights.dtype)
        self.dweights = None
        self.dbiases = None
        self.peak_buffer_bytes = 0
        self._padded = None
        self._cols = None

    # --- forward ------------------------------------------------------------------------
    def forward(self, inputs):
        """inputs (N, in_channels, H, W) -> output (N, out_channels, H_out, W_out)."""
        X = self._take_inputs(inputs)
        self._check_inputs(X)
        g = self._geometry(X.shape)
        self._padded = xp = self._pad(X, g)
        W2 = self.weights.reshape(self.out_channels, -1)   # (F, C*kh*kw)
        out = np.empty((len(X), self.out_channels, g.h_out, g.w_out), dtype=X.dtype)
        self._cols = None
        for rows in self._chunks(len(X), g):
            cols = self._im2col(xp[rows], g)                # (n, C*kh*kw, h_out*w_grid)
            wide = (W2 @ cols).reshape(len(cols), self.out_channels, g.h_out, g.w_grid)
            np.add(wide[..., :g.w_out], self.biases[:, None, None], out=out[rows])
            if rows.stop - rows.start == len(X):            # one chunk: keep it for backward
                self._cols = cols
        self.output = out
        return self.output

    # --- backward -----------------------------------------------------------------------
    def backward(self, dvalues, *, input_gradient=True):
        """dvalues (N, out_channels, H_out, W_out) -> dinputs (N, in_channels, H, W).

        Sets dweights (out_channels, in_channels, kh, kw): the sum over samples of
        dout @ cols.T; dbiases (out_channels,): dvalues summed over samples and pixels.
        With ``input_gradient=False`` (the first layer during training: nothing needs the
        gradient of the images) the patch gradients and col2im are skipped, ``dinputs`` is
        not computed and ``None`` is returned.
        """
        dvalues = self._take_dvalues(dvalues)
        g = self._geometry(self.inputs.shape)
        W2 = self.weights.reshape(self.out_channels, -1)
        dW2 = np.zeros_like(W2)
        dpadded = np.zeros(self._padded.shape, dtype=self._padded.dtype) if input_gradient \
            else None
        for rows in self._chunks(len(dvalues), g):
            cols = self._cols if self._cols is not None else self._im2col(self._padded[rows], g)
            dwide = self._widen(dvalues[rows], g)           # (n, F, h_out*w_grid)
            dW2 += (dwide @ cols.transpose(0, 2, 1)).sum(axis=0)
            if input_gradient:
                dcols = W2.T @ dwide                        # (n, C*kh*kw, h_out*w_grid)
                self._note_buffer(dcols)
                self._col2im(dcols, dpadded[rows], g)
        self.dweights = dW2.reshape(self.weights.shape)
        self.dbiases = dvalues.sum(axis=0).reshape(self.out_channels, -1).sum(axis=1)
        if not input_gradient:
            self.dinputs = None
            return None
        p = self.padding
        H, W = self.inputs.shape[2:]
        self.dinputs = np.ascontiguousarray(dpadded[:, :, p:p + H, p:p + W])
        return self.dinputs

    def config(self):
        kh, kw = self.kernel_size
        config = {"in_channels": self.in_channels, "out_channels": self.out_channels,
                  "kernel_size": kh if kh == kw else [kh, kw]}
        if self.stride != 1:
            config["stride"] = self.stride
        if self.padding:
            config["padding"] = self.padding
        if self.weights.dtype != np.float64:
            config["dtype"] = self.weights.dtype.name
        return config

    # --- the column buffer ----------------------------------------------------------------
    def _im2col(self, xp, g):
        """Padded images (n, C, ...) -> column buffer (n, C*kh*kw, h_out*w_grid)."""
        n, C = xp.shape[:2]
        kh, kw = self.kernel_size
        cols = np.empty((n, C, kh, kw, g.h_out, g.w_grid), dtype=xp.dtype)
        for i in range(kh):
            for j in range(kw):
                cols[:, :, i, j] = self._window(xp, g, i, j)
        self._note_buffer(cols)
        return cols.reshape(n, C * kh * kw, g.h_out * g.w_grid)

    def _col2im(self, dcols, dxp, g):
        """Add the patch gradients (n, C*kh*kw, h_out*w_grid) into dxp (n, C, ...) in place."""
        n, C = dxp.shape[:2]
        kh, kw = self.kernel_size
        dcols = dcols.reshape(n, C, kh, kw, g.h_out, g.w_grid)
        for i in range(kh):
            for j in range(kw):
                self._window(dxp, g, i, j)[...] += dcols[:, :, i, j]

    def _window(self, xp, g, i, j):
        """View (n, C, h_out, w_grid) of the padded pixels that kernel offset (i, j) meets."""
        n, C = xp.shape[:2]
        if self.stride == 1:  # one contiguous run of the flattened image (see module docs)
            start = i * g.w_padded + j
            run = xp.reshape(n, C, -1)[:, :, start:start + g.h_out * g.w_grid]
            return run.reshape(n, C, g.h_out, g.w_grid)
        s = self.stride
        return xp[:, :, i:i + s * (g.h_out - 1) + 1:s, j:j + s * (g.w_out - 1) + 1:s]

    def _widen(self, dvalues, g):
        """Gradients (n, F, h_out, w_out) -> (n, F, h_out*w_grid), zero in the extra columns."""
        n = len(dvalues)
        if g.w_grid == g.w_out:
            return dvalues.reshape(n, self.out_channels, -1)
        wide = np.zeros((n, self.out_channels, g.h_out, g.w_grid), dtype=dvalues.dtype)
        wide[..., :g.w_out] = dvalues
        return wide.reshape(n, self.out_channels, -1)

    def _pad(self, X, g):
        """Zero-padded copy of X, (N, C, Hp (+1 for stride 1), Wp)."""
        if self.padding == 0 and g.extra_rows == 0:
            return np.ascontiguousarray(X)
        p = self.padding
        xp = np.zeros((len(X), self.in_channels, g.h_padded + g.extra_rows, g.w_padded),
                      dtype=X.dtype)
        xp[:, :, p:p + X.shape[2], p:p + X.shape[3]] = X
        return xp

    def _chunks(self, n_samples, g):
        """Slices of at most as many samples as fit in ``max_buffer_bytes`` of columns."""
        kh, kw = self.kernel_size
        per_sample = (self.in_channels * kh * kw * g.h_out * g.w_grid
                      * self.weights.dtype.itemsize)
        size = max(1, int(self.max_buffer_bytes // per_sample))
        return [slice(start, min(start + size, n_samples)) for start in range(0, n_samples, size)]

    def _note_buffer(self, array):
        self.peak_buffer_bytes = max(self.peak_buffer_bytes, array.nbytes)

    # --- shapes and checks ----------------------------------------------------------------
    def _geometry(self, shape):
        H, W = shape[2:]
        kh, kw = self.kernel_size
        p, s = self.padding, self.stride
        h_out, w_out = output_size(H, kh, s, p), output_size(W, kw, s, p)
        w_padded = W + 2 * p
        return _Geometry(
            h_out=h_out, w_out=w_out, h_padded=H + 2 * p, w_padded=w_padded,
            w_grid=w_padded if s == 1 else w_out,
            extra_rows=1 if s == 1 and kw > 1 else 0,
        )

    def _check_inputs(self, X):
        _check_images(X, self, self.in_channels)
        _check_fits(X.shape, self.kernel_size, self.padding, self)

    def _describe(self):
        """The layer's name in error messages, e.g. ``Conv2D(1 -> 8, kernel 3x3)``."""
        kh, kw = self.kernel_size
        return f"Conv2D({self.in_channels} -> {self.out_channels}, kernel {kh}x{kw})"


class _Pool2D(Layer):
    """Shared parts of the pooling layers: arguments, output shape, window views."""

    def __init__(self, kernel_size, stride=None):
        super().__init__()
        kind = type(self).__name__
        self.kernel_size = _pair(kernel_size, f"{kind} kernel_size")
        self._stride_argument = stride
        self.stride = self.kernel_size if stride is None else _pair(stride, f"{kind} stride")

    def config(self):
        kh, kw = self.kernel_size
        config = {"kernel_size": kh if kh == kw else [kh, kw]}
        if self._stride_argument is not None:
            sh, sw = self.stride
            config["stride"] = sh if sh == sw else [sh, sw]
        return config

    def _start(self, inputs):
        """Take and check the inputs; return them and the output size."""
        X = self._take_inputs(inputs)
        _check_images(X, self)
        _check_fits(X.shape, self.kernel_size, 0, self)
        (kh, kw), (sh, sw) = self.kernel_size, self.stride
        return X, (output_size(X.shape[2], kh, sh), output_size(X.shape[3], kw, sw))

    def _describe(self):
        """The layer's name in error messages, e.g. ``MaxPool2D(kernel_size=2)``."""
        return repr(self)

    def _windows(self, X, out_size):
        """The kh*kw views (N, C, H_out, W_out): element ``k = i*kw + j`` of every window."""
        (kh, kw), (sh, sw) = self.kernel_size, self.stride
        h, w = out_size
        return [X[:, :, i:i + sh * (h - 1) + 1:sh, j:j + sw * (w - 1) + 1:sw]
                for i in range(kh) for j in range(kw)]

    def _overlapping(self):
        return any(s < k for s, k in zip(self.stride, self.kernel_size, strict=True))


class MaxPool2D(_Pool2D):
    """Keep the largest value of each ``kh x kw`` window; windows step by ``stride``.

    Shapes: inputs (N, C, H, W) -> output (N, C, H_out, W_out) with
    H_out = (H - kh) // stride + 1; rows or columns left over at the edge are dropped.
    ``stride`` defaults to ``kernel_size`` (windows side by side, no overlap).

    Backward sends each window's gradient to ONE input: the first maximum in row-major order,
    as PyTorch does. (After a ReLU many windows hold several zeros; sending the gradient to
    all of them would count it several times.)
    """

    def forward(self, inputs):
        """inputs (N, C, H, W) -> output (N, C, H_out, W_out): the maximum of each window."""
        X, out_size = self._start(inputs)
        windows = self._windows(X, out_size)
        best = windows[0].copy()
        for window in windows[1:]:
            np.maximum(best, window, out=best)
        self.output = best
        return self.output

    def backward(self, dvalues):
        """dvalues (N, C, H_out, W_out) -> dinputs (N, C, H, W), non-zero at one max per window."""
        dvalues = self._take_dvalues(dvalues)
        self.dinputs = np.zeros_like(self.inputs)
        remaining = dvalues.copy()      # gradient of the windows whose maximum is not found yet
        add = self._overlapping()
        for window, dwindow in zip(self._windows(self.inputs, self.output.shape[2:]),
                                   self._windows(self.dinputs, self.output.shape[2:]),
                                   strict=True):
            share = remaining * (window == self.output)   # non-zero only at a first maximum
            if add:
                dwindow += share
            else:
                dwindow[...] = share
            remaining -= share                            # that window is now done
        return self.dinputs


class AvgPool2D(_Pool2D):
    """Average each ``kh x kw`` window; windows step by ``stride`` (default ``kernel_size``).

    Shapes: inputs (N, C, H, W) -> output (N, C, H_out, W_out), H_out = (H - kh) // stride + 1.
    Backward shares each window's gradient equally among its kh*kw inputs.
    """

    def forward(self, inputs):
        """inputs (N, C, H, W) -> output (N, C, H_out, W_out): the mean of each window."""
        X, out_size = self._start(inputs)
        windows = self._windows(X, out_size)
        total = windows[0].copy()
        for window in windows[1:]:
            total += window
        total /= len(windows)
        self.output = total
        return self.output

    def backward(self, dvalues):
        """dvalues (N, C, H_out, W_out) -> dinputs (N, C, H, W)."""
        dvalues = self._take_dvalues(dvalues)
        share = dvalues / (self.kernel_size[0] * self.kernel_size[1])
        self.dinputs = np.zeros_like(self.inputs)
        add = self._overlapping()
        for dwindow in self._windows(self.dinputs, self.output.shape[2:]):
            if add:
                dwindow += share
            else:
                dwindow[...] = share
        return self.dinputs


class Flatten(Layer):
    """Turn each sample into one row: (N, C, H, W) -> (N, C*H*W), the input a ``Dense`` needs.

    Any array with a sample axis first works: (N, d1, ..., dk) -> (N, d1*...*dk).
    Backward reshapes the gradient back to the input's shape.
    """

    def forward(self, inputs):
        X = self._take_inputs(inputs)
        if X.ndim < 2:
            raise ValueError(
                f"Flatten needs an array with a sample axis first, such as (N, C, H, W), "
                f"but got shape {X.shape} ({X.ndim}-D)"
            )
        self.output = X.reshape(len(X), -1)
        return self.output

    def backward(self, dvalues):
        dvalues = self._take_dvalues(dvalues)
        self.dinputs = dvalues.reshape(self.inputs.shape)
        return self.dinputs


class _Geometry:
    """Sizes of one convolution: output, padded input, and the grid the columns use."""

    def __init__(self, *, h_out, w_out, h_padded, w_padded, w_grid, extra_rows):
        self.h_out, self.w_out = h_out, w_out
        self.h_padded, self.w_padded = h_padded, w_padded
        self.w_grid, self.extra_rows = w_grid, extra_rows


def _check_images(X, layer, channels=None):
    """Raise ``ValueError`` unless X is (N, channels, H, W), suggesting the fix."""
    if X.ndim != 4:
        expected = "C" if channels is None else channels
        hint = {
            2: "; for one grey image use x[None, None]",
            3: "; for one image use x[None]",
        }.get(X.ndim, "")
        raise ValueError(
            f"{layer._describe()} got inputs of shape {X.shape} ({X.ndim}-D), but it needs a "
            f"4-D array (n_samples, {expected}, height, width){hint}"
        )
    if channels is not None and X.shape[1] != channels:
        raise ValueError(
            f"{layer._describe()} got inputs of shape {X.shape}: they have {X.shape[1]} "
            f"channel(s) on axis 1 but the layer expects {channels} (its weights are "
            f"{layer.weights.shape}); images are NCHW, channels second"
        )


def _check_fits(shape, kernel_size, padding, layer):
    """Raise ``ValueError`` when the kernel is larger than the (padded) image."""
    H, W = shape[2:]
    kh, kw = kernel_size
    if kh > H + 2 * padding or kw > W + 2 * padding:
        padded = f" padded by {padding} on each side to {H + 2 * padding}x{W + 2 * padding}" \
            if padding else ""
        remedies = "a smaller kernel, more padding" if hasattr(layer, "padding") \
            else "a smaller kernel"
        raise ValueError(
            f"{layer._describe()} got images of {H}x{W} pixels{padded}: the {kh}x{kw} kernel "
            f"does not fit inside; use {remedies} or larger images"
        )


def _pair(value, name):
    """Return ``(a, b)`` from an int or a pair of ints, each at least 1."""
    if isinstance(value, (tuple, list)):
        if len(value) != 2:
            raise ValueError(f"{name} must be an int or a pair (height, width), but got {value!r}")
        return positive_int(value[0], name), positive_int(value[1], name)
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise TypeError(
            f"{name} must be an int or a pair (height, width) of ints, but got {value!r} "
            f"({type(value).__name__})"
        )
    size = positive_int(value, name)
    return size, size


