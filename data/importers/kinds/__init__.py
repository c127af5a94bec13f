"""One module per import kind. Each registers its formats in :mod:`data.importers.registry` when imported; every
module of this package is imported here, so a new kind is one new file.

A kind module holds its columns (and header aliases), its parser (a row → a dict of values or a RowError), its
writer (its natural key, its upsert, over the shared machinery of :mod:`data.importers.upsert` and
:mod:`data.importers.natural`) and its :func:`data.importers.registry.register` call.
"""

from __future__ import annotations

import importlib
import pkgutil

for _module in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_module.name}")
