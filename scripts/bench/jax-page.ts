// The browser side of npm run bench's jax-js peer (bundled by jax-peer.ts and served on a page of its own there):
// window.jaxBench starts jax-js on one device, trains ResNet-S on synthetic data and returns each step's time.
import { defaultDevice, init, type Device } from '@jax-js/jax';
import { jaxTrainer } from './jax-resnet-s';

export interface JaxBenchRequest {
  device: Device;
  batch: number;
  size: number;
  /** Untimed steps first (the first one compiles every kernel). */
  warmup: number;
  steps: number;
}

export type JaxBenchAnswer = { times: number[]; losses: number[] } | { missing: string };

async function jaxBench(o: JaxBenchRequest): Promise<JaxBenchAnswer> {
  const devices = await init(o.device);
  if (!devices.includes(o.device)) return { missing: `jax-js has no ${o.device} device in this browser` };
  defaultDevice(o.device);
  const trainer = jaxTrainer({ batch: o.batch, size: o.size });
  try {
    for (let i = 0; i < o.warmup; i++) await trainer.step();
    const times: number[] = [];
    const losses: number[] = [];
    for (let i = 0; i < o.steps; i++) {
      const t0 = performance.now();
      losses.push(await trainer.step());
      times.push(performance.now() - t0);
    }
    return { times, losses };
  } finally {
    trainer.dispose();
  }
}

(window as Window & { jaxBench?: typeof jaxBench }).jaxBench = jaxBench;
