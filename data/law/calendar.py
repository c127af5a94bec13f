"""Calendar arithmetic the statutes count in: "N months after" a date, on arrays of days.

A period of months ends on the same day of the month N months on, or on that month's last day when it is shorter
(Civil Code Art. 143: 1 March + 1 month is 1 April, 31 January + 1 month is the last day of February). The leave
schedule (LSA Art. 39) and the Freelance Act's length of a commission (Art. 5) count this way.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

DayArray = npt.NDArray[np.datetime64]


def add_months(days: npt.ArrayLike, months: npt.ArrayLike) -> DayArray:
    """Each day ``months`` later (the month's last day when it has fewer days), as ``datetime64[D]``; NaT stays NaT."""
    days = np.asarray(days, dtype="datetime64[D]")
    months = np.asarray(months, dtype=np.int64)
    missing = np.isnat(days)
    safe = np.where(missing, np.datetime64("2000-01-01", "D"), days)
    month = safe.astype("datetime64[M]") + months
    day_of_month = (safe - safe.astype("datetime64[M]").astype("datetime64[D]")).astype(np.int64)
    length = ((month + 1).astype("datetime64[D]") - month.astype("datetime64[D]")).astype(np.int64)
    shifted = month.astype("datetime64[D]") + np.minimum(day_of_month, length - 1)
    return np.where(missing, np.datetime64("NaT", "D"), shifted)
