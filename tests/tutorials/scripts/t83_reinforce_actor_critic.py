# ruff: noqa: UP008, UP032, B007 (the originals' style, kept)
# pytorch/examples reinforcement_learning (reinforce.py and actor_critic.py) on a tiny deterministic
# corridor environment written inline instead of gym's CartPole: Categorical sampling, log_prob,
# returns normalised with finfo eps, smooth_l1_loss for the critic, running reward.
from collections import namedtuple

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim
from torch.distributions import Categorical


class Corridor:
    """Walk from cell 0 to cell 5; action 1 moves right, 0 moves left; reward 1 at the goal."""

    def __init__(self, size=6, max_steps=20):
        self.size, self.max_steps = size, max_steps

    def reset(self, seed=None):
        self.pos, self.t = 0, 0
        return self._obs(), {}

    def _obs(self):
        o = np.zeros(4, dtype=np.float32)
        o[0] = self.pos / self.size
        o[1] = 1.0 if self.pos == 0 else 0.0
        o[2] = self.t / self.max_steps
        o[3] = 1.0
        return o

    def step(self, action):
        self.t += 1
        self.pos = max(0, self.pos + (1 if action == 1 else -1))
        terminated = self.pos == self.size - 1
        truncated = self.t >= self.max_steps
        reward = 1.0 if terminated else -0.05
        return self._obs(), reward, terminated, truncated, {}


gamma = 0.99
log_interval = 5
env = Corridor()
torch.manual_seed(543)
eps = np.finfo(np.float32).eps.item()
print(
    "eps", eps, torch.finfo(torch.float32).eps, torch.finfo(torch.float16).max, torch.finfo().tiny
)
print(torch.finfo(torch.float64), torch.iinfo(torch.int32))


# -- reinforce.py -------------------------------------------------------------------------------------
class Policy(nn.Module):
    def __init__(self):
        super(Policy, self).__init__()
        self.affine1 = nn.Linear(4, 32)
        self.dropout = nn.Dropout(p=0.6)
        self.affine2 = nn.Linear(32, 2)

        self.saved_log_probs = []
        self.rewards = []

    def forward(self, x):
        x = self.affine1(x)
        x = self.dropout(x)
        x = F.relu(x)
        action_scores = self.affine2(x)
        return F.softmax(action_scores, dim=1)


policy = Policy()
optimizer = optim.Adam(policy.parameters(), lr=1e-2)


def select_action(state):
    state = torch.from_numpy(state).float().unsqueeze(0)
    probs = policy(state)
    m = Categorical(probs)
    action = m.sample()
    policy.saved_log_probs.append(m.log_prob(action))
    return action.item()


def finish_episode():
    R = 0
    policy_loss = []
    returns = []
    for r in policy.rewards[::-1]:
        R = r + gamma * R
        returns.insert(0, R)
    returns = torch.tensor(returns)
    returns = (returns - returns.mean()) / (returns.std() + eps)
    for log_prob, R in zip(policy.saved_log_probs, returns):
        policy_loss.append(-log_prob * R)
    optimizer.zero_grad()
    policy_loss = torch.cat(policy_loss).sum()
    policy_loss.backward()
    optimizer.step()
    del policy.rewards[:]
    del policy.saved_log_probs[:]
    return policy_loss


running_reward = 0
for i_episode in range(1, 11):
    state, _ = env.reset()
    ep_reward = 0
    actions = []
    for t in range(1, 10000):
        action = select_action(state)
        actions.append(action)
        state, reward, done, truncated, _ = env.step(action)
        policy.rewards.append(reward)
        ep_reward += reward
        if done or truncated:
            break

    running_reward = 0.05 * ep_reward + (1 - 0.05) * running_reward
    loss = finish_episode()
    print("".join(map(str, actions)), f"loss {loss.item():.4f}")
    if i_episode % log_interval == 0:
        print(
            "Episode {}\tLast reward: {:.2f}\tAverage reward: {:.2f}".format(
                i_episode, ep_reward, running_reward
            )
        )

# -- actor_critic.py ----------------------------------------------------------------------------------
SavedAction = namedtuple("SavedAction", ["log_prob", "value"])


class ActorCritic(nn.Module):
    def __init__(self):
        super(ActorCritic, self).__init__()
        self.affine1 = nn.Linear(4, 32)

        # actor's layer
        self.action_head = nn.Linear(32, 2)

        # critic's layer
        self.value_head = nn.Linear(32, 1)

        # action & reward buffer
        self.saved_actions = []
        self.rewards = []

    def forward(self, x):
        x = F.relu(self.affine1(x))
        action_prob = F.softmax(self.action_head(x), dim=-1)
        state_values = self.value_head(x)
        return action_prob, state_values


model = ActorCritic()
print(model)
optimizer = optim.Adam(model.parameters(), lr=3e-2)


def select_action_ac(state):
    state = torch.from_numpy(state).float()
    probs, state_value = model(state)
    m = Categorical(probs)
    action = m.sample()
    model.saved_actions.append(SavedAction(m.log_prob(action), state_value))
    return action.item()


def finish_episode_ac():
    R = 0
    saved_actions = model.saved_actions
    policy_losses = []
    value_losses = []
    returns = []
    for r in model.rewards[::-1]:
        R = r + gamma * R
        returns.insert(0, R)

    returns = torch.tensor(returns)
    returns = (returns - returns.mean()) / (returns.std() + eps)

    for (log_prob, value), R in zip(saved_actions, returns):
        advantage = R - value.item()
        policy_losses.append(-log_prob * advantage)
        value_losses.append(F.smooth_l1_loss(value, torch.tensor([R])))

    optimizer.zero_grad()
    loss = torch.stack(policy_losses).sum() + torch.stack(value_losses).sum()
    loss.backward()
    optimizer.step()

    del model.rewards[:]
    del model.saved_actions[:]
    return loss


running_reward = 10
for i_episode in range(1, 11):
    state, _ = env.reset()
    ep_reward = 0
    actions = []
    for t in range(1, 10000):
        action = select_action_ac(state)
        actions.append(action)
        state, reward, done, truncated, _ = env.step(action)
        model.rewards.append(reward)
        ep_reward += reward
        if done or truncated:
            break
    running_reward = 0.05 * ep_reward + (1 - 0.05) * running_reward
    loss = finish_episode_ac()
    print("".join(map(str, actions)), f"loss {loss.item():.4f}", loss.grad_fn.name())
    if i_episode % log_interval == 0:
        print(
            "Episode {}\tLast reward: {:.2f}\tAverage reward: {:.2f}".format(
                i_episode, ep_reward, running_reward
            )
        )

m = Categorical(torch.tensor([0.1, 0.2, 0.7]))
print(m.sample((2, 3)), m.log_prob(torch.tensor(2)), m.entropy(), m.probs, m.logits)
print(m.sample(), m.sample().dtype, m.sample().shape)
