"""``python -m torchlike.distributed.run --nproc-per-node N script.py [args]``: torchrun's job.

Starts N local workers (each running the script under torchlike's runner, so ``import torch``
means torchlike), with torchrun's environment variables; if a rank fails, the others are stopped
and the launcher exits non-zero with that rank's error.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import time
import uuid


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def parse(argv):
    p = argparse.ArgumentParser(prog="python -m torchlike.distributed.run")
    p.add_argument("--nproc-per-node", "--nproc_per_node", dest="nproc", type=int, default=1)
    p.add_argument("--nnodes", type=int, default=1)
    p.add_argument("--node-rank", "--node_rank", dest="node_rank", type=int, default=0)
    p.add_argument("--master-addr", "--master_addr", dest="master_addr", default="127.0.0.1")
    p.add_argument("--master-port", "--master_port", dest="master_port", type=int, default=None)
    p.add_argument("--standalone", action="store_true")
    p.add_argument("--no-python", action="store_true")
    p.add_argument("script")
    p.add_argument("args", nargs=argparse.REMAINDER)
    return p.parse_args(argv)


def main(argv=None) -> int:
    ns = parse(argv)
    port = ns.master_port or _free_port()
    world = ns.nproc * ns.nnodes
    run_id = uuid.uuid4().hex[:8]
    procs = []
    for local in range(ns.nproc):
        rank = ns.node_rank * ns.nproc + local
        env = dict(
            os.environ,
            MASTER_ADDR=ns.master_addr,
            MASTER_PORT=str(port),
            RANK=str(rank),
            LOCAL_RANK=str(local),
            WORLD_SIZE=str(world),
            LOCAL_WORLD_SIZE=str(ns.nproc),
            GROUP_RANK=str(ns.node_rank),
            ROLE_RANK=str(rank),
            ROLE_WORLD_SIZE=str(world),
            TORCHELASTIC_RUN_ID=run_id,
            OMP_NUM_THREADS=os.environ.get("OMP_NUM_THREADS", "1"),
        )
        cmd = (
            [ns.script, *ns.args]
            if ns.no_python
            else [sys.executable, "-m", "torchlike", ns.script, *ns.args]
        )
        procs.append(subprocess.Popen(cmd, env=env))
    failed = None
    try:
        while procs and failed is None:
            alive = []
            for rank, p in enumerate(procs):
                code = p.poll()
                if code is None:
                    alive.append(p)
                elif code != 0 and failed is None:
                    failed = (rank, code)
            if len(alive) == 0:
                break
            time.sleep(0.05)
    except KeyboardInterrupt:
        failed = (-1, 130)
    if failed is not None:
        for p in procs:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        deadline = time.time() + 10
        for p in procs:
            try:
                p.wait(timeout=max(0.1, deadline - time.time()))
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
        rank, code = failed
        print(
            f"torchlike.distributed.run: rank {rank} failed with exit code {code}; stopped the other ranks",
            file=sys.stderr,
        )
        return code if code > 0 else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
