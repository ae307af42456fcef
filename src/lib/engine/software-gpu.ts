// Whether a GPU the browser offers is really a CPU pretending (SwiftShader, llvmpipe, lavapipe, WARP): Chrome gives
// one to WebGPU and WebGL when no usable GPU is there, and training on it is many times slower than wasm. No TF.js
// import: the decision is a pure function of what the adapter (or WebGL's renderer string) says about itself.

/** What a WebGPU adapter says about itself (GPUAdapter.isFallbackAdapter and GPUAdapterInfo), all optional. */
export interface AdapterFacts {
  isFallbackAdapter?: boolean;
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
}

const SOFTWARE = [
  /swiftshader/i,
  /llvmpipe/i,
  /lavapipe/i,
  /softpipe/i,
  /\bwarp\b/i,
  /microsoft basic render/i,
  /software/i,
];

/** The software renderer's name when `facts` describe one, else null. */
export function softwareGpu(facts: AdapterFacts | string | null | undefined): string | null {
  if (!facts) return null;
  const text =
    typeof facts === 'string'
      ? facts
      : [facts.vendor, facts.architecture, facts.device, facts.description].filter(Boolean).join(' ');
  const hit = SOFTWARE.map((re) => re.exec(text)).find((m) => m !== null);
  if (hit) return /swiftshader/i.test(text) ? 'SwiftShader' : hit[0];
  if (typeof facts !== 'string' && facts.isFallbackAdapter) return 'a fallback adapter';
  return null;
}
