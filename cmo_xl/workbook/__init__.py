"""The workbook: plan records, sheets, rendering with openpyxl, publishing the file."""
