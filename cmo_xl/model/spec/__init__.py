"""The spec as the user writes it: the schema, the YAML file's reading, units, and the
names Excel allows. It imports no other layer of the model."""
