"""Placement of inference components on pools (instance type x count) at least cost."""
