// The pack trace's table rows: each step the loader reports (see LoadStep in src/lib/data/pack-loader.ts), in words.
import type { LoadStep } from '../../lib/data/pack-loader';

export type TraceSource = 'network' | 'Cache API' | 'this tab';

export interface TraceRow {
  /** Milliseconds since the reader pressed Load. */
  at: number;
  step: string;
  what: string;
  bytes: number | null;
  ms: number | null;
  from: TraceSource;
  problem: boolean;
}

export const mb = (bytes: number): string => `${(bytes / 1048576).toFixed(1)} MB`;

export function rowOf(step: LoadStep, at: number): TraceRow {
  const row = { at, bytes: null, ms: null, problem: false };
  switch (step.kind) {
    case 'manifest':
      return {
        ...row,
        step: 'fetch manifest.json',
        what: `${step.shards} shard${step.shards === 1 ? '' : 's'}, ${mb(step.total)}; ${step.checksums ? 'a SHA-256 for each shard' : 'no checksums: lengths are checked'}`,
        bytes: step.bytes,
        ms: step.ms,
        from: 'network',
      };
    case 'shard':
      return {
        ...row,
        step: `read ${step.file}`,
        what: `checked its length${step.check === 'sha256' ? ' and SHA-256' : ''}${step.attempt > 1 ? ' (second try)' : ''}`,
        bytes: step.bytes,
        ms: step.ms,
        from: step.source === 'cache' ? 'Cache API' : 'network',
      };
    case 'stored':
      return {
        ...row,
        step: `cache.put ${step.file}`,
        what: 'the verified bytes, kept for the next chapter or visit',
        bytes: step.bytes,
        ms: step.ms,
        from: 'Cache API',
      };
    case 'rejected': {
      const next =
        step.source === 'cache'
          ? '; dropped from the cache, fetching it again'
          : step.attempt < 2
            ? '; trying once more'
            : '; giving up';
      return {
        ...row,
        step: `rejected ${step.file}`,
        what: `${step.reason}${next}`,
        from: step.source === 'cache' ? 'Cache API' : 'network',
        problem: true,
      };
    }
    case 'superseded': {
      const u = new URL(step.url);
      return {
        ...row,
        step: 'delete an old copy',
        what: `${u.pathname.split('/').pop()} cached for another manifest (${u.searchParams.get('v') ?? '?'})`,
        from: 'Cache API',
      };
    }
  }
}
