// Model shapes as plain data (no TF.js), so pages can list architectures without loading the engine.

export interface ResNetConfig {
  widths: number[];
  blocks: number[];
  classes: number;
}

/** The reference pets model (../shared/reference/README.md, section 1). */
export const RESNET_S: ResNetConfig = { widths: [32, 64, 128, 256], blocks: [1, 1, 1, 1], classes: 37 };
