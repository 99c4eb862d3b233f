// indexeddb.ts - IndexedDBStorage: the image of _home in a browser's IndexedDB (one record in one
// object store). An IndexedDB transaction is atomic, so a failed save leaves the previous image.

import type { StorageAdapter } from "./storage.js";

export interface IndexedDBStorageOptions {
  /** Database name (default "lua-wasm-persistent"). */
  database?: string;
  /** Record key (default "home"): use different keys for several states in one database. */
  key?: string;
  /** The IDBFactory to use (default globalThis.indexedDB). */
  indexedDB?: IDBFactory;
}

const STORE = "images";

function request<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error ?? new Error("IndexedDB request failed"));
  });
}

export class IndexedDBStorage implements StorageAdapter {
  private db: Promise<IDBDatabase> | null = null;
  private readonly database: string;
  private readonly key: string;
  private readonly factory: IDBFactory | undefined;

  constructor(options: IndexedDBStorageOptions = {}) {
    this.database = options.database ?? "lua-wasm-persistent";
    this.key = options.key ?? "home";
    this.factory = options.indexedDB ?? (globalThis as { indexedDB?: IDBFactory }).indexedDB;
  }

  private open(): Promise<IDBDatabase> {
    if (!this.factory) return Promise.reject(new Error("IndexedDB is not available in this environment"));
    if (!this.db) {
      const req = this.factory.open(this.database, 1);
      req.onupgradeneeded = () => { if (!req.result.objectStoreNames.contains(STORE)) req.result.createObjectStore(STORE); };
      this.db = request(req);
    }
    return this.db;
  }

  private async tx<T>(mode: IDBTransactionMode, fn: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> {
    const db = await this.open();
    const t = db.transaction(STORE, mode);
    const result = request(fn(t.objectStore(STORE)));
    await new Promise<void>((resolve, reject) => {
      t.oncomplete = () => resolve();
      t.onabort = t.onerror = () => reject(t.error ?? new Error("IndexedDB transaction failed"));
    });
    return result;
  }

  async load(): Promise<Uint8Array | null> {
    const v = await this.tx("readonly", (s) => s.get(this.key));
    if (v === undefined || v === null) return null;
    return v instanceof Uint8Array ? v : new Uint8Array(v as ArrayBuffer);
  }

  async save(image: Uint8Array): Promise<void> {
    await this.tx("readwrite", (s) => s.put(image.slice(), this.key));
  }

  async clear(): Promise<void> {
    await this.tx("readwrite", (s) => s.delete(this.key));
  }

  /** Closes the database connection. */
  async close(): Promise<void> {
    if (this.db) (await this.db).close();
    this.db = null;
  }
}
