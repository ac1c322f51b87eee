"""environment.yml (conda, Binder) and pyproject.toml (pip) describe the same environment.

Both must name the same packages with the same version ranges, and neither may pin an exact
version (exact pins are the top complaint against d2l: d2l-en#2608). The comparison covers
pyproject's dependencies plus its ``lab`` and ``test`` extras against environment.yml's conda list
and pip list, leaving out python, pip and the ``-e .`` line that installs nnlib itself.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10: the same parser, as vendored by pip
    from pip._vendor import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
EXTRAS = ("lab", "test")
NOT_COMPARED = {"python", "pip"}

_REQUIREMENT = re.compile(r"^\s*(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)\s*(?P<spec>.*?)\s*$")


def normalise_name(name: str) -> str:
    """PEP 503: 'Jupyter_Lab' and 'jupyter-lab' are the same package."""
    return re.sub(r"[-_.]+", "-", name).lower()


def parse_requirement(text: str) -> tuple[str, str]:
    """'numpy >=1.24, <3' -> ('numpy', '<3,>=1.24'): the name and its sorted specifiers."""
    match = _REQUIREMENT.match(text.split("#")[0].split(";")[0])
    if not match:
        raise ValueError(f"cannot read the requirement {text!r}")
    specs = sorted(s.strip().replace(" ", "") for s in match["spec"].split(",") if s.strip())
    return normalise_name(match["name"]), ",".join(specs)


def environment_dependencies(text: str) -> list[str]:
    """The entries of environment.yml's ``dependencies:`` list, pip's sub-list included.

    A small reader for the plain YAML that environment files use (``key:`` lines and ``- item``
    lists, comments), so the test needs no YAML library.
    """
    entries = []
    inside = False
    for raw in text.splitlines():
        line = raw.split(" #")[0].rstrip() if not raw.lstrip().startswith("#") else ""
        if not line.strip():
            continue
        if not line.startswith((" ", "-")):
            inside = line.strip() == "dependencies:"
            continue
        if inside:
            item = line.strip()
            if not item.startswith("- "):
                raise ValueError(f"unexpected line in dependencies: {raw!r}")
            item = item[2:].strip()
            if item.endswith(":"):  # the start of pip's sub-list
                continue
            entries.append(item.strip("'\""))
    return entries


def environment_requirements(text: str) -> dict[str, str]:
    """{name: specifiers} of environment.yml, without python, pip and ``-e .``."""
    reqs = {}
    for entry in environment_dependencies(text):
        if entry.startswith("-e ") or entry in {".", "-e."}:
            continue
        name, spec = parse_requirement(entry)
        if name not in NOT_COMPARED:
            reqs[name] = spec
    return reqs


def pyproject_requirements(data: dict) -> dict[str, str]:
    """{name: specifiers} of pyproject's dependencies plus the lab and test extras."""
    project = data["project"]
    entries = list(project.get("dependencies", []))
    for extra in EXTRAS:
        entries += project.get("optional-dependencies", {}).get(extra, [])
    return dict(parse_requirement(entry) for entry in entries)


def differences(pip_reqs: dict[str, str], conda_reqs: dict[str, str]) -> list[str]:
    """Plain-words differences between the two requirement sets (empty when they agree)."""
    out = []
    for name in sorted(pip_reqs.keys() | conda_reqs.keys()):
        if name not in conda_reqs:
            out.append(f"{name} is in pyproject.toml but not in environment.yml")
        elif name not in pip_reqs:
            out.append(f"{name} is in environment.yml but not in pyproject.toml")
        elif pip_reqs[name] != conda_reqs[name]:
            out.append(f"{name}: pyproject.toml says {pip_reqs[name] or 'any version'!r}, "
                       f"environment.yml says {conda_reqs[name] or 'any version'!r}")
    return out


def exact_pins(reqs: dict[str, str]) -> list[str]:
    """Requirements pinned to one version: '==1.2', '===1.2' or conda's '=1.2'."""
    return [f"{name}{spec}" for name, spec in reqs.items()
            if any(s.startswith("=") for s in spec.split(","))]


def unranged(reqs: dict[str, str]) -> list[str]:
    """Requirements with no version range at all (a bare name)."""
    return [name for name, spec in reqs.items() if not spec]


@pytest.fixture(scope="module")
def pip_reqs():
    with open(ROOT / "pyproject.toml", "rb") as f:
        return pyproject_requirements(tomllib.load(f))


@pytest.fixture(scope="module")
def conda_reqs():
    return environment_requirements((ROOT / "environment.yml").read_text(encoding="utf-8"))


def test_environment_yml_and_pyproject_name_the_same_packages_and_ranges(pip_reqs, conda_reqs):
    assert pip_reqs, "read no requirements from pyproject.toml"
    problems = differences(pip_reqs, conda_reqs)
    assert not problems, "\n".join(problems)


def test_no_exact_pins(pip_reqs, conda_reqs):
    pins = exact_pins(pip_reqs) + exact_pins(conda_reqs)
    assert not pins, f"exact pins (use a range such as >=1.24,<3): {pins}"


def test_every_requirement_has_a_version_range(pip_reqs, conda_reqs):
    bare = unranged(pip_reqs) + unranged(conda_reqs)
    assert not bare, f"give these a version range: {bare}"


def test_environment_reader_agrees_with_pyyaml():
    yaml = pytest.importorskip("yaml", reason="PyYAML is not installed (it is not a dependency)")
    text = (ROOT / "environment.yml").read_text(encoding="utf-8")
    expected = []
    for item in yaml.safe_load(text)["dependencies"]:
        expected += item["pip"] if isinstance(item, dict) else [item]
    assert environment_dependencies(text) == expected


# The helpers above must be able to fail.

BAD_ENVIRONMENT = """\
name: demo
dependencies:
  - python>=3.10
  - numpy >=1.24, <2   # a different range
  - matplotlib=3.8     # conda's exact pin
  - scipy>=1.10        # not in pyproject
  - pip
  - pip:
      - -e .
      - ruff==0.4.1    # pip's exact pin
"""

BAD_PYPROJECT = {
    "project": {
        "dependencies": ["numpy>=1.24,<3", "matplotlib>=3.7", "pillow"],
        "optional-dependencies": {"test": ["ruff==0.4.1"], "docs": ["sphinx>=7"]},
    }
}


def test_reader_finds_conda_and_pip_entries():
    assert environment_requirements(BAD_ENVIRONMENT) == {
        "numpy": "<2,>=1.24", "matplotlib": "=3.8", "scipy": ">=1.10", "ruff": "==0.4.1",
    }


def test_mismatches_are_reported():
    problems = differences(pyproject_requirements(BAD_PYPROJECT),
                           environment_requirements(BAD_ENVIRONMENT))
    assert problems == [
        "matplotlib: pyproject.toml says '>=3.7', environment.yml says '=3.8'",
        "numpy: pyproject.toml says '<3,>=1.24', environment.yml says '<2,>=1.24'",
        "pillow is in pyproject.toml but not in environment.yml",
        "scipy is in environment.yml but not in pyproject.toml",
    ]


def test_pins_and_bare_names_are_reported():
    assert sorted(exact_pins(environment_requirements(BAD_ENVIRONMENT))) == [
        "matplotlib=3.8", "ruff==0.4.1"]
    assert unranged(pyproject_requirements(BAD_PYPROJECT)) == ["pillow"]
