"""SummaryWriter: PyTorch's API over tensorboardX's event-file writer.

Tensors are converted to NumPy on the host (a sync, as logging a value in PyTorch is).
"""

from __future__ import annotations

import numpy as np

from ..._tensor import Tensor


def _np(x):
    if isinstance(x, Tensor):
        a = x.detach()._host("SummaryWriter")
        return a.astype(np.float32) if a.dtype.name == "bfloat16" else a
    if isinstance(x, (list, tuple)):
        return np.asarray([_np(v) for v in x])
    return x


def _scalar(x):
    if isinstance(x, Tensor):
        return float(x.item())
    return x


class SummaryWriter:
    def __init__(
        self,
        log_dir=None,
        comment="",
        purge_step=None,
        max_queue=10,
        flush_secs=120,
        filename_suffix="",
    ):
        from tensorboardX import SummaryWriter as _Writer

        self._w = _Writer(
            logdir=log_dir,
            comment=comment,
            purge_step=purge_step,
            max_queue=max_queue,
            flush_secs=flush_secs,
            filename_suffix=filename_suffix,
        )
        self.log_dir = self._w.logdir
        self._children = {}

    def get_logdir(self):
        return self.log_dir

    def add_scalar(
        self,
        tag,
        scalar_value,
        global_step=None,
        walltime=None,
        new_style=False,
        double_precision=False,
    ):
        self._w.add_scalar(tag, _scalar(scalar_value), global_step, walltime)

    def add_scalars(self, main_tag, tag_scalar_dict, global_step=None, walltime=None):
        # as PyTorch: one run directory per tag, "<log_dir>/<main_tag>_<tag>", each holding main_tag
        import os

        from tensorboardX import SummaryWriter as _Writer

        for tag, value in tag_scalar_dict.items():
            sub = os.path.join(self.log_dir, main_tag.replace("/", "_") + "_" + tag)
            w = self._children.get(sub)
            if w is None:
                w = self._children[sub] = _Writer(logdir=sub)
            w.add_scalar(main_tag, _scalar(value), global_step, walltime)

    def add_histogram(
        self, tag, values, global_step=None, bins="tensorflow", walltime=None, max_bins=None
    ):
        self._w.add_histogram(tag, _np(values), global_step, bins, walltime, max_bins)

    def add_image(self, tag, img_tensor, global_step=None, walltime=None, dataformats="CHW"):
        self._w.add_image(tag, _np(img_tensor), global_step, walltime, dataformats=dataformats)

    def add_images(self, tag, img_tensor, global_step=None, walltime=None, dataformats="NCHW"):
        self._w.add_images(tag, _np(img_tensor), global_step, walltime, dataformats=dataformats)

    def add_figure(self, tag, figure, global_step=None, close=True, walltime=None):
        self._w.add_figure(tag, figure, global_step, close, walltime)

    def add_text(self, tag, text_string, global_step=None, walltime=None):
        self._w.add_text(tag, text_string, global_step, walltime)

    def add_hparams(
        self, hparam_dict, metric_dict, hparam_domain_discrete=None, run_name=None, global_step=None
    ):
        # as PyTorch: the hparams and metrics go to a sub-run named run_name (default: a timestamp)
        self._w.add_hparams(
            {k: _scalar(v) for k, v in hparam_dict.items()},
            {k: _scalar(v) for k, v in metric_dict.items()},
            name=run_name,
            global_step=global_step,
        )

    def add_embedding(
        self,
        mat,
        metadata=None,
        label_img=None,
        global_step=None,
        tag="default",
        metadata_header=None,
    ):
        self._w.add_embedding(
            _np(mat),
            metadata=metadata,
            label_img=_np(label_img) if label_img is not None else None,
            global_step=global_step,
            tag=tag,
            metadata_header=metadata_header,
        )

    def add_pr_curve(
        self,
        tag,
        labels,
        predictions,
        global_step=None,
        num_thresholds=127,
        weights=None,
        walltime=None,
    ):
        self._w.add_pr_curve(
            tag, _np(labels), _np(predictions), global_step, num_thresholds, weights, walltime
        )

    def add_graph(self, model, input_to_model=None, verbose=False, use_strict_trace=True):
        """Log the module tree (names, types, parameter shapes) as a GraphDef TensorBoard shows."""
        from tensorboardX.proto.graph_pb2 import GraphDef
        from tensorboardX.proto.node_def_pb2 import NodeDef
        from tensorboardX.proto.versions_pb2 import VersionDef

        nodes = []
        for name, mod in model.named_modules():
            scope = name.replace(".", "/") or type(model).__name__
            node = NodeDef(name=scope, op=type(mod).__name__)
            parent = scope.rpartition("/")[0]
            if parent:
                node.input.append(parent)
            nodes.append(node)
            for pname, p in mod.named_parameters(recurse=False):
                pnode = NodeDef(name=f"{scope}/{pname}", op="Parameter")
                pnode.attr["shape"].s = str(list(p.shape)).encode()
                pnode.input.append(scope)
                nodes.append(pnode)
        from tensorboardX.proto import event_pb2

        graph = GraphDef(node=nodes, versions=VersionDef(producer=22))
        self._w._get_file_writer().add_event(event_pb2.Event(graph_def=graph.SerializeToString()))

    def flush(self):
        self._w.flush()
        for w in self._children.values():
            w.flush()

    def close(self):
        self._w.close()
        for w in self._children.values():
            w.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
