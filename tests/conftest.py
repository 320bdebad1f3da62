import os

from hypothesis import settings

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

# No deadlines: the 2 shared cores make timings meaningless (speed is measured in bench/).
# In CI the examples are derandomised, so a green run stays green; locally they vary and search.
settings.register_profile("studio", deadline=None)
settings.register_profile("ci", deadline=None, derandomize=True)
settings.load_profile("ci" if os.environ.get("CI") else "studio")
