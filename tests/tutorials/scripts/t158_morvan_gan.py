# ruff: noqa: B007, UP008, UP031, UP032, E731, E402, F841, E702  (tutorial code, kept as the tutorials write it)
"""MorvanZhou PyTorch-Tutorial 406 (GAN) and 406_conditional_GAN: seeded, 300 steps each, plots
replaced by printed scores. PyTorch 2 rejects the conditional GAN's order (`opt_D.step()`
changes D's weights in place before `G_loss.backward()` needs them), so there G's gradients
are taken first (`inputs=` keeps them out of D's) and both steps follow."""
import numpy as np
import torch
import torch.nn as nn

torch.manual_seed(1)
np.random.seed(1)

BATCH_SIZE = 64
LR_G = 0.0001
LR_D = 0.0001
N_IDEAS = 5
ART_COMPONENTS = 15
PAINT_POINTS = np.vstack([np.linspace(-1, 1, ART_COMPONENTS) for _ in range(BATCH_SIZE)])


def artist_works():
    a = np.random.uniform(1, 2, size=BATCH_SIZE)[:, np.newaxis]
    paintings = a * np.power(PAINT_POINTS, 2) + (a-1)
    paintings = torch.from_numpy(paintings).float()
    return paintings

G = nn.Sequential(
    nn.Linear(N_IDEAS, 128),
    nn.ReLU(),
    nn.Linear(128, ART_COMPONENTS),
)

D = nn.Sequential(
    nn.Linear(ART_COMPONENTS, 128),
    nn.ReLU(),
    nn.Linear(128, 1),
    nn.Sigmoid(),
)

opt_D = torch.optim.Adam(D.parameters(), lr=LR_D)
opt_G = torch.optim.Adam(G.parameters(), lr=LR_G)

for step in range(300):
    artist_paintings = artist_works()
    G_ideas = torch.randn(BATCH_SIZE, N_IDEAS, requires_grad=True)
    G_paintings = G(G_ideas)
    prob_artist1 = D(G_paintings)
    G_loss = torch.mean(torch.log(1. - prob_artist1))
    opt_G.zero_grad()
    G_loss.backward()
    opt_G.step()

    prob_artist0 = D(artist_paintings)
    prob_artist1 = D(G_paintings.detach())
    D_loss = - torch.mean(torch.log(prob_artist0) + torch.log(1. - prob_artist1))
    opt_D.zero_grad()
    D_loss.backward(retain_graph=True)
    opt_D.step()

    if step % 50 == 0:
        print(step, 'D accuracy=%.4f' % prob_artist0.data.numpy().mean(),
              'D score= %.4f' % -D_loss.data.numpy(), '%.4f' % G_paintings.data.numpy()[0].mean())

# 406_conditional_GAN
torch.manual_seed(1)
np.random.seed(1)


def artist_works_with_labels():
    a = np.random.uniform(1, 2, size=BATCH_SIZE)[:, np.newaxis]
    paintings = a * np.power(PAINT_POINTS, 2) + (a-1)
    labels = (a-1) > 0.5
    paintings = torch.from_numpy(paintings).float()
    labels = torch.from_numpy(labels.astype(np.float32))
    return paintings, labels


G = nn.Sequential(
    nn.Linear(N_IDEAS+1, 128),
    nn.ReLU(),
    nn.Linear(128, ART_COMPONENTS),
)

D = nn.Sequential(
    nn.Linear(ART_COMPONENTS+1, 128),
    nn.ReLU(),
    nn.Linear(128, 1),
    nn.Sigmoid(),
)

opt_D = torch.optim.Adam(D.parameters(), lr=LR_D)
opt_G = torch.optim.Adam(G.parameters(), lr=LR_G)

for step in range(300):
    artist_paintings, labels = artist_works_with_labels()
    G_ideas = torch.randn(BATCH_SIZE, N_IDEAS)
    G_inputs = torch.cat((G_ideas, labels), 1)
    G_paintings = G(G_inputs)

    D_inputs0 = torch.cat((artist_paintings, labels), 1)
    D_inputs1 = torch.cat((G_paintings, labels), 1)
    prob_artist0 = D(D_inputs0)
    prob_artist1 = D(D_inputs1)

    D_score0 = torch.log(prob_artist0)
    D_score1 = torch.log(1. - prob_artist1)
    D_loss = - torch.mean(D_score0 + D_score1)
    G_loss = torch.mean(D_score1)

    opt_D.zero_grad()
    D_loss.backward(retain_graph=True)

    opt_G.zero_grad()
    G_loss.backward(inputs=list(G.parameters()))
    opt_D.step()
    opt_G.step()

    if step % 50 == 0:
        bound = [0, 0.5] if labels.data[0, 0] == 0 else [0.5, 1]
        print(step, 'D accuracy=%.4f' % prob_artist0.data.numpy().mean(),
              'D score= %.4f' % -D_loss.data.numpy(), 'Class = %i' % int(labels.data[0, 0]), bound)

z = torch.randn(1, N_IDEAS)
label = torch.FloatTensor([[1.]])
G_inputs = torch.cat((z, label), 1)
G_paintings = G(G_inputs)
print(np.round(G_paintings.data.numpy()[0], 3))
