# ruff: noqa: E402  (tutorial code, kept as the tutorial writes it)
# PyTorch tutorial "Finetuning Torchvision Models": initialize_model for each of its architectures
# (feature extraction and full finetuning), the reshaped heads, parameter counts, params to learn.
# torchvision is not importable next to the real torch here, so that run builds torchvision's
# architectures from the plain-torch replicas in tests/vision/_ref_zoo.py; `python -m torchlike`
# builds them with torchlike's torchvision.models.
import sys
from pathlib import Path

import torch
import torch.nn as nn

try:
    from torchvision import models
except ImportError:
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "vision"))
    from _ref_zoo import tv_models as models


def set_parameter_requires_grad(model, feature_extracting):
    if feature_extracting:
        for param in model.parameters():
            param.requires_grad = False


def initialize_model(model_name, num_classes, feature_extract, use_pretrained=False):
    model_ft = None
    input_size = 0
    if model_name == "resnet":
        model_ft = models.resnet18(weights=None)
        set_parameter_requires_grad(model_ft, feature_extract)
        num_ftrs = model_ft.fc.in_features
        model_ft.fc = nn.Linear(num_ftrs, num_classes)
        input_size = 224
    elif model_name == "alexnet":
        model_ft = models.alexnet(weights=None)
        set_parameter_requires_grad(model_ft, feature_extract)
        num_ftrs = model_ft.classifier[6].in_features
        model_ft.classifier[6] = nn.Linear(num_ftrs, num_classes)
        input_size = 224
    elif model_name == "vgg":
        model_ft = models.vgg11_bn(weights=None)
        set_parameter_requires_grad(model_ft, feature_extract)
        num_ftrs = model_ft.classifier[6].in_features
        model_ft.classifier[6] = nn.Linear(num_ftrs, num_classes)
        input_size = 224
    elif model_name == "squeezenet":
        model_ft = models.squeezenet1_0(weights=None)
        set_parameter_requires_grad(model_ft, feature_extract)
        model_ft.classifier[1] = nn.Conv2d(512, num_classes, kernel_size=(1, 1), stride=(1, 1))
        model_ft.num_classes = num_classes
        input_size = 224
    elif model_name == "densenet":
        model_ft = models.densenet121(weights=None)
        set_parameter_requires_grad(model_ft, feature_extract)
        num_ftrs = model_ft.classifier.in_features
        model_ft.classifier = nn.Linear(num_ftrs, num_classes)
        input_size = 224
    elif model_name == "inception":
        model_ft = models.inception_v3(weights=None)
        set_parameter_requires_grad(model_ft, feature_extract)
        # the auxiliary net
        num_ftrs = model_ft.AuxLogits.fc.in_features
        model_ft.AuxLogits.fc = nn.Linear(num_ftrs, num_classes)
        # the primary net
        num_ftrs = model_ft.fc.in_features
        model_ft.fc = nn.Linear(num_ftrs, num_classes)
        input_size = 299
    else:
        print("Invalid model name, exiting...")
        exit()
    return model_ft, input_size


torch.manual_seed(0)
num_classes = 2
for model_name in ["squeezenet", "densenet", "resnet", "alexnet", "vgg", "inception"]:
    model_ft, input_size = initialize_model(model_name, num_classes, feature_extract=True)
    for mode in ("feature_extract", "finetune"):
        if mode == "finetune":  # what initialize_model(..., feature_extract=False) leaves trainable
            for param in model_ft.parameters():
                param.requires_grad = True
        params_to_update = [n for n, p in model_ft.named_parameters() if p.requires_grad]
        total = sum(p.numel() for p in model_ft.parameters())
        trainable = sum(p.numel() for p in model_ft.parameters() if p.requires_grad)
        print(model_name, mode, input_size, total, trainable)
        print("Params to learn:", len(params_to_update), params_to_update[:4], params_to_update[-2:])
    if model_name in ("squeezenet", "inception"):
        print(model_ft)
    elif model_name == "densenet":
        print(model_ft.features.denseblock1.denselayer1)
        print(model_ft.features.transition1)
        print(model_ft.classifier)
    elif model_name in ("alexnet", "vgg"):
        print(model_ft.classifier)
    else:
        print(model_ft.layer1, model_ft.fc)
    shapes = [tuple(v.shape) for v in model_ft.state_dict().values()]
    print(len(shapes), shapes[:3], shapes[-3:])
