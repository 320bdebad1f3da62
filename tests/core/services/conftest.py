"""A project with a short screenplay imported, for the service tests."""

import pytest

from studio.services.script import import_script

SCRIPT = """EXT. DUNES - DAY

Wind combs the sand.

ASH
Keep walking.

ASH
(whispering)
They can hear us.
"""


@pytest.fixture
def scripted(project, tmp_path):
    path = tmp_path / "dunes.fountain"
    path.write_text(SCRIPT)
    import_script(project, path)
    return project
