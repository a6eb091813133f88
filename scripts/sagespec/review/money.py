"""Dollars as the review writes them, in the report, the policy table and the cost notes alike."""

from __future__ import annotations


def usd(value: float | None, none: str = "no price", cents: bool = False) -> str:
    """Dollars; hourly figures keep sub-cent digits, `cents` rounds (monthly figures)."""
    if value is None:
        return none
    rounded = round(value, 2)
    if cents or abs(value - rounded) < 5e-7:
        return f"${value:,.2f}"
    text = f"{value:,.4f}".rstrip("0")  # sub-cent figures (ml.m5.large is $0.115/h) keep their digits
    return f"${text}"


def signed(value: float | None, none: str = "n/a", cents: bool = False) -> str:
    if value is None:
        return none
    if abs(value) < (0.005 if cents else 5e-7):
        return "$0.00"
    return ("+" if value > 0 else "-") + usd(abs(value), cents=cents)
