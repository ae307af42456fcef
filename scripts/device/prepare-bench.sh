#!/usr/bin/env bash
# Prepares .gpu/ (git-ignored) for running `npm run bench` on a GPU machine that has no Node and no registry:
# the benchmark bundled into one file, Dawn (from the `webgpu` package), Node itself, and the Vulkan/GL loaders.
# Then, on that machine: `bash scripts/device/run-bench.sh` from the repository root, with .gpu carried along.
set -euo pipefail
cd "$(dirname "$0")/../.."
rm -rf .gpu && mkdir -p .gpu/webgpu
# The two benchmark CLIs, each bundled into one file and compressed (all that is carried must stay under 64 MiB).
for cli in bench bench-conv; do
  RUN_TS_OUT=.gpu/$cli.mjs node scripts/run-ts.mjs scripts/$cli.ts
  xz -6 -T2 .gpu/$cli.mjs
done
cp node_modules/webgpu/index.js node_modules/webgpu/package.json .gpu/webgpu/
xz -6 -T2 -c node_modules/webgpu/dist/linux-x64/dawn.node > .gpu/dawn.node.xz
xz -6 -T2 -c "$(readlink -f node_modules/.bin/node)" > .gpu/node.xz
mkdir -p /tmp/amd64/partial
o='-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 -oDir::State::Lists=/tmp/amd64'
apt-get $o update -qq
(cd .gpu && apt-get $o download libvulkan1 libegl1 libglvnd0 libopengl0 libgl1 libglx0 libgles2)
du -sh .gpu
