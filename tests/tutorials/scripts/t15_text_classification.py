# ruff: noqa: B007, UP008, UP031, UP032, E731  (tutorial code, kept as the tutorials write it)
import numpy as np
import torch
from torch import nn
from torch.utils.data import DataLoader


class TextClassificationModel(nn.Module):
    def __init__(self, vocab_size, embed_dim, num_class):
        super(TextClassificationModel, self).__init__()
        self.embedding = nn.EmbeddingBag(vocab_size, embed_dim, sparse=False)
        self.fc = nn.Linear(embed_dim, num_class)
        self.init_weights()

    def init_weights(self):
        initrange = 0.5
        self.embedding.weight.data.copy_(
            torch.from_numpy(np.sin(np.arange(20 * 8)).reshape(20, 8).astype(np.float32))
            * initrange
        )
        self.fc.weight.data.copy_(
            torch.from_numpy(np.cos(np.arange(4 * 8)).reshape(4, 8).astype(np.float32)) * initrange
        )
        self.fc.bias.data.zero_()

    def forward(self, text, offsets):
        embedded = self.embedding(text, offsets)
        return self.fc(embedded)


print(nn.EmbeddingBag(20, 8, mode="max"), nn.EmbeddingBag(20, 8))
rng = np.random.default_rng(0)
data = [
    (int(rng.integers(0, 4)), list(rng.integers(0, 20, size=int(rng.integers(2, 6)))))
    for _ in range(24)
]


def collate_batch(batch):
    label_list, text_list, offsets = [], [], [0]
    for _label, _text in batch:
        label_list.append(_label)
        processed_text = torch.tensor(_text, dtype=torch.int64)
        text_list.append(processed_text)
        offsets.append(processed_text.size(0))
    label_list = torch.tensor(label_list, dtype=torch.int64)
    offsets = torch.tensor(offsets[:-1]).cumsum(dim=0)
    text_list = torch.cat(text_list)
    return label_list, text_list, offsets


dataloader = DataLoader(data, batch_size=8, shuffle=False, collate_fn=collate_batch)
model = TextClassificationModel(20, 8, 4)
criterion = torch.nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=5)
scheduler = torch.optim.lr_scheduler.StepLR(optimizer, 1.0, gamma=0.1)
for epoch in range(1, 4):
    model.train()
    total_acc, total_count = 0, 0
    for idx, (label, text, offsets) in enumerate(dataloader):
        optimizer.zero_grad()
        predicted_label = model(text, offsets)
        loss = criterion(predicted_label, label)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 0.1)
        optimizer.step()
        total_acc += (predicted_label.argmax(1) == label).sum().item()
        total_count += label.size(0)
    print(
        "| epoch {:3d} | accuracy {:8.3f} | lr {}".format(
            epoch, total_acc / total_count, scheduler.get_last_lr()
        )
    )
    scheduler.step()
print(text[:5], offsets, label)
with torch.no_grad():
    print(model(text, offsets).argmax(1), model.fc.bias)
train_ds, val_ds = torch.utils.data.random_split(data, [20, 4])
print(len(train_ds), len(val_ds), type(train_ds).__name__)
print(
    torch.utils.data.dataset.Subset.__name__,
    torch.utils.data.random_split(range(10), [0.5, 0.5])[0].__len__(),
)
