"""SQL → frames: the only analytics modules that build SQL, one per subject.

Each function takes the session first and the :class:`~analytics.scope.Scope` as a keyword, and returns rows (a
DataFrame, or plain mappings where the caller builds objects from them); :mod:`analytics.queries.base` is the one
place a Scope becomes SQL. What is computed on the rows lives in the modules above (``analytics.pay``,
``analytics.workload``, …) and is tested on frames, without a database.
"""
