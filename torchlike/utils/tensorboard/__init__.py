"""torch.utils.tensorboard.SummaryWriter, writing real TensorBoard event files via tensorboardX."""

from .writer import SummaryWriter  # noqa: F401
