"""The one contract every nnlib layer and activation follows.

``forward(inputs)`` computes the output, stores it as ``self.output`` and returns it.
``backward(dvalues)`` takes the gradient of the loss with respect to that output and
computes the gradient with respect to the inputs, stores it as ``self.dinputs`` and returns
it; a layer with parameters also sets ``d<name>`` for each parameter (``dweights``,
``dbiases``). Gradients are *set*, not accumulated: calling ``backward`` twice with the same
``dvalues`` gives the same result.

``parameters()`` lists ``(value, gradient)`` pairs; every optimizer updates ``value`` in place.
"""

from abc import ABC, abstractmethod

from .checks import as_float_array, check_gradient_shape


class Layer(ABC):
    """Base class: holds the forward/backward bookkeeping shared by every layer."""

    #: names of the parameter arrays; the gradient of ``name`` is stored as ``d<name>``
    param_names = ()
    #: True when ``backward`` accepts ``input_gradient=False`` (see ``Sequential.backward``)
    can_skip_input_gradient = False

    def __init__(self):
        self.training = True
        self.inputs = None
        self.output = None
        self.dinputs = None

    # --- the contract -------------------------------------------------------------------
    @abstractmethod
    def forward(self, inputs):
        """Compute, store (``self.output``) and return the output for ``inputs``."""

    @abstractmethod
    def backward(self, dvalues):
        """Compute, store (``self.dinputs``) and return the gradient for the inputs."""

    def parameters(self):
        """Return ``[(value, gradient), ...]``; gradients are ``None`` before ``backward``."""
        return [(getattr(self, name), getattr(self, "d" + name, None)) for name in self.param_names]

    def penalty(self):
        """The regularisation loss this layer adds to the data loss (0 for most layers)."""
        return 0.0

    def config(self):
        """Constructor arguments that rebuild this layer (used by ``nnlib.save``)."""
        return {}

    # --- helpers for subclasses ---------------------------------------------------------
    def _take_inputs(self, inputs):
        """Convert and remember the inputs of a forward pass."""
        self.inputs = as_float_array(inputs, _Named(self, " inputs"), self.dtype)
        return self.inputs

    def _take_dvalues(self, dvalues):
        """Check that forward ran and that ``dvalues`` has the shape of the output."""
        if self.output is None:
            raise RuntimeError(
                f"{self!r}.backward() was called before forward(): run a forward pass first "
                "so the layer knows its inputs"
            )
        dvalues = as_float_array(dvalues, _Named(self, " gradient"), self.output.dtype)
        check_gradient_shape(dvalues, self.output.shape, _Named(self))
        return dvalues

    @property
    def dtype(self):
        """The float type of the layer's parameters; layers without any follow their inputs."""
        weights = getattr(self, "weights", None)
        return weights.dtype if weights is not None else None

    def __repr__(self):
        arguments = ", ".join(f"{key}={value!r}" for key, value in self.config().items())
        return f"{type(self).__name__}({arguments})"


class _Named:
    """A layer's name for an error message, such as "Dense(...) inputs", built only if needed.

    Formatting ``repr(layer)`` on every forward pass costs more than some layers' arithmetic.
    """

    def __init__(self, layer, suffix=""):
        self.layer, self.suffix = layer, suffix

    def __str__(self):
        return f"{self.layer!r}{self.suffix}"
