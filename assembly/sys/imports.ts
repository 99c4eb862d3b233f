// imports.ts - every function the module imports from its host ("env"), each with its contract.
// Invariant: nothing else in assembly/ declares an @external; the host (host/loader.ts) provides
// exactly these names.

/** Wall-clock time in milliseconds since the Unix epoch (Date.now()); os.time, math.randomseed(). */
// @ts-ignore: decorator
@external("env", "lua_time") export declare function lua_time(): f64;

/**
 * Monotonic host time in milliseconds (process.hrtime in Node, performance.now() in browsers), for
 * budget deadlines only: unlike lua_time it is never the application's `now` option, so a
 * deterministic (frozen) clock cannot disable timeoutMs.
 */
// @ts-ignore: decorator
@external("env", "lua_monotonic") export declare function lua_monotonic(): f64;

/** Processor time used by the host process, in seconds (os.clock). */
// @ts-ignore: decorator
@external("env", "lua_clock") export declare function lua_clock(): f64;

/** Writes `len` bytes at `ptr` to standard output; the host copies them before returning. */
// @ts-ignore: decorator
@external("env", "lua_output") export declare function lua_output(ptr: usize, len: i32): void;

/** Writes `len` bytes at `ptr` to standard error (io.stderr); the host copies them before returning. */
// @ts-ignore: decorator
@external("env", "lua_stderr") export declare function lua_stderr(ptr: usize, len: i32): void;

/** Looks up the environment variable named by the `namelen` bytes at `nameptr` (os.getenv): -1 if it
 *  is not set, else the length of its value, whose bytes are written to dst only if it is ≤ cap. */
// @ts-ignore: decorator
@external("env", "lua_getenv") export declare function lua_getenv(nameptr: usize, namelen: i32, dst: usize, cap: i32): i32;

// ==== Compiled code (assembly/jit/, host/jit.ts) ====

/**
 * Compiles and instantiates the `len` bytes of a wasm module at `ptr` (written by jit/compile.ts;
 * it imports env.memory and env.trapflag and exports "f") and puts its function in a free slot of
 * the module's function table. Returns the slot (> 0), or -1 when the host cannot (a browser's main
 * thread refuses synchronous compiles over 4 KB, a table that cannot grow): the caller then runs the
 * function in the interpreter. Never throws. `emitms` is how long writing the module took (lua_monotonic
 * milliseconds), for the host's compile-time figures (getMemoryStats' jit_compile_ms).
 */
// @ts-ignore: decorator
@external("env", "jit_install") export declare function jit_install(ptr: usize, len: i32, emitms: f64): i32;

/** Frees table slot `slot` of compiled code whose prototype died; the host may reuse it. */
// @ts-ignore: decorator
@external("env", "jit_release") export declare function jit_release(slot: i32): void;

// ==== Files (host/fs.ts FileSystem; see docs/ABI.md) ====
// Paths and modes are byte strings at (ptr, len), decoded by the host as UTF-8. Every function
// returns a negative errno-like code (-2 for ENOENT, -13 for EACCES, ...) on failure; the matching
// strerror text ("No such file or directory") is then available from lua_fs_error until the next
// failure. Handles are ≥ 3; handle 0 is standard input (read-only). A host without files fails every
// open with -13 ("Permission denied") and reads standard input as empty.

/** Opens a file as fopen(path, mode) with mode one of r w a r+ w+ a+ (no 'b'); a handle ≥ 3 or -errno. */
// @ts-ignore: decorator
@external("env", "lua_fs_open") export declare function lua_fs_open(pathptr: usize, pathlen: i32, modeptr: usize, modelen: i32): i32;

/** Reads up to n bytes into dst at the handle's position; the count read (0 at end of file) or -errno. */
// @ts-ignore: decorator
@external("env", "lua_fs_read") export declare function lua_fs_read(h: i32, dst: usize, n: i32): i32;

/** Writes n bytes from src at the handle's position (the end for "a" modes); n or -errno. */
// @ts-ignore: decorator
@external("env", "lua_fs_write") export declare function lua_fs_write(h: i32, src: usize, n: i32): i32;

/** Moves the position (whence 0 set, 1 cur, 2 end) and returns the new absolute position, or -errno. */
// @ts-ignore: decorator
@external("env", "lua_fs_seek") export declare function lua_fs_seek(h: i32, whence: i32, offset: f64): f64;

/** Closes a handle; 0 or -errno. The handle is released even when closing reports an error. */
// @ts-ignore: decorator
@external("env", "lua_fs_close") export declare function lua_fs_close(h: i32): i32;

/** Deletes a file or an empty directory (C remove()); 0 or -errno. */
// @ts-ignore: decorator
@external("env", "lua_fs_remove") export declare function lua_fs_remove(pathptr: usize, pathlen: i32): i32;

/** Renames a file; 0 or -errno. */
// @ts-ignore: decorator
@external("env", "lua_fs_rename") export declare function lua_fs_rename(fromptr: usize, fromlen: i32, toptr: usize, tolen: i32): i32;

/** Creates a new empty file with a unique name (mkstemp) and writes the name to dst (at most cap
 *  bytes); the name's length or -errno. */
// @ts-ignore: decorator
@external("env", "lua_fs_tmpname") export declare function lua_fs_tmpname(dst: usize, cap: i32): i32;

/** Writes the strerror text of the last failed lua_fs_* call to dst (at most cap bytes); its length. */
// @ts-ignore: decorator
@external("env", "lua_fs_error") export declare function lua_fs_error(dst: usize, cap: i32): i32;

// ==== External tables and host functions (docs/ABI.md "External tables") ====
// Keys and values cross as encoded values (docs/ABI.md "Value encoding"). An import that answers with
// values writes them into the input buffer (it calls the export val_buffer(n) and fills the n bytes)
// and returns how many values it wrote; -1 means the input buffer holds one encoded error value, -3
// that the host refused a write because the state would pass its memory limit (nothing was stored;
// the module raises "not enough memory").

/**
 * Tells the host where the module keeps the host's byte count (an f64, mem/alloc.ts HOSTBYTES): the
 * host writes its estimate of the bytes external tables hold there now and after every change.
 */
// @ts-ignore: decorator
@external("env", "ext_bind") export declare function ext_bind(p: usize): void;

/**
 * The module's proxies for external tables `n` ids (u32 each at p), then `nf` ids of stored-function
 * records (u32 each after them), are all Lua still holds: the host may drop every table, record and
 * upvalue cell that neither they, _home nor _io can reach. nf = -1: every record and cell is held
 * (a store is in progress, or Lua's list is not complete). Returns how many records and cells it
 * dropped (the module then forgets its live cells of those: extfn.ts fn_notedropped).
 */
// @ts-ignore: decorator
@external("env", "ext_collect") export declare function ext_collect(p: usize, n: i32, nf: i32): i32;

/** Whether the host still holds upvalue cell `uvid` (1) or dropped it (0). */
// @ts-ignore: decorator
@external("env", "ext_hascell") export declare function ext_hascell(uvid: i32): i32;

/** Creates an empty external table in the host store; returns its id (> 0), or 0 past the memory limit. */
// @ts-ignore: decorator
@external("env", "ext_new") export declare function ext_new(): i32;

/** t[key] of external table `id` (key encoded at kp, kl bytes): writes 1 value; returns 1 or -1. */
// @ts-ignore: decorator
@external("env", "ext_get") export declare function ext_get(id: i32, kp: usize, kl: i32): i32;

/** t[key] = value (both encoded; a nil value deletes the key); returns 0, -1 or -3 (memory). */
// @ts-ignore: decorator
@external("env", "ext_set") export declare function ext_set(id: i32, kp: usize, kl: i32, vp: usize, vl: i32): i32;

/** next(t, key) (kl = 0: the first entry): writes key and value and returns 2, returns 0 at the end, -2 for a key not in the table, -1 on error. */
// @ts-ignore: decorator
@external("env", "ext_next") export declare function ext_next(id: i32, kp: usize, kl: i32): i32;

// Typed fast paths of ext_get/ext_set (docs/ABI.md "Typed fast paths"): a string key is passed as its
// bytes plus a cache hint `h` (the string's hash; 0 for long strings), an integer key k (|k| <= 2^53-1)
// as an f64, and a value as (tag, number, bytes): tag 0 nil, 1 false, 2 true, 3 integer (|n| <= 2^53-1)
// and 4 float in `num`, 5 string at (vp, vl). The get variants answer in their result code, with
// numbers and strings of up to 256 bytes written to the result area `out` (f64 at out, bytes from
// out + 8): 0 nil, 1 false, 2 true, 3 integer, 4 float, 15 one encoded value in the input buffer,
// 16 + n a string of n bytes (in `out` + 8 when n <= 256, else in the input buffer), -1 an error.

/** t[key] for a string key; see above. */
// @ts-ignore: decorator
@external("env", "ext_get_s") export declare function ext_get_s(id: i32, kp: usize, kl: i32, h: u32, out: usize): i32;

/** t[k] for an integer key k (|k| <= 2^53-1, passed as f64); see above. */
// @ts-ignore: decorator
@external("env", "ext_get_i") export declare function ext_get_i(id: i32, k: f64, out: usize): i32;

/** t[key] = value for a string key and a nil/boolean/number/string value; returns 0, -1 or -3 (memory). */
// @ts-ignore: decorator
@external("env", "ext_set_s") export declare function ext_set_s(id: i32, kp: usize, kl: i32, h: u32, tag: i32, num: f64, vp: usize, vl: i32): i32;

/** t[k] = value for an integer key k (|k| <= 2^53-1, passed as f64); returns 0, -1 or -3 (memory). */
// @ts-ignore: decorator
@external("env", "ext_set_i") export declare function ext_set_i(id: i32, k: f64, tag: i32, num: f64, vp: usize, vl: i32): i32;

/** A border of the integer keys of external table `id` (what `#t` returns). */
// @ts-ignore: decorator
@external("env", "ext_len") export declare function ext_len(id: i32): f64;

/** The number of entries of external table `id` (ext.size). */
// @ts-ignore: decorator
@external("env", "ext_size") export declare function ext_size(id: i32): f64;

/**
 * Calls host function `fid` with nargs encoded arguments at ap (al bytes), or (al = -1) nargs scalar
 * arguments as slots at ap (docs/ABI.md "Typed calls"). Answers as js_call: one
 * result as a typed read (its code, scalars in the area at `out`), n results as -100 - n written to
 * the input buffer; -1 with an error value there, -3, -6 (RETHROW) or -7 (AWAIT).
 */
// @ts-ignore: decorator
@external("env", "host_call") export declare function host_call(fid: i32, ap: usize, al: i32, nargs: i32, out: usize): i32;

/**
 * JS references (docs/ABI.md "JS references"; embed/jsref.ts, host/refs.ts): operation `op` (index,
 * newindex, len, next, call, release) on host reference `id` with nargs encoded values at ap (al
 * bytes). Answers as host_call: the number of values written to the input buffer, -1 with an error
 * value there, or -3 when the answer would pass the memory limit.
 */
// @ts-ignore: decorator
@external("env", "js_op") export declare function js_op(op: i32, id: i32, ap: usize, al: i32, nargs: i32): i32;

/**
 * Typed fast paths of js_op's index (docs/ABI.md "JS references"): t[k] of reference `id` for a
 * string key (bytes at kp, kl long, h its hash hint) or an integer key k (an f64 of at most 2^53),
 * answered as ext_get_s answers: a value tag for scalars (number in the area `out`), 16 + n for a
 * string of n bytes after it, 15 for a value in the input buffer, -1 an error value there, -3 no memory.
 */
// @ts-ignore: decorator
@external("env", "js_get_s") export declare function js_get_s(id: i32, kp: usize, kl: i32, h: u32, out: usize): i32;
// @ts-ignore: decorator
@external("env", "js_get_i") export declare function js_get_i(id: i32, k: f64, out: usize): i32;
/**
 * Typed fast path of js_op's call (obj:method(args)): calls reference `id` with nargs encoded values
 * at ap (al bytes). One result is answered as js_get_s answers (14: a JS function, its reference id
 * and that of its object as two u32 in `out`); n results otherwise as -100 - n, in the input buffer;
 * -1 an error value there, -3 no memory, -6 a Lua error to raise unchanged, -7 an await.
 */
/**
 * Typed fast path of js_op's next (a pairs step): next(t, key) on reference `id` for the first key
 * (kl = -2), the integer key ki (kl = -1) or a string key (kp, kl, hint h). Answers 0 at the end;
 * else the value as js_get_s answers and the key in `karea` (i32 code: 3 an integer, its f64 at
 * karea + 8; 16 + n a string of n bytes at karea + 16); -102 for key and value in the input buffer;
 * -1, -3, -6 as js_op.
 */
// @ts-ignore: decorator
@external("env", "js_step") export declare function js_step(id: i32, kp: usize, kl: i32, h: u32, ki: f64, karea: usize, out: usize): i32;
// @ts-ignore: decorator
@external("env", "js_call") export declare function js_call(id: i32, ap: usize, al: i32, nargs: i32, out: usize): i32;
/**
 * Typed fast path of js_op's newindex: t[k] = v on reference `id` for a string key (kp, kl, hint h)
 * or, when kl < 0, the integer key ki; v is a scalar passed as ext_set_s passes it (tag, num, vp, vl).
 * Answers 0, -1 with an error value in the input buffer, or -3.
 */
// @ts-ignore: decorator
@external("env", "js_set") export declare function js_set(id: i32, kp: usize, kl: i32, h: u32, ki: f64, tag: i32, num: f64, vp: usize, vl: i32): i32;

// ==== Functions in external tables (docs/ABI.md "Functions in external tables"; embed/extfn.ts) ====

/** A new id in the host store: kind 0 a stored-function record, 1 an upvalue cell; > 0. */
// @ts-ignore: decorator
@external("env", "ext_newid") export declare function ext_newid(kind: i32): i32;

/** Writes stored function `fid`'s record into the input buffer (u32 len + chunk, u8 nup, nup × (u32 cell id, value)); 1, or -1. */
// @ts-ignore: decorator
@external("env", "ext_fnrec") export declare function ext_fnrec(fid: i32): i32;

/** Sets upvalue cell `uvid` to the encoded value at vp (vl bytes; tag 17 for the globals table); 0, -1 or -3 (memory). */
// @ts-ignore: decorator
@external("env", "ext_setcell") export declare function ext_setcell(uvid: i32, vp: usize, vl: i32): i32;

/**
 * os.exit(code): ends the host process with `code` when the host allows it (the CLI does; after
 * flushing output). Returns 0 when the host refuses (the library's default), then os.exit raises an
 * error; it does not return when the host exits.
 */
// @ts-ignore: decorator
@external("env", "lua_exit") export declare function lua_exit(code: i32): i32;

/**
 * os.execute(command): runs `command` through the host's shell when the host allows it (the CLI
 * does). Returns -1 when refused; otherwise the exit status (0-255), or 256 + signal number when the
 * command was killed by a signal. With namelen 0 (no command), returns 1 if a shell is available.
 */
// @ts-ignore: decorator
@external("env", "lua_execute") export declare function lua_execute(cmdptr: usize, cmdlen: i32): i32;

/**
 * io.popen(command, mode): starts `command` through the host's shell with its standard output (mode
 * 114 'r') or standard input (mode 119 'w') connected to a new file-system handle, read or written
 * with lua_fs_read / lua_fs_write. Returns the handle (>= 0), -errno when the command cannot be
 * started, or POPEN_REFUSED when the host grants no processes (the library's default).
 */
// @ts-ignore: decorator
@external("env", "lua_popen") export declare function lua_popen(cmdptr: usize, cmdlen: i32, mode: i32): i32;

/** lua_popen's answer when the host has no processes ("'popen' not supported"). */
// @ts-ignore: decorator
@inline export const POPEN_REFUSED: i32 = -65536;

/**
 * pclose: closes a handle from lua_popen and waits for its command. Returns the exit status as
 * lua_execute does (0-255, or 256 + signal number), or -errno.
 */
// @ts-ignore: decorator
@external("env", "lua_pclose") export declare function lua_pclose(h: i32): i32;
