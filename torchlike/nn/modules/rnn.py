"""RNN, LSTM, GRU and their cells, with PyTorch's parameter names, gate order and init.

The whole recurrence (every layer and direction) is one op; see nn/_functional/rnn.py.
"""

from __future__ import annotations

import math
import numbers
import warnings

from ... import _creation
from ..._context import state
from ..._memory_format import set_order_from_strides
from ..._ops.shape import stack as _stack
from ..._tensor import Tensor
from .. import init
from .._functional import rnn as F
from ..parameter import Parameter
from ..utils.rnn import PackedSequence, _packed_layout, pack_rows, padded_rows
from .module import Module

__all__ = ["RNNBase", "RNN", "LSTM", "GRU", "RNNCellBase", "RNNCell", "LSTMCell", "GRUCell"]

_MODES = {"LSTM": 4, "GRU": 3, "RNN_TANH": 1, "RNN_RELU": 1}


class RNNBase(Module):
    def __init__(
        self,
        mode: str,
        input_size: int,
        hidden_size: int,
        num_layers: int = 1,
        bias: bool = True,
        batch_first: bool = False,
        dropout: float = 0.0,
        bidirectional: bool = False,
        proj_size: int = 0,
        device=None,
        dtype=None,
    ) -> None:
        super().__init__()
        self.mode = mode
        self.input_size = input_size
        self.hidden_size = hidden_size
        self.num_layers = num_layers
        self.bias = bias
        self.batch_first = batch_first
        self.dropout = float(dropout)
        self.bidirectional = bidirectional
        self.proj_size = proj_size
        if (
            not isinstance(dropout, numbers.Number)
            or isinstance(dropout, bool)
            or not 0 <= dropout <= 1
        ):
            raise ValueError(
                "dropout should be a number in range [0, 1] representing the probability of an element being zeroed"
            )
        if dropout > 0 and num_layers == 1:
            warnings.warn(
                "dropout option adds dropout after all but last recurrent layer, so non-zero dropout expects "
                f"num_layers greater than 1, but got dropout={dropout} and num_layers={num_layers}",
                stacklevel=2,
            )
        for name, value in (("bias", bias), ("batch_first", batch_first)):
            if not isinstance(value, bool):
                raise TypeError(f"{name} should be of type bool, got: {type(value).__name__}")
        for name, value in (("input_size", input_size), ("hidden_size", hidden_size)):
            if not isinstance(value, int):
                raise TypeError(f"{name} should be of type int, got: {type(value).__name__}")
            if value <= 0:
                raise ValueError(f"{name} must be greater than zero")
        if num_layers <= 0:
            raise ValueError("num_layers must be greater than zero")
        if proj_size < 0:
            raise ValueError(
                "proj_size should be a positive integer or zero to disable projections"
            )
        if proj_size >= hidden_size:
            raise ValueError("proj_size has to be smaller than hidden_size")
        if mode not in _MODES:
            raise ValueError("Unrecognized RNN mode: " + mode)
        gate_size = _MODES[mode] * hidden_size
        num_directions = 2 if bidirectional else 1
        real_hidden_size = proj_size if proj_size > 0 else hidden_size
        factory = dict(device=device, dtype=dtype)
        self._flat_weights_names = []
        self._all_weights = []
        for layer in range(num_layers):
            for direction in range(num_directions):
                layer_input_size = input_size if layer == 0 else real_hidden_size * num_directions
                shapes = [(gate_size, layer_input_size), (gate_size, real_hidden_size)]
                names = ["weight_ih_l{}{}", "weight_hh_l{}{}"]
                if bias:
                    shapes += [(gate_size,), (gate_size,)]
                    names += ["bias_ih_l{}{}", "bias_hh_l{}{}"]
                if proj_size > 0:
                    shapes.append((proj_size, hidden_size))
                    names.append("weight_hr_l{}{}")
                suffix = "_reverse" if direction == 1 else ""
                names = [n.format(layer, suffix) for n in names]
                for name, shape in zip(names, shapes):
                    setattr(self, name, Parameter(_creation.empty(*shape, **factory)))
                self._flat_weights_names.extend(names)
                self._all_weights.append(names)
        self.reset_parameters()

    @property
    def _flat_weights(self):
        return [getattr(self, n, None) for n in self._flat_weights_names]

    @property
    def all_weights(self):
        return [[getattr(self, n) for n in names] for names in self._all_weights]

    def flatten_parameters(self) -> None:
        """A no-op: there is no cuDNN weight buffer to compact; XLA owns the layout."""

    def reset_parameters(self) -> None:
        stdv = 1.0 / math.sqrt(self.hidden_size) if self.hidden_size > 0 else 0
        for weight in self.parameters():
            init.uniform_(weight, -stdv, stdv)

    # -- argument checks, in PyTorch's words -------------------------------------------------------
    def check_input(self, input: Tensor, batch_sizes) -> None:  # noqa: A002
        w0 = self._flat_weights[0]
        if input.dtype != w0.dtype and state.autocast is None:
            raise ValueError(
                f"RNN input dtype ({input.dtype}) does not match weight dtype ({w0.dtype}). "
                f"Convert input: input.to({w0.dtype}), or convert model: model.to({input.dtype})"
            )
        expected_input_dim = 2 if batch_sizes is not None else 3
        if input.dim() != expected_input_dim:
            raise RuntimeError(
                f"input must have {expected_input_dim} dimensions, got {input.dim()}"
            )
        if self.input_size != input.size(-1):
            raise RuntimeError(
                f"input.size(-1) must be equal to input_size. Expected {self.input_size}, got {input.size(-1)}"
            )

    def get_expected_hidden_size(self, input: Tensor, batch_sizes) -> tuple[int, int, int]:  # noqa: A002
        if batch_sizes is not None:
            mini_batch = _packed_layout(batch_sizes).batch  # host list, no device read
        else:
            mini_batch = input.size(0) if self.batch_first else input.size(1)
        num_directions = 2 if self.bidirectional else 1
        real_hidden_size = self.proj_size if self.proj_size > 0 else self.hidden_size
        return (self.num_layers * num_directions, mini_batch, real_hidden_size)

    def check_hidden_size(
        self, hx: Tensor, expected_hidden_size, msg: str = "Expected hidden size {}, got {}"
    ):
        if tuple(hx.size()) != tuple(expected_hidden_size):
            raise RuntimeError(msg.format(expected_hidden_size, list(hx.size())))

    def check_forward_args(self, input: Tensor, hidden: Tensor, batch_sizes) -> None:  # noqa: A002
        self.check_input(input, batch_sizes)
        self.check_hidden_size(hidden, self.get_expected_hidden_size(input, batch_sizes))

    def permute_hidden(self, hx, permutation):
        if permutation is None:
            return hx
        return hx.index_select(1, permutation)

    def extra_repr(self) -> str:
        s = "{input_size}, {hidden_size}"
        if self.proj_size != 0:
            s += ", proj_size={proj_size}"
        if self.num_layers != 1:
            s += ", num_layers={num_layers}"
        if self.bias is not True:
            s += ", bias={bias}"
        if self.batch_first is not False:
            s += ", batch_first={batch_first}"
        if self.dropout != 0:
            s += ", dropout={dropout}"
        if self.bidirectional is not False:
            s += ", bidirectional={bidirectional}"
        return s.format(**self.__dict__)

    # -- forward -------------------------------------------------------------------------------------
    def _zeros(self, input, batch, size):  # noqa: A002
        n = self.num_layers * (2 if self.bidirectional else 1)
        return _creation.zeros(n, batch, size, dtype=input.dtype, device=input.device)

    def _forward(self, input, hx):  # noqa: A002
        """Shared by RNN/LSTM/GRU; ``hx`` is a tensor, or (h0, c0) for LSTM, or None."""
        lstm = self.mode == "LSTM"
        real_hidden = self.proj_size if self.proj_size > 0 else self.hidden_size
        packed = isinstance(input, PackedSequence)
        if packed:
            data, batch_sizes, sorted_indices, unsorted_indices = input
            layout = _packed_layout(batch_sizes)
            batch = layout.batch
            if hx is None:
                hx = self._zeros(data, batch, real_hidden)
                if lstm:
                    hx = (hx, self._zeros(data, batch, self.hidden_size))
            else:
                hx = self.permute_hidden(hx, sorted_indices)
            self.check_forward_args(data, hx, batch_sizes)
            x = padded_rows(input)  # the padded tensor packed: no gather of the N packed rows
            if x is None:
                x = F.pad_gather_k.frontend(data, layout.pad_index(data.device), 0.0)
            lengths = layout.tensor("lengths", layout.lengths, data.device)
            batch_first = False
        else:
            batch_sizes = sorted_indices = unsorted_indices = None
            name = {"LSTM": "LSTM", "GRU": "GRU"}.get(self.mode, "RNN")
            if input.dim() not in (2, 3):
                tail = " tensor instead" if name == "RNN" else " instead"
                raise ValueError(f"{name}: Expected input to be 2D or 3D, got {input.dim()}D{tail}")
            is_batched = input.dim() == 3
            batch_dim = 0 if self.batch_first else 1
            if not is_batched:
                input = input.unsqueeze(batch_dim)  # noqa: A001
            if hx is not None:
                self._check_hx_dims(hx, is_batched)
                if not is_batched:
                    hx = (hx[0].unsqueeze(1), hx[1].unsqueeze(1)) if lstm else hx.unsqueeze(1)
            batch = input.size(0) if self.batch_first else input.size(1)
            if hx is None:
                hx = self._zeros(input, batch, real_hidden)
                if lstm:
                    hx = (hx, self._zeros(input, batch, self.hidden_size))
            self.check_forward_args(input, hx, None)
            x, lengths, batch_first = input, None, self.batch_first
        h0, c0 = hx if lstm else (hx, None)
        dropout_on = self.training and self.dropout > 0 and self.num_layers > 1
        seed = counter = p = noise = None
        if dropout_on:
            from ...random import next_key
            from .._functional.dropout import cpu_dropout_noise

            # PyTorch's CPU RNNs drop out each inner layer's whole output (time-major, or packed
            # rows), one mask per layer in order: on the CPU the same noise, drawn on the host
            width = (self.proj_size or self.hidden_size) * (2 if self.bidirectional else 1)
            if batch_sizes is not None:
                shape = (data.shape[0], width)
            else:
                shape = (
                    (x.shape[1], x.shape[0], width)
                    if batch_first
                    else (x.shape[0], x.shape[1], width)
                )
            p = self.dropout
            noises = [cpu_dropout_noise(x, shape, p) for _ in range(self.num_layers - 1)]
            if all(n is not None for n in noises):
                if batch_sizes is not None:  # packed rows -> the padded time-major layout
                    pad = layout.pad_index(data.device)
                    noises = [F.pad_gather_k.frontend(n, pad, 0.0) for n in noises]
                noise = _stack.frontend(noises)
            seed, counter = next_key()
        result = F.rnn(
            x,
            h0,
            c0,
            self._flat_weights,
            lengths,
            p,
            seed,
            counter,
            noise,
            mode=self.mode,
            num_layers=self.num_layers,
            bidirectional=self.bidirectional,
            batch_first=batch_first,
            has_bias=self.bias,
            proj_size=self.proj_size,
            dropout_on=dropout_on,
        )
        output, hidden = result[0], (result[1:] if lstm else result[1])
        if packed:
            output = PackedSequence(
                pack_rows(output, layout), batch_sizes, sorted_indices, unsorted_indices
            )
        elif not is_batched:
            output = output.squeeze(batch_dim)
            hidden = (hidden[0].squeeze(1), hidden[1].squeeze(1)) if lstm else hidden.squeeze(1)
        elif self.batch_first:
            # PyTorch runs time-major and returns output.transpose(0, 1): a view whose storage runs
            # (seq, batch, feature), so it is not contiguous (.view needs .contiguous() first) and
            # a dropout mask drawn like it fills in that order
            b, t, f = output.shape
            set_order_from_strides(output, (f, b * f, 1))
        return output, self.permute_hidden(hidden, unsorted_indices)

    def _check_hx_dims(self, hx, is_batched):
        want = 3 if is_batched else 2
        kind = "batched 3-D" if is_batched else "unbatched 2-D"
        if hx.dim() != want:
            raise RuntimeError(
                f"For {kind} input, hx should also be {want}-D but got {hx.dim()}-D tensor"
            )


class RNN(RNNBase):
    def __init__(self, *args, **kwargs):
        if "proj_size" in kwargs:
            raise ValueError("proj_size argument is only supported for LSTM, not RNN or GRU")
        if len(args) > 3:
            self_nonlinearity = args[3]
            args = args[:3] + args[4:]
        else:
            self_nonlinearity = kwargs.pop("nonlinearity", "tanh")
        if self_nonlinearity == "tanh":
            mode = "RNN_TANH"
        elif self_nonlinearity == "relu":
            mode = "RNN_RELU"
        else:
            raise ValueError(
                f"Unknown nonlinearity '{self_nonlinearity}'. Select from 'tanh' or 'relu'."
            )
        super().__init__(mode, *args, **kwargs)
        self.nonlinearity = self_nonlinearity

    def forward(self, input, hx=None):  # noqa: A002
        return self._forward(input, hx)


class LSTM(RNNBase):
    def __init__(self, *args, **kwargs):
        super().__init__("LSTM", *args, **kwargs)

    def get_expected_cell_size(self, input: Tensor, batch_sizes) -> tuple[int, int, int]:  # noqa: A002
        if batch_sizes is not None:
            mini_batch = _packed_layout(batch_sizes).batch  # host list, no device read
        else:
            mini_batch = input.size(0) if self.batch_first else input.size(1)
        return (self.num_layers * (2 if self.bidirectional else 1), mini_batch, self.hidden_size)

    def check_forward_args(self, input, hidden, batch_sizes) -> None:  # noqa: A002
        self.check_input(input, batch_sizes)
        self.check_hidden_size(
            hidden[0],
            self.get_expected_hidden_size(input, batch_sizes),
            "Expected hidden[0] size {}, got {}",
        )
        self.check_hidden_size(
            hidden[1],
            self.get_expected_cell_size(input, batch_sizes),
            "Expected hidden[1] size {}, got {}",
        )

    def permute_hidden(self, hx, permutation):
        if permutation is None:
            return hx
        return hx[0].index_select(1, permutation), hx[1].index_select(1, permutation)

    def _check_hx_dims(self, hx, is_batched):
        want = 3 if is_batched else 2
        if hx[0].dim() != want or hx[1].dim() != want:
            kind = "batched 3-D" if is_batched else "unbatched 2-D"
            raise RuntimeError(
                f"For {kind} input, hx and cx should also be {want}-D but got "
                f"({hx[0].dim()}-D, {hx[1].dim()}-D) tensors"
            )

    def forward(self, input, hx=None):  # noqa: A002
        return self._forward(input, hx)


class GRU(RNNBase):
    def __init__(self, *args, **kwargs):
        if "proj_size" in kwargs:
            raise ValueError("proj_size argument is only supported for LSTM, not RNN or GRU")
        super().__init__("GRU", *args, **kwargs)

    def forward(self, input, hx=None):  # noqa: A002
        return self._forward(input, hx)


# -- cells ---------------------------------------------------------------------------------------------


class RNNCellBase(Module):
    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        bias: bool,
        num_chunks: int,
        device=None,
        dtype=None,
    ) -> None:
        super().__init__()
        self.input_size = input_size
        self.hidden_size = hidden_size
        self.bias = bias
        factory = dict(device=device, dtype=dtype)
        self.weight_ih = Parameter(_creation.empty(num_chunks * hidden_size, input_size, **factory))
        self.weight_hh = Parameter(
            _creation.empty(num_chunks * hidden_size, hidden_size, **factory)
        )
        if bias:
            self.bias_ih = Parameter(_creation.empty(num_chunks * hidden_size, **factory))
            self.bias_hh = Parameter(_creation.empty(num_chunks * hidden_size, **factory))
        else:
            self.register_parameter("bias_ih", None)
            self.register_parameter("bias_hh", None)
        self.reset_parameters()

    def extra_repr(self) -> str:
        s = "{input_size}, {hidden_size}"
        if "bias" in self.__dict__ and self.bias is not True:
            s += ", bias={bias}"
        if "nonlinearity" in self.__dict__ and self.nonlinearity != "tanh":
            s += ", nonlinearity={nonlinearity}"
        return s.format(**self.__dict__)

    def reset_parameters(self) -> None:
        stdv = 1.0 / math.sqrt(self.hidden_size) if self.hidden_size > 0 else 0
        for weight in self.parameters():
            init.uniform_(weight, -stdv, stdv)

    def _prepare(self, name, input, hx, n_states):  # noqa: A002
        """Checks dims as PyTorch does; returns (batched input, list of batched states, is_batched)."""
        if input.dim() not in (1, 2):
            raise ValueError(f"{name}: Expected input to be 1D or 2D, got {input.dim()}D instead")
        if hx is not None:
            states = list(hx) if n_states == 2 else [hx]
            for idx, value in enumerate(states):
                if value.dim() not in (1, 2):
                    what = f"hx[{idx}]" if n_states == 2 else "hidden"
                    raise ValueError(
                        f"{name}: Expected {what} to be 1D or 2D, got {value.dim()}D instead"
                    )
        is_batched = input.dim() == 2
        if not is_batched:
            input = input.unsqueeze(0)  # noqa: A001
        if hx is None:
            zeros = _creation.zeros(
                input.size(0), self.hidden_size, dtype=input.dtype, device=input.device
            )
            states = [zeros] * n_states
        elif not is_batched:
            states = [s.unsqueeze(0) for s in states]
        return input, states, is_batched

    def _check_sizes(self, input, states):  # noqa: A002
        if input.size(1) != self.input_size:
            raise RuntimeError(
                f"input has inconsistent input_size: got {input.size(1)} expected {self.input_size}"
            )
        for i, s in enumerate(states):
            if s.size(0) != input.size(0):
                raise RuntimeError(
                    f"Input batch size {input.size(0)} doesn't match hidden{i} batch size {s.size(0)}"
                )
            if s.size(1) != self.hidden_size:
                raise RuntimeError(
                    f"hidden{i} has inconsistent hidden_size: got {s.size(1)}, expected "
                    f"{self.hidden_size}"
                )


class RNNCell(RNNCellBase):
    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        bias: bool = True,
        nonlinearity: str = "tanh",
        device=None,
        dtype=None,
    ) -> None:
        super().__init__(input_size, hidden_size, bias, num_chunks=1, device=device, dtype=dtype)
        self.nonlinearity = nonlinearity

    def forward(self, input, hx=None):  # noqa: A002
        input, (h,), is_batched = self._prepare("RNNCell", input, hx, 1)  # noqa: A001
        if self.nonlinearity not in ("tanh", "relu"):
            raise RuntimeError(f"Unknown nonlinearity: {self.nonlinearity}")
        self._check_sizes(input, [h])
        mode = "RNN_TANH" if self.nonlinearity == "tanh" else "RNN_RELU"
        ret = F.rnn_cell(
            input, h, None, self.weight_ih, self.weight_hh, self.bias_ih, self.bias_hh, mode=mode
        )
        return ret if is_batched else ret.squeeze(0)


class LSTMCell(RNNCellBase):
    def __init__(
        self, input_size: int, hidden_size: int, bias: bool = True, device=None, dtype=None
    ) -> None:
        super().__init__(input_size, hidden_size, bias, num_chunks=4, device=device, dtype=dtype)

    def forward(self, input, hx=None):  # noqa: A002
        input, (h, c), is_batched = self._prepare("LSTMCell", input, hx, 2)  # noqa: A001
        self._check_sizes(input, [h, c])
        h2, c2 = F.rnn_cell(
            input, h, c, self.weight_ih, self.weight_hh, self.bias_ih, self.bias_hh, mode="LSTM"
        )
        return (h2, c2) if is_batched else (h2.squeeze(0), c2.squeeze(0))


class GRUCell(RNNCellBase):
    def __init__(
        self, input_size: int, hidden_size: int, bias: bool = True, device=None, dtype=None
    ) -> None:
        super().__init__(input_size, hidden_size, bias, num_chunks=3, device=device, dtype=dtype)

    def forward(self, input, hx=None):  # noqa: A002
        input, (h,), is_batched = self._prepare("GRUCell", input, hx, 1)  # noqa: A001
        self._check_sizes(input, [h])
        ret = F.rnn_cell(
            input, h, None, self.weight_ih, self.weight_hh, self.bias_ih, self.bias_hh, mode="GRU"
        )
        return ret if is_batched else ret.squeeze(0)
