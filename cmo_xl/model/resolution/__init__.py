"""The resolved model: every input with its default, override, defined name, label and
provenance settled once, the scenarios applied as the switch applies them, and the table of
input kinds. It reads the spec layer and the growth math, nothing above."""
