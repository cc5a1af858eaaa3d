# ruff: noqa: B007, UP008, UP031, UP032, E731, E402, F841, UP004  (tutorial code, kept as the tutorials write it)
"""MorvanZhou PyTorch-Tutorial 405 (DQN on CartPole): gym replaced by a tiny seeded
cart-pole-like environment with the same interface, a smaller memory and fewer episodes."""
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.autograd import Variable

torch.manual_seed(1)
np.random.seed(1)


class Discrete:
    def __init__(self, n):
        self.n = n


class Box:
    def __init__(self, shape):
        self.shape = shape


class FakeCartPole:
    x_threshold = 2.4
    theta_threshold_radians = 12 * 2 * np.pi / 360

    def __init__(self):
        self.action_space, self.observation_space = Discrete(2), Box((4,))
        self.rs = np.random.RandomState(0)

    @property
    def unwrapped(self):
        return self

    def reset(self):
        self.t, self.state = 0, self.rs.uniform(-0.05, 0.05, 4)
        return self.state.copy()

    def render(self):
        pass

    def step(self, a):
        x, x_dot, theta, theta_dot = self.state
        force = 1.0 if a == 1 else -1.0
        theta_acc = 9.8 * np.sin(theta) - force * np.cos(theta)
        x_dot, theta_dot = x_dot + 0.02 * force, theta_dot + 0.02 * theta_acc
        self.state = np.array([x + 0.02 * x_dot, x_dot, theta + 0.02 * theta_dot, theta_dot])
        self.t += 1
        done = bool(abs(self.state[0]) > self.x_threshold or abs(self.state[2]) > self.theta_threshold_radians
                    or self.t >= 60)
        return self.state.copy(), 1.0, done, {}


class gym:
    @staticmethod
    def make(name):
        return FakeCartPole()


BATCH_SIZE = 32
LR = 0.01
EPSILON = 0.9
GAMMA = 0.9
TARGET_REPLACE_ITER = 20
MEMORY_CAPACITY = 200
env = gym.make('CartPole-v0')
env = env.unwrapped
N_ACTIONS = env.action_space.n
N_STATES = env.observation_space.shape[0]


class Net(nn.Module):
    def __init__(self, ):
        super(Net, self).__init__()
        self.fc1 = nn.Linear(N_STATES, 10)
        self.fc1.weight.data.normal_(0, 0.1)
        self.out = nn.Linear(10, N_ACTIONS)
        self.out.weight.data.normal_(0, 0.1)

    def forward(self, x):
        x = self.fc1(x)
        x = F.relu(x)
        actions_value = self.out(x)
        return actions_value


class DQN(object):
    def __init__(self):
        self.eval_net, self.target_net = Net(), Net()

        self.learn_step_counter = 0
        self.memory_counter = 0
        self.memory = np.zeros((MEMORY_CAPACITY, N_STATES * 2 + 2))
        self.optimizer = torch.optim.Adam(self.eval_net.parameters(), lr=LR)
        self.loss_func = nn.MSELoss()

    def choose_action(self, x):
        x = Variable(torch.unsqueeze(torch.FloatTensor(x), 0))
        if np.random.uniform() < EPSILON:
            actions_value = self.eval_net.forward(x)
            action = torch.max(actions_value, 1)[1].data.numpy()[0]
        else:
            action = np.random.randint(0, N_ACTIONS)
        return action

    def store_transition(self, s, a, r, s_):
        transition = np.hstack((s, [a, r], s_))
        index = self.memory_counter % MEMORY_CAPACITY
        self.memory[index, :] = transition
        self.memory_counter += 1

    def learn(self):
        if self.learn_step_counter % TARGET_REPLACE_ITER == 0:
            self.target_net.load_state_dict(self.eval_net.state_dict())
        self.learn_step_counter += 1

        sample_index = np.random.choice(MEMORY_CAPACITY, BATCH_SIZE)
        b_memory = self.memory[sample_index, :]
        b_s = Variable(torch.FloatTensor(b_memory[:, :N_STATES]))
        b_a = Variable(torch.LongTensor(b_memory[:, N_STATES:N_STATES+1].astype(int)))
        b_r = Variable(torch.FloatTensor(b_memory[:, N_STATES+1:N_STATES+2]))
        b_s_ = Variable(torch.FloatTensor(b_memory[:, -N_STATES:]))

        q_eval = self.eval_net(b_s).gather(1, b_a)
        q_next = self.target_net(b_s_).detach()
        q_target = b_r + GAMMA * q_next.max(1)[0].view(BATCH_SIZE, 1)
        loss = self.loss_func(q_eval, q_target)

        self.optimizer.zero_grad()
        loss.backward()
        self.optimizer.step()
        self.last_loss = loss.item()

dqn = DQN()

print('\nCollecting experience...')
for i_episode in range(25):
    s = env.reset()
    ep_r = 0
    while True:
        env.render()
        a = dqn.choose_action(s)

        s_, r, done, info = env.step(a)

        x, x_dot, theta, theta_dot = s_
        r1 = (env.x_threshold - abs(x)) / env.x_threshold - 0.8
        r2 = (env.theta_threshold_radians - abs(theta)) / env.theta_threshold_radians - 0.5
        r = r1 + r2

        dqn.store_transition(s, a, r, s_)

        ep_r += r
        if dqn.memory_counter > MEMORY_CAPACITY:
            dqn.learn()
            if done:
                print('Ep: ', i_episode,
                      '| Ep_r: ', round(ep_r, 2), '| loss: %.4f' % dqn.last_loss, type(a).__name__)

        if done:
            break
        s = s_
print(dqn.learn_step_counter, dqn.memory_counter)
