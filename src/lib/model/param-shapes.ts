// The parameters a ResNet of a given config has, by name and shape, as plain data: what a weights file must hold,
// checked before any TF.js variable is touched. Mirrors buildResNet's naming (a test compares the two).
import type { ResNetConfig } from './config';

export interface ParamShape {
  name: string;
  shape: number[];
}

export function paramShapes(config: ResNetConfig): ParamShape[] {
  const out: ParamShape[] = [];
  const convBn = (name: string, k: number, cin: number, cout: number) => {
    out.push({ name: `${name}.conv`, shape: [k, k, cin, cout] });
    for (const p of ['weight', 'bias', 'running_mean', 'running_var'])
      out.push({ name: `${name}.bn.${p}`, shape: [cout] });
  };
  convBn('stem', 3, 3, config.widths[0]!);
  let cin = config.widths[0]!;
  config.widths.forEach((cout, s) => {
    for (let i = 0; i < (config.blocks[s] ?? 1); i++) {
      const stride = i === 0 && s > 0 ? 2 : 1;
      convBn(`stages.${s}.${i}.a`, 3, cin, cout);
      convBn(`stages.${s}.${i}.b`, 3, cout, cout);
      if (stride !== 1 || cin !== cout) convBn(`stages.${s}.${i}.shortcut`, 1, cin, cout);
      cin = cout;
    }
  });
  out.push({ name: 'head.weight', shape: [cin, config.classes] }, { name: 'head.bias', shape: [config.classes] });
  return out;
}
