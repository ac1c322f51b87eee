"""nnlib: the small numpy neural-network library of the course.

    import nnlib as nn
    X, y = nn.data.spiral(100, 3, rng=0)
    model = nn.Sequential(nn.Dense(2, 64, rng=0), nn.ReLU(), nn.Dense(64, 3, rng=1))
    history = model.fit(X, y, loss=nn.SoftmaxCrossEntropy(), optimizer=nn.Adam(0.02), epochs=200)

Every layer follows one contract (``nnlib.layer``); every loss another (``nnlib.losses``);
every optimizer a third (``nnlib.optim``).
"""

from . import data, digits, init
from .activations import LeakyReLU, Linear, ReLU, Sigmoid, Softmax, Step, Tanh
from .conv import AvgPool2D, Conv2D, Flatten, MaxPool2D
from .gradcheck import gradcheck, numerical_gradient, relative_error
from .io import load, save
from .layer import Layer
from .layers import Dense, Dropout
from .losses import (
    BinaryCrossEntropy,
    CategoricalCrossEntropy,
    MeanSquaredError,
    SoftmaxCrossEntropy,
    accuracy,
)
from .model import EarlyStopping, History, Sequential, Trainer
from .optim import SGD, Adam, RMSprop
from .threads import limit_blas_threads

limit_blas_threads()

__version__ = "0.1.0"

__all__ = [
    "data", "digits", "init", "Layer", "Dense", "Dropout",
    "Conv2D", "MaxPool2D", "AvgPool2D", "Flatten",
    "Step", "Linear", "Sigmoid", "Tanh", "ReLU", "LeakyReLU", "Softmax",
    "MeanSquaredError", "BinaryCrossEntropy", "CategoricalCrossEntropy", "SoftmaxCrossEntropy",
    "accuracy", "SGD", "Adam", "RMSprop", "Sequential", "Trainer", "History", "EarlyStopping",
    "gradcheck", "numerical_gradient", "relative_error", "save", "load", "limit_blas_threads",
]
