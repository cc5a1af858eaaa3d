"""torch.utils.benchmark.utils: common (TaskSpec, Measurement) and timer (Timer)."""
