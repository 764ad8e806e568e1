"""Writing records out: Arrow/Parquet, CSV and the Frictionless descriptor.  Exporters never parse."""
