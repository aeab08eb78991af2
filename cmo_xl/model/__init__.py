"""The model: the spec, its rules, the resolved model and the engine. Never imports the workbook."""
