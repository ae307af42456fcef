# The PyTorch peer of `npm run bench` on the CPU backends: the same ResNet-S (../shared/reference/torch_resnet_s.py's
# layout: conv3x3 stride-2 stem, four BasicBlocks 32-64-128-256, global pool, dense to 37), fp32, Adam, eager mode,
# on the CPU with a given number of threads. It waits on stdin so the bench can interleave its steps with ours: each
# line "N" runs N training steps and answers one JSON line with their times in ms; end of input ends it.
import json, sys, time

try:
    import torch
    import torch.nn as nn
except ImportError:
    print(json.dumps({"error": "no torch"}), flush=True)
    sys.exit(3)


def conv_bn(cin, cout, k, stride, relu=True):
    layers = [nn.Conv2d(cin, cout, k, stride, k // 2, bias=False), nn.BatchNorm2d(cout, momentum=0.1, eps=1e-5)]
    if relu:
        layers.append(nn.ReLU(inplace=True))
    return nn.Sequential(*layers)


class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.a = conv_bn(cin, cout, 3, stride)
        self.b = conv_bn(cout, cout, 3, 1, relu=False)
        self.shortcut = conv_bn(cin, cout, 1, stride, relu=False) if stride != 1 or cin != cout else nn.Identity()
        self.relu = nn.ReLU(inplace=True)

    def forward(self, x):
        return self.relu(self.b(self.a(x)) + self.shortcut(x))


def resnet_s(widths=(32, 64, 128, 256), classes=37):
    layers, c = [conv_bn(3, widths[0], 3, 2)], widths[0]
    for i, w in enumerate(widths):
        layers.append(BasicBlock(c, w, 1 if i == 0 else 2))
        c = w
    return nn.Sequential(*layers, nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(c, classes))


def main():
    args = dict(a.split("=", 1) for a in sys.argv[1:])
    batch, size, threads = int(args.get("batch", 32)), int(args.get("size", 96)), int(args.get("threads", 1))
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    model = resnet_s()
    opt = torch.optim.Adam(model.parameters(), 1e-3)
    loss_fn = nn.CrossEntropyLoss()
    x = torch.rand(batch, 3, size, size)
    y = torch.randint(0, 37, (batch,))

    def step():
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()
        return loss.item()

    for _ in range(2):
        step()
    print(json.dumps({"ready": True, "torch": torch.__version__, "threads": torch.get_num_threads()}), flush=True)
    for line in sys.stdin:
        n = int(line.strip() or "1")
        times = []
        for _ in range(n):
            t0 = time.perf_counter()
            step()
            times.append((time.perf_counter() - t0) * 1e3)
        print(json.dumps({"ms": times}), flush=True)


main()
