"""The server warms numba's kernels as it starts (concord.warm_up), so the first upload's
signals and the first overview do not wait for numba to load. A warm-up only helps if it
loads the very signatures the real calls use: numba compiles one machine-code version per
argument types and array flags, and a call with other flags would load (or compile) its own."""

from __future__ import annotations

from datetime import UTC, datetime

from concord.services import Services
from concord.warm_up import warm_compiled_kernels, warm_in_background
from tests.support.returns import submit
from tests.support.tangled import when
from warehouse.analytics import spc_batch_row_sums
from warehouse.queries import overview_values
from warehouse.queries.overview import board_overview


def _signatures() -> list[list[object]]:
    kernels = [*spc_batch_row_sums._compiled(), overview_values._compiled_scatter()]
    return [list(kernel.signatures) for kernel in kernels]


def test_the_warm_up_loads_what_an_overview_then_uses(catalogued: Services) -> None:
    for i, period in enumerate(f"2024-{m:02d}" for m in range(1, 7)):
        submit(catalogued, [("RTX", "ae_attendances", period, 100.0 + i, None, None),
                            ("RXF", "ae_attendances", period, 200.0 - i, None, None),
                            ("RTX", "ae_4hr_performance", period, None, 900 + i, 1000)],
               at=when(period))
    warm_compiled_kernels()
    warmed = _signatures()
    assert all(warmed)  # every kernel has machine code loaded

    with catalogued.warehouse.reading() as cur:
        overview = board_overview(cur, catalogued.log.head(), datetime.now(UTC))

    assert overview.rows.num_rows > 0
    assert _signatures() == warmed  # nothing new had to be loaded or compiled


def test_the_server_warms_on_a_thread_of_its_own() -> None:
    thread = warm_in_background()
    thread.join(timeout=120)
    assert thread.daemon and not thread.is_alive()
    assert all(_signatures())
