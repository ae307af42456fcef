#!/usr/bin/env bash
# Runs the training-step benchmark on a GPU machine without Node: unpacks Node, Dawn and the Vulkan/GL loaders
# that scripts/device/prepare-bench.sh put in .gpu/, then benchmarks ResNet-S through our engine on WebGPU.
# Run from the repository root: OUT=<folder for results> bash scripts/device/run-bench.sh
set -uo pipefail
OUT=${OUT:-/tmp/out}
for f in .gpu/*.deb; do dpkg -x "$f" /; done; ldconfig
export VK_DRIVER_FILES=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json XDG_RUNTIME_DIR=/tmp
G=/tmp/g; mkdir -p $G/node_modules/webgpu/dist/linux-x64
xz -dc .gpu/node.xz > $G/node && chmod +x $G/node
xz -dc .gpu/dawn.node.xz > $G/node_modules/webgpu/dist/linux-x64/dawn.node
cp .gpu/webgpu/index.js .gpu/webgpu/package.json $G/node_modules/webgpu/
cp .gpu/bench.mjs $G/
cd $G
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv | tee $OUT/bench.log
./node --version | tee -a $OUT/bench.log
# Each kernel set in its own process, so one run's state (buffer pools, compiled pipelines) cannot favour the other.
for b in 64 256; do
  for k in stock ours; do
    timeout 150 ./node bench.mjs --backend webgpu --kernels $k --batch $b --size 96 --steps $([ $b = 64 ] && echo 10 || echo 5) --json $OUT/bench-b$b-$k.json 2>&1 | grep -v "^\s*at " | tee -a $OUT/bench.log
  done
done
# Fewer, larger submits: whether TF.js's default of 15 dispatches per submit costs wall time once dispatches are few.
timeout 100 ./node bench.mjs --backend webgpu --kernels ours --batch 64 --size 96 --steps 10 --submit-batch 64 --json $OUT/bench-b64-ours-submit64.json 2>&1 | grep -v "^\s*at " | tee -a $OUT/bench.log
# The CPU's part of a step alone (every dispatch a no-op): how far each kernel set is from being bound by the CPU.
timeout 100 ./node bench.mjs --backend webgpu --kernels both --batch 64 --size 96 --steps 10 --host-only --json $OUT/bench-b64-host-only.json 2>&1 | grep -v "^\s*at " | tee -a $OUT/bench.log
