"""Terraform itself for sagespec: which engine runs (engine.py, bundled.py) and the provider data
the offline stand-ins serve (schemas/)."""
