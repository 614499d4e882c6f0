# PyTorch baselines of bench/vs-torch.ts, f64 on the CPU, on the inputs and parameters the bench
# wrote (JSON, path in argv[1]):
#   mlp: the 10→64→64→64→1 tanh MLP, loss mean((f(X) − Y)²) and the gradient of every weight;
#   cy:  per-sample input Hessians H_b = ∂²f(x_b)/∂x² (10×10), mean log|det H_b|, and its gradient
#        with respect to every weight: double backward, one batched grad per input direction
#        (rows of all Hessians at once, since samples are independent), then slogdet;
#   cys: the same loss with H from the MLP's closed form, as ours (mlpInputHessian):
#        H = Σ_l J_lᵀ diag(g_l ⊙ tanh''(z_l)) J_l with forward tangents J_l = ∂z_l/∂x and the
#        ordinary backward pass g_l = ∂f/∂a_l, then one reverse pass for the weight gradients.
# Prints one JSON line: values, probe gradient entries, the median wall ms per step and the mean
# process CPU ms per step for 1 and 2 threads (torch.set_num_threads); the bench takes the better.
import json
import sys
import time

import torch

spec = json.load(open(sys.argv[1]))
reps = {"mlp": int(sys.argv[2]), "cy": int(sys.argv[3])}
reps["cys"] = int(sys.argv[4]) if len(sys.argv) > 4 else reps["cy"]
torch.set_default_dtype(torch.float64)
X = torch.tensor(spec["X"], dtype=torch.float64).reshape(spec["B"], spec["d"])
Y = torch.tensor(spec["Y"], dtype=torch.float64).reshape(spec["B"], 1)
params = []
for layer in spec["layers"]:
    w = torch.tensor(layer["w"], dtype=torch.float64).reshape(layer["shape"]).requires_grad_(True)  # [in, out]
    b = torch.tensor(layer["b"], dtype=torch.float64).requires_grad_(True)
    params.append((w, b))
flat = [t for wb in params for t in wb]


def f(x):
    h = x
    for i, (w, b) in enumerate(params):
        h = torch.addmm(b, h, w)
        if i < len(params) - 1:
            h = torch.tanh(h)
    return h


def mlp_step():
    loss = ((f(X) - Y) ** 2).mean()
    # the last bias does not reach the Hessian: its gradient is None (ours: zeros)
    return loss, torch.autograd.grad(loss, flat, allow_unused=True)


def cy_step():
    x = X.clone().requires_grad_(True)
    (g,) = torch.autograd.grad(f(x).sum(), x, create_graph=True)
    rows = [torch.autograd.grad(g[:, i].sum(), x, create_graph=True)[0] for i in range(x.shape[1])]
    H = torch.stack(rows, 1)
    loss = torch.linalg.slogdet(H).logabsdet.mean()
    # the last bias does not reach the Hessian: its gradient is None (ours: zeros)
    return loss, torch.autograd.grad(loss, flat, allow_unused=True)


def hessian_struct(x):
    # the same steps as ours (src/nn/mlp-hessian.ts), so both do the same products
    acts, tangents, h = [], [None], x
    for l, (w, b) in enumerate(params[:-1]):
        if l > 0:
            prev = tangents[l - 1] if tangents[l - 1] is not None else params[0][0]
            a = acts[l - 1].unsqueeze(1)
            tangents.append(torch.matmul(prev * (1 - a * a), w))
        h = torch.tanh(torch.addmm(b, h, w))
        acts.append(h)
    g = params[-1][0].reshape(1, -1)
    H = None
    for l in reversed(range(len(params) - 1)):
        a = acts[l]
        c = -2 * g * a * (1 - a * a)
        J = tangents[l]
        if J is None:
            w0 = params[0][0]
            d, n = w0.shape
            m = (w0.reshape(d, 1, n) * w0.reshape(1, d, n)).reshape(d * d, n)
            term = (c @ m.T).reshape(-1, d, d)
        else:
            term = torch.bmm(J * c.unsqueeze(1), J.transpose(1, 2))
        H = term if H is None else H + term
        if l > 0:
            g = (g * (1 - a * a)) @ params[l][0].T
    return H


def cys_step():
    loss = torch.linalg.slogdet(hessian_struct(X)).logabsdet.mean()
    return loss, torch.autograd.grad(loss, flat, allow_unused=True)


out = {"torch": torch.__version__, "ms": {}, "cpu": {}}
for name, fn in (("mlp", mlp_step), ("cy", cy_step), ("cys", cys_step)):
    loss, grads = fn()
    out[name] = {"loss": loss.item(), "grads": [g.reshape(-1)[: spec["probe"]].tolist() for g in grads[0::2]]}
    out["ms"][name] = {}
    out["cpu"][name] = {}
    for threads in (1, 2):
        torch.set_num_threads(threads)
        for _ in range(20 if name == "mlp" else 3):
            fn()
        ts = []
        c0 = time.process_time()
        for _ in range(reps[name]):
            t = time.perf_counter()
            fn()
            ts.append((time.perf_counter() - t) * 1e3)
        out["cpu"][name][str(threads)] = (time.process_time() - c0) * 1e3 / reps[name]
        ts.sort()
        out["ms"][name][str(threads)] = ts[len(ts) // 2]
print(json.dumps(out))
