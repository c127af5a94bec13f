"""The piece-rate guarantee (出来高払制の保障給, LSA Art. 27): an employee paid by the piece must be guaranteed a fixed
amount per hour worked, whatever the output.

The Act sets no amount. Administrative guidance expects the guarantee to come near the person's usual earnings: a
share of the average wage, which the Act computes over the months before (Art. 12). Both are rule parameters
(``premiums.piece_rate.*``); a guarantee under that share is an advocacy threshold, not a statutory breach.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from data.law.params import value

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class PieceRateGuarantee:
    """``share_of_average``: the share of the person's own average hourly pay a guarantee should reach;
    ``prior_months``: the calendar months before a month that the average covers."""

    share_of_average: float
    prior_months: int

    @classmethod
    def from_values(cls, values: Mapping[str, Any]) -> PieceRateGuarantee:
        return cls(
            share_of_average=float(value(values, "premiums.piece_rate.art27_guarantee_advocacy_fraction_of_avg_wage")),
            prior_months=int(value(values, "premiums.piece_rate.average_wage_prior_months")),
        )

    def average_per_hour(self, earned: npt.ArrayLike, hours: npt.ArrayLike) -> FloatArray:
        """The average hourly pay over the prior months (pay without premiums ÷ hours); NaN where no hours."""
        earned, hours = np.asarray(earned, dtype=float), np.asarray(hours, dtype=float)
        return np.divide(earned, hours, out=np.full(np.shape(hours), np.nan), where=hours > 0)

    def expected(self, average_per_hour: npt.ArrayLike) -> FloatArray:
        """The guarantee guidance expects for an average hourly pay (NaN stays NaN)."""
        return self.share_of_average * np.asarray(average_per_hour, dtype=float)
