"""Chapter-specific interactive explorers, each built on the generic helpers of ``nnlib.widgets``.

Every module offers plain drawing functions (matplotlib Figures, usable in static pages and
tests) and one explorer class that puts controls in front of them:

- ``shapes``: the shape rule of the matrix product, (m, n) @ (n, p) -> (m, p) (chapter 03);
- ``capacity``: what a small net can represent, by activation and hidden width (chapter 04);
- ``loss``: move a prediction and watch each loss respond (chapter 05);
- ``graph``: step forward and backward through a small computational graph (chapter 06);
- ``regularization``: penalty strength and dropout rate against the boundary (chapter 07);
- ``kernels``: pick or edit a convolution kernel, stride and padding (chapter 08).
"""
