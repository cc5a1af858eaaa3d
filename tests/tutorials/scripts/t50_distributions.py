"""torch.distributions as tutorials use it: REINFORCE with Categorical, a VAE's Normal rsample + KL,
Bernoulli/Normal policies, MultivariateNormal, Independent, Beta/Gamma/Dirichlet, validation."""

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.distributions import (
    Bernoulli,
    Beta,
    Categorical,
    Dirichlet,
    Gamma,
    Independent,
    MultivariateNormal,
    Normal,
    OneHotCategorical,
    Uniform,
    kl_divergence,
)


def fmt(t):
    return "[" + ", ".join(f"{v:.4f}" for v in t.detach().reshape(-1).tolist()) + "]"


torch.manual_seed(0)

# -- Categorical: reprs, shapes, log_prob, entropy ------------------------------------------------
probs = torch.tensor([0.1, 0.2, 0.7])
m = Categorical(probs)
print(m, m.batch_shape, m.event_shape, m.support)
print("log_prob", fmt(m.log_prob(torch.tensor([0, 1, 2]))), "entropy", fmt(m.entropy()))
print("sample shapes", m.sample().shape, m.sample((5,)).shape, m.sample((2, 3)).dtype)
ml = Categorical(logits=torch.tensor([[1.0, 2.0, 3.0], [0.0, float("-inf"), 0.0]]))
print(ml, fmt(ml.probs), fmt(ml.entropy()), ml.mode.tolist())

# -- REINFORCE on a fixed toy problem ----------------------------------------------------------------
policy = nn.Sequential(nn.Linear(4, 8), nn.Tanh(), nn.Linear(8, 2))
with torch.no_grad():
    for i, p in enumerate(policy.parameters()):
        p.copy_(torch.linspace(-0.5, 0.5, p.numel()).reshape(p.shape) * (i + 1) / 3)
opt = torch.optim.Adam(policy.parameters(), lr=0.01)
states = torch.tensor([[0.1, -0.2, 0.3, 0.0], [0.5, 0.1, -0.4, 0.2], [-0.3, 0.3, 0.1, -0.1]])
actions = torch.tensor([1, 0, 1])  # what .sample() would have returned
rewards = torch.tensor([1.0, 0.5, 2.0])
gamma = 0.9
for episode in range(3):
    returns, R = [], 0.0
    for r in reversed(rewards.tolist()):
        R = r + gamma * R
        returns.insert(0, R)
    returns = torch.tensor(returns)
    returns = (returns - returns.mean()) / (returns.std() + 1e-8)
    dist = Categorical(F.softmax(policy(states), dim=-1))
    assert dist.sample().shape == (3,)
    loss = (-dist.log_prob(actions) * returns).sum()
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(
        "episode", episode, f"loss {loss.item():.4f}", f"entropy {dist.entropy().mean().item():.4f}"
    )

# -- actor-critic style: logits head, entropy bonus ------------------------------------------------
logits = torch.tensor([[0.2, -0.1, 0.4], [1.0, 0.0, -1.0]], requires_grad=True)
dist = Categorical(logits=logits)
a = torch.tensor([2, 0])
adv = torch.tensor([0.5, -1.0])
loss = -(dist.log_prob(a) * adv).mean() - 0.01 * dist.entropy().mean()
loss.backward()
print(f"actor loss {loss.item():.4f}", "grad", fmt(logits.grad))

# -- VAE: reparameterised Normal, KL to the prior ----------------------------------------------------
mu = torch.tensor([[0.5, -1.0], [0.0, 2.0]], requires_grad=True)
logvar = torch.tensor([[0.1, -0.3], [0.0, 0.5]], requires_grad=True)
std = torch.exp(0.5 * logvar)
q = Normal(mu, std)
print(q, q.has_rsample, q.rsample().shape, q.rsample((4,)).shape)
eps = torch.tensor([[0.3, -0.7], [1.1, 0.2]])
z = mu + eps * std  # the draw rsample() makes, with a fixed eps
prior = Normal(torch.zeros_like(mu), torch.ones_like(std))
kl = kl_divergence(q, prior).sum()
recon = ((z - 1.0) ** 2).sum()
vae_loss = recon + kl
vae_loss.backward()
print(
    f"kl {kl.item():.4f}",
    f"vae loss {vae_loss.item():.4f}",
    "dmu",
    fmt(mu.grad),
    "dlogvar",
    fmt(logvar.grad),
)
print(
    "log q(z)",
    fmt(q.log_prob(z)),
    "cdf",
    fmt(q.cdf(z)),
    "icdf",
    fmt(q.icdf(torch.full((2, 2), 0.8))),
)
print("mean", fmt(q.mean), "stddev", fmt(q.stddev), "variance", fmt(q.variance))

# -- Bernoulli and Normal policies --------------------------------------------------------------------
b = Bernoulli(logits=torch.tensor([0.3, -1.2, 2.0]))
print(
    b,
    fmt(b.probs),
    fmt(b.log_prob(torch.tensor([1.0, 0.0, 0.0]))),
    fmt(b.entropy()),
    b.sample().dtype,
)
print("kl bernoulli", fmt(kl_divergence(b, Bernoulli(torch.tensor([0.5, 0.5, 0.9])))))
pol = Normal(torch.tensor([0.1, -0.2]), torch.tensor([0.5, 1.5]))
print(pol.expand((3, 2)), fmt(pol.log_prob(torch.tensor([0.0, 1.0]))), fmt(pol.entropy()))

# -- MultivariateNormal, Independent -----------------------------------------------------------------
cov = torch.tensor([[2.0, 0.3], [0.3, 0.5]])
mvn = MultivariateNormal(torch.tensor([1.0, -1.0]), covariance_matrix=cov)
print(mvn, mvn.batch_shape, mvn.event_shape, mvn.rsample((3,)).shape)
print(
    "mvn log_prob",
    fmt(mvn.log_prob(torch.tensor([[0.5, 0.0], [1.0, -1.0]]))),
    f"entropy {mvn.entropy().item():.4f}",
)
print(
    "scale_tril",
    fmt(mvn.scale_tril),
    "precision",
    fmt(mvn.precision_matrix),
    "variance",
    fmt(mvn.variance),
)
mvn2 = MultivariateNormal(torch.zeros(2), scale_tril=torch.tensor([[1.0, 0.0], [0.5, 0.8]]))
print(f"kl mvn {kl_divergence(mvn, mvn2).item():.4f}")
ind = Independent(Normal(torch.zeros(3, 2), torch.ones(3, 2)), 1)
print(ind, ind.batch_shape, ind.event_shape, fmt(ind.log_prob(torch.ones(3, 2))))
print(
    "kl independent",
    fmt(kl_divergence(ind, Independent(Normal(torch.ones(3, 2), 2 * torch.ones(3, 2)), 1))),
)

# -- Beta, Gamma, Dirichlet, Uniform, OneHotCategorical ------------------------------------------------
be = Beta(torch.tensor([2.0, 0.5]), torch.tensor([3.0, 0.5]))
print(
    be,
    fmt(be.log_prob(torch.tensor([0.3, 0.9]))),
    fmt(be.entropy()),
    fmt(be.mean),
    fmt(be.variance),
)
print("kl beta", fmt(kl_divergence(be, Beta(torch.tensor([1.0, 1.0]), torch.tensor([1.0, 2.0])))))
ga = Gamma(torch.tensor([2.0, 5.0]), torch.tensor([1.0, 0.5]))
print(ga, fmt(ga.log_prob(torch.tensor([1.5, 8.0]))), fmt(ga.entropy()), ga.rsample((4,)).shape)
di = Dirichlet(torch.tensor([1.0, 2.0, 3.0]))
print(
    di, fmt(di.log_prob(torch.tensor([0.2, 0.3, 0.5]))), f"{di.entropy().item():.4f}", fmt(di.mean)
)
un = Uniform(torch.tensor([0.0, -1.0]), torch.tensor([2.0, 1.0]))
print(
    un,
    fmt(un.log_prob(torch.tensor([0.5, 0.0]))),
    fmt(un.cdf(torch.tensor([0.5, 0.0]))),
    fmt(un.entropy()),
)
print("kl uniform", fmt(kl_divergence(Uniform(0.0, 1.0), Uniform(-1.0, 2.0))))
oh = OneHotCategorical(torch.tensor([0.25, 0.25, 0.5]))
print(oh, oh.sample((2,)).shape, fmt(oh.log_prob(torch.tensor([0.0, 0.0, 1.0]))))

# -- validation -------------------------------------------------------------------------------------
try:
    Categorical(torch.tensor([0.2, -0.3, 0.5]))
except ValueError as e:
    print("ValueError:", e)
try:
    Normal(torch.zeros(2), torch.tensor([1.0, -1.0]))
except ValueError as e:
    print("ValueError:", e)
try:
    Bernoulli(torch.tensor([0.3])).log_prob(torch.tensor([2.0]))
except ValueError as e:
    print("ValueError:", e)
torch.distributions.Distribution.set_default_validate_args(False)
print("unchecked", Categorical(torch.tensor([0.2, -0.3, 0.5])).batch_shape)
torch.distributions.Distribution.set_default_validate_args(True)
