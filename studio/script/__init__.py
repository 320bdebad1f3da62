"""The screenplay: Fountain and Final Draft import, the Fountain writer, breakdown, the report."""
