"""Terraform itself for sagespec: which engine runs (engine, bundled), the provider data the offline
stand-ins serve (schemas/), the stand-ins (standin/), and the offline plan (workspace, targets, offline)."""
