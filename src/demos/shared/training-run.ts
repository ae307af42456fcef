// The first stages every training demo's run shares: start the engine and load the pets pack, each abandoned at
// once on Stop, with the run's progress and status kept up to date; then a fresh model. Used with RunLifecycle and
// RunProgress.
import { loadPets, request, startEngine, type EngineStart } from './engine-client';
import type { RunLifecycle } from './run-lifecycle';
import type { RunProgress } from './run-progress';
import { timeLeft } from './time-left';
import type { MessageOf, ModelRequest } from '../../lib/worker/protocol';

export type ModelReply = MessageOf<'model'>;

export async function startAndLoad(
  life: RunLifecycle,
  progress: RunProgress,
  say: (status: string) => void,
): Promise<EngineStart> {
  progress.stage('engine');
  say('Starting the engine…');
  const engine = await life.step(startEngine());
  progress.stage('pack');
  say('Loading the pets pack…');
  await life.step(
    loadPets((m) => {
      // The download goes on after a Stop (into the cache, for the next run); the run has ended and says so.
      if (!life.active || life.stopRequested) return;
      progress.stage('pack', m.done, m.total);
      say(
        `Downloading the pets pack: ${(m.done / 1048576).toFixed(1)} of ${(m.total / 1048576).toFixed(1)} MB${timeLeft(m.secondsLeft)}`,
      );
    }),
  );
  return engine;
}

/** Builds a fresh model (and its data) in the worker. */
export async function buildModel(
  life: RunLifecycle,
  progress: RunProgress,
  say: (status: string) => void,
  spec: ModelRequest,
): Promise<ModelReply> {
  progress.stage('model');
  say(`Building a fresh ${spec.arch}${spec.pretrained ? ' and fetching its pretrained body' : ''}…`);
  return life.step(request({ kind: 'new-model', ...spec }));
}

/** ' (batch size 16, not 32: …)' when a quick run's batch was fitted to its images, else ''. */
export const batchNote = (m: ModelReply): string => (m.batchNote ? ` (${m.batchNote})` : '');

/** A quick-run select's value as a model request's maxTrain: 0 stands for every training image. */
export const maxTrainOf = (items: number): number | undefined => (items === 0 ? undefined : items);

/**
 * How many images a run will train on, before the worker says: the Images select's choice (0: all) within the pack's
 * `trainCount` training images (0 while unknown, then the choice stands).
 */
export const plannedItems = (items: number, trainCount: number): number =>
  items === 0 ? trainCount : Math.min(items, trainCount || items);
