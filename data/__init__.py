"""Endroll's data layer: schema, engine, migrations, reference data, importers and the demo studio."""
