"""torch.optim: optimizers (fused, one update per parameter group) and lr schedulers."""

import importlib

from . import lr_scheduler, swa_utils  # noqa: F401
from .adam import Adam, AdamW  # noqa: F401
from .optimizer import Optimizer  # noqa: F401
from .sgd import SGD  # noqa: F401

# optimizer families written in parallel; each exports __all__
for _name in ("adagrad", "rmsprop", "adadelta", "adamax", "nadam", "radam", "asgd", "rprop", "lbfgs",
              "sparse_adam", "adafactor", "muon"):
    try:
        _mod = importlib.import_module(f"{__name__}.{_name}")
    except ModuleNotFoundError as _e:
        if _e.name != f"{__name__}.{_name}":
            raise
        continue
    for _k in getattr(_mod, "__all__", ()):
        globals()[_k] = getattr(_mod, _k)

# the namespace PyTorch's torch.optim shows (dir(optim) in "Deep Learning with PyTorch" ch. 5): the
# optimizer classes and lr_scheduler/swa_utils, not the submodules they are defined in
for _name in ("adam", "optimizer", "sgd", "adagrad", "rmsprop", "adadelta", "adamax", "nadam", "radam", "asgd",
              "rprop", "lbfgs", "sparse_adam", "adafactor", "muon"):
    globals().pop(_name, None)
for _name in ("importlib", "_mod", "_k", "_name"):
    globals().pop(_name, None)
