"""The engine: every number the workbook caches or shows (the forecast, its checks, every
scenario side by side, the what-ifs and the flags), from the resolved model."""
