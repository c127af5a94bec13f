"""The labor law as arithmetic: pure, typed functions over plain values and NumPy arrays, and the parameters they take.

Nothing here opens a session or writes SQL, and no legal constant is a literal: every limit, window and rate comes
from :mod:`data.law.params`, which the rule_parameter table fills (seeded from ``data/seed/jurisdictions.json``, each
row naming the statute it comes from). The rollups, the importers, the compliance findings and the demo generator all
call these functions, so a rule is written once and read the same everywhere. Durations are whole seconds.

* :mod:`data.law.params` — typed parameter groups (hours, breaks, night window, premiums, agreement limits, CA overtime)
* :mod:`data.law.shifts` — a shift's worked and night seconds, the break it needs
* :mod:`data.law.overtime` — Japanese daily/weekly overtime in the employer's week, Californian overtime per workweek
* :mod:`data.law.wages` — which pay counts towards the minimum wage, the rate in force on a day, premiums owed
"""
