# PyTorch baseline of bench/pixelcnn.ts: the same masked PixelCNN forward + backward, f64 on the
# CPU. Reads the spins and parameters the bench wrote (JSON, path in argv[1]) so both compute the
# same numbers, and prints one JSON line: the loss, one gradient entry per layer, and the median
# ms per step for each thread count tried (better of 1 and 2 threads is taken by the bench).
import json
import sys
import time

import torch
import torch.nn.functional as F

spec = json.load(open(sys.argv[1]))
reps = int(sys.argv[2]) if len(sys.argv) > 2 else 10
torch.set_default_dtype(torch.float64)
L = spec["L"]
s = torch.tensor(spec["spins"], dtype=torch.float64).reshape(-1, 1, L, L)
params = []
for layer in spec["layers"]:
    w = torch.tensor(layer["w"], dtype=torch.float64).reshape(layer["shape"]).requires_grad_(True)
    b = torch.tensor(layer["b"], dtype=torch.float64).requires_grad_(True)
    m = torch.tensor(layer["mask"], dtype=torch.float64).reshape(1, 1, *layer["shape"][2:])
    params.append((w, b, m))


def step():
    h = s
    for i, (w, b, m) in enumerate(params):
        h = F.conv2d(F.pad(h, (1, 1, 1, 1), mode="circular"), w * m, b)
        if i < len(params) - 1:
            h = torch.tanh(h)
    # Bernoulli log-likelihood of the ±1 spins under logits h: log σ(s·h) = −softplus(−s·h)
    loss = F.softplus(-s * h).sum() / s.shape[0]
    for w, b, _ in params:
        w.grad = None
        b.grad = None
    loss.backward()
    return loss


out = {"torch": torch.__version__, "ms": {}}
loss = step()
out["loss"] = loss.item()
out["grads"] = [w.grad.reshape(-1)[: spec["probe"]].tolist() for w, _, _ in params]
for threads in (1, 2):
    torch.set_num_threads(threads)
    for _ in range(2):
        step()
    ts = []
    for _ in range(reps):
        t = time.perf_counter()
        step()
        ts.append((time.perf_counter() - t) * 1e3)
    ts.sort()
    out["ms"][str(threads)] = ts[len(ts) // 2]
print(json.dumps(out))
