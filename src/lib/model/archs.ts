// The architectures a chapter can pick by name: the reference ResNet-S and variants for the "deeper" comparison.
import { RESNET_S, type ResNetConfig } from './config';

export const ARCHS: Record<string, Omit<ResNetConfig, 'classes'>> = {
  'resnet-s': { widths: RESNET_S.widths, blocks: RESNET_S.blocks },
  'resnet-s-deep': { widths: RESNET_S.widths, blocks: [2, 2, 2, 2] },
  'resnet-s-wide': { widths: RESNET_S.widths.map((w) => w * 2), blocks: RESNET_S.blocks },
  'resnet-tiny': { widths: [8, 16, 32, 64], blocks: [1, 1, 1, 1] },
};

export function archConfig(name: string, classes: number): ResNetConfig {
  const a = Object.hasOwn(ARCHS, name) ? ARCHS[name] : undefined; // not "constructor" or "toString" from Object's prototype
  if (!a) throw new Error(`Unknown architecture "${name}"; choose one of ${Object.keys(ARCHS).join(', ')}.`);
  return { ...a, classes };
}
