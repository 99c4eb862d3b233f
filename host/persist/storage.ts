// storage.ts - where saveState puts the image of _home: the StorageAdapter interface and the default
// in-memory adapter. FileStorage (Node, atomic replace) is in file.ts, IndexedDBStorage (browsers) in
// indexeddb.ts.
// Invariant: an adapter's save either replaces the previous image completely or leaves it intact.

export interface StorageAdapter {
  /** The last saved image, or null when nothing was saved. */
  load(): Promise<Uint8Array | null>;
  /** Replaces the saved image atomically. */
  save(image: Uint8Array): Promise<void>;
  /** Forgets the saved image. */
  clear(): Promise<void>;
}

/** Keeps the image in memory (the default: lives as long as this object). */
export class MemoryStorage implements StorageAdapter {
  private image: Uint8Array | null = null;
  async load(): Promise<Uint8Array | null> {
    return this.image ? this.image.slice() : null;
  }
  async save(image: Uint8Array): Promise<void> {
    this.image = image.slice();
  }
  async clear(): Promise<void> {
    this.image = null;
  }
}
