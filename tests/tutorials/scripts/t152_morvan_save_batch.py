# ruff: noqa: B007, UP008, UP031, UP032, E731, E402, F841  (tutorial code, kept as the tutorials write it)
"""MorvanZhou PyTorch-Tutorial 304 (save/reload) and 305 (mini-batches): seeded, plots replaced
by printed numbers, files written to a temporary directory."""
import os
import tempfile

import torch
import torch.utils.data as Data

torch.manual_seed(1)

# 304_save_reload
x = torch.unsqueeze(torch.linspace(-1, 1, 100), dim=1)
y = x.pow(2) + 0.2*torch.rand(x.size())
tmp = tempfile.mkdtemp()
os.chdir(tmp)


def save():
    net1 = torch.nn.Sequential(
        torch.nn.Linear(1, 10),
        torch.nn.ReLU(),
        torch.nn.Linear(10, 1)
    )
    optimizer = torch.optim.SGD(net1.parameters(), lr=0.5)
    loss_func = torch.nn.MSELoss()

    for t in range(100):
        prediction = net1(x)
        loss = loss_func(prediction, y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

    print('Net1', '%.4f' % loss.item(), '%.4f' % prediction.data.numpy().sum())
    torch.save(net1, 'net.pkl')
    torch.save(net1.state_dict(), 'net_params.pkl')


def restore_net():
    net2 = torch.load('net.pkl', weights_only=False)
    prediction = net2(x)
    print('Net2', net2)
    print('Net2', '%.4f' % prediction.data.numpy().sum())


def restore_params():
    net3 = torch.nn.Sequential(
        torch.nn.Linear(1, 10),
        torch.nn.ReLU(),
        torch.nn.Linear(10, 1)
    )
    print(net3.load_state_dict(torch.load('net_params.pkl')))
    prediction = net3(x)
    print('Net3', '%.4f' % prediction.data.numpy().sum())

save()
restore_net()
restore_params()

# 305_batch_train
BATCH_SIZE = 5

x = torch.linspace(1, 10, 10)
y = torch.linspace(10, 1, 10)

torch_dataset = Data.TensorDataset(x, y)
loader = Data.DataLoader(
    dataset=torch_dataset,
    batch_size=BATCH_SIZE,
    shuffle=True,
    num_workers=2,
)


def show_batch():
    for epoch in range(3):
        for step, (batch_x, batch_y) in enumerate(loader):
            print('Epoch: ', epoch, '| Step: ', step, '| batch x: ',
                  batch_x.numpy(), '| batch y: ', batch_y.numpy())


if __name__ == '__main__':
    show_batch()
    BATCH_SIZE = 8
    loader = Data.DataLoader(dataset=torch_dataset, batch_size=BATCH_SIZE, shuffle=True, num_workers=2)
    show_batch()
