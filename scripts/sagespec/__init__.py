"""sagespec: serve models on Amazon SageMaker from YAML specs, by pull request."""

__version__ = "0.1.0"
