"""Exercises of chapter 00 (introduction): three "predict" questions.

    from nnlib.exercises import ch00
    ch00.check_shape(shape)

Each check prints one line (a pass mark or a hint naming the likely mistake) and returns
True or False; none of them raises.
"""

from . import check_value, exercise, not_attempted, report, report_not_attempted

# --- 1. predict a shape ---------------------------------------------------------------------

#: the array of exercise 1: np.array(SHAPE_ROWS)
SHAPE_ROWS = [[1.0, 0.5, -2.0, 3.0],
              [0.0, 1.5, 4.0, -1.0],
              [2.5, 2.0, 0.0, 1.0]]
SHAPE = (3, 4)


@exercise(solution=(3, 4), wrong=[(4, 3), 12, 2])
def check_shape(answer):
    """The shape of np.array(SHAPE_ROWS): 3 rows (samples) of 4 numbers (features)."""
    return check_value(
        answer, SHAPE, name="shape",
        mistakes={
            "a shape lists the rows first, then the columns: how many inner lists are there?":
                SHAPE[::-1],
            "12 is the number of elements (the array's .size); a shape gives the length along "
            "each axis, as a tuple such as (rows, columns).": 12,
            "2 is the number of axes (the array's .ndim); write the length along each of them, "
            "as a tuple.": 2,
        },
        explain="3 inner lists of 4 numbers each give shape (3, 4): 3 samples with 4 features.",
    )


# --- 2. supervised or unsupervised ----------------------------------------------------------

#: the four tasks of exercise 2, in order
TASKS = (
    "predict tomorrow's electricity use from past days whose use was recorded",
    "sort a shop's customers into groups of similar shoppers; nobody says what the groups are",
    "tell handwritten digits apart, learning from images that people have labelled 0 to 9",
    "squeeze photos into 10 numbers each, so that the photos can be rebuilt from them",
)
LEARNING_KINDS = ("supervised", "unsupervised")
KINDS = ["supervised", "unsupervised", "supervised", "unsupervised"]
_WHY = (
    "the recorded use is the label each past day comes with",
    "no labels: the net has to find the groups itself",
    "the digit each image shows is its label",
    "the photo itself is the target; no one labelled anything (an autoencoder)",
)


@exercise(solution=list(KINDS),
          wrong=[["supervised"] * 4, ["unsupervised", "supervised", "unsupervised", "supervised"],
                 ["supervised", "unsupervised", "supervised", "supervised"]])
def check_learning_kinds(answer):
    """A list of four words, "supervised" or "unsupervised", one for each task in TASKS."""
    name = "kinds"
    if not_attempted(answer) or (isinstance(answer, (list, tuple))
                                 and any(a is Ellipsis for a in answer)):
        return report_not_attempted(name)
    if not isinstance(answer, (list, tuple)) or len(answer) != len(TASKS):
        return report(False, f"{name}: write a list of {len(TASKS)} words, one per task, e.g. "
                             f"['supervised', 'unsupervised', ...]; you wrote {answer!r}")
    words = [str(a).strip().lower() for a in answer]
    unknown = [w for w in words if w not in LEARNING_KINDS]
    if unknown:
        return report(False, f"{name}: each entry must be 'supervised' or 'unsupervised', "
                             f"not {unknown[0]!r}")
    wrong = [i for i, (w, k) in enumerate(zip(words, KINDS, strict=True)) if w != k]
    if not wrong:
        return report(True, f"{name}: all four right. Labels (a right answer to copy) are what "
                            "make learning supervised.")
    i = wrong[0]
    ask = ("is there a right answer that comes with each example?" if KINDS[i] == "supervised"
           else "does anyone give the net a right answer for each example?")
    return report(False, f"{name}: {len(wrong)} of 4 wrong. Look again at task {i + 1} "
                         f"({TASKS[i]}): {ask}")


# --- 3. how many layers ---------------------------------------------------------------------

N_LAYERS = 3  # Dense(4, 16), Dense(16, 16), Dense(16, 2); the ReLUs are their activations


@exercise(solution=N_LAYERS, wrong=[5, 2, 4])
def check_layer_count(answer):
    """How many layers of neurons the exercise's Sequential has (count the Dense layers)."""
    return check_value(
        answer, N_LAYERS, name="layers",
        mistakes={
            "you counted the ReLU objects as layers too; a ReLU has no neurons of its own, it "
            "only changes the outputs of the Dense layer before it.": 5,
            "you counted only the hidden layers; the output layer Dense(16, 2) is a layer of "
            "neurons as well.": 2,
            "the 4 inputs are not neurons that compute anything; count the Dense layers.": 4,
        },
        explain="Three Dense layers (two hidden, one output), so by our definition the network "
                "is deep.",
    )


__all__ = ["check_shape", "check_learning_kinds", "check_layer_count", "SHAPE_ROWS", "TASKS"]
