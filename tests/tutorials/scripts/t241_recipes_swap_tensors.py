# Recipe "Extension points in nn.Module for load_state_dict and tensor subclasses"
# (pytorch/tutorials recipes_source/recipes/swap_tensors.py): torch.utils.swap_tensors, the
# optimizer-reference problem of out-of-place parameter updates, and
# torch.__future__.set_swap_module_params_on_conversion in nn.Module.to()/bfloat16()/to_empty()
# and load_state_dict(assign=True), with Tensor.module_load. The recipe's __torch_dispatch__
# wrapper subclass (MyQuantizedLinearWeight) is left out: torchlike has no __torch_dispatch__.
# Parameter objects are compared while referenced (an id of a freed object can be reused).
import torch
import torch.nn as nn

torch.manual_seed(0)

t1 = torch.arange(2)
t2 = torch.arange(3)
print(f"Before swapping, t1: {t1}, t2: {t2}")
torch.utils.swap_tensors(t1, t2)
print(f"After swapping, t1: {t1}, t2: {t2}")

p = torch.nn.Parameter(torch.ones(2))
q = torch.zeros(3, requires_grad=True) * 2
torch.utils.swap_tensors(p, q)
print(type(p).__name__, p)
print(type(q).__name__, q)

mod = torch.nn.Linear(1, 2, bias=False)
optimizer = torch.optim.SGD(mod.parameters())
print(f"weight in mod: {mod.weight}")
print(f"weight in optimizer: {optimizer.param_groups[0]['params']}")
mod.weight = torch.nn.Parameter(2 * mod.weight)
print(f"weight in mod: {mod.weight}")
print(f"weight in optimizer: {optimizer.param_groups[0]['params']}")


def conversions(tag):
    m = nn.Linear(3, 5, dtype=torch.float32)
    opt = torch.optim.SGD(m.parameters(), lr=0.1)
    m(torch.randn(2, 3)).sum().backward()
    w0, b0 = m.weight, m.bias
    m.bfloat16()
    print(f"{tag}: same weight object: {m.weight is w0}, same bias object: {m.bias is b0}")
    print(f"m.weight.dtype: {m.weight.dtype}, m.weight.grad.dtype: {m.weight.grad.dtype}")
    print(f"m.bias.dtype: {m.bias.dtype}, optimizer sees it: {opt.param_groups[0]['params'][1] is m.bias}")

    with torch.device("meta"):
        m = nn.Linear(3, 5)
    w0 = m.weight
    m.to_empty(device="cpu")
    print(f"to_empty: same weight object: {m.weight is w0}, {m.weight.device}, {type(m.weight).__name__}")


conversions("default")
torch.__future__.set_overwrite_module_params_on_conversion(True)
conversions("overwrite")
torch.__future__.set_overwrite_module_params_on_conversion(False)
torch.__future__.set_swap_module_params_on_conversion(True)
print(torch.__future__.get_swap_module_params_on_conversion())
conversions("swap")
torch.__future__.set_swap_module_params_on_conversion(False)

# load_state_dict: assign=True keeps the state_dict's tensors' properties; under the swap path the
# values go through Tensor.module_load and are swapped into the module's own Parameter objects
print(torch.Tensor.module_load(torch.zeros(2), torch.ones(2)))
print(torch.Tensor.module_load(torch.zeros(2), torch.ones(2), assign=True))

for swap in (False, True):
    torch.__future__.set_swap_module_params_on_conversion(swap)
    with torch.device("meta"):
        m = nn.Linear(3, 5)
    w0, b0 = m.weight, m.bias
    print(f"m.state_dict() before load_state_dict():\n {m.state_dict()}")
    state_dict = nn.Linear(3, 5).state_dict()
    print(f"state_dict:\n {state_dict}")
    print(m.load_state_dict(state_dict, assign=True))
    print(f"swap={swap}: same weight object: {m.weight is w0}, same bias object: {m.bias is b0}")
    print(f"m.state_dict() after load_state_dict():\n {m.state_dict()}")
    print(type(m.weight).__name__, m.weight.requires_grad, m.weight is state_dict["weight"])
torch.__future__.set_swap_module_params_on_conversion(False)
