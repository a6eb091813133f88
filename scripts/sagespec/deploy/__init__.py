"""The plan and apply workflows: above the pipeline (render check), review (downtime) and terraform/."""
