"""A check for exercises whose answer is a tuple of arrays, e.g. ``(dinputs, dweights)``.

``check_function`` compares one output; a backward pass returns several, and a learner needs
to hear *which* of them is wrong ("dweights: your output has shape (3, 2), expected (2, 3)").
This helper runs ``check_function`` with a comparison that checks each part by name.
"""

from . import check_function, compare


def check_parts(fn, cases, reference, *, name, parts, mistakes=None, rtol=1e-6, atol=1e-9):
    """Run ``fn`` on each hidden case and compare each returned part with ``reference``'s.

    ``parts`` names the tuple elements, e.g. ``("dinputs", "dweights", "dbiases")``.
    ``mistakes`` maps a hint to a function returning what a typical wrong answer returns; when
    every part of the learner's answer matches it, that hint is printed.
    """

    def compare_parts(got, expected, *, rtol, atol):
        if not isinstance(got, (tuple, list)) or len(got) != len(parts):
            length = f" of length {len(got)}" if hasattr(got, "__len__") else ""
            return (f"it should return {len(parts)} arrays, ({', '.join(parts)}), but returned "
                    f"{type(got).__name__}{length}")
        for part, got_part, expected_part in zip(parts, got, expected, strict=True):
            problem = compare(got_part, expected_part, rtol=rtol, atol=atol)
            if problem is not None:
                return f"{part}: {problem}"
        return None

    return check_function(fn, cases, reference, name=name, mistakes=mistakes, rtol=rtol,
                          atol=atol, comparison=compare_parts)
