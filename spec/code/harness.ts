// harness.ts - test entry for the compiler: compiles source placed in memory and returns the
// `luac -l -l` style listing (or the error message) through an output buffer. Built by run.mjs.

import { luaS_init, luaS_newlstr } from "../../assembly/object/string";
import { Buffer, buf_new, buf_addbytes } from "../../assembly/mem/buffer";
import { luaY_parser, compile_error } from "../../assembly/compiler/parser";
import { setskipfirstline } from "../../assembly/compiler/lexer";
import { luaU_listing } from "../../assembly/compiler/listing";
import { getstr, tsslen } from "../../assembly/object/string";

let out: Buffer = buf_new();
let inited = false;

/** Memory for `n` input bytes (source followed by chunk name). */
export function alloc_input(n: i32): usize { return heap.alloc(n > 0 ? <usize>n : 1); }
export function free_input(p: usize): void { heap.free(p); }

/** Compiles; returns 1 with the listing in the output buffer, 0 with the error message there. */
export function compile(src: usize, len: i32, name: usize, namelen: i32, full: i32): i32 {
  if (!inited) { luaS_init(); inited = true; }
  out.len = 0;
  const chunkname = luaS_newlstr(name, namelen);
  setskipfirstline(namelen > 0 && load<u8>(name) == 64);   // files ('@' names) skip a '#' line, as luac
  const p = luaY_parser(src, len, chunkname);
  if (p == 0) {
    const e = compile_error;
    buf_addbytes(out, getstr(e), tsslen(e));
    return 0;
  }
  luaU_listing(out, p, full != 0);
  return 1;
}

export function out_ptr(): usize { return out.ptr; }
export function out_len(): i32 { return out.len; }
