#!/usr/bin/python3
"""Regenerates the PyTorch-exported ONNX fixtures that NeuroCore's importer tests read.

Needs Debian's python3-torch (PyTorch 1.13) and python3-onnx:
    apt-get install -y python3-torch python3-onnx
    /usr/bin/python3 tests/NeuroCore.Onnx.Tests/Fixtures/generate_pytorch_fixtures.py

For each model it writes NAME.onnx (torch.onnx.export, opset 17, eval mode) and NAME.json holding a
seeded random input and PyTorch's output for it, so the tests need neither torch nor numpy.
"""
import json
import os

import onnx
import torch
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))


def randomize_batchnorm(model):
    # Non-trivial running statistics, so that eval-mode BatchNorm is really exercised.
    for m in model.modules():
        if isinstance(m, (nn.BatchNorm1d, nn.BatchNorm2d)):
            m.running_mean.uniform_(-0.5, 0.5)
            m.running_var.uniform_(0.5, 2.0)
            m.weight.data.uniform_(0.5, 1.5)
            m.bias.data.uniform_(-0.5, 0.5)


def models():
    torch.manual_seed(0)
    yield "fashion_cnn", nn.Sequential(
        nn.Conv2d(1, 16, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(16, 32, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(32 * 5 * 5, 10)), torch.rand(2, 1, 28, 28)
    torch.manual_seed(1)
    yield "mlp_norms", nn.Sequential(
        nn.Linear(8, 16), nn.LayerNorm(16), nn.GELU(),
        nn.Linear(16, 16), nn.BatchNorm1d(16), nn.LeakyReLU(0.1), nn.Dropout(0.3),
        nn.Linear(16, 6), nn.Tanh(), nn.Linear(6, 4), nn.Sigmoid(), nn.Softmax(dim=1)), torch.randn(3, 8)
    torch.manual_seed(2)
    yield "conv_bn_avgpool", nn.Sequential(
        nn.Conv2d(3, 8, 3, stride=2, padding=1), nn.BatchNorm2d(8), nn.ReLU(), nn.AvgPool2d(2),
        nn.Flatten(), nn.Linear(8 * 4 * 4, 5), nn.LogSoftmax(dim=1)), torch.randn(2, 3, 16, 16)
    torch.manual_seed(4)
    yield "gelu_tanh", nn.Sequential(nn.Linear(4, 5), nn.GELU(approximate="tanh"), nn.Linear(5, 2)), torch.randn(3, 4) * 2
    torch.manual_seed(3)
    yield "embedding_linear", nn.Sequential(nn.Embedding(20, 6), nn.Linear(6, 3)), torch.randint(0, 20, (2, 5))


def main():
    for name, model, x in models():
        randomize_batchnorm(model)
        model.eval()
        with torch.no_grad():
            y = model(x)
        path = os.path.join(HERE, name + ".onnx")
        torch.onnx.export(model, (x,), path, opset_version=17, input_names=["input"], output_names=["output"],
                          dynamic_axes={"input": {0: "batch"}, "output": {0: "batch"}}, do_constant_folding=True)
        onnx.checker.check_model(onnx.load(path), full_check=True)
        with open(os.path.join(HERE, name + ".json"), "w") as f:
            json.dump({
                "torch": torch.__version__,
                "input_dtype": "int64" if x.dtype == torch.int64 else "float32",
                "input_shape": list(x.shape),
                "input": [float(v) if x.dtype != torch.int64 else int(v) for v in x.flatten().tolist()],
                "output_shape": list(y.shape),
                "output": [float(v) for v in y.flatten().tolist()],
            }, f)
        ops = [n.op_type for n in onnx.load(path).graph.node]
        print(name, os.path.getsize(path), "bytes:", " ".join(ops))


if __name__ == "__main__":
    main()
