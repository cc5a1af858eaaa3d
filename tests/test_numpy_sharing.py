"""The NumPy bridge of PyTorch's tutorial: .numpy() of a CPU tensor and the tensor share memory."""

import numpy as np

import torchlike as tl


def test_numpy_of_a_cpu_tensor_follows_in_place_ops_and_back():
    a = tl.ones(5)
    b = a.numpy()
    a.add_(1)
    assert b.tolist() == [2.0] * 5
    b[0] = 7
    assert a.tolist() == [7.0, 2.0, 2.0, 2.0, 2.0]
    assert (a * 2).tolist() == [14.0, 4.0, 4.0, 4.0, 4.0]


def test_from_numpy_shares_until_first_device_use():
    c = np.ones(3)
    d = tl.from_numpy(c)
    np.add(c, 1, out=c)
    assert d.tolist() == [2.0, 2.0, 2.0]


def test_large_tensors_numpy_is_a_copy():
    big = tl.zeros(1 << 17)
    arr = big.numpy()
    big.add_(1)
    assert arr[0] == 0.0 and big[0].item() == 1.0
