#!/usr/bin/env bash
# Runs the training-step benchmark on a GPU machine without Node: unpacks Node, Dawn and the Vulkan/GL loaders
# that scripts/device/prepare-bench.sh put in .gpu/, then benchmarks ResNet-S through our engine on WebGPU.
# Run from the repository root: OUT=<folder for results> bash scripts/device/run-bench.sh
# The most wanted figures come first, so a run cut short still has them.
set -uo pipefail
OUT=${OUT:-/tmp/out}
for f in .gpu/*.deb; do dpkg -x "$f" /; done; ldconfig
export VK_DRIVER_FILES=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json XDG_RUNTIME_DIR=/tmp
G=/tmp/g; mkdir -p $G/node_modules/webgpu/dist/linux-x64
xz -dc .gpu/node.xz > $G/node && chmod +x $G/node
xz -dc .gpu/dawn.node.xz > $G/node_modules/webgpu/dist/linux-x64/dawn.node
cp .gpu/webgpu/index.js .gpu/webgpu/package.json $G/node_modules/webgpu/
for cli in bench bench-conv; do xz -dc .gpu/$cli.mjs.xz > $G/$cli.mjs; done
cd $G
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv | tee $OUT/bench.log
./node --version | tee -a $OUT/bench.log
bench() { # bench <seconds> <json name> <args...>
  local limit=$1 name=$2; shift 2
  timeout "$limit" ./node bench.mjs --backend webgpu --size 96 "$@" --json "$OUT/$name.json" 2>&1 | grep -v "^\s*at " | tee -a $OUT/bench.log
}
# Each kernel set in its own process, so one run's state (buffer pools, compiled pipelines) cannot favour the other.
bench 150 bench-b64-stock --kernels stock --batch 64 --steps 10
bench 150 bench-b64-ours --kernels ours --batch 64 --steps 10
# Every convolution kernel layer by layer: TF.js's defaults and alternatives, our filter-gradient tilings side by side
# (the presets, every one tested in CI, and more blocks, splits and prefetching; a variant whose result differs from
# stock's is reported WRONG and never chosen). Then the whole step with what was fastest, if that is not the default.
SWEEP=m32n32r4k32w1024,m32n32r4k32w4096,m32n32r4k32w4096p,m32n32r4k16w4096p,m64n32r8k32w1024,m64n32r8k32w4096,m64n32r8k32w4096p,m64n64r4k16w1024,m64n64r4k16w4096,m64n64r8k16w2048p,m128n32r8k16w2048p,m32n64r4k32w4096p
timeout 200 ./node bench-conv.mjs --backend webgpu --batch 64 --size 96 --repeats 5 --tilings $SWEEP --json $OUT/conv-b64.json 2>&1 | grep -v "^\s*at " | tee -a $OUT/bench.log
TUNED=$(./node -e "try { const j = require('$OUT/conv-b64.json'); const a = []; if (j.fastestTiling && j.fastestTiling !== j.defaultTiling) a.push('--filter-tiling', j.fastestTiling); for (const f of j.fasterFlags) a.push('--tf-flag', f); console.log(a.join(' ')) } catch { console.log('') }")
if [ -n "$TUNED" ]; then bench 100 bench-b64-ours-tuned --kernels ours --batch 64 --steps 10 $TUNED; fi
# The CPU's part of a step alone (every dispatch a no-op): how far each kernel set is from being bound by the CPU.
bench 100 bench-b64-host-only --kernels both --batch 64 --steps 10 --host-only
for k in stock ours; do bench 150 bench-b256-$k --kernels $k --batch 256 --steps 5; done
# Fewer, larger submits: whether TF.js's default of 15 dispatches per submit costs wall time once dispatches are few.
bench 100 bench-b64-ours-submit64 --kernels ours --batch 64 --steps 10 --submit-batch 64
