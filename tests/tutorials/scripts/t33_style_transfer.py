# ruff: noqa: B007, UP008, UP031, UP032, E731  (tutorial code, kept as the tutorials write it)
import copy

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
torch.set_default_device(device)
imsize = 12
rng = np.random.default_rng(11)
style_img = torch.from_numpy(rng.uniform(0, 1, (1, 3, imsize, imsize)).astype(np.float32))
content_img = torch.from_numpy(rng.uniform(0, 1, (1, 3, imsize, imsize)).astype(np.float32))
assert style_img.size() == content_img.size(), "style and content images must be the same size"
print(style_img.device, content_img.shape)


class ContentLoss(nn.Module):
    def __init__(self, target):
        super(ContentLoss, self).__init__()
        self.target = target.detach()

    def forward(self, input):
        self.loss = F.mse_loss(input, self.target)
        return input


def gram_matrix(input):
    a, b, c, d = input.size()
    features = input.view(a * b, c * d)
    G = torch.mm(features, features.t())
    return G.div(a * b * c * d)


class StyleLoss(nn.Module):
    def __init__(self, target_feature):
        super(StyleLoss, self).__init__()
        self.target = gram_matrix(target_feature).detach()

    def forward(self, input):
        G = gram_matrix(input)
        self.loss = F.mse_loss(G, self.target)
        return input


cnn = nn.Sequential(
    nn.Conv2d(3, 8, 3, padding=1),
    nn.ReLU(inplace=True),
    nn.Conv2d(8, 8, 3, padding=1),
    nn.ReLU(inplace=True),
    nn.MaxPool2d(2, 2),
    nn.Conv2d(8, 12, 3, padding=1),
    nn.ReLU(inplace=True),
    nn.Conv2d(12, 12, 3, padding=1),
    nn.ReLU(inplace=True),
).eval()
with torch.no_grad():
    for i, p in enumerate(cnn.parameters()):
        vals = np.sin(np.arange(p.numel(), dtype=np.float64) * 0.61 + i) * 0.25
        p.copy_(torch.from_numpy(vals.astype(np.float32).reshape(tuple(p.shape))))

cnn_normalization_mean = torch.tensor([0.485, 0.456, 0.406])
cnn_normalization_std = torch.tensor([0.229, 0.224, 0.225])


class Normalization(nn.Module):
    def __init__(self, mean, std):
        super(Normalization, self).__init__()
        self.mean = torch.tensor(mean).view(-1, 1, 1)
        self.std = torch.tensor(std).view(-1, 1, 1)

    def forward(self, img):
        return (img - self.mean) / self.std


content_layers_default = ["conv_4"]
style_layers_default = ["conv_1", "conv_2", "conv_3", "conv_4"]


def get_style_model_and_losses(
    cnn,
    normalization_mean,
    normalization_std,
    style_img,
    content_img,
    content_layers=content_layers_default,
    style_layers=style_layers_default,
):
    normalization = Normalization(normalization_mean, normalization_std)
    content_losses = []
    style_losses = []
    model = nn.Sequential(normalization)

    i = 0
    for layer in cnn.children():
        if isinstance(layer, nn.Conv2d):
            i += 1
            name = "conv_{}".format(i)
        elif isinstance(layer, nn.ReLU):
            name = "relu_{}".format(i)
            layer = nn.ReLU(inplace=False)
        elif isinstance(layer, nn.MaxPool2d):
            name = "pool_{}".format(i)
        elif isinstance(layer, nn.BatchNorm2d):
            name = "bn_{}".format(i)
        else:
            raise RuntimeError("Unrecognized layer: {}".format(layer.__class__.__name__))

        model.add_module(name, layer)

        if name in content_layers:
            target = model(content_img).detach()
            content_loss = ContentLoss(target)
            model.add_module("content_loss_{}".format(i), content_loss)
            content_losses.append(content_loss)

        if name in style_layers:
            target_feature = model(style_img).detach()
            style_loss = StyleLoss(target_feature)
            model.add_module("style_loss_{}".format(i), style_loss)
            style_losses.append(style_loss)

    for i in range(len(model) - 1, -1, -1):
        if isinstance(model[i], ContentLoss) or isinstance(model[i], StyleLoss):
            break

    model = model[: (i + 1)]

    return model, style_losses, content_losses


input_img = content_img.clone()


def get_input_optimizer(input_img):
    # max_iter lowered from 20: float32 last-bit differences grow along an L-BFGS run
    optimizer = optim.LBFGS([input_img], max_iter=10)
    return optimizer


def run_style_transfer(
    cnn,
    normalization_mean,
    normalization_std,
    content_img,
    style_img,
    input_img,
    num_steps=5,
    style_weight=1000,
    content_weight=1,
):
    print("Building the style transfer model..")
    model, style_losses, content_losses = get_style_model_and_losses(
        cnn, normalization_mean, normalization_std, style_img, content_img
    )
    print(model)

    input_img.requires_grad_(True)
    model.eval()
    model.requires_grad_(False)

    optimizer = get_input_optimizer(input_img)

    print("Optimizing..")
    run = [0]
    while run[0] <= num_steps:

        def closure():
            with torch.no_grad():
                input_img.clamp_(0, 1)

            optimizer.zero_grad()
            model(input_img)
            style_score = 0
            content_score = 0

            for sl in style_losses:
                style_score += sl.loss
            for cl in content_losses:
                content_score += cl.loss

            style_score *= style_weight
            content_score *= content_weight

            loss = style_score + content_score
            loss.backward()

            run[0] += 1
            if run[0] % 5 == 0:
                print("run {}:".format(run))
                print(
                    "Style Loss : {:4f} Content Loss: {:4f}".format(
                        style_score.item(), content_score.item()
                    )
                )
                print()

            return style_score + content_score

        optimizer.step(closure)

    with torch.no_grad():
        input_img.clamp_(0, 1)

    return input_img


def score(img):
    model, style_losses, content_losses = get_style_model_and_losses(
        cnn, cnn_normalization_mean, cnn_normalization_std, style_img, content_img
    )
    with torch.no_grad():
        model(img)
    return sum(sl.loss for sl in style_losses).item(), content_losses[0].loss.item()


print("before: %.4f %.4f" % score(input_img))
output = run_style_transfer(
    cnn, cnn_normalization_mean, cnn_normalization_std, content_img, style_img, input_img
)
print(output is input_img, output.requires_grad, output.is_leaf, output.grad_fn)
print(output.min().item() >= 0, output.max().item() <= 1, output.shape)
print("after: %.4f %.4f" % score(output))
print(output[0, 1, 3, :4])
print(gram_matrix(style_img).shape, gram_matrix(style_img)[:2, :3])
print(all(not p.requires_grad for p in cnn.parameters()))

# LBFGS options as other tutorials pass them
x = torch.tensor([1.5, -0.5], dtype=torch.float64, requires_grad=True)
opt = optim.LBFGS([x], lr=1, max_iter=20, history_size=10, line_search_fn="strong_wolfe")


def rosen():
    opt.zero_grad()
    loss = (1 - x[0]) ** 2 + 100 * (x[1] - x[0] ** 2) ** 2
    loss.backward()
    return loss


for step in range(3):
    loss = opt.step(rosen)
    print(step, "%.4f" % loss.item(), x.detach().numpy().round(4))
state = opt.state[opt._params[0]]
print(state["func_evals"], state["n_iter"], state["t"], state["H_diag"], state["d"].dtype)
saved = copy.deepcopy(opt.state_dict())
print(list(saved["state"][0].keys()), len(saved["state"][0]["old_dirs"]))
print(sorted(saved["param_groups"][0].keys()))
opt2 = optim.LBFGS([x], lr=1, max_iter=20, history_size=10, line_search_fn="strong_wolfe")
opt2.load_state_dict(saved)
print(opt2.state_dict()["state"][0]["ro"][0].dtype, opt2.state_dict()["state"][0]["n_iter"])
