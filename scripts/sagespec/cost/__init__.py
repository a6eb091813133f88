"""What an environment costs: the per-endpoint model and the packing of copies onto instances."""
