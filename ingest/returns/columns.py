"""The long format every upload is turned into before validation.

Parsers produce RAW_SCHEMA (every cell as text, exactly as given, plus its row number);
validation produces TYPED_SCHEMA. Keeping cells as text until validation lets one vectorised
pass report every bad cell with its row and column, instead of failing on the first.
"""

from __future__ import annotations

import pyarrow as pa

# Columns a person may send, in template order.
INPUT_COLUMNS = (
    "org_code", "measure_code", "period", "value", "numerator", "denominator", "comment",
)
REQUIRED_COLUMNS = ("measure_code", "period")  # org_code may come from the submitter

RAW_SCHEMA = pa.schema(
    [pa.field("row", pa.int64(), nullable=False)]
    + [pa.field(name, pa.string()) for name in INPUT_COLUMNS]
)

TYPED_SCHEMA = pa.schema([
    pa.field("row", pa.int64(), nullable=False),
    pa.field("org_code", pa.string(), nullable=False),
    pa.field("measure_code", pa.string(), nullable=False),
    pa.field("period", pa.date32(), nullable=False),
    pa.field("value", pa.float64()),
    pa.field("numerator", pa.float64()),
    pa.field("denominator", pa.float64()),
    pa.field("comment", pa.string()),
])
