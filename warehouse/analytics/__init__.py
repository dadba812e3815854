"""Read-side analytics: pure statistics (benchmarks, SPC, funnel plots) over aggregates."""
