# ruff: noqa: UP008, UP032, E501 (the tutorial's style, kept)
# The "Knowledge Distillation" tutorial on small random images instead of CIFAR-10: a teacher and a
# student, soft targets (softmax / log_softmax with temperature, the T**2 scaled soft-target loss and
# KLDivLoss), CosineEmbeddingLoss on flattened hidden representations (avg_pool1d to match sizes),
# forward hooks capturing intermediate features, and an MSE regressor on feature maps.
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim
from torch.utils.data import DataLoader, TensorDataset

torch.manual_seed(42)
device = "cpu"

images = torch.randn(48, 3, 8, 8)
labels = torch.randint(0, 4, (48,))
images += labels.view(-1, 1, 1, 1).float() * 0.5  # some signal
train_loader = DataLoader(TensorDataset(images[:32], labels[:32]), batch_size=8, shuffle=True)
test_loader = DataLoader(TensorDataset(images[32:], labels[32:]), batch_size=8, shuffle=False)


class DeepNN(nn.Module):
    def __init__(self, num_classes=4):
        super(DeepNN, self).__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 16, kernel_size=3, padding=1),
            nn.ReLU(),
            nn.Conv2d(16, 8, kernel_size=3, padding=1),
            nn.ReLU(),
            nn.MaxPool2d(kernel_size=2, stride=2),
        )
        self.classifier = nn.Sequential(
            nn.Linear(8 * 4 * 4, 32), nn.ReLU(), nn.Dropout(0.1), nn.Linear(32, num_classes)
        )

    def forward(self, x):
        x = self.features(x)
        x = torch.flatten(x, 1)
        x = self.classifier(x)
        return x


class LightNN(nn.Module):
    def __init__(self, num_classes=4):
        super(LightNN, self).__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 4, kernel_size=3, padding=1),
            nn.ReLU(),
            nn.MaxPool2d(kernel_size=2, stride=2),
        )
        self.classifier = nn.Sequential(
            nn.Linear(4 * 4 * 4, 16), nn.ReLU(), nn.Dropout(0.1), nn.Linear(16, num_classes)
        )

    def forward(self, x):
        x = self.features(x)
        x = torch.flatten(x, 1)
        x = self.classifier(x)
        return x


def train(model, train_loader, epochs, learning_rate, device):
    criterion = nn.CrossEntropyLoss()
    optimizer = optim.Adam(model.parameters(), lr=learning_rate)

    model.train()

    for epoch in range(epochs):
        running_loss = 0.0
        for inputs, labels in train_loader:
            inputs, labels = inputs.to(device), labels.to(device)

            optimizer.zero_grad()
            outputs = model(inputs)
            loss = criterion(outputs, labels)
            loss.backward()
            optimizer.step()

            running_loss += loss.item()

        print(f"Epoch {epoch + 1}/{epochs}, Loss: {running_loss / len(train_loader):.4f}")


def test(model, test_loader, device):
    model.to(device)
    model.eval()

    correct = 0
    total = 0

    with torch.no_grad():
        for inputs, labels in test_loader:
            inputs, labels = inputs.to(device), labels.to(device)

            outputs = model(inputs)
            _, predicted = torch.max(outputs.data, 1)

            total += labels.size(0)
            correct += (predicted == labels).sum().item()

    accuracy = 100 * correct / total
    print(f"Test Accuracy: {accuracy:.2f}%")
    return accuracy


nn_deep = DeepNN(num_classes=4).to(device)
train(nn_deep, train_loader, epochs=2, learning_rate=0.001, device=device)
test_accuracy_deep = test(nn_deep, test_loader, device)

torch.manual_seed(42)
nn_light = LightNN(num_classes=4).to(device)
torch.manual_seed(42)
new_nn_light = LightNN(num_classes=4).to(device)
print("Norm of 1st layer of nn_light:", torch.norm(nn_light.features[0].weight).item())
print("Norm of 1st layer of new_nn_light:", torch.norm(new_nn_light.features[0].weight).item())
total_params_deep = "{:,}".format(sum(p.numel() for p in nn_deep.parameters()))
print(f"DeepNN parameters: {total_params_deep}")
total_params_light = "{:,}".format(sum(p.numel() for p in nn_light.parameters()))
print(f"LightNN parameters: {total_params_light}")
train(nn_light, train_loader, epochs=2, learning_rate=0.001, device=device)
test_accuracy_light_ce = test(nn_light, test_loader, device)


def train_knowledge_distillation(
    teacher,
    student,
    train_loader,
    epochs,
    learning_rate,
    T,
    soft_target_loss_weight,
    ce_loss_weight,
    device,
):
    ce_loss = nn.CrossEntropyLoss()
    optimizer = optim.Adam(student.parameters(), lr=learning_rate)

    teacher.eval()  # Teacher set to evaluation mode
    student.train()  # Student to train mode

    for epoch in range(epochs):
        running_loss = 0.0
        for inputs, labels in train_loader:
            inputs, labels = inputs.to(device), labels.to(device)

            optimizer.zero_grad()

            # Forward pass with the teacher model - do not save gradients here as we do not change the teacher's weights
            with torch.no_grad():
                teacher_logits = teacher(inputs)

            # Forward pass with the student model
            student_logits = student(inputs)

            # Soften the student logits by applying softmax first and log() second
            soft_targets = nn.functional.softmax(teacher_logits / T, dim=-1)
            soft_prob = nn.functional.log_softmax(student_logits / T, dim=-1)

            # Calculate the soft targets loss. Scaled by T**2 as suggested by the authors of the paper "Distilling the knowledge in a neural network"
            soft_targets_loss = (
                torch.sum(soft_targets * (soft_targets.log() - soft_prob))
                / soft_prob.size()[0]
                * (T**2)
            )

            # Calculate the true label loss
            label_loss = ce_loss(student_logits, labels)

            # Weighted sum of the two losses
            loss = soft_target_loss_weight * soft_targets_loss + ce_loss_weight * label_loss

            loss.backward()
            optimizer.step()

            running_loss += loss.item()

        print(f"Epoch {epoch + 1}/{epochs}, Loss: {running_loss / len(train_loader):.4f}")


train_knowledge_distillation(
    teacher=nn_deep,
    student=new_nn_light,
    train_loader=train_loader,
    epochs=2,
    learning_rate=0.001,
    T=2,
    soft_target_loss_weight=0.25,
    ce_loss_weight=0.75,
    device=device,
)
test_accuracy_light_ce_and_kd = test(new_nn_light, test_loader, device)
print(f"Teacher accuracy: {test_accuracy_deep:.2f}%")
print(f"Student accuracy without teacher: {test_accuracy_light_ce:.2f}%")
print(f"Student accuracy with CE + KD: {test_accuracy_light_ce_and_kd:.2f}%")

# the same soft-target loss through KLDivLoss(reduction="batchmean")
t_logits, s_logits = torch.randn(4, 5), torch.randn(4, 5, requires_grad=True)
T = 2.0
manual = (
    torch.sum(
        F.softmax(t_logits / T, -1)
        * (F.softmax(t_logits / T, -1).log() - F.log_softmax(s_logits / T, -1))
    )
    / 4
)
kl = nn.KLDivLoss(reduction="batchmean")(
    F.log_softmax(s_logits / T, dim=-1), F.softmax(t_logits / T, dim=-1)
)
print(round(manual.item(), 5), round(kl.item(), 5), kl.grad_fn.name())
print(
    F.kl_div(
        F.log_softmax(s_logits, -1), F.log_softmax(t_logits, -1), reduction="sum", log_target=True
    )
)
print(F.kl_div(F.log_softmax(s_logits, -1), F.softmax(t_logits, -1), reduction="none").shape)
print(nn.KLDivLoss(reduction="batchmean", log_target=True))


# -- cosine loss minimisation run ----------------------------------------------------------------
class ModifiedDeepNNCosine(nn.Module):
    def __init__(self, num_classes=4):
        super(ModifiedDeepNNCosine, self).__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 16, kernel_size=3, padding=1),
            nn.ReLU(),
            nn.Conv2d(16, 8, kernel_size=3, padding=1),
            nn.ReLU(),
            nn.MaxPool2d(kernel_size=2, stride=2),
        )
        self.classifier = nn.Sequential(
            nn.Linear(8 * 4 * 4, 32), nn.ReLU(), nn.Dropout(0.1), nn.Linear(32, num_classes)
        )

    def forward(self, x):
        x = self.features(x)
        flattened_conv_output = torch.flatten(x, 1)
        x = self.classifier(flattened_conv_output)
        flattened_conv_output_after_pooling = torch.nn.functional.avg_pool1d(
            flattened_conv_output, 2
        )
        return x, flattened_conv_output_after_pooling


class ModifiedLightNNCosine(nn.Module):
    def __init__(self, num_classes=4):
        super(ModifiedLightNNCosine, self).__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 4, kernel_size=3, padding=1),
            nn.ReLU(),
            nn.MaxPool2d(kernel_size=2, stride=2),
        )
        self.classifier = nn.Sequential(
            nn.Linear(4 * 4 * 4, 16), nn.ReLU(), nn.Dropout(0.1), nn.Linear(16, num_classes)
        )

    def forward(self, x):
        x = self.features(x)
        flattened_conv_output = torch.flatten(x, 1)
        x = self.classifier(flattened_conv_output)
        return x, flattened_conv_output


modified_nn_deep = ModifiedDeepNNCosine(num_classes=4).to(device)
modified_nn_deep.load_state_dict(nn_deep.state_dict())
# trained weights: float32 training agrees to a few ulps, so 4 decimals (untrained ones print in full)
print("Norm of 1st layer for deep_nn:", round(torch.norm(nn_deep.features[0].weight).item(), 4))
print(
    "Norm of 1st layer for modified_deep_nn:",
    round(torch.norm(modified_nn_deep.features[0].weight).item(), 4),
)
torch.manual_seed(42)
modified_nn_light = ModifiedLightNNCosine(num_classes=4).to(device)
print("Norm of 1st layer:", torch.norm(modified_nn_light.features[0].weight).item())

sample_input = torch.randn(8, 3, 8, 8).to(device)
logits, hidden_representation = modified_nn_light(sample_input)
print("Student logits shape:", logits.shape)
print("Student hidden representation shape:", hidden_representation.shape)
logits, hidden_representation = modified_nn_deep(sample_input)
print("Teacher logits shape:", logits.shape)
print("Teacher hidden representation shape:", hidden_representation.shape)


def train_cosine_loss(
    teacher,
    student,
    train_loader,
    epochs,
    learning_rate,
    hidden_rep_loss_weight,
    ce_loss_weight,
    device,
):
    ce_loss = nn.CrossEntropyLoss()
    cosine_loss = nn.CosineEmbeddingLoss()
    optimizer = optim.Adam(student.parameters(), lr=learning_rate)

    teacher.to(device)
    student.to(device)
    teacher.eval()
    student.train()

    for epoch in range(epochs):
        running_loss = 0.0
        for inputs, labels in train_loader:
            inputs, labels = inputs.to(device), labels.to(device)

            optimizer.zero_grad()

            with torch.no_grad():
                _, teacher_hidden_representation = teacher(inputs)

            student_logits, student_hidden_representation = student(inputs)

            hidden_rep_loss = cosine_loss(
                student_hidden_representation,
                teacher_hidden_representation,
                target=torch.ones(inputs.size(0)).to(device),
            )

            label_loss = ce_loss(student_logits, labels)

            loss = hidden_rep_loss_weight * hidden_rep_loss + ce_loss_weight * label_loss

            loss.backward()
            optimizer.step()

            running_loss += loss.item()

        print(f"Epoch {epoch + 1}/{epochs}, Loss: {running_loss / len(train_loader):.4f}")


def test_multiple_outputs(model, test_loader, device):
    model.to(device)
    model.eval()

    correct = 0
    total = 0

    with torch.no_grad():
        for inputs, labels in test_loader:
            inputs, labels = inputs.to(device), labels.to(device)

            outputs, _ = model(inputs)
            _, predicted = torch.max(outputs.data, 1)

            total += labels.size(0)
            correct += (predicted == labels).sum().item()

    accuracy = 100 * correct / total
    print(f"Test Accuracy: {accuracy:.2f}%")
    return accuracy


train_cosine_loss(
    teacher=modified_nn_deep,
    student=modified_nn_light,
    train_loader=train_loader,
    epochs=2,
    learning_rate=0.001,
    hidden_rep_loss_weight=0.25,
    ce_loss_weight=0.75,
    device=device,
)
test_accuracy_light_ce_and_cosine_loss = test_multiple_outputs(
    modified_nn_light, test_loader, device
)

# CosineEmbeddingLoss on its own
x1, x2 = torch.randn(5, 6), torch.randn(5, 6)
y = torch.tensor([1, -1, 1, -1, -1])
for margin, red in [(0.0, "mean"), (0.2, "sum"), (-0.1, "none")]:
    print(nn.CosineEmbeddingLoss(margin=margin, reduction=red)(x1, x2, y))
print(F.cosine_embedding_loss(x1[0], x2[0], torch.tensor(-1)), nn.CosineEmbeddingLoss(margin=0.5))
print(F.cosine_similarity(x1, x2), F.cosine_similarity(x1, x2, dim=0).shape)
print(
    F.avg_pool1d(torch.arange(12.0).view(2, 6), 2),
    F.avg_pool1d(torch.arange(12.0).view(1, 2, 6), 3, stride=2),
)

# -- intermediate regressor run, with a forward hook recording the teacher's feature map -------------
feature_maps = {}


def save_features(name):
    def hook(module, inputs, output):
        feature_maps[name] = output.detach()

    return hook


handle = nn_deep.features.register_forward_hook(save_features("teacher"))
with torch.no_grad():
    nn_deep.eval()
    nn_deep(sample_input)
print("teacher feature map", feature_maps["teacher"].shape)
handle.remove()
print(len(nn_deep.features._forward_hooks))


class ModifiedLightNNRegressor(nn.Module):
    def __init__(self, num_classes=4):
        super(ModifiedLightNNRegressor, self).__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 4, kernel_size=3, padding=1),
            nn.ReLU(),
            nn.MaxPool2d(kernel_size=2, stride=2),
        )
        # Include an extra regressor (in our case linear)
        self.regressor = nn.Sequential(nn.Conv2d(4, 8, kernel_size=3, padding=1))
        self.classifier = nn.Sequential(
            nn.Linear(4 * 4 * 4, 16), nn.ReLU(), nn.Dropout(0.1), nn.Linear(16, num_classes)
        )

    def forward(self, x):
        x = self.features(x)
        regressor_output = self.regressor(x)
        x = torch.flatten(x, 1)
        x = self.classifier(x)
        return x, regressor_output


torch.manual_seed(42)
student = ModifiedLightNNRegressor(num_classes=4)
print(student)
handle = nn_deep.features.register_forward_hook(save_features("teacher"))
mse_loss, ce_loss = nn.MSELoss(), nn.CrossEntropyLoss()
optimizer = optim.Adam(student.parameters(), lr=0.001)
student.train()
for epoch in range(2):
    running_loss = 0.0
    for inputs, labels in train_loader:
        optimizer.zero_grad()
        with torch.no_grad():
            nn_deep(inputs)
        student_logits, regressor_feature_map = student(inputs)
        hidden_rep_loss = mse_loss(regressor_feature_map, feature_maps["teacher"])
        loss = 0.25 * hidden_rep_loss + 0.75 * ce_loss(student_logits, labels)
        loss.backward()
        optimizer.step()
        running_loss += loss.item()
    print(f"Epoch {epoch + 1}/2, Loss: {running_loss / len(train_loader):.4f}")
handle.remove()
test_multiple_outputs(student, test_loader, device)
