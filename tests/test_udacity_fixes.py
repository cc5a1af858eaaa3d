"""Fixes found running udacity/deep-learning-v2-pytorch's notebooks (tests/tutorials/scripts/
t230-t237), each checked against real PyTorch."""

from __future__ import annotations

import numpy as np
import pytest

import torchlike

torch = pytest.importorskip("torch")


@pytest.mark.parametrize("mode", ["LSTM", "GRU", "RNN"])
@pytest.mark.parametrize("bidirectional", [False, True])
def test_batch_first_rnn_output_is_a_transposed_time_major_view(mode, bidirectional):
    """PyTorch returns output.transpose(0, 1): not contiguous, so .view needs .contiguous()."""
    got = []
    for lib in (torch, torchlike):
        m = getattr(lib.nn, mode)(5, 6, 2, batch_first=True, bidirectional=bidirectional)
        out, _ = m(lib.ones(4, 3, 5))
        try:
            out.view(-1, out.shape[-1])
            err = None
        except RuntimeError as e:
            err = str(e)
        flat = out.contiguous().view(-1, out.shape[-1])
        got.append((tuple(out.stride()), out.is_contiguous(), err, tuple(flat.stride())))
    assert got[1] == got[0]
    assert got[0][2] is not None  # the view must fail, or the test checks nothing


def test_unbatched_and_seq_first_rnn_outputs_stay_contiguous():
    for lib in (torch, torchlike):
        m = lib.nn.LSTM(5, 6, batch_first=True)
        out, _ = m(lib.ones(3, 5))
        assert out.is_contiguous() and tuple(out.stride()) == (6, 1)
        m = lib.nn.LSTM(5, 6)
        out, _ = m(lib.ones(4, 3, 5))
        assert out.is_contiguous() and tuple(out.stride()) == (18, 6, 1)


def test_dropout_after_batch_first_lstm_draws_pytorchs_mask():
    """The mask is drawn in the (time-major) storage order of the LSTM's output, as PyTorch's
    empty_like(input).bernoulli_() does: char-rnn's `self.dropout(r_output)`."""

    def run(lib):
        lib.manual_seed(0)
        lstm = lib.nn.LSTM(7, 8, 2, dropout=0.5, batch_first=True)
        drop = lib.nn.Dropout(0.5)
        r, _ = lstm(lib.ones(4, 5, 7))
        out = drop(r)
        return (out == 0).numpy(), lib.rand(2).numpy()

    want, got = run(torch), run(torchlike)
    np.testing.assert_array_equal(got[0], want[0])
    np.testing.assert_array_equal(got[1], want[1])
