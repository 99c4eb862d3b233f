// opcodes.ts - instruction format and the opcode set: exactly Lua 5.4's (lopcodes.h/.c).
//
//   iABC   C(8) | B(8) | k(1) | A(8) | Op(7)
//   iABx   Bx(17)             | A(8) | Op(7)
//   iAsBx  sBx(17, excess K)  | A(8) | Op(7)
//   iAx    Ax(25)                    | Op(7)
//   isJ    sJ(25, excess K)          | Op(7)
// Bit positions: Op 0, A 7, k 15, B 16, C 24, Bx/sBx 15, Ax/sJ 7.
// Invariant: the numbering and semantics match PUC 5.4 so listings diff against `luac5.4 -l`.

// @ts-ignore: decorator
@inline export const SIZE_OP: u32 = 7;
// @ts-ignore: decorator
@inline export const SIZE_A: u32 = 8;
// @ts-ignore: decorator
@inline export const SIZE_B: u32 = 8;
// @ts-ignore: decorator
@inline export const SIZE_C: u32 = 8;
// @ts-ignore: decorator
@inline export const SIZE_Bx: u32 = 17;
// @ts-ignore: decorator
@inline export const SIZE_Ax: u32 = 25;
// @ts-ignore: decorator
@inline export const SIZE_sJ: u32 = 25;
// @ts-ignore: decorator
@inline export const POS_A: u32 = 7;
// @ts-ignore: decorator
@inline export const POS_k: u32 = 15;
// @ts-ignore: decorator
@inline export const POS_B: u32 = 16;
// @ts-ignore: decorator
@inline export const POS_C: u32 = 24;
// @ts-ignore: decorator
@inline export const POS_Bx: u32 = 15;
// @ts-ignore: decorator
@inline export const MAXARG_A: i32 = 255;
// @ts-ignore: decorator
@inline export const MAXARG_B: i32 = 255;
// @ts-ignore: decorator
@inline export const MAXARG_C: i32 = 255;
// @ts-ignore: decorator
@inline export const MAXARG_Bx: i32 = (1 << 17) - 1;
// @ts-ignore: decorator
@inline export const OFFSET_sBx: i32 = MAXARG_Bx >> 1;
// @ts-ignore: decorator
@inline export const MAXARG_Ax: i32 = (1 << 25) - 1;
// @ts-ignore: decorator
@inline export const MAXARG_sJ: i32 = (1 << 25) - 1;
// @ts-ignore: decorator
@inline export const OFFSET_sJ: i32 = MAXARG_sJ >> 1;
// @ts-ignore: decorator
@inline export const OFFSET_sC: i32 = MAXARG_C >> 1;
/** Marks "no register" in the C argument of some instructions. */
// @ts-ignore: decorator
@inline export const NO_REG: i32 = MAXARG_A;
/** Number of list items to accumulate before a SETLIST instruction. */
// @ts-ignore: decorator
@inline export const LFIELDS_PER_FLUSH: i32 = 50;

// ==== Decoding ====
// @ts-ignore: decorator
@inline export function GET_OPCODE(i: u32): i32 { return <i32>(i & 0x7F); }
// @ts-ignore: decorator
@inline export function GETARG_A(i: u32): i32 { return <i32>((i >> POS_A) & 0xFF); }
// @ts-ignore: decorator
@inline export function GETARG_B(i: u32): i32 { return <i32>((i >> POS_B) & 0xFF); }
// @ts-ignore: decorator
@inline export function GETARG_sB(i: u32): i32 { return GETARG_B(i) - OFFSET_sC; }
// @ts-ignore: decorator
@inline export function GETARG_C(i: u32): i32 { return <i32>(i >> POS_C); }
// @ts-ignore: decorator
@inline export function GETARG_sC(i: u32): i32 { return GETARG_C(i) - OFFSET_sC; }
// @ts-ignore: decorator
@inline export function GETARG_k(i: u32): i32 { return <i32>((i >> POS_k) & 1); }
// @ts-ignore: decorator
@inline export function GETARG_Bx(i: u32): i32 { return <i32>(i >> POS_Bx); }
// @ts-ignore: decorator
@inline export function GETARG_sBx(i: u32): i32 { return <i32>(i >> POS_Bx) - OFFSET_sBx; }
// @ts-ignore: decorator
@inline export function GETARG_Ax(i: u32): i32 { return <i32>(i >> POS_A); }
// @ts-ignore: decorator
@inline export function GETARG_sJ(i: u32): i32 { return <i32>(i >> POS_A) - OFFSET_sJ; }

// ==== Encoding ====
// @ts-ignore: decorator
@inline export function CREATE_ABCk(o: i32, a: i32, b: i32, c: i32, k: i32): u32 {
  return <u32>o | (<u32>a << POS_A) | (<u32>k << POS_k) | (<u32>b << POS_B) | (<u32>c << POS_C);
}
// @ts-ignore: decorator
@inline export function CREATE_ABx(o: i32, a: i32, bc: i32): u32 { return <u32>o | (<u32>a << POS_A) | (<u32>bc << POS_Bx); }
// @ts-ignore: decorator
@inline export function CREATE_Ax(o: i32, a: i32): u32 { return <u32>o | (<u32>a << POS_A); }
// @ts-ignore: decorator
@inline export function CREATE_sJ(o: i32, j: i32, k: i32): u32 { return <u32>o | (<u32>j << POS_A) | (<u32>k << POS_k); }
// @ts-ignore: decorator
@inline export function SETARG_A(i: u32, v: i32): u32 { return (i & ~(<u32>0xFF << POS_A)) | (<u32>v << POS_A); }
// @ts-ignore: decorator
@inline export function SETARG_B(i: u32, v: i32): u32 { return (i & ~(<u32>0xFF << POS_B)) | (<u32>v << POS_B); }
// @ts-ignore: decorator
@inline export function SETARG_C(i: u32, v: i32): u32 { return (i & ~(<u32>0xFF << POS_C)) | (<u32>v << POS_C); }
// @ts-ignore: decorator
@inline export function SETARG_k(i: u32, v: i32): u32 { return (i & ~(<u32>1 << POS_k)) | (<u32>v << POS_k); }
// @ts-ignore: decorator
@inline export function SETARG_Bx(i: u32, v: i32): u32 { return (i & 0x7FFF) | (<u32>v << POS_Bx); }
// @ts-ignore: decorator
@inline export function SETARG_sJ(i: u32, j: i32): u32 { return (i & 0x7F) | (<u32>(j + OFFSET_sJ) << POS_A); }
// @ts-ignore: decorator
@inline export function SET_OPCODE(i: u32, o: i32): u32 { return (i & ~<u32>0x7F) | <u32>o; }

// ==== Opcodes (ORDER OP) ====
export const enum OP {
  MOVE,       // A B      R[A] := R[B]
  LOADI,      // A sBx    R[A] := sBx
  LOADF,      // A sBx    R[A] := (lua_Number)sBx
  LOADK,      // A Bx     R[A] := K[Bx]
  LOADKX,     // A        R[A] := K[extra arg]
  LOADFALSE,  // A        R[A] := false
  LFALSESKIP, // A        R[A] := false; pc++
  LOADTRUE,   // A        R[A] := true
  LOADNIL,    // A B      R[A], R[A+1], ..., R[A+B] := nil
  GETUPVAL,   // A B      R[A] := UpValue[B]
  SETUPVAL,   // A B      UpValue[B] := R[A]
  GETTABUP,   // A B C    R[A] := UpValue[B][K[C]:shortstring]
  GETTABLE,   // A B C    R[A] := R[B][R[C]]
  GETI,       // A B C    R[A] := R[B][C]
  GETFIELD,   // A B C    R[A] := R[B][K[C]:shortstring]
  SETTABUP,   // A B C    UpValue[A][K[B]:shortstring] := RK(C)
  SETTABLE,   // A B C    R[A][R[B]] := RK(C)
  SETI,       // A B C    R[A][B] := RK(C)
  SETFIELD,   // A B C    R[A][K[B]:shortstring] := RK(C)
  NEWTABLE,   // A B C k  R[A] := {}
  SELF,       // A B C    R[A+1] := R[B]; R[A] := R[B][RK(C):string]
  ADDI,       // A B sC   R[A] := R[B] + sC
  ADDK,       // A B C    R[A] := R[B] + K[C]:number
  SUBK,       // A B C    R[A] := R[B] - K[C]:number
  MULK,       // A B C    R[A] := R[B] * K[C]:number
  MODK,       // A B C    R[A] := R[B] % K[C]:number
  POWK,       // A B C    R[A] := R[B] ^ K[C]:number
  DIVK,       // A B C    R[A] := R[B] / K[C]:number
  IDIVK,      // A B C    R[A] := R[B] // K[C]:number
  BANDK,      // A B C    R[A] := R[B] & K[C]:integer
  BORK,       // A B C    R[A] := R[B] | K[C]:integer
  BXORK,      // A B C    R[A] := R[B] ~ K[C]:integer
  SHRI,       // A B sC   R[A] := R[B] >> sC
  SHLI,       // A B sC   R[A] := sC << R[B]
  ADD,        // A B C    R[A] := R[B] + R[C]
  SUB,        // A B C    R[A] := R[B] - R[C]
  MUL,        // A B C    R[A] := R[B] * R[C]
  MOD,        // A B C    R[A] := R[B] % R[C]
  POW,        // A B C    R[A] := R[B] ^ R[C]
  DIV,        // A B C    R[A] := R[B] / R[C]
  IDIV,       // A B C    R[A] := R[B] // R[C]
  BAND,       // A B C    R[A] := R[B] & R[C]
  BOR,        // A B C    R[A] := R[B] | R[C]
  BXOR,       // A B C    R[A] := R[B] ~ R[C]
  SHL,        // A B C    R[A] := R[B] << R[C]
  SHR,        // A B C    R[A] := R[B] >> R[C]
  MMBIN,      // A B C    call C metamethod over R[A] and R[B]
  MMBINI,     // A sB C k call C metamethod over R[A] and sB
  MMBINK,     // A B C k  call C metamethod over R[A] and K[B]
  UNM,        // A B      R[A] := -R[B]
  BNOT,       // A B      R[A] := ~R[B]
  NOT,        // A B      R[A] := not R[B]
  LEN,        // A B      R[A] := #R[B] (length operator)
  CONCAT,     // A B      R[A] := R[A].. ... ..R[A + B - 1]
  CLOSE,      // A        close all upvalues >= R[A]
  TBC,        // A        mark variable A "to be closed"
  JMP,        // sJ       pc += sJ
  EQ,         // A B k    if ((R[A] == R[B]) ~= k) then pc++
  LT,         // A B k    if ((R[A] <  R[B]) ~= k) then pc++
  LE,         // A B k    if ((R[A] <= R[B]) ~= k) then pc++
  EQK,        // A B k    if ((R[A] == K[B]) ~= k) then pc++
  EQI,        // A sB k   if ((R[A] == sB) ~= k) then pc++
  LTI,        // A sB k   if ((R[A] < sB) ~= k) then pc++
  LEI,        // A sB k   if ((R[A] <= sB) ~= k) then pc++
  GTI,        // A sB k   if ((R[A] > sB) ~= k) then pc++
  GEI,        // A sB k   if ((R[A] >= sB) ~= k) then pc++
  TEST,       // A k      if (not R[A] == k) then pc++
  TESTSET,    // A B k    if (not R[B] == k) then pc++ else R[A] := R[B]
  CALL,       // A B C    R[A], ... ,R[A+C-2] := R[A](R[A+1], ... ,R[A+B-1])
  TAILCALL,   // A B C k  return R[A](R[A+1], ... ,R[A+B-1])
  RETURN,     // A B C k  return R[A], ... ,R[A+B-2]
  RETURN0,    //          return
  RETURN1,    // A        return R[A]
  FORLOOP,    // A Bx     update counters; if loop continues then pc-=Bx;
  FORPREP,    // A Bx     <check values and prepare counters>; if not to run then pc+=Bx+1;
  TFORPREP,   // A Bx     create upvalue for R[A + 3]; pc+=Bx
  TFORCALL,   // A C      R[A+4], ... ,R[A+3+C] := R[A](R[A+1], R[A+2]);
  TFORLOOP,   // A Bx     if R[A+2] ~= nil then { R[A]=R[A+2]; pc -= Bx }
  SETLIST,    // A B C k  R[A][C+i] := R[A+i], 1 <= i <= B
  CLOSURE,    // A Bx     R[A] := closure(KPROTO[Bx])
  VARARG,     // A C      R[A], R[A+1], ..., R[A+C-2] = vararg
  VARARGPREP, // A        (adjust vararg parameters)
  EXTRAARG,   // Ax       extra (larger) argument for previous opcode
}
// @ts-ignore: decorator
@inline export const NUM_OPCODES: i32 = 83;

// ==== Instruction formats and modes (ORDER OP) ====
// @ts-ignore: decorator
@inline export const iABC: u8 = 0;
// @ts-ignore: decorator
@inline export const iABx: u8 = 1;
// @ts-ignore: decorator
@inline export const iAsBx: u8 = 2;
// @ts-ignore: decorator
@inline export const iAx: u8 = 3;
// @ts-ignore: decorator
@inline export const isJ: u8 = 4;

/**
 * opmode bits as lopcodes.c: bits 0-2 format; bit 3 sets A; bit 4 is a test (next instr is a jump);
 * bit 5 uses L->top set by previous instruction (B == 0); bit 6 sets L->top for next (C == 0);
 * bit 7 is an MM instruction (call a metamethod).
 */
const opmodes: usize = memory.data<u8>([
  // MM OT IT T A mode
  0x08 | 0, 0x08 | 2, 0x08 | 2, 0x08 | 1, 0x08 | 1, 0x08, 0x08, 0x08, 0x08,  // MOVE..LOADNIL
  0x08, 0x00, 0x08, 0x08, 0x08, 0x08,                                           // GETUPVAL..GETFIELD
  0x00, 0x00, 0x00, 0x00, 0x08, 0x08,                                           // SETTABUP..SELF
  0x08, 0x08, 0x08, 0x08, 0x08, 0x08, 0x08, 0x08, 0x08, 0x08, 0x08, 0x08, 0x08,  // ADDI..SHLI
  0x08, 0x08, 0x08, 0x08, 0x08, 0x08, 0x08, 0x08, 0x08, 0x08, 0x08, 0x08,        // ADD..SHR
  0x80, 0x80, 0x80,                                                             // MMBIN..MMBINK
  0x08, 0x08, 0x08, 0x08, 0x08, 0x00, 0x00, 0x4,                                 // UNM..JMP (JMP isJ)
  0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x18,              // EQ..TESTSET
  0x68, 0x68, 0x20, 0x00, 0x00,                                                 // CALL..RETURN1
  0x08 | 1, 0x08 | 1, 0x00 | 1, 0x00, 0x08 | 1,                                 // FORLOOP..TFORLOOP
  0x20, 0x08 | 1, 0x48, 0x28, 0x00 | 3,                                         // SETLIST..EXTRAARG
]);
// @ts-ignore: decorator
@inline export function getOpMode(op: i32): u8 { return load<u8>(opmodes + <usize>op) & 7; }
// @ts-ignore: decorator
@inline export function testAMode(op: i32): bool { return (load<u8>(opmodes + <usize>op) & 0x08) != 0; }
// @ts-ignore: decorator
@inline export function testTMode(op: i32): bool { return (load<u8>(opmodes + <usize>op) & 0x10) != 0; }
// @ts-ignore: decorator
@inline export function testITMode(op: i32): bool { return (load<u8>(opmodes + <usize>op) & 0x20) != 0; }
// @ts-ignore: decorator
@inline export function testOTMode(op: i32): bool { return (load<u8>(opmodes + <usize>op) & 0x40) != 0; }
// @ts-ignore: decorator
@inline export function testMMMode(op: i32): bool { return (load<u8>(opmodes + <usize>op) & 0x80) != 0; }

/** Opcode names for listings (ORDER OP). Managed strings: only the listing/debug code reads them. */
export const opnames: string[] = [
  "MOVE", "LOADI", "LOADF", "LOADK", "LOADKX", "LOADFALSE", "LFALSESKIP", "LOADTRUE", "LOADNIL",
  "GETUPVAL", "SETUPVAL", "GETTABUP", "GETTABLE", "GETI", "GETFIELD", "SETTABUP", "SETTABLE", "SETI",
  "SETFIELD", "NEWTABLE", "SELF", "ADDI", "ADDK", "SUBK", "MULK", "MODK", "POWK", "DIVK", "IDIVK",
  "BANDK", "BORK", "BXORK", "SHRI", "SHLI", "ADD", "SUB", "MUL", "MOD", "POW", "DIV", "IDIV", "BAND",
  "BOR", "BXOR", "SHL", "SHR", "MMBIN", "MMBINI", "MMBINK", "UNM", "BNOT", "NOT", "LEN", "CONCAT",
  "CLOSE", "TBC", "JMP", "EQ", "LT", "LE", "EQK", "EQI", "LTI", "LEI", "GTI", "GEI", "TEST", "TESTSET",
  "CALL", "TAILCALL", "RETURN", "RETURN0", "RETURN1", "FORLOOP", "FORPREP", "TFORPREP", "TFORCALL",
  "TFORLOOP", "SETLIST", "CLOSURE", "VARARG", "VARARGPREP", "EXTRAARG",
];
