"""Read-side analytics: pure statistical functions (benchmarks, SPC, funnel plots) over aggregates."""
