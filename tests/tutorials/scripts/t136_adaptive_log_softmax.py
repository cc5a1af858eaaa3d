"""AdaptiveLogSoftmaxWithLoss on random data: a language-model style output layer with a frequent
shortlist and two tail clusters, trained a few steps; log_prob and predict afterwards."""

import torch
import torch.nn as nn

torch.manual_seed(0)
vocab, hidden = 50, 32
embed = nn.Embedding(vocab, hidden)
rnn = nn.GRU(hidden, hidden, batch_first=True)
asm = nn.AdaptiveLogSoftmaxWithLoss(hidden, vocab, cutoffs=[8, 24], div_value=2.0)
print(asm)
print(list(asm.state_dict().keys()))
params = list(embed.parameters()) + list(rnn.parameters()) + list(asm.parameters())
opt = torch.optim.Adam(params, lr=0.01)

# a Zipf-like token stream: small ids are frequent
tokens = (torch.rand(8, 13) ** 3 * vocab).long()
inputs, targets = tokens[:, :-1], tokens[:, 1:]
for step in range(8):
    opt.zero_grad()
    h, _ = rnn(embed(inputs))
    out = asm(h.reshape(-1, hidden), targets.reshape(-1))
    out.loss.backward()
    opt.step()
    print(f"step {step} loss {out.loss.item():.4f} output[:3] {[round(v, 3) for v in out.output[:3].tolist()]}")

with torch.no_grad():
    h, _ = rnn(embed(inputs))
    flat = h.reshape(-1, hidden)
    lp = asm.log_prob(flat)
    print("log_prob", tuple(lp.shape), "rows sum to 1:", torch.allclose(lp.exp().sum(1), torch.ones(lp.shape[0]), atol=1e-5))
    pred = asm.predict(flat)
    print("predict == log_prob.argmax:", torch.equal(pred, lp.argmax(1)))
    print("accuracy", round((pred == targets.reshape(-1)).float().mean().item(), 4))
    single = asm(flat[0], targets.reshape(-1)[0])
    print("unbatched", tuple(single.output.shape), round(single.loss.item(), 4))
