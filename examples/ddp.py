"""``DistributedDataParallel`` with ``torch.multiprocessing.spawn``, the gloo backend and a
``DistributedSampler``: each process trains on its shard of the data, gradients are averaged
across processes every step, so all replicas stay identical.

    python -m torchlike examples/ddp.py --world-size 2
    python -m torchlike.distributed.run --nproc-per-node 2 examples/ddp.py   # torchrun-style
"""

import argparse
import os
import socket

import torch
import torch.distributed as dist
import torch.multiprocessing as mp
import torch.nn as nn
import torch.optim as optim
from torch.nn.parallel import DistributedDataParallel as DDP
from torch.utils.data import DataLoader, TensorDataset
from torch.utils.data.distributed import DistributedSampler
from torchvision.datasets import Digits


def digits(train):
    ds = Digits(train=train)
    return TensorDataset(ds.data.float().div(255.0).view(-1, 64), ds.targets)


def train(rank, world_size, args):
    dist.init_process_group("gloo", rank=rank, world_size=world_size)
    torch.manual_seed(0)  # the same initial weights on every rank (DDP also broadcasts rank 0's)

    dataset = digits(True)
    sampler = DistributedSampler(dataset, num_replicas=world_size, rank=rank, shuffle=True)
    loader = DataLoader(dataset, batch_size=args.batch_size, sampler=sampler, drop_last=True)
    model = DDP(nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 10)))
    optimizer = optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    criterion = nn.CrossEntropyLoss()

    for epoch in range(args.epochs):
        sampler.set_epoch(epoch)  # a different shuffle each epoch, consistent across ranks
        total = torch.zeros(2)
        for x, y in loader:
            optimizer.zero_grad()
            loss = criterion(model(x), y)
            loss.backward()  # gradients are averaged over the ranks here
            optimizer.step()
            total += torch.stack([loss.detach(), torch.tensor(1.0)])
        dist.all_reduce(total)  # sum of the ranks' losses and batch counts
        if rank == 0:
            print(
                f"epoch {epoch + 1}: loss {(total[0] / total[1]).item():.4f} "
                f"({len(loader)} batches per rank x {world_size} ranks)"
            )

    # every replica must hold the same weights
    flat = torch.cat([p.detach().flatten() for p in model.parameters()])
    replicas = [torch.zeros_like(flat) for _ in range(world_size)]
    dist.all_gather(replicas, flat)
    in_sync = all(torch.equal(replicas[0], r) for r in replicas[1:])

    test = digits(False)
    with torch.no_grad():
        x, y = test.tensors
        accuracy = (model(x).argmax(1) == y).float().mean().item()
    if rank == 0:
        print(f"replicas in sync: {in_sync}")
        print(f"test accuracy: {accuracy:.3f}")
    dist.barrier()
    dist.destroy_process_group()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--world-size", type=int, default=2)
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--batch-size", type=int, default=32, help="per-process batch")
    args = parser.parse_args()

    if "RANK" in os.environ and "WORLD_SIZE" in os.environ:  # started by torchrun
        train(int(os.environ["RANK"]), int(os.environ["WORLD_SIZE"]), args)
        return
    os.environ.setdefault("MASTER_ADDR", "127.0.0.1")
    os.environ.setdefault("MASTER_PORT", str(free_port()))
    mp.spawn(train, args=(args.world_size, args), nprocs=args.world_size, join=True)


if __name__ == "__main__":
    main()
