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

  /**
   * The connection, opened on first use. It is given up (and reopened by the next call) when another
   * connection wants to delete or upgrade the database (onversionchange: staying open would block
   * that forever), when the browser closes it, or when opening failed.
   */
  private open(): Promise<IDBDatabase> {
    if (!this.factory) return Promise.reject(new Error("IndexedDB is not available in this environment"));
    if (!this.db) {
      const req = this.factory.open(this.database, 1);
      req.onupgradeneeded = () => {
        if (!req.result.objectStoreNames.contains(STORE)) req.result.createObjectStore(STORE);
      };
      const opened = request(req).then(
        (db) => {
          const forget = (): void => {
            if (this.db === opened) this.db = null;
          };
          db.onversionchange = () => {
            db.close();
            forget();
          };
          db.onclose = forget;
          return db;
        },
        (e: unknown) => {
          if (this.db === opened) this.db = null;
          throw e;
        },
      );
      this.db = opened;
    }
    return this.db;
  }

  /** Runs one request in its own transaction; resolves with its result once the transaction commits. */
  private async tx<T>(mode: IDBTransactionMode, fn: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> {
    const db = await this.open();
    return new Promise<T>((resolve, reject) => {
      const t = db.transaction(STORE, mode);
      const r = fn(t.objectStore(STORE));
      t.oncomplete = () => resolve(r.result);
      t.onabort = t.onerror = () => reject(t.error ?? r.error ?? new Error("IndexedDB transaction failed"));
    });
  }

  async load(): Promise<Uint8Array | null> {
    const v: unknown = await this.tx("readonly", (s) => s.get(this.key));
    if (v === undefined || v === null) return null;
    if (v instanceof Uint8Array) return v;
    if (v instanceof ArrayBuffer) return new Uint8Array(v);
    if (ArrayBuffer.isView(v)) return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
    const what = typeof v === "object" ? Object.prototype.toString.call(v).slice(8, -1) : typeof v;
    throw new Error(`IndexedDB record "${this.key}" in database "${this.database}" is not binary data (${what})`);
  }

  async save(image: Uint8Array): Promise<void> {
    await this.tx("readwrite", (s) => s.put(image.slice(), this.key));
  }

  async clear(): Promise<void> {
    await this.tx("readwrite", (s) => s.delete(this.key));
  }

  /** Closes the database connection. */
  async close(): Promise<void> {
    const db = this.db;
    this.db = null;
    if (db) (await db.catch(() => null))?.close();
  }
}
