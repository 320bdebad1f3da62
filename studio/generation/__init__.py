"""Generation: frozen requests, backends behind a protocol, the model library, the take cache."""
