"""torch.layout: how a tensor's elements are stored (torch.strided, torch.sparse_coo, ...)."""

from __future__ import annotations


class layout:
    """A storage layout; compared by identity, printed by its torch name."""

    __slots__ = ("name",)

    def __init__(self, name: str):
        self.name = name

    def __repr__(self) -> str:
        return f"torch.{self.name}"

    def __reduce__(self):
        return (_get, (self.name,))


def _get(name: str) -> layout:
    return globals()[name]


strided = layout("strided")
sparse_coo = layout("sparse_coo")
sparse_csr = layout("sparse_csr")
sparse_csc = layout("sparse_csc")
sparse_bsr = layout("sparse_bsr")
sparse_bsc = layout("sparse_bsc")
_mkldnn = layout("_mkldnn")
jagged = layout("jagged")
