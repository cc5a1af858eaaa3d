"""Saving and Loading Models: "Export/Load Model in TorchScript Format" (model_scripted.save,
torch.jit.load, model.eval()), with a file path and an in-memory buffer."""

import io
import os
import tempfile

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(3)


class TheModelClass(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 6, 5)
        self.pool = nn.MaxPool2d(2, 2)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1 = nn.Linear(16 * 5 * 5, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)

    def forward(self, x):
        x = self.pool(F.relu(self.conv1(x)))
        x = self.pool(F.relu(self.conv2(x)))
        x = x.view(-1, 16 * 5 * 5)
        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        x = self.fc3(x)
        return x


model = TheModelClass()
inputs = torch.randn(2, 3, 32, 32)
expected = model(inputs)

model_scripted = torch.jit.script(model)  # Export to TorchScript
print(model_scripted)
with tempfile.TemporaryDirectory() as tmp:
    path = os.path.join(tmp, "model_scripted.pt")
    model_scripted.save(path)  # Save
    model = torch.jit.load(path)
model.eval()
print(model.training, model.conv1.training)
print(torch.allclose(model(inputs), expected), model(inputs).shape)
print(model(inputs).argmax(dim=1))

# the same through a buffer, with torch.jit.save and map_location, and an extra file
buffer = io.BytesIO()
torch.jit.save(torch.jit.trace(TheModelClass().eval(), inputs), buffer, _extra_files={"note.txt": "hello"})
buffer.seek(0)
extra = {"note.txt": ""}
reloaded = torch.jit.load(buffer, map_location="cpu", _extra_files=extra)
print(extra)
print(type(reloaded).__name__, reloaded.original_name, reloaded.fc3)
print(sorted(reloaded.state_dict().keys())[:4])
print(reloaded(inputs).shape)
