"""nn.functional, one file per family; torchlike.nn.functional re-exports them all."""
