// Weights kept in IndexedDB, so a model trained in one chapter can be picked up in the next.
const DB = 'pets-models';
const STORE = 'weights';

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB is not available'));
  });
}

async function tx<T>(mode: IDBTransactionMode, f: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await open();
  try {
    return await new Promise<T>((resolve, reject) => {
      const req = f(db.transaction(STORE, mode).objectStore(STORE));
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
    });
  } finally {
    db.close();
  }
}

export const putWeights = (key: string, bytes: Uint8Array) =>
  tx('readwrite', (s) => s.put(bytes, key)).then(() => undefined);
/** Whether weights are stored under `key`, without reading them. */
export const hasWeights = (key: string) => tx<number>('readonly', (s) => s.count(key)).then((n) => n > 0);
export const getWeights = (key: string) =>
  tx<Uint8Array | undefined>('readonly', (s) => s.get(key) as IDBRequest<Uint8Array | undefined>);
/** Seconds per training batch measured in this browser, under a key naming the backend, model, size and batch. */
export const putBatchSeconds = (key: string, seconds: number) =>
  tx('readwrite', (s) => s.put(seconds, `batch-seconds:${key}`)).then(() => undefined);
export const getBatchSeconds = (key: string) =>
  tx<unknown>('readonly', (s) => s.get(`batch-seconds:${key}`)).then((v) =>
    typeof v === 'number' && v > 0 ? v : null,
  );
/** Deletes what is stored under `key` (a saved model that cannot be read, when the reader asks to forget it). */
export const deleteWeights = (key: string) => tx('readwrite', (s) => s.delete(key)).then(() => undefined);
