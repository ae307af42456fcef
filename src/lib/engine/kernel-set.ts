// Which kernels run where we have our own: 'ours' (the default) or TF.js's 'stock' ones, switchable at run time so
// the two can be compared in one process: ?kernels=stock on a page, --kernels stock for npm run bench.
export type KernelSet = 'ours' | 'stock';

let active: KernelSet = 'ours';

export function setKernelSet(set: KernelSet): void {
  active = set;
}

export function kernelSet(): KernelSet {
  return active;
}
