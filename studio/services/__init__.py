"""Use-cases that the CLI, the desktop app, the tests and a render farm all call."""
