"""Terraform in the loop: the engine, the offline stand-in providers and their data."""
