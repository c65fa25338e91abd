# One Adam step (lr 1e-3, PyTorch defaults) from the parity fixture's weights and gradients, and a
# second forward/backward/step, written as adam1.* / adam2.* .npy next to the fixture.
import sys, os, numpy as np, torch
sys.path.insert(0, sys.argv[1])
from nade_reference import Nade, nll
out = sys.argv[2]
model = Nade()
with torch.no_grad():
    for name, p in model.named_parameters():
        p.copy_(torch.from_numpy(np.load(os.path.join(out, "weight." + name + ".npy"))))
Z = torch.from_numpy(np.load(os.path.join(out, "batch.z.npy"))); X = torch.from_numpy(np.load(os.path.join(out, "batch.x.npy")))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for step in (1, 2):
    loss = nll(model, Z, X).mean(); opt.zero_grad(); loss.backward(); opt.step()
    for name, p in model.named_parameters():
        np.save(os.path.join(out, f"adam{step}." + name + ".npy"), p.detach().numpy().astype(np.float32))
    print("step", step, "loss before", loss.item())
