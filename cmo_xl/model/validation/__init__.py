"""The rules a spec must meet beyond its schema, judged on the resolved model and, for the
checks, on the engine's numbers: the layer that reads all the others."""
