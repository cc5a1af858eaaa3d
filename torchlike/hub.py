"""torch.hub, offline: the cache directory, and ``load`` for torchvision's models from local weights.

torchlike has no network access: ``load('pytorch/vision[:tag]', 'resnet18', pretrained=True)``
builds ``torchvision.models.resnet18`` (torchlike.vision) and reads the weights from the same cache
path PyTorch uses; other repositories must be local directories with a ``hubconf.py``
(``source='local'``). ``load_state_dict_from_url`` reads the cached file or says where to put it.
"""

from __future__ import annotations

import importlib.util
import os
import sys

_state = {"hub_dir": None}
_VISION_REPOS = ("pytorch/vision", "pytorch/vision:")


def get_dir() -> str:
    """``$TORCH_HOME/hub`` (TORCH_HOME defaults to ``$XDG_CACHE_HOME/torch``, i.e. ``~/.cache/torch``)."""
    if _state["hub_dir"] is not None:
        return _state["hub_dir"]
    torch_home = os.getenv(
        "TORCH_HOME", os.path.join(os.getenv("XDG_CACHE_HOME", "~/.cache"), "torch")
    )
    return os.path.join(os.path.expanduser(torch_home), "hub")


def set_dir(d) -> None:
    _state["hub_dir"] = os.path.expanduser(os.fspath(d))


def _entrypoints(repo_or_dir: str, source: str):
    if source == "local" or os.path.isdir(repo_or_dir):
        path = os.path.join(repo_or_dir, "hubconf.py")
        spec = importlib.util.spec_from_file_location("hubconf", path)
        module = importlib.util.module_from_spec(spec)
        sys.path.insert(0, repo_or_dir)
        try:
            spec.loader.exec_module(module)
        finally:
            sys.path.remove(repo_or_dir)
        return module
    if repo_or_dir == "pytorch/vision" or repo_or_dir.startswith(_VISION_REPOS[1]):
        from .vision import models

        return models
    raise RuntimeError(
        f"Cannot fetch {repo_or_dir!r} from GitHub: torchlike does not use the network. Clone it elsewhere "
        "and pass its directory with source='local'."
    )


def list(github, force_reload=False, skip_validation=False, trust_repo=None, verbose=True):  # noqa: A001
    module = _entrypoints(github, "github")
    return [n for n in dir(module) if callable(getattr(module, n)) and not n.startswith("_")]


def help(github, model, force_reload=False, skip_validation=False, trust_repo=None):  # noqa: A001
    return getattr(_entrypoints(github, "github"), model).__doc__


def load(
    repo_or_dir,
    model,
    *args,
    source="github",
    trust_repo=None,
    force_reload=False,
    verbose=True,
    skip_validation=False,
    **kwargs,
):
    if source not in ("github", "local"):
        raise ValueError(f'Unknown source: "{source}". Allowed values: "github" | "local".')
    entry = getattr(_entrypoints(repo_or_dir, source), model, None)
    if entry is None or not callable(entry):
        raise RuntimeError(f"Cannot find callable {model} in hubconf")
    return entry(*args, **kwargs)


def load_state_dict_from_url(
    url,
    model_dir=None,
    map_location=None,
    progress=True,
    check_hash=False,
    file_name=None,
    weights_only=False,
):
    from .serialization import load as _load

    model_dir = model_dir or os.path.join(get_dir(), "checkpoints")
    path = os.path.join(model_dir, file_name or os.path.basename(url.split("?")[0]))
    if not os.path.isfile(path):
        raise FileNotFoundError(
            f"no cached file at {path}: torchlike does not download (no network access); "
            f"fetch {url} elsewhere and put it at that path (or set TORCH_HOME)."
        )
    return _load(path, map_location=map_location, weights_only=weights_only)


def download_url_to_file(url, dst, hash_prefix=None, progress=True):
    raise RuntimeError(
        f"torchlike does not download files (no network access): fetch {url} to {dst} yourself"
    )
