"""torchlike: the PyTorch programming model on JAX/XLA."""
