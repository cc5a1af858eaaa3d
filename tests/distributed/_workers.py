"""Worker programs for the distributed tests (run in child processes)."""

import os
import sys

import numpy as np


def make_data():
    rng = np.random.default_rng(0)
    return rng.standard_normal((8, 6)).astype(np.float32), rng.standard_normal((8, 1)).astype(
        np.float32
    )


def build(tl):
    tl.manual_seed(0)
    return tl.nn.Sequential(tl.nn.Linear(6, 4), tl.nn.Linear(4, 1))


def train_single(steps=5):
    import torchlike as tl

    x, y = make_data()
    model = build(tl)
    opt = tl.optim.SGD(model.parameters(), lr=0.1)
    for _ in range(steps):
        opt.zero_grad()
        ((model(tl.tensor(x)) - tl.tensor(y)) ** 2).mean().backward()
        opt.step()
    return {k: v.numpy() for k, v in model.state_dict().items()}


def ddp_worker(rank, world, port, outdir, steps=5, fail_rank=-1):
    os.environ.update(
        MASTER_ADDR="127.0.0.1", MASTER_PORT=str(port), RANK=str(rank), WORLD_SIZE=str(world)
    )
    import torchlike as tl
    import torchlike.distributed as dist

    dist.init_process_group("gloo")
    if rank == fail_rank:
        raise ValueError(f"rank {rank} fails on purpose")
    # collectives
    t = tl.tensor([float(rank + 1), 10.0 * rank])
    dist.all_reduce(t)
    gathered = [tl.zeros(2) for _ in range(world)]
    dist.all_gather(gathered, tl.tensor([rank, rank], dtype=tl.float32))
    b = tl.tensor([rank + 5.0])
    dist.broadcast(b, src=1)
    x, y = make_data()
    share = len(x) // world
    xs, ys = (
        tl.tensor(x[rank * share : (rank + 1) * share]),
        tl.tensor(y[rank * share : (rank + 1) * share]),
    )
    model = tl.nn.parallel.DistributedDataParallel(build(tl))
    opt = tl.optim.SGD(model.parameters(), lr=0.1)
    for _ in range(steps):
        opt.zero_grad()
        ((model(xs) - ys) ** 2).mean().backward()
        opt.step()
    state = {k: v.numpy() for k, v in model.module.state_dict().items()}
    np.savez(
        os.path.join(outdir, f"rank{rank}.npz"),
        allreduce=t.numpy(),
        gathered=np.stack([g.numpy() for g in gathered]),
        broadcast=b.numpy(),
        **state,
    )
    dist.barrier()
    dist.destroy_process_group()


if __name__ == "__main__":  # launched by torchlike.distributed.run
    outdir, fail = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else -1
    ddp_worker(
        int(os.environ["RANK"]),
        int(os.environ["WORLD_SIZE"]),
        int(os.environ["MASTER_PORT"]),
        outdir,
        fail_rank=fail,
    )
