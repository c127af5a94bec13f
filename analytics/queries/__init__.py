"""SQL → frames: the only analytics modules that build SQL. Each function takes the session first and a
:class:`analytics.scope.Scope` (or the people an evaluation covers) and returns a DataFrame whose columns and units
its docstring names; the computations elsewhere in ``analytics/`` take those frames."""
