from pathlib import Path

import pytest

from studio.services.project import new_project


@pytest.fixture
def project(tmp_path: Path):
    """A new, empty project opened for writing."""
    opened = new_project(tmp_path / "film", name="Test Film")
    yield opened
    opened.close()
