"""Typed query functions over the read models; SQL lives in warehouse/sql/."""
