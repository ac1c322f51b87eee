"""The two README commands: shown first, quick the second time, and conda-friendly."""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
needs_make = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


def make_dry_run(target, **env):
    result = subprocess.run(["make", "-n", target], cwd=ROOT, capture_output=True, text=True,
                            env={**os.environ, **env}, check=True)
    return result.stdout


def test_readme_shows_the_two_commands_first():
    text = (ROOT / "README.md").read_text()
    first_block = re.search(r"```bash\n(.*?)```", text, re.S).group(1)
    assert first_block.splitlines()[0].startswith("make lab")
    assert first_block.splitlines()[1].startswith("make test")
    for route in ("conda env create -f environment.yml", "Binder"):
        assert route in text


@needs_make
def test_make_test_inside_an_active_conda_environment_uses_it_instead_of_a_venv():
    commands = make_dry_run("test", CONDA_DEFAULT_ENV="nn-course")
    assert "python -m pytest --nbval-lax --nbval-current-env -q -rs" in commands
    assert "python -m pytest -q -rs tests/browser" in commands
    assert ".venv" not in commands


@needs_make
def test_make_test_outside_conda_uses_the_venv_and_nbval():
    env = {"CONDA_DEFAULT_ENV": "base"}
    commands = make_dry_run("test", **env)
    assert ".venv/bin/python -m pytest --nbval-lax --nbval-current-env -q -rs" in commands
    assert ".venv/bin/python -m ruff check" in commands


@needs_make
def test_make_lab_opens_jupyterlab_on_the_course():
    commands = make_dry_run("lab", CONDA_DEFAULT_ENV="base")
    assert re.search(r"-m jupyter lab .*notebooks/00_introduction\.ipynb", commands)


@needs_make
@pytest.mark.skipif(not (ROOT / ".venv/.installed").exists(), reason="no .venv made by make")
def test_second_run_reinstalls_nothing_when_pyproject_is_unchanged():
    stamp, pyproject = ROOT / ".venv/.installed", ROOT / "pyproject.toml"
    if stamp.stat().st_mtime < pyproject.stat().st_mtime:
        pytest.skip("pyproject.toml changed since the environment was made")
    result = subprocess.run(["make", "-q", "env"], cwd=ROOT, capture_output=True,
                            env={**os.environ, "CONDA_DEFAULT_ENV": "base"})
    assert result.returncode == 0, "make would rebuild the environment with nothing changed"
