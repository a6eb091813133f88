"""Serve a model's code/inference.py locally, as the SageMaker inference toolkit would, without Docker."""
