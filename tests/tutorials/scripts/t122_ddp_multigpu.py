# pytorch/examples distributed/ddp-tutorial-series multigpu.py (+ datautils.py): mp.spawn of two
# ranks, init_process_group / destroy_process_group, DistributedSampler with set_epoch, the
# Trainer wrapping its model in DistributedDataParallel, a rank-0 checkpoint; then the
# torchrun-style variant (multigpu_torchrun.py: env:// rendezvous from RANK / WORLD_SIZE /
# LOCAL_RANK / MASTER_ADDR / MASTER_PORT) as one process.
# Changes: the 'nccl' backend and GPU ids become 'gloo' on the CPU (no torch.cuda.set_device,
# no device_ids); a free port instead of 12355; each rank's prints go to a file that the parent
# prints in rank order (two processes printing at once interleave unpredictably); a small
# dataset, seeded per rank.
import io
import os
import socket
import sys
import tempfile
from contextlib import redirect_stdout

import torch
import torch.multiprocessing as mp
import torch.nn.functional as F
from torch.distributed import destroy_process_group, init_process_group
from torch.nn.parallel import DistributedDataParallel as DDP
from torch.utils.data import DataLoader, Dataset
from torch.utils.data.distributed import DistributedSampler


class MyTrainDataset(Dataset):
    def __init__(self, size):
        self.size = size
        self.data = [(torch.rand(20), torch.rand(1)) for _ in range(size)]

    def __len__(self):
        return self.size

    def __getitem__(self, index):
        return self.data[index]


def ddp_setup(rank, world_size):
    """
    Args:
        rank: Unique identifier of each process
        world_size: Total number of processes
    """
    os.environ["MASTER_ADDR"] = "localhost"
    init_process_group(backend="gloo", rank=rank, world_size=world_size)


class Trainer:
    def __init__(
        self,
        model: torch.nn.Module,
        train_data: DataLoader,
        optimizer: torch.optim.Optimizer,
        gpu_id: int,
        save_every: int,
    ) -> None:
        self.gpu_id = gpu_id
        self.model = model
        self.train_data = train_data
        self.optimizer = optimizer
        self.save_every = save_every
        self.model = DDP(model)

    def _run_batch(self, source, targets):
        self.optimizer.zero_grad()
        output = self.model(source)
        loss = F.mse_loss(output, targets)
        loss.backward()
        self.optimizer.step()
        return loss

    def _run_epoch(self, epoch):
        b_sz = len(next(iter(self.train_data))[0])
        print(f"[GPU{self.gpu_id}] Epoch {epoch} | Batchsize: {b_sz} | Steps: {len(self.train_data)}")
        self.train_data.sampler.set_epoch(epoch)
        for source, targets in self.train_data:
            loss = self._run_batch(source, targets)
        print(f"[GPU{self.gpu_id}] last loss {loss.item():.4f}")

    def _save_checkpoint(self, epoch):
        ckp = self.model.module.state_dict()
        PATH = os.path.join(os.environ["CKPT_DIR"], "checkpoint.pt")
        torch.save(ckp, PATH)
        print(f"Epoch {epoch} | Training checkpoint saved at checkpoint.pt")

    def train(self, max_epochs: int):
        for epoch in range(max_epochs):
            self._run_epoch(epoch)
            if self.gpu_id == 0 and epoch % self.save_every == 0:
                self._save_checkpoint(epoch)


def load_train_objs():
    train_set = MyTrainDataset(96)  # load your dataset
    model = torch.nn.Linear(20, 1)  # load your model
    optimizer = torch.optim.SGD(model.parameters(), lr=1e-1)
    return train_set, model, optimizer


def prepare_dataloader(dataset: Dataset, batch_size: int):
    return DataLoader(
        dataset,
        batch_size=batch_size,
        pin_memory=False,
        shuffle=False,
        sampler=DistributedSampler(dataset)
    )


def main(rank: int, world_size: int, save_every: int, total_epochs: int, batch_size: int):
    out = io.StringIO()
    with redirect_stdout(out):
        torch.manual_seed(0)  # the same dataset and initial model on every rank
        ddp_setup(rank, world_size)
        dataset, model, optimizer = load_train_objs()
        train_data = prepare_dataloader(dataset, batch_size)
        print(f"[GPU{rank}] first indices {list(train_data.sampler)[:6]}")
        trainer = Trainer(model, train_data, optimizer, rank, save_every)
        trainer.train(total_epochs)
        w = trainer.model.module.weight
        print(f"[GPU{rank}] weight[:4] {[round(v, 5) for v in w[0, :4].tolist()]}")
        destroy_process_group()
    with open(os.path.join(os.environ["CKPT_DIR"], f"rank{rank}.txt"), "w") as f:
        f.write(out.getvalue())


def torchrun_style(ckpt_dir):
    """multigpu_torchrun.py's setup as torchrun leaves it for one process."""
    torch.manual_seed(0)
    os.environ.update(RANK="0", LOCAL_RANK="0", WORLD_SIZE="1")
    init_process_group(backend="gloo")
    print("initialized:", torch.distributed.is_initialized(), torch.distributed.get_rank(),
          torch.distributed.get_world_size(), torch.distributed.get_backend())
    gpu_id = int(os.environ["LOCAL_RANK"])
    dataset, model, optimizer = load_train_objs()
    model.load_state_dict(torch.load(os.path.join(ckpt_dir, "checkpoint.pt")))
    data = prepare_dataloader(dataset, 32)
    print("sampler length", len(data.sampler), "batches", len(data))
    trainer = Trainer(model, data, optimizer, gpu_id, save_every=10)
    trainer._run_epoch(0)
    destroy_process_group()
    print("initialized after destroy:", torch.distributed.is_initialized())


def free_port():
    with socket.socket() as s:
        s.bind(("localhost", 0))
        return s.getsockname()[1]


if __name__ == "__main__":
    world_size = 2
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["CKPT_DIR"] = tmp
        os.environ["MASTER_PORT"] = str(free_port())
        mp.spawn(main, args=(world_size, 1, 2, 16), nprocs=world_size)
        for rank in range(world_size):
            with open(os.path.join(tmp, f"rank{rank}.txt")) as f:
                sys.stdout.write(f.read())
        print(sorted(os.listdir(tmp)))
        os.environ["MASTER_ADDR"] = "localhost"
        os.environ["MASTER_PORT"] = str(free_port())
        torchrun_style(tmp)
