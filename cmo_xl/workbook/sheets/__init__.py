"""One module per sheet; each has one entry point that returns a SheetPlan."""
