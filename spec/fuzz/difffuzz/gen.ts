// gen.ts - the random Lua program generator of the differential fuzzer (targets/difffuzz.ts).
// A program is a prelude (the value printer D and P) plus random statements built from a small
// typed grammar: integer/float/string/boolean/table expressions with their edge values, metatables,
// closures and upvalues, varargs, goto, loops, the string/table/math/utf8 libraries, pcall/error
// probes and load() of mutated source.
// Invariants: the same (seed, index) always gives the same program; every program terminates
// (loops have constant trip counts, recursion is bounded by a constant) and prints only
// deterministic text (never an address, a time, or a hash-order traversal: D sorts keys).
// Left out on purpose (implementation-defined or machine-dependent, so not a conformance signal):
// the last bits of libm results (sin, cos, ... go through R: ours are within 1 ulp of glibc's but
// not always equal), '#' of tables with holes beyond what lua5.4's luaH_getn fixes, math.random
// without a seed, sizes that make lua5.4 allocate gigabytes, and depths within a few levels of
// LUAI_MAXCCALLS (the harness around a program adds C levels).

/** sfc32: a small, fast PRNG with a 128-bit state; deterministic across platforms. */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  constructor(seed: number, stream: number) {
    this.a = seed >>> 0;
    this.b = stream >>> 0;
    this.c = 0x9e3779b9;
    this.d = 1;
    for (let i = 0; i < 15; i++) this.next();
  }
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }
  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor((this.next() / 4294967296) * n);
  }
  /** Integer in [lo, hi]. */
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }
  chance(p: number): boolean {
    return this.next() / 4294967296 < p;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)];
  }
}

/**
 * The prelude every program starts with: D renders any value deterministically, P prints D of each
 * argument, R rounds a float to 12 significant digits (for results of libm functions, see fltExpr).
 */
export const PRELUDE = [
  `local D, P, R`,
  `do local function kless(a, b) local ta, tb = type(a), type(b) if ta ~= tb then return ta < tb end if ta == "number" or ta == "string" then return a < b end if ta == "boolean" then return not a and b end return false end`,
  `function D(v, d) local tv = type(v) d = d or 0 if tv == "string" then return string.format("%q", v) elseif tv == "function" or tv == "thread" or tv == "userdata" then return tv elseif tv ~= "table" then return tostring(v) end`,
  `if d > 2 then return "{...}" end local ks, other = {}, 0 for k in next, v do local tk = type(k) if tk == "number" or tk == "string" or tk == "boolean" then ks[#ks + 1] = k else other = other + 1 end end table.sort(ks, kless)`,
  `local o = {} for i, k in ipairs(ks) do o[i] = (type(k) == "string" and k:match("^[%a_][%w_]*$") and k or "[" .. D(k, 9) .. "]") .. "=" .. D(rawget(v, k), d + 1) end`,
  `if other > 0 then o[#o + 1] = "+" .. other end return "{" .. table.concat(o, ",") .. "}" .. (getmetatable(v) ~= nil and "@" or "") end`,
  `function P(...) local n, o = select("#", ...), {} for i = 1, n do o[i] = D((select(i, ...))) end print(n .. ":", table.concat(o, " ")) end`,
  `function R(x) local y = tonumber(string.format("%.12g", x)) if y then return y end return x end end`,
].join("\n");

/** Global names programs assign (the runners remove every global a program added before the next one). */
export const GLOBALS = ["G1", "G2", "G3", "G4"];

type Ty = "int" | "flt" | "num" | "str" | "bool" | "tab" | "obj" | "fn" | "any";
interface Expr {
  s: string;
  p: number;
} // source text and its precedence (ATOM when it needs no parens)
interface Var {
  name: string;
  ty: Ty;
  konst: boolean;
  shows?: boolean;
} // shows: an obj whose tostring is not an address

const ATOM = 100;
const INTS = [
  "0",
  "1",
  "2",
  "3",
  "5",
  "7",
  "10",
  "100",
  "255",
  "256",
  "1000",
  "0x7f",
  "0xff",
  "0x10",
  "65536",
  "2147483647",
  "4294967296",
  "123456789",
  "9007199254740993",
  "4611686018427387904",
  "0x7fffffffffffffff",
  "0xffffffffffffffff",
  "0x8000000000000000",
  "9223372036854775807",
  "math.maxinteger",
  "math.mininteger",
];
const NEG_INTS = ["-1", "-7", "-1000", "-2147483648", "-9007199254740993"];
const FLTS = [
  "0.0",
  "1.0",
  "0.5",
  "1.5",
  "2.5",
  "3.14159",
  "0.1",
  "0.2",
  "1e10",
  "1e14",
  "1e15",
  "1e16",
  "1e100",
  "1e308",
  "1e-300",
  "5e-324",
  "123456.789",
  "100.0",
  "1e-5",
  "0x1p4",
  "0x.8p1",
  "0x1.8p1",
  "0xA.8p0",
  "9223372036854775808",
  "math.huge",
  "math.pi",
  "4503599627370496.5",
  "2.0^53",
  "3e-7",
];
const NEG_FLTS = ["-0.0", "-1.0", "-0.5", "-2.5", "-1e308", "-math.huge", "-9223372036854775808", "-2.0^63"];
const FLT_EXPRS = [
  "(1/0)",
  "(-1/0)",
  "(0.1+0.2)",
  "(1/3)",
  "(2^53)",
  "(2^63)",
  "(2^64)",
  "(2^53+1)",
  "(2^-1074)",
  "(1e300*1e10)",
];
/** NaNs of both signs (their sign shows in tostring): only with the `nans` option (jitdiff). */
const NAN_EXPRS = ["(0/0)", "(-(0/0))"];
const STRS = [
  "",
  "a",
  "abc",
  "hello",
  "Hello World",
  "  padded  ",
  "10",
  "0x10",
  "  42  ",
  "3.5",
  "1e2",
  "-7",
  "inf",
  "nan",
  "0x1p4",
  "abc123",
  "a,b,,c",
  "x=1, y=2",
  "\0",
  "a\0b",
  "\xff\xfe",
  "H\u00e9llo",
  "line1\nline2",
  "tab\there",
  "%d",
  "%",
  "[]",
  "((a))",
  "the quick brown fox",
  "aaa",
  "1 2 3",
  "key=value",
  "192.168.0.1",
  " ",
  "\\",
  '"q"',
  "'s'",
  "0x",
  "1e",
  ".5",
  "5.",
  "0x.8p1",
  "10 ",
  "9223372036854775808",
  "-0",
  "1e500",
  "0b1",
  "  0x1F  ",
];
const NUMSTRS = [
  "10",
  "0x10",
  "  42  ",
  "3.5",
  "1e2",
  "-7",
  "0x1p4",
  ".5",
  "5.",
  "-0",
  "1e500",
  "  0x1F  ",
  "9223372036854775808",
];
const PATS = [
  "%d+",
  "%a+",
  "(%w+)=(%w+)",
  "^%s*(.-)%s*$",
  "%s",
  ".",
  "..",
  "a*",
  "a-",
  "a?b",
  "[%a_][%w_]*",
  "[^,]*",
  "()",
  "()a()",
  "(a)(b*)",
  "%b()",
  "%f[%w]%w+",
  "(%d)(%d)",
  "(.)%1",
  "[%d%.]+",
  "%x+",
  "[a-c]+",
  "l+",
  "o",
  "%.",
  "%%",
  "^a",
  "b$",
  "[]]",
  "[^]]",
  "%u%l*",
  "%p",
  "%c",
  "%g+",
  "x*$",
  "[%z]",
  "%w-%s",
  "^(%a+)",
  "(h)(e)(l)",
];
const BAD_PATS = ["%", "[a", "(", "%b", "%f", "(()", "%1", "[%", "a)", "%g("];
const BINOPS_INT = ["+", "-", "*", "//", "%", "&", "|", "~", "<<", ">>"];
const BINOPS_NUM = ["+", "-", "*", "/", "//", "%", "^"];
const PREC: Record<string, number> = {
  or: 1,
  and: 2,
  "<": 3,
  ">": 3,
  "<=": 3,
  ">=": 3,
  "~=": 3,
  "==": 3,
  "|": 4,
  "~": 5,
  "&": 6,
  "<<": 7,
  ">>": 7,
  "..": 9,
  "+": 10,
  "-": 10,
  "*": 11,
  "/": 11,
  "//": 11,
  "%": 11,
  "^": 14,
};
const UNARY = 12;

/** Lua source for a string literal, in one of several quoting styles. */
export function luaString(s: string, rng: Rng): string {
  const style = rng.int(4);
  if (style === 0 && !/[^\x20-\x5c\x5e-\x7e]/.test(s) && !s.endsWith("]")) return `[[${s}]]`;
  const q = style === 1 ? "'" : '"';
  let out = "";
  for (const ch of s) {
    const c = ch.charCodeAt(0);
    if (ch === q || ch === "\\") out += "\\" + ch;
    else if (ch === "\n") out += rng.chance(0.5) ? "\\n" : "\\\n";
    else if (ch === "\t") out += "\\t";
    else if (c === 0) out += rng.chance(0.5) ? "\\000" : "\\x00";
    else if (c >= 0x80 && c < 0x100) out += `\\x${c.toString(16)}`;
    else if (c >= 0x100) out += `\\u{${c.toString(16)}}`;
    else if (c < 32 || c === 127) out += `\\${String(c).padStart(3, "0")}`;
    else if (style === 3 && /[a-z]/.test(ch) && rng.chance(0.1)) out += `\\${String(c).padStart(3, "0")}`;
    else out += ch;
  }
  return q + out + q;
}

/** One program generator: call program() once. */
/** Generator options; none changes the programs of a seed when left out (difffuzz's expected outputs). */
export interface GenOptions {
  /** Float operands are sometimes NaNs (differences in a NaN's sign or choice show in tostring). */
  nans?: boolean;
}

export class Gen {
  private lines: string[] = [];
  private ind = "";
  private scopes: Var[][] = [[]];
  private nameCount = 0;
  private loopDepth = 0; // > 0: break is allowed
  private fnDepth = 0;
  private vararg = true; // the main chunk is vararg
  private budget: number; // statements left
  private metaCount = 0;

  constructor(
    private readonly rng: Rng,
    private readonly options: GenOptions = {},
  ) {
    this.budget = rng.range(8, 40);
  }

  program(): string {
    this.emit(PRELUDE);
    const r = this.rng;
    if (r.chance(0.3)) this.emit(`${r.pick(GLOBALS)} = ${this.expr(r.pick(["int", "str", "flt"] as Ty[]), 2).s}`);
    while (this.budget > 0) this.stmt(0);
    if (r.chance(0.12))
      this.emit(this.riskyStmt()); // an uncaught error at the top level
    else if (r.chance(0.1)) this.emit(`return ${this.expr("any", 2).s}`);
    // sometimes other newline conventions: the lexer counts "\r\n", "\n\r" and "\r" as one line
    const nl = r.chance(0.9) ? "\n" : r.pick(["\r\n", "\n\r", "\r"]);
    return this.lines.join("\n").replace(/\n/g, nl) + nl;
  }

  // ==== bookkeeping ====

  private emit(line: string): void {
    this.lines.push(this.ind + line);
  }
  private fresh(prefix = "v"): string {
    return `${prefix}${++this.nameCount}`;
  }
  private declare(name: string, ty: Ty, konst = false): void {
    this.scopes[this.scopes.length - 1].push({ name, ty, konst });
  }
  /** Visible variables (an inner declaration hides an outer one of the same name) that satisfy pred. */
  private vars(pred: (v: Var) => boolean): Var[] {
    const out: Var[] = [];
    const seen = new Set<string>();
    for (let i = this.scopes.length - 1; i >= 0; i--) {
      const s = this.scopes[i];
      for (let j = s.length - 1; j >= 0; j--) {
        const v = s[j];
        if (seen.has(v.name)) continue;
        seen.add(v.name);
        if (pred(v)) out.push(v);
      }
    }
    return out;
  }
  /** Generates text that will sit inside a non-vararg function: no '...' there. */
  private noVa<T>(f: () => T): T {
    const saved = this.vararg;
    this.vararg = false;
    try {
      return f();
    } finally {
      this.vararg = saved;
    }
  }
  private varOf(ty: Ty): Var | null {
    const vs = this.vars((v) => v.ty === ty || (ty === "num" && (v.ty === "int" || v.ty === "flt")) || ty === "any");
    return vs.length ? this.rng.pick(vs) : null;
  }
  private block(body: () => void): void {
    this.scopes.push([]);
    const saved = this.ind;
    this.ind += "  ";
    body();
    this.ind = saved;
    this.scopes.pop();
  }
  private stmts(n: number, depth: number): void {
    for (let i = 0; i < n && this.budget > 0; i++) this.stmt(depth);
  }

  // ==== expressions ====

  private paren(e: Expr, min: number): string {
    return e.p >= min ? e.s : `(${e.s})`;
  }
  /** A binary expression; parentheses are left out only where precedence makes them redundant. */
  private bin(a: Expr, op: string, b: Expr): Expr {
    const p = PREC[op];
    const right = op === ".." || op === "^";
    const drop = this.rng.chance(0.6);
    const l = drop ? this.paren(a, right ? p + 1 : p) : `(${a.s})`;
    const rr = drop ? this.paren(b, right ? p : p + 1) : `(${b.s})`;
    return { s: `${l} ${op} ${rr}`, p };
  }
  private un(op: string, a: Expr): Expr {
    const inner = this.paren(a, UNARY);
    return {
      s: op === "not" ? `not ${inner}` : `${op}${inner.startsWith("-") || inner.startsWith("~") ? " " : ""}${inner}`,
      p: UNARY,
    };
  }
  private atom(s: string): Expr {
    return { s, p: ATOM };
  }
  private lit(s: string): Expr {
    return { s, p: s.startsWith("-") ? UNARY : /[\^/+*]/.test(s) && !s.startsWith("(") ? 11 : ATOM };
  }
  private str(): Expr {
    return this.atom(luaString(this.rng.pick(STRS), this.rng));
  }
  private pat(): Expr {
    return this.atom(luaString(this.rng.pick(PATS), this.rng));
  }

  expr(ty: Ty, depth: number): Expr {
    const r = this.rng;
    if (depth <= 0 || r.chance(0.25)) {
      const v = r.chance(0.55) ? this.varOf(ty) : null;
      if (v) return this.atom(v.name);
      return this.leaf(ty);
    }
    switch (ty) {
      case "int":
        return this.intExpr(depth - 1);
      case "flt":
        return this.fltExpr(depth - 1);
      case "num":
        return r.chance(0.5)
          ? this.intExpr(depth - 1)
          : r.chance(0.5)
            ? this.fltExpr(depth - 1)
            : this.bin(this.expr("num", depth - 1), r.pick(BINOPS_NUM), this.expr("num", depth - 1));
      case "str":
        return this.strExpr(depth - 1);
      case "bool":
        return this.boolExpr(depth - 1);
      case "tab":
        return this.tabExpr(depth - 1);
      case "obj":
        return this.leaf("obj");
      case "fn":
        return this.fnExpr(depth - 1);
      default:
        return this.expr(r.pick(["int", "flt", "str", "bool", "tab", "num"] as Ty[]), depth);
    }
  }

  private leaf(ty: Ty): Expr {
    const r = this.rng;
    switch (ty) {
      case "int":
        return r.chance(0.2)
          ? this.lit(r.pick(NEG_INTS))
          : this.lit(r.chance(0.5) ? String(r.range(0, 20)) : r.pick(INTS));
      case "flt":
        if (this.options.nans && r.chance(0.08)) return this.atom(r.pick(NAN_EXPRS));
        return r.chance(0.2)
          ? this.lit(r.pick(NEG_FLTS))
          : r.chance(0.2)
            ? this.atom(r.pick(FLT_EXPRS))
            : this.lit(r.pick(FLTS));
      case "num":
        return this.leaf(r.chance(0.5) ? "int" : "flt");
      case "str":
        return this.str();
      case "bool":
        return this.atom(r.pick(["true", "false"]));
      case "tab":
        return this.atom(`{${Array.from({ length: r.int(5) }, () => this.expr("int", 0).s).join(", ")}}`);
      case "obj": {
        const v = this.varOf("obj");
        return v ? this.atom(v.name) : this.atom("{v = 1}");
      }
      case "fn":
        return this.atom(
          r.pick(["math.abs", "math.tointeger", "function(x) return x end", "function(x) return x * 2 end"]),
        );
      default:
        return this.leaf(r.pick(["int", "flt", "str", "bool", "tab"] as Ty[]));
    }
  }

  private intExpr(d: number): Expr {
    const r = this.rng;
    const I = () => this.expr("int", d);
    switch (r.int(22)) {
      case 0:
      case 1:
      case 2: {
        const op = r.pick(BINOPS_INT);
        if (op === "//" || op === "%") return this.bin(I(), op, { s: `(${this.paren(I(), 4)} | 1)`, p: ATOM });
        return this.bin(I(), op, I());
      }
      case 3:
        return this.un(r.pick(["-", "~"]), I());
      case 4:
        return this.un("#", this.expr("str", d));
      case 5:
        return this.atom(`math.tointeger(${this.expr("flt", d).s} // 1) or ${r.range(0, 9)}`.replace(/^(.*)$/, "($1)"));
      case 6:
        return this.atom(`math.${r.pick(["floor", "ceil"])}(${this.expr("num", d).s} % 1e6)`);
      case 7:
        return this.atom(`math.${r.pick(["max", "min"])}(${I().s}, ${I().s}${r.chance(0.5) ? ", " + I().s : ""})`);
      case 8:
        return this.atom(`(${this.expr("str", d).s}):len()`);
      case 9:
        return this.atom(`(string.byte(${this.expr("str", d).s}, ${r.range(-3, 4)}) or -1)`);
      case 10:
        return this.atom(`select(${['"#"', "'#'"][this.rng.int(2)]}${this.args(d).replace(/^(?=.)/, ", ")})`);
      case 11:
        return this.atom(
          `(string.find(${this.expr("str", d).s}, ${this.pat().s}${r.chance(0.5) ? ", " + r.range(-5, 6) : ""}) or 0)`,
        );
      case 12:
        return this.atom(`#${this.paren(this.expr("tab", d), UNARY)}`);
      case 13:
        return this.atom(`(${this.expr("bool", d).s} and ${I().s} or ${I().s})`);
      case 14: {
        const v = this.varOf("fn");
        return v ? this.atom(`${v.name}(${I().s})`) : this.atom(`math.abs(${I().s})`);
      }
      case 15: {
        const v = this.varOf("tab");
        return this.atom(`(math.tointeger((${v ? v.name : this.expr("tab", d).s})[ ${I().s} ]) or 0)`);
      }
      case 16:
        return this.atom(
          `(tonumber(${luaString(r.pick(["10", "0x1F", " -5 ", "077", "zz", "7fffffffffffffff", "1e1"]), r)}${r.chance(0.5) ? ", " + r.pick(["10", "16", "36", "8", "2"]) : ""}) or -2) // 1`.replace(
            /^(.*)$/,
            "($1)",
          ),
        );
      case 17:
        return this.atom(`utf8.len(${this.expr("str", d).s}) or -3`.replace(/^(.*)$/, "($1)"));
      case 18: {
        const v = this.varOf("obj");
        return v ? this.atom(`rawget(${v.name}, "v")`) : I();
      }
      case 19:
        return this.atom(`(math.ult(${I().s}, ${I().s}) and 1 or 0)`);
      case 20:
        return this.atom(`(string.unpack("<i8", string.pack("<i8", ${I().s})))`);
      default:
        return this.atom(`(${I().s})`);
    }
  }

  private fltExpr(d: number): Expr {
    const r = this.rng;
    const N = () => this.expr("num", d);
    switch (r.int(10)) {
      case 0:
      case 1:
        return this.bin(N(), "/", N());
      case 2:
        return this.bin(this.expr("flt", d), r.pick(["+", "-", "*", "//", "%"]), N());
      case 3:
        return this.bin(N(), "^", this.lit(r.pick(["2", "0.5", "-1", "3", "0", "-0.5"])));
      case 4: {
        // transcendental results go through R (12 significant digits): our sin/cos/tan/asin/acos
        // differ from glibc's in the last bit for a few percent of arguments (exp/log/atan/pow rarely)
        const f = r.pick([
          "sqrt",
          "abs",
          "exp",
          "sin",
          "cos",
          "log",
          "floor",
          "ceil",
          "fmod",
          "modf",
          "atan",
          "tan",
          "asin",
          "acos",
        ]);
        const call = `math.${f}(${N().s}${r.chance(0.3) ? ", " + this.expr("num", 0).s : ""})`;
        return this.atom(
          ["exp", "sin", "cos", "log", "atan", "tan", "asin", "acos"].includes(f)
            ? `(R(${call}) + 0.0)`
            : `(${call} + 0.0)`,
        );
      }
      case 5:
        return this.bin(N(), "+", this.lit("0.0"));
      case 6:
        return this.atom(`(tonumber(${luaString(r.pick(NUMSTRS), r)}) or 0.25) + 0.0`.replace(/^(.*)$/, "($1)"));
      case 7:
        return this.un("-", this.expr("flt", d));
      case 8:
        return this.atom(`(${N().s}) * 1.0`);
      default:
        return this.atom(`(string.unpack("<d", string.pack("<d", ${N().s})))`);
    }
  }

  private strExpr(d: number): Expr {
    const r = this.rng;
    const S = () => this.expr("str", d);
    const I = () => this.expr("int", d);
    const small = () => String(r.range(-4, 6));
    switch (r.int(22)) {
      case 0:
      case 1:
        return this.bin(S(), "..", r.chance(0.7) ? S() : this.expr("num", d));
      case 2:
        return this.atom(`(${S().s}):${r.pick(["upper", "lower", "reverse"])}()`);
      case 3:
        return this.atom(`(${S().s}):rep(${r.range(0, 3)}${r.chance(0.4) ? ", " + S().s : ""})`);
      case 4:
        return this.atom(
          `string.sub(${S().s}, ${r.chance(0.5) ? small() : I().s}${r.chance(0.6) ? ", " + (r.chance(0.5) ? small() : I().s) : ""})`,
        );
      case 5:
        return this.atom(`tostring(${this.expr(r.pick(["int", "flt", "bool", "num"] as Ty[]), d).s})`);
      case 6:
        return this.atom(`string.char(${Array.from({ length: r.int(4) }, () => String(r.int(256))).join(", ")})`);
      case 7: {
        const v = this.varOf("tab");
        return this.atom(`table.concat(${v ? v.name : this.expr("tab", d).s}, ${S().s})`);
      }
      case 8:
        return this.atom(
          `(string.gsub(${S().s}, ${this.pat().s}, ${this.repl(d)}${r.chance(0.3) ? ", " + r.range(0, 3) : ""}))`,
        );
      case 9:
        return this.atom(`(string.match(${S().s}, ${this.pat().s}${r.chance(0.3) ? ", " + small() : ""}) or "none")`);
      case 10:
        return this.atom(this.format(d));
      case 11:
        return this.atom(`string.format("%q", ${this.expr(r.pick(["int", "flt", "str"] as Ty[]), d).s})`);
      case 12:
        return this.atom(`type(${this.expr("any", d).s})`);
      case 13:
        return this.atom(`tostring(math.type(${this.expr("any", d).s}))`);
      case 14:
        return this.atom(
          `utf8.char(${Array.from({ length: r.range(1, 3) }, () => String(r.pick([65, 0x48, 0xe9, 0x20ac, 0x10ffff, 0x7ff, 0x800, r.int(0x3000)]))).join(", ")})`,
        );
      case 15: {
        const v = this.vars((x) => x.ty === "obj" && x.shows === true)[0];
        return v ? this.atom(`tostring(${v.name})`) : S();
      }
      case 16: {
        const v = this.varOf("obj");
        return v ? this.bin(this.atom(v.name), "..", S()) : S();
      }
      case 17:
        return this.bin(this.expr("num", d), "..", this.lit(luaString(r.pick(["", "x", " "]), r)));
      case 18:
        return this.atom(`(${S().s} < ${S().s} and "lt" or "ge")`);
      case 19:
        return this.atom(
          `string.format("%s|%s", string.unpack("z", ${luaString("ab\0cd", r)}), select("#", string.byte(${S().s}, 1, -1)))`,
        );
      default:
        return this.atom(`(${S().s})`);
    }
  }

  private boolExpr(d: number): Expr {
    const r = this.rng;
    switch (r.int(9)) {
      case 0:
      case 1: {
        const ty = r.pick(["num", "num", "str", "int", "flt"] as Ty[]);
        return this.bin(this.expr(ty, d), r.pick(["<", ">", "<=", ">=", "==", "~="]), this.expr(ty, d));
      }
      case 2:
        return this.bin(this.expr("any", d), r.pick(["==", "~="]), this.expr("any", d));
      case 3:
        return this.un("not", this.expr("any", d));
      case 4:
        return this.bin(this.expr("bool", d), r.pick(["and", "or"]), this.expr("bool", d));
      case 5:
        return this.bin(
          this.bin(this.expr("num", d), r.pick(["<", "<="]), this.expr("num", d)),
          r.pick(["==", "~="]),
          this.bin(this.expr("num", d), r.pick([">", ">="]), this.expr("num", d)),
        );
      case 6:
        return this.atom(`rawequal(${this.expr("any", d).s}, ${this.expr("any", d).s})`);
      case 7: {
        const v = this.varOf("obj");
        return v
          ? this.bin(
              this.atom(v.name),
              r.pick(["<", "<=", "==", "~="]),
              r.chance(0.5) ? this.atom(v.name) : this.leaf("obj"),
            )
          : this.leaf("bool");
      }
      default:
        return this.atom(`(string.find(${this.expr("str", d).s}, ${this.pat().s}) ~= nil)`);
    }
  }

  private tabExpr(d: number): Expr {
    const r = this.rng;
    switch (r.int(5)) {
      case 0:
        return this.atom(`table.pack(${this.args(d)})`);
      case 1: {
        const items: string[] = [];
        for (let i = r.int(6); i > 0; i--) {
          const k = r.int(4);
          if (k === 0) items.push(`${this.fresh("k")} = ${this.expr("any", d).s}`);
          else if (k === 1)
            items.push(`[ ${this.expr(r.pick(["int", "str", "flt"] as Ty[]), d).s} ] = ${this.expr("int", d).s}`);
          else items.push(this.expr("int", d).s);
        }
        const last = r.chance(0.2) && this.vararg ? ["..."] : [];
        return this.atom(`{${[...items, ...last].join(r.pick([", ", "; "]))}}`);
      }
      case 2:
        return this.atom(`{${Array.from({ length: r.int(6) }, () => this.expr("int", d).s).join(", ")}}`);
      case 3: // (at most 64 bytes: a loop that makes t = {string.byte(table.concat(t, ...), 1, -1)} must not grow t exponentially)
        return this.atom(`{string.byte(${this.expr("str", d).s}, 1, 64)}`);
      default:
        return this.atom(`{(${this.expr("str", d).s}):find(${this.pat().s})}`);
    }
  }

  private fnExpr(d: number): Expr {
    const a = this.fresh("a");
    this.scopes.push([{ name: a, ty: "int", konst: false }]);
    const body = this.noVa(() => this.expr("int", d).s);
    this.scopes.pop();
    return this.atom(`function(${a}) return ${body} end`);
  }

  private args(d: number): string {
    const r = this.rng;
    const xs = Array.from({ length: r.int(4) }, () => this.expr(r.chance(0.2) ? "any" : "int", d).s);
    if (r.chance(0.2)) xs.push("nil");
    if (this.vararg && r.chance(0.2)) xs.push("...");
    return xs.join(", ");
  }

  private repl(d: number): string {
    const r = this.rng;
    switch (r.int(4)) {
      case 0:
        return luaString(r.pick(["<%0>", "%1", "%%", "x", "[%1|%2]", ""]), r);
      case 1:
        return `{a = "A", b = 1, h = false, [ ${luaString("1", r)} ] = "one"}`;
      case 2:
        return `function(c, ...) return ${r.pick(["nil", "false", "c .. c", "#c", "select('#', ...)", "c:upper()"])} end`;
      default:
        return this.expr("str", d).s;
    }
  }

  /** string.format with a well-typed random spec. */
  private format(d: number): string {
    const r = this.rng;
    const specs: string[] = [];
    const args: string[] = [];
    for (let i = r.range(1, 3); i > 0; i--) {
      const conv = r.pick(["d", "i", "x", "X", "o", "c", "e", "E", "f", "F", "g", "G", "a", "A", "s", "q", "%"]);
      let flags = "";
      for (const f of "-+ #0") if (r.chance(0.12)) flags += f;
      const width = r.chance(0.4) ? String(r.int(20)) : "";
      const prec = r.chance(0.4) && !"cq".includes(conv) ? "." + r.int(20) : "";
      if (conv === "q" || conv === "%") {
        specs.push("%" + conv);
        if (conv === "q") args.push(this.expr(r.pick(["int", "flt", "str"] as Ty[]), d).s);
        continue;
      }
      if ("dixXo".includes(conv) && flags.includes("#") && conv !== "x" && conv !== "X" && conv !== "o")
        flags = flags.replace("#", "");
      specs.push("%" + flags + width + prec + conv);
      if ("dixXo".includes(conv)) args.push(this.expr("int", d).s);
      else if (conv === "c") args.push(String(r.range(32, 126)));
      else if (conv === "s") args.push(this.expr(r.pick(["str", "int", "flt"] as Ty[]), d).s);
      else args.push(this.expr("num", d).s);
    }
    const fmt = specs.join(r.pick(["", " ", "|", "-"]));
    return `string.format(${JSON.stringify(fmt)}${args.map((a) => ", " + a).join("")})`;
  }

  // ==== statements ====

  private stmt(depth: number): void {
    this.budget--;
    const r = this.rng;
    const k = r.int(depth > 2 ? 14 : 57);
    switch (k) {
      case 0:
      case 1:
      case 2:
        return this.localDecl();
      case 3:
      case 4:
        return this.printStmt();
      case 5:
        return this.assign();
      case 6:
        return this.ifStmt(depth);
      case 7:
        return this.numFor(depth);
      case 8:
        return this.probe();
      case 9:
        return this.probe();
      case 10:
        return this.tableOps();
      case 11:
        return this.stringOps();
      case 12:
        return this.emit(
          `io.write(${Array.from({ length: r.range(1, 3) }, () => this.expr(r.pick(["str", "int", "flt"] as Ty[]), 2).s).join(", ")}, "\\n")`,
        );
      case 13:
        return this.probe();
      case 14:
        return this.whileStmt(depth);
      case 15:
        return this.repeatStmt(depth);
      case 16:
        return this.genericFor(depth);
      case 17:
        return this.funcDecl(depth);
      case 18:
        return this.closureCounter();
      case 19:
        return this.metaObject();
      case 20:
        return this.metaObject();
      case 21:
        return this.varargFn();
      case 22:
        return this.gotoStmt(depth);
      case 23:
        return this.errorProbe();
      case 24:
        return this.loadProbe();
      case 25:
        return this.loadProbe();
      case 26:
        return this.tbcStmt(depth);
      case 27:
        return this.coroutineStmt();
      case 28:
        return this.edgeArith();
      case 29:
        return this.edgeArith();
      case 30:
        return this.coercions();
      case 31:
        return this.doBlock(depth);
      case 32:
        return this.recursion();
      case 33:
        return this.loopClosures();
      case 34:
        return this.indexChain();
      case 35:
        return this.globalStmt();
      case 36:
        return this.methodCall();
      case 37:
        return this.multiAssign();
      case 38:
        return this.formatStmt();
      case 39:
      case 40:
      case 41:
        return this.errorSite();
      case 42:
        return this.randomNumbers();
      case 43:
        return this.randomNumbers();
      case 44:
        return this.randomPattern();
      case 45:
        return this.randomBytes();
      case 46:
        return this.packStmt();
      case 47:
        return this.coroutine2();
      case 48:
        return this.multret();
      case 49:
      case 50:
        return this.constOperands();
      case 51:
        return this.sharedUpvalues();
      case 52:
        return this.concatChain();
      // slow statements (~0.1 s in lua5.4) only at the top level, never repeated by a loop or a function
      case 54:
        return this.loopDepth === 0 && this.fnDepth === 0 && depth === 0 ? this.bigStrings() : this.printStmt();
      case 55:
        return this.loopDepth === 0 && this.fnDepth === 0 && depth === 0 ? this.limits() : this.printStmt();
      case 56:
        return this.emit(
          r.pick([`--[==[ long\ncomment ]] ]=] ]==]`, `-- line comment ${r.int(100)}`, `--[[ short ]] ;`, `;`, `--`]),
        );
      case 53:
        return this.emit(
          `P(os.date("!%Y-%m-%d %H:%M:%S %j %a %b %p", ${r.range(-100000, 4e9)}), os.date("!*t", ${r.range(0, 4e9)}).yday, pcall(os.date, "%Ez", 0))`,
        );
      default:
        return this.printStmt();
    }
  }

  private localDecl(): void {
    const r = this.rng;
    const ty = r.pick(["int", "int", "flt", "num", "str", "str", "bool", "tab", "fn"] as Ty[]);
    const name = this.fresh();
    const attr = r.chance(0.15) ? " <const>" : "";
    const e = this.expr(ty, r.range(1, 3)).s;
    this.emit(`local ${name}${attr} = ${e}`);
    // a num-typed local may hold either subtype; later uses only need "a number"
    this.declare(name, ty, attr !== "");
  }

  private printStmt(): void {
    const r = this.rng;
    if (r.chance(0.5)) {
      const xs = Array.from(
        { length: r.range(1, 4) },
        () => this.expr(r.pick(["int", "flt", "num", "str", "bool"] as Ty[]), r.range(1, 3)).s,
      );
      this.emit(`print(${xs.join(", ")})`);
    } else {
      const xs = Array.from({ length: r.range(1, 3) }, () => this.expr("any", r.range(1, 3)).s);
      this.emit(`P(${xs.join(", ")})`);
    }
  }

  private assign(): void {
    // never a function variable: `f = function(x) return f(x) end` would be an endless tail call
    const cands = this.vars((x) => !x.konst && x.ty !== "obj" && x.ty !== "fn");
    const v = cands.length ? this.rng.pick(cands) : null;
    if (!v) return this.localDecl();
    if (v.ty === "tab" && this.rng.chance(0.6)) {
      const r = this.rng;
      this.emit(`${v.name}[ ${this.expr(r.pick(["int", "str"] as Ty[]), 1).s} ] = ${this.expr("int", 2).s}`);
      return;
    }
    // a string may grow by doubling in nested loops: keep it short
    this.emit(
      v.ty === "str" ? `${v.name} = (${this.expr(v.ty, 3).s}):sub(1, 100)` : `${v.name} = ${this.expr(v.ty, 3).s}`,
    );
  }

  private ifStmt(depth: number): void {
    const r = this.rng;
    this.emit(`if ${this.expr("bool", 2).s} then`);
    this.block(() => this.stmts(r.range(1, 3), depth + 1));
    for (let i = r.int(3); i > 0; i--) {
      this.emit(`elseif ${this.expr("bool", 2).s} then`);
      this.block(() => this.stmts(r.range(1, 2), depth + 1));
    }
    if (r.chance(0.5)) {
      this.emit("else");
      this.block(() => this.stmts(r.range(1, 2), depth + 1));
    }
    this.emit("end");
  }

  private loopBody(depth: number, extra?: () => void): void {
    this.loopDepth++;
    this.block(() => {
      extra?.();
      this.stmts(this.rng.range(1, 3), depth + 1);
      if (this.rng.chance(0.2)) this.emit(`if ${this.expr("bool", 1).s} then break end`);
    });
    this.loopDepth--;
  }

  private numFor(depth: number): void {
    const r = this.rng;
    const i = this.fresh("i");
    let head: string;
    switch (r.int(6)) {
      case 0:
        head = `${r.range(-3, 3)}, ${r.range(-3, 8)}`;
        break;
      case 1:
        head = `${r.range(5, 10)}, ${r.range(-2, 3)}, -${r.range(1, 3)}`;
        break;
      case 2:
        head = r.pick([
          "math.maxinteger - 2, math.maxinteger",
          "math.mininteger, math.mininteger + 2",
          "math.mininteger + 2, math.mininteger, -1",
          "math.maxinteger, math.maxinteger - 5, -2",
          "1, 3, math.maxinteger",
          "-1, -3, math.mininteger",
          "math.maxinteger - 1, 1e100",
          "1, 2.5",
        ]);
        break;
      case 3:
        head = r.pick([
          "0.1, 1, 0.25",
          "1, 0, -0.5",
          "1.0, 3",
          "0, 1, 0.1",
          "-1, 1, 0.5",
          "3, 1.5, -0.5",
          "1, 3.9",
          "2^53 - 3, 2^53 - 1",
          "-2^53, -2^53 + 1.5",
        ]);
        break;
      case 4:
        head = `1, ${r.chance(0.5) ? "#" + this.paren(this.expr("str", 1), UNARY) : `math.min(${this.expr("int", 1).s}, 6)`}`;
        break;
      default:
        head = `${r.range(0, 2)}, ${r.range(0, 4)}, ${r.range(1, 2)}`;
    }
    this.emit(`for ${i} = ${head} do`);
    this.loopBody(depth, () => {
      this.declare(i, "num", true);
      this.emit(`  io.write(${i}, " ")`);
    });
    this.emit(`end`);
    this.emit(`print()`);
  }

  private whileStmt(depth: number): void {
    const c = this.fresh("w");
    this.emit(`local ${c} = 0`);
    this.emit(`while ${c} < ${this.rng.range(0, 5)} do`);
    this.loopBody(depth, () => this.emit(`  ${c} = ${c} + 1`));
    this.emit(`end`);
    this.emit(`print("while", ${c})`);
  }

  private repeatStmt(depth: number): void {
    const c = this.fresh("r");
    const inner = this.fresh("u");
    this.emit(`local ${c} = 0`);
    this.emit(`repeat`);
    this.loopDepth++;
    this.block(() => {
      this.emit(`${c} = ${c} + 1`);
      this.emit(`local ${inner} = ${c} * 2`);
      this.stmts(this.rng.range(1, 2), depth + 1);
    });
    this.loopDepth--;
    this.emit(`until ${c} >= ${this.rng.range(1, 4)} or ${inner} > ${this.rng.range(2, 9)}`);
    this.emit(`print("repeat", ${c})`);
  }

  private genericFor(depth: number): void {
    const r = this.rng;
    const k = this.fresh("k"),
      v = this.fresh("x");
    switch (r.int(5)) {
      case 0:
        this.emit(`for ${k}, ${v} in ipairs(${this.expr("tab", 2).s}) do`);
        break;
      case 1:
        this.emit(
          `for ${k}, ${v} in (${luaString(r.pick(["a1b22c333", "key=value, k2=v2", "the quick brown fox", "1 2 3"]), r)}):gmatch(${this.pat().s}) do`,
        );
        break;
      case 2:
        this.emit(
          `for ${k}, ${v} in next, {${Array.from({ length: r.int(5) }, () => this.expr("int", 1).s).join(", ")}} do`,
        );
        break;
      case 3:
        this.emit(
          `for ${k}, ${v} in function(s, c) if c < ${r.range(0, 5)} then return c + 1, s end end, ${this.expr("int", 1).s}, 0 do`,
        );
        break;
      default:
        this.emit(`for ${k}, ${v} in utf8.codes(${luaString(r.pick(["abc", "H\u00e9llo", "\u20ac1", ""]), r)}) do`);
    }
    this.loopBody(depth, () => {
      this.declare(k, "any", true);
      this.emit(`  P(${k}, ${v})`);
    });
    this.emit("end");
  }

  private funcDecl(depth: number): void {
    const r = this.rng;
    const f = this.fresh("f");
    const a = this.fresh("a"),
      b = this.fresh("b");
    this.emit(`local function ${f}(${a}, ${b})`);
    const saved = [this.loopDepth, this.vararg] as const;
    this.loopDepth = 0;
    this.vararg = false;
    this.fnDepth++;
    this.block(() => {
      this.declare(a, "int");
      this.declare(b, "any");
      this.emit(`${a} = math.tointeger(${a}) or 0`);
      this.stmts(r.range(0, 2), depth + 2);
      this.emit(`return ${this.expr("int", 2).s}`);
    });
    this.loopDepth = saved[0];
    this.vararg = saved[1];
    this.fnDepth--;
    this.emit("end");
    this.declare(f, "fn");
    this.emit(`P(${f}(${this.expr("int", 1).s}, ${this.expr("any", 1).s}))`);
  }

  private closureCounter(): void {
    const r = this.rng;
    const mk = this.fresh("mk"),
      c = this.fresh("c");
    const step = this.noVa(() => this.expr("int", 1).s);
    this.emit(
      `local function ${mk}(n) local cnt = n return function(d) cnt = cnt + (d or ${step}) return cnt end, function() return cnt end end`,
    );
    this.emit(`local ${c}, ${c}g = ${mk}(${this.expr("int", 1).s})`);
    this.emit(`print(${c}(), ${c}(${r.range(-3, 3)}), ${c}g(), ${c}())`);
    this.declare(c, "fn");
  }

  private loopClosures(): void {
    const r = this.rng;
    const fs = this.fresh("fs");
    this.emit(`local ${fs} = {}`);
    this.emit(
      `for i = 1, ${r.range(1, 4)} do local j = i * ${r.range(1, 5)} ${fs}[i] = function(x) j = j + (x or 0) return i, j end end`,
    );
    this.emit(`for i = 1, #${fs} do P(${fs}[i](${r.range(0, 2)})) end`);
    this.emit(`P(${fs}[1](), ${fs}[1](1))`);
  }

  private recursion(): void {
    const r = this.rng;
    const f = this.fresh("rec");
    switch (r.int(3)) {
      case 0:
        this.emit(`local function ${f}(n) if n <= 1 then return 1 end return n * ${f}(n - 1) end`);
        break;
      case 1:
        this.emit(`local function ${f}(n) if n < 2 then return n end return ${f}(n - 1) + ${f}(n - 2) end`);
        break;
      default:
        this.emit(
          `local function ${f}(n, acc) acc = acc or 0 if n == 0 then return acc end return ${f}(n - 1, acc + n) end`,
        );
    }
    this.emit(`print(${f}(${r.range(0, 22)}), ${f}(${r.range(0, 10)}.0))`);
  }

  private varargFn(): void {
    const r = this.rng;
    const f = this.fresh("va");
    const body = r.pick([
      `return select("#", ...), ...`,
      `local t = table.pack(...) return t.n, #t, t[1], t[t.n]`,
      `return select(${r.pick(["-1", "2", "1", "-2", "3"])}, ...)`,
      `local a, b = ... return b, a`,
      `return table.unpack({...}, ${r.range(1, 3)}, ${r.range(0, 4)})`,
      `local s = 0 for i = 1, select("#", ...) do s = s + (tonumber((select(i, ...))) or 0) end return s`,
      `return ...`,
    ]);
    this.emit(`local function ${f}(...) ${body} end`);
    const call = () => {
      const a = this.args(1);
      return `pcall(${f}${a ? ", " + a : ""})`;
    }; // select(-n, ...) may raise
    this.emit(`P(${call()})`);
    this.emit(`P((select(2, ${call()})))`);
    this.emit(`P(select(2, ${call()}), ${this.expr("int", 1).s})`);
  }

  private gotoStmt(depth: number): void {
    const r = this.rng;
    const l = this.fresh("L"),
      c = this.fresh("g");
    if (r.chance(0.5)) {
      this.emit(`do local ${c} = 0`);
      this.emit(`::${l}::`);
      this.emit(`${c} = ${c} + 1`);
      this.block(() => this.stmts(1, depth + 1));
      this.emit(`if ${c} < ${r.range(1, 4)} then goto ${l} end print("goto", ${c}) end`);
    } else {
      this.emit(`for ${c} = 1, ${r.range(1, 5)} do`);
      this.loopDepth++;
      this.block(() => {
        this.emit(`if ${c} % ${r.range(2, 3)} == 0 then goto ${l} end`);
        this.stmts(1, depth + 1);
        this.emit(`io.write(${c}, ";")`);
      });
      this.loopDepth--;
      this.emit(`  ::${l}::`);
      this.emit("end print()");
    }
  }

  private doBlock(depth: number): void {
    const v = this.vars((x) => x.ty === "int")[0];
    this.emit("do");
    this.block(() => {
      if (v) {
        this.emit(`local ${v.name} = ${this.expr("str", 1).s}`);
        this.declare(v.name, "str");
      }
      this.stmts(this.rng.range(1, 3), depth + 1);
    });
    this.emit("end");
  }

  private tbcStmt(depth: number): void {
    const r = this.rng;
    const x = this.fresh("cl");
    this.emit("do");
    this.block(() => {
      this.emit(`local ${x} <close> = setmetatable({}, {__close = function(o, e) print("close ${x}", D(e)) end})`);
      if (r.chance(0.3)) this.emit(`local ${x}n <close> = ${r.pick(["nil", "false"])}`);
      this.stmts(r.range(0, 2), depth + 1);
    });
    this.emit("end");
    if (r.chance(0.4)) {
      this.emit(
        `P(pcall(function() local z <close> = setmetatable({}, {__close = function(o, e) print("closing", D(e)) ${r.chance(0.3) ? 'error("in close", 0)' : ""} end}) ${r.pick(["error('boom')", "error({})", "return 1, 2", "local q <close> = 42", "error()"])} end))`,
      );
    }
  }

  private coroutineStmt(): void {
    const r = this.rng;
    const co = this.fresh("co");
    this.emit(
      `local ${co} = coroutine.${r.chance(0.5) ? "wrap" : "create"}(function(a, ...) local b = coroutine.yield(a, select("#", ...)) for i = 1, b or 0 do coroutine.yield(i) end ${r.pick(["return 'done'", "error('co fail')", "return ...", "error({code = 1})"])} end)`,
    );
    const call = (args: string) => (r.chance(0.5) ? `pcall(${co}, ${args})` : `coroutine.resume(${co}, ${args})`);
    for (let i = r.range(1, 5); i > 0; i--) {
      const args = i === 5 ? "1, 2" : String(r.range(0, 3));
      this.emit(
        `if type(${co}) == "thread" then P(coroutine.resume(${co}, ${args})) P(coroutine.status(${co})) else P(${call(args).replace("coroutine.resume(", "pcall(")}) end`,
      );
    }
    if (r.chance(0.3)) this.emit(`P(pcall(coroutine.yield, 1)) P(coroutine.isyieldable())`);
  }

  private metaObject(): void {
    this.noVa(() => this.metaObject1());
  }
  private metaObject1(): void {
    const r = this.rng;
    const o = this.fresh("o"),
      mt = this.fresh("mt");
    const V = `(type(x) == "table" and rawget(x, "v") or tonumber(x) or 0)`;
    const fields: string[] = [];
    const ar = [
      "__add",
      "__sub",
      "__mul",
      "__mod",
      "__idiv",
      "__div",
      "__pow",
      "__unm",
      "__band",
      "__bor",
      "__bxor",
      "__shl",
      "__shr",
      "__bnot",
    ];
    for (const m of ar)
      if (r.chance(0.35))
        fields.push(
          `${m} = function(a, b) local x = a return ${V} ${r.pick(["+", "-", "*"])} (function(x) return ${V} end)(b) end`,
        );
    if (r.chance(0.6)) fields.push(`__eq = function(a, b) return rawget(a, "v") == rawget(b, "v") end`);
    if (r.chance(0.6)) fields.push(`__lt = function(a, b) local x = a local p = ${V} x = b return p < ${V} end`);
    if (r.chance(0.5)) fields.push(`__le = function(a, b) local x = a local p = ${V} x = b return p <= ${V} end`);
    if (r.chance(0.5))
      fields.push(
        `__concat = function(a, b) local x = a local p = ${V} x = b return "<" .. tostring(p) .. "|" .. tostring(${V}) .. ">" end`,
      );
    if (r.chance(0.5)) fields.push(`__len = function(a) return ${r.pick(["rawget(a, 'v') * 2", "'len'", "nil"])} end`);
    if (r.chance(0.5)) fields.push(`__call = function(self, ...) return select("#", ...), rawget(self, "v"), ... end`);
    if (r.chance(0.6))
      fields.push(
        `__tostring = function(a) return ${r.pick(['"obj" .. rawget(a, "v")', "rawget(a, 'v')", '"T"'])} end`,
      );
    if (r.chance(0.4) && fields.some((f) => f.startsWith("__tostring"))) fields.push(`__name = "My.Type"`); // else tostring shows an address
    if (r.chance(0.5))
      fields.push(
        r.chance(0.5)
          ? `__index = function(t, k) return type(k) == "string" and k:upper() or k end`
          : `__index = {extra = 7, f = function(self, n) return rawget(self, "v") + n end}`,
      );
    if (r.chance(0.4))
      fields.push(`__newindex = function(t, k, v) rawset(t, k, type(v) == "number" and v * 10 or v) end`);
    if (r.chance(0.15)) fields.push(`__metatable = "locked"`);
    this.emit(`local ${mt} = {${fields.join(",\n  ")}}`);
    this.emit(`local ${o} = setmetatable({v = ${this.expr("int", 1).s}}, ${mt})`);
    this.declare(o, "obj");
    const shows = fields.some((f) => f.startsWith("__tostring"));
    this.scopes[this.scopes.length - 1][this.scopes[this.scopes.length - 1].length - 1].shows = shows;
    this.metaCount++;
    const other = this.rng.chance(0.5) ? `setmetatable({v = ${r.range(-3, 9)}}, ${mt})` : this.expr("num", 1).s;
    const uses = [
      `${o} + ${other}`,
      `${other} - ${o}`,
      `${o} * 2`,
      `-${o}`,
      `${o} // 3`,
      `${o} % 4`,
      `${o} / 2`,
      `${o} ^ 2`,
      `${o} & 1`,
      `${o} | ${other}`,
      `${o} ~ 3`,
      `~${o}`,
      `${o} << 1`,
      `1 >> ${o}`,
      `${o} == ${other}`,
      `${o} < ${other}`,
      `${other} <= ${o}`,
      `${o} > ${other}`,
      `${o} .. "s"`,
      `1 .. ${o}`,
      `#${o}`,
      `${o}(1, nil, 3)`,
      `${o}.extra`,
      `${o}.name`,
      `${o}:f(2)`,
      shows ? `tostring(${o})` : `type(${o})`,
      `getmetatable(${o})`,
      `rawlen(${o})`,
      `rawequal(${o}, ${o})`,
      `getmetatable(setmetatable({}, getmetatable(${o})))`,
      `${o}[1]`,
    ];
    for (let i = r.range(1, 5); i > 0; i--) this.emit(`P(pcall(function() return ${r.pick(uses)} end))`);
    if (r.chance(0.5))
      this.emit(`${o}.w = ${this.expr("int", 1).s} ${o}[2] = "two" P(rawget(${o}, "w"), rawget(${o}, 2))`);
  }

  private indexChain(): void {
    const r = this.rng;
    const n = r.range(1, 5);
    const base = this.fresh("ch");
    this.emit(`local ${base} = {deep = "found"}`);
    this.emit(`for i = 1, ${n} do ${base} = setmetatable({}, {__index = ${base}}) end`);
    this.emit(`P(${base}.deep, ${base}.nothing, rawget(${base}, "deep"))`);
    if (r.chance(0.3)) {
      this.emit(
        `do local lp = {} setmetatable(lp, {__index = lp, __newindex = lp}) P(pcall(function() return lp.x end)) P(pcall(function() lp.y = 1 end)) end`,
      );
    }
    if (r.chance(0.3))
      this.emit(
        `do local lp = setmetatable({}, {__index = function(t, k) return k * 2 end}) P(lp[21], pcall(function() return lp.x end)) end`,
      );
  }

  private globalStmt(): void {
    const r = this.rng;
    const g = r.pick(GLOBALS);
    switch (r.int(3)) {
      case 0:
        this.emit(`${g} = ${this.expr(r.pick(["int", "str"] as Ty[]), 2).s} P(${g}, rawget(_ENV, "${g}"))`);
        break;
      case 1:
        this.emit(`P(pcall(function() return ${r.pick(GLOBALS)} + 1 end))`);
        break;
      default:
        this.emit(
          `P(pcall(function() ${r.pick(["undefinedFn()", "undefinedT.x = 1", "local x = undefinedT.y.z", "string.nofn()", "math.huge()", "(nil)()", "G1.x.y = 2"])} end))`,
        );
    }
  }

  private methodCall(): void {
    const r = this.rng;
    const o = this.fresh("obj");
    this.emit(`local ${o} = {n = ${this.expr("int", 1).s}, name = ${this.expr("str", 1).s}}`);
    this.emit(`function ${o}:add(d) self.n = self.n + d return self end`);
    this.emit(`function ${o}.get(self) return self.n, self.name end`);
    this.emit(`P(${o}:add(${r.range(-5, 5)}):add(${r.range(0, 3)}):get())`);
    if (r.chance(0.4)) this.emit(`P(pcall(function() return ${o}:nomethod() end))`);
    if (r.chance(0.3)) this.emit(`P(pcall(function() return ${o}.name:nomethod() end))`);
  }

  private multiAssign(): void {
    const r = this.rng;
    const a = this.fresh(),
      b = this.fresh(),
      c = this.fresh();
    this.emit(`local ${a}, ${b}, ${c} = ${this.args(1) || "nil"}`);
    this.emit(`${a}, ${b} = ${b}, ${a}`);
    this.emit(`P(${a}, ${b}, ${c})`);
    if (r.chance(0.5)) {
      this.emit(
        `local t${a} = {1, 2, 3} local i${a} = 1 i${a}, t${a}[i${a}] = i${a} + 1, 20 P(i${a}, t${a}[1], t${a}[2])`,
      );
    }
  }

  // ==== probes: expressions that may raise, compared through pcall ====

  private probe(): void {
    this.emit(`P(pcall(function() ${this.noVa(() => this.riskyStmt())} end))`);
  }

  /** A statement likely to raise an error (or return values for pcall to show). */
  private riskyStmt(): string {
    const r = this.rng;
    const loc = this.vars(() => true);
    const anyv = () => (loc.length && r.chance(0.6) ? r.pick(loc).name : this.expr("any", 1).s);
    const bad = () =>
      r.pick(["nil", "{}", "true", "print", luaString("abc", r), "x.y", "G3", "(nil)", "{1}", luaString("10", r)]);
    const arith = r.pick(["+", "-", "*", "/", "//", "%", "^", "&", "|", "~", "<<", ">>", "..", "<", "<=", ">", "=="]);
    switch (r.int(19)) {
      case 0:
        return `local x = ${bad()} return x ${arith} ${anyv()}`;
      case 1:
        return `return ${anyv()} ${arith} ${bad()}`;
      case 2:
        return `local t = {} return t.a.b`;
      case 3:
        return `local t = {x = {}} return t.x.y.z`;
      case 4:
        return `return ${r.pick(["1 // 0", "1 % 0", "math.mininteger // -1", "math.mininteger % -1", "5 // 0.0", "-5 % 0.0", "5.0 % -0.0", "0.0 / 0 == 0.0 / 0", "7 // -2", "-7 // 2", "7 % -3", "-7 % 3", "7.5 % -2", "-7.5 // 2", "math.maxinteger * 2", "math.mininteger - 1", "1 << 64", "1 << 63", "-1 >> 1", "1 >> -1", "2^63 | 0", "1.5 | 0", '"3" | 0', '"3.5" & 1', "3.0 ~ 1", "math.huge // 1", "-math.huge % 2", "(2^53 + 1) | 0", '"0x10" + 0', '" 10 " * 2', '"1e1" // 1', '"abc" + 1', "{} .. ''", "1 < '2'", "'a' < 1", "{} < {}", "nil > 1", "-'2'", "-'abc'", "#5", "~1.5", "~'7'"])}`;
      case 5:
        return `return ${r.pick(["string.sub", "string.char", "string.byte", "math.floor", "math.tointeger", "tonumber", "select", "table.concat", "table.insert", "table.unpack", "setmetatable", "ipairs", "string.format", "utf8.char", "math.fmod", "math.max", "table.remove", "rawlen", "string.upper", "utf8.codepoint", "rawset", "string.pack"])}(${Array.from({ length: r.int(4) }, () => (r.chance(0.5) ? bad() : this.expr("any", 1).s)).join(", ")})`;
      case 6:
        return `local f = ${bad()} return f(1)`;
      case 7:
        return `return ("x"):${r.pick(["bad", "rep", "sub", "byte", "format"])}(${r.pick(["", "-1", "nil", "{}", "1, 2"])})`;
      case 8:
        return `return string.format(${luaString(r.pick(["%d", "%y", "%10.123f", "%", "%5", "%-+ #0d", "%*d", "%.3q", "%#x", "%c%c", "%s %s", "%i", "%100d", "%099d"]), r)}, ${r.pick(["1.5", "'x'", "nil", "2^63", "1", "{}", "3.0", "math.mininteger"])})`;
      case 9:
        return `return (${luaString(r.pick(["hello", "a.b", ""]), r)}):${r.pick(["find", "match", "gsub", "gmatch"])}(${luaString(r.pick(BAD_PATS), r)}${r.chance(0.5) ? ", 'x'" : ""})`;
      case 10:
        return `return (${luaString(r.pick(["hello world", "abc"]), r)}):gsub(${this.pat().s}, ${luaString(r.pick(["%2", "%9", "%", "%a", "%%1"]), r)})`;
      case 11:
        return `return ${r.pick(["select(0, 1)", "select(-3, 1)", "select('#')", "select(2.5, 1)", "table.unpack({}, 1, 1e8)", "table.insert({}, 5, 1)", "table.insert({}, 1, 2, 3)", "table.concat({1, {}, 3})", "table.remove({}, 5)", "tostring()", "tonumber()", "tonumber('10', 99)", "tonumber(10, 16)", "tonumber('z', 36)", "tonumber('1e1', 10)", "math.random(3, 1)", "string.char(256)", "string.char(-1)", "utf8.char(-1)", "utf8.codepoint('\\xff')", "utf8.len('\\xff')", "utf8.offset('abc', 5)", "string.rep('x', -1)", "('x'):rep(3, nil)", "setmetatable({}, 1)", "getmetatable('').__index == string", "rawequal()", "rawget(1)", "next({}, 'nokey')", "ipairs()", "math.floor('3.7')", "math.max()", "math.abs(math.mininteger)", "math.fmod(1, 0)", "math.fmod(1.0, 0)", "math.fmod(math.mininteger, -1)", "string.byte('abc', 0, 10)", "string.sub('hello', math.mininteger, math.maxinteger)", "('abc'):sub(-100, 100)", "string.format('%5.1s|', 'abc')", "string.pack('i2', 70000)", "string.unpack('i4', 'ab')", "load(123)", "error()", "error(nil)", "error(setmetatable({}, {__tostring = function() return 'custom' end}))", "assert(false)", "assert(nil, 'amsg')", "assert(1 == 1, 'unused', 3)", "assert(false, {})", "coroutine.resume(coroutine.running())", "coroutine.wrap(1)", "table.sort({3, 1, 2}, function(a, b) return true end)", "table.sort({3, 'x', 1})", "string.format('%d', '10')", "string.format('%x', -1)", "#setmetatable({}, {__len = function() return 'x' end})", "tostring(setmetatable({}, {__tostring = function() return 1 end}))", "setmetatable(setmetatable({}, {__metatable = 1}), {})"])}`;
      case 12:
        return `for i = ${r.pick(["'a', 2", "1, 'b'", "1, 2, 0", "1, 2, 'c'", "nil, 1", "1.5, 2, 0.0", "1, {}"])} do end`;
      case 13:
        return `local t = setmetatable({}, {__index = function(t, k) error("idx " .. tostring(k), ${r.range(0, 2)}) end}) return t.key`;
      case 14:
        return `error(${r.pick(["'plain'", "'lvl2', 2", "'lvl0', 0", "42", "2.5", "{code = 7}", "nil", "true", "'x' .. 1"])})`;
      case 15:
        return `local a <const> = ${r.range(0, 9)} local b = ${bad()} return a + b`;
      case 16:
        return `local t = {} t[${r.pick(["nil", "0/0", "1", "2^53", "-0.0"])}] = 1 return next(t)`;
      case 17:
        return `local s = 0 for _, v in ipairs({1, 2, ${bad()}, 4}) do s = s + v end return s`;
      default:
        return `return ${this.expr("any", 3).s}`;
    }
  }

  private errorProbe(): void {
    const r = this.rng;
    const f = this.fresh("ef");
    this.emit(`local function ${f}(lvl, v) if v then error(v, lvl) end error("msg" .. lvl, lvl) end`);
    this.emit(`P(pcall(${f}, ${r.range(0, 3)}))`);
    this.emit(`P(pcall(function() ${f}(${r.range(1, 3)}) end))`);
    this.emit(`P(pcall(${f}, 1, ${r.pick(["{}", "42", "false", "'s'", "nil"])}))`);
    if (r.chance(0.5))
      this.emit(`P(xpcall(${f}, function(m) return "handled: " .. tostring(m) end, ${r.range(0, 2)}))`);
    if (r.chance(0.3)) this.emit(`P(select("#", pcall(error)))`);
  }

  /** load() of generated source, whole or damaged: exercises the lexer, parser and their messages. */
  private loadProbe(): void {
    const r = this.rng;
    const snippets = [
      `return ${this.expr("any", 2).s}`,
      `local a = ${this.expr("int", 2).s} return a * 2`,
      `local x <const> = 1 x = 2`,
      `goto nowhere`,
      `do goto l1 local a ::l1:: print(a) end`,
      `::a:: ::a::`,
      `break`,
      `for i = 1, 2 do local x ::cont:: end`,
      `return 1 +`,
      `x = = 1`,
      `local t = {1, 2,, 3}`,
      `return "unfinished`,
      `return [[long`,
      `f(`,
      `local 1 = 2`,
      `return 0x`,
      `return 1e`,
      `return 3..2`,
      `return 1 .. 2`,
      `a.b:c = 1`,
      `local x <foo> = 1`,
      `return '\\q'`,
      `return '\\300'`,
      `return '\\u{110000000}'`,
      `return '\\xZZ'`,
      `local function f() return end return f()`,
      `if x then elseif`,
      `return {[1] = 1, [2]}`,
      `return ...`,
      `local function f(...) return function() return ... end end`,
      `x = }`,
      `return 1 --[[ unfinished`,
      `return #`,
      `local a, b, = 1`,
      `return not`,
      `return (1)(2)`,
      `;;; return 1;`,
      `return 0x1p`,
      `return 08`,
      `return 1..2`,
      `goto continue`,
      `local a = {} a.b.c = 1 return a`,
      `return function() local x <close> = 1 end`,
    ];
    let src = r.pick(snippets);
    if (r.chance(0.4)) {
      // damage: drop, duplicate or replace one token-ish piece
      const toks = src.split(/(\s+)/);
      const i = r.int(toks.length);
      const m = r.int(3);
      if (m === 0) toks.splice(i, 1);
      else if (m === 1) toks.splice(i, 0, toks[i]);
      else toks[i] = r.pick(["(", ")", "end", "=", "local", "..", "[", "}", "'", "::", "then", "0x", "~", "<"]);
      src = toks.join("");
    }
    const chunk = r.pick(["=src", "@file.lua", "src", `${luaString("=" + "n".repeat(r.range(1, 70)), r)}`]);
    const call = r.chance(0.5)
      ? `P(load(${luaString(src, r)}, ${chunk.startsWith('"') || chunk.startsWith("'") || chunk.startsWith("[") ? chunk : JSON.stringify(chunk)}))`
      : `do local f, e = load(${luaString(src, r)}) if f then P(pcall(f, 1, 2)) else P(e) end end`;
    this.emit(call);
  }

  private tableOps(): void {
    const r = this.rng;
    const t = this.fresh("t");
    this.emit(`local ${t} = {${Array.from({ length: r.int(7) }, () => this.expr("int", 1).s).join(", ")}}`);
    this.declare(t, "tab");
    for (let i = r.range(1, 4); i > 0; i--) {
      this.emit(
        r.pick([
          `table.insert(${t}, ${this.expr("int", 1).s})`,
          `table.insert(${t}, 1, ${this.expr("int", 1).s})`,
          `P(table.remove(${t}))`,
          `P(table.remove(${t}, 1))`,
          `table.sort(${t})`,
          `table.sort(${t}, function(a, b) return a > b end)`,
          `P(table.concat(${t}, ","))`,
          `P(table.concat(${t}, ", ", 2, 3))`,
          `P(table.unpack(${t}))`,
          `P(#${t}, select("#", table.unpack(${t}, 2)))`,
          `P(table.move(${t}, 1, 2, 3))`,
          `P(table.move(${t}, 2, 3, 1, {}))`,
          `${t}[#${t} + 1] = ${this.expr("int", 1).s}`,
          `${t}[ ${this.expr("flt", 1).s} ] = 1 P(${t})`,
          `P(next(${t}) ~= nil, next({}))`, // which key comes first in a hash part is not defined
          `P(rawlen(${t}), ${t}[1.0], ${t}["1"])`,
        ]),
      );
    }
    this.emit(`P(${t})`);
  }

  private stringOps(): void {
    const r = this.rng;
    const s = this.fresh("s");
    this.emit(`local ${s} = ${this.expr("str", 2).s}`);
    this.declare(s, "str");
    for (let i = r.range(1, 4); i > 0; i--) {
      this.emit(
        r.pick([
          `P(${s}:find(${this.pat().s}${r.chance(0.5) ? ", " + r.range(-3, 5) + (r.chance(0.3) ? ", true" : "") : ""}))`,
          `P(${s}:match(${this.pat().s}))`,
          `P(${s}:gsub(${this.pat().s}, ${this.repl(1)}))`,
          `for a, b in ${s}:gmatch(${this.pat().s}) do P(a, b) end`,
          `P(${s}:byte(${r.range(-3, 3)}, ${r.range(-3, 5)}))`,
          `P(${s}:sub(${r.range(-6, 6)}, ${r.range(-6, 6)}))`,
          `P(#${s}, ${s}:len(), ${s}:upper(), ${s}:rep(2, "|"))`,
          `P(utf8.len(${s}), utf8.offset(${s}, ${r.range(-2, 3)}))`,
          `P(tonumber(${s}), tonumber(${s}, ${r.pick(["16", "36", "2", "10"])}), math.tointeger(${s}))`,
          `P(${s} == ${this.expr("str", 1).s}, ${s} < ${this.expr("str", 1).s}, ${s} .. ${this.expr("num", 1).s})`,
          `P(string.format("%q|%s|%-5s|%5.2s", ${s}, ${s}, ${s}, ${s}))`,
          `P(string.pack(">s1", ${s}):byte(1, -1))`,
          `P(pcall(string.rep, ${s}, ${r.range(0, 3)}, ${s}))`,
        ]),
      );
    }
  }

  private edgeArith(): void {
    const r = this.rng;
    const all = [...INTS, ...NEG_INTS, ...FLTS, ...NEG_FLTS, ...FLT_EXPRS, ...(this.options.nans ? NAN_EXPRS : [])];
    const a = this.lit(r.pick(all)),
      b = this.lit(r.pick(all));
    const op = r.pick([...BINOPS_NUM, "<", "<=", "==", "~=", ">", ">="]);
    const isInt = (s: string) => INTS.includes(s) || NEG_INTS.includes(s);
    const bitok = isInt(a.s) && isInt(b.s) && r.chance(0.5);
    const op2 = bitok ? r.pick(["&", "|", "~", "<<", ">>"]) : op;
    const e = this.bin(a, op2, b);
    if (r.chance(0.5)) {
      // the same operation on locals: not constant-folded, so compiler folding and the VM are compared
      this.emit(`do local x, y = ${a.s}, ${b.s} P(pcall(function() return ${e.s}, x ${op2} y end)) end`);
    } else {
      this.emit(`P(pcall(function() return ${e.s} end))`);
    }
    if (r.chance(0.3))
      this.emit(
        `P(math.type(${a.s}), ${a.s} == ${b.s}, math.tointeger(${a.s}), string.format("%.17g|%q", ${a.s}, ${a.s}))`,
      );
  }

  private coercions(): void {
    this.noVa(() => this.coercions1());
  }
  private coercions1(): void {
    const r = this.rng;
    const s = luaString(r.pick(NUMSTRS.concat(["abc", "", " ", "0x", "1 2"])), r);
    this.emit(
      r.pick([
        `P(pcall(function() return ${s} + 1, ${s} * 1.0, ${s} // 1, -${s} end))`,
        `P(pcall(function() return ${s} | 0, ~${s} end))`,
        `P(tonumber(${s}), math.type(tonumber(${s})), ${s} .. 1, 1 .. ${s})`,
        `P(pcall(function() return ${s} < 1 end))`,
        `P(pcall(function() for i = ${s}, 2 do end end))`,
        `P(${this.expr("num", 2).s} .. "", ${this.expr("num", 2).s} .. ${this.expr("num", 2).s})`,
        `P(pcall(function() return string.format("%d %s %g", ${s} + 0 // 1 | 0, ${s}, ${s}) end))`,
      ]),
    );
  }

  // ==== error sites: one wrong value reached through every kind of name ====

  /**
   * A wrong value (nil, boolean, table, string, function, float) reached as a local, upvalue,
   * global, field, indexed element, method, constant or call result, used by an operation that
   * rejects it: exercises the variable descriptions in error messages ("(field 'x')", ...).
   */
  private errorSite(): void {
    const r = this.rng;
    const val = r.pick([
      "nil",
      "true",
      "{}",
      "'str'",
      "'12'",
      "print",
      "1.5",
      "2^63",
      "coroutine.running()",
      "io.stdout",
      "-0.0",
    ]);
    const g = r.pick(["G1", "G2", "G3", "G4"]);
    // [setup, expression naming the value]
    const forms: [string, string][] = [
      [`local lv = ${val}`, "lv"],
      [`local t = {f = ${val}}`, "t.f"],
      [`local t = {${val}}`, "t[1]"],
      [`local t = {sub = {k = ${val}}}`, "t.sub.k"],
      [`local t = {} t["a b"] = ${val}`, `t["a b"]`],
      [`${g} = ${val}`, g],
      [`${g} = {f = ${val}}`, `${g}.f`],
      [`local k = "f" local t = {f = ${val}}`, "t[k]"],
      [`local function fv() return ${val} end`, "fv()"],
      [`local t = {m = function() return ${val} end}`, "t:m()"],
      [``, val],
      [`local up = ${val} local function inner() return up end`, "up"],
      [`local s = ${val}`, "(s)"],
    ];
    const [setup, e] = r.pick(forms);
    const ops = [
      `return ${e} + 1`,
      `return 1 - ${e}`,
      `return ${e} * ${e}`,
      `return -${e}`,
      `return ${e} // 2`,
      `return 2 ^ ${e}`,
      `return ${e} & 1`,
      `return ~${e}`,
      `return 1 << ${e}`,
      `return ${e} .. "x"`,
      `return "x" .. ${e} .. "y"`,
      `return #${e}`,
      `return ${e}.field`,
      `return ${e}[1]`,
      `${e}.field = 1`,
      `${e}[2] = 3`,
      `return ${e}()`,
      `return ${e}(1, 2)`,
      `return ${e}:method()`,
      `return ${e} < 1`,
      `return 1 <= ${e}`,
      `return ${e} < "a"`,
      `return ${e} > ${e}`,
      `for i = ${e}, 2 do end`,
      `for i = 1, ${e} do end`,
      `for i = 1, 2, ${e} do end`,
      `for k in ${e} do end`,
      `return string.rep(${e}, 2)`,
      `return ("x"):rep(${e})`,
      `return math.floor(${e})`,
      `return ipairs(${e})`,
      `return setmetatable(${e}, {})`,
      `return string.format("%d", ${e})`,
      `return table.concat(${e})`,
      `return table.insert(${e}, 1)`,
      `return tostring(${e}) .. ${e}`,
      `local a <close> = ${e}`,
      `return select(${e}, 1)`,
      `return ${e}.x.y.z`,
      `return math.max(1, ${e})`,
      `return utf8.char(${e})`,
      `return ("%d"):format(${e}) .. #${e}`,
    ];
    // a loop up to 2^63 would run for ever
    const op = r.pick(val === "2^63" ? ops.filter((o) => !o.startsWith("for i")) : ops);
    const mode = r.int(3);
    const body = setup.includes("inner")
      ? `${setup} local function inner2() ${op} end return inner2()`
      : `${setup} ${op}`;
    if (mode === 0 || setup.startsWith(`${g} =`))
      this.emit(`P(pcall(function() ${body} end))`); // locals
    else if (mode === 1)
      this.emit(`do ${setup} P(pcall(function() ${op} end)) end`); // upvalues
    else this.emit(`P(pcall(load(${luaString(body, r)}, "=load")))`); // a chunk's locals
  }

  // ==== random numbers: formatting and conversion of arbitrary values ====

  private randDouble(): string {
    const r = this.rng;
    switch (r.int(6)) {
      case 0:
        return `${r.chance(0.5) ? "-" : ""}${r.range(0, 99999)}.${String(r.range(0, 999999)).padStart(r.range(1, 6), "0")}e${r.range(-320, 310)}`;
      case 1:
        return `${r.range(0, 9)}.${Array.from({ length: r.range(10, 20) }, () => r.int(10)).join("")}`;
      case 2:
        return `0x${r.int(0x1000000).toString(16)}.${r.int(0x1000000).toString(16)}p${r.range(-1080, 1030)}`;
      case 3:
        return `${Array.from({ length: r.range(14, 22) }, () => r.int(10))
          .join("")
          .replace(/^0+/, "1")}`;
      case 4:
        return `${r.range(1, 9)}e${r.range(14, 19)}`;
      default:
        return `${r.range(0, 9)}.${r.range(0, 9)}${r.pick(["", "5", "49999999999999", "50000000000001", "99999999999999"])}`;
    }
  }

  private randomNumbers(): void {
    const r = this.rng;
    const x = this.randDouble(),
      y = this.randDouble();
    const prec = r.range(0, 20);
    switch (r.int(8)) {
      case 0:
        this.emit(`P(${x}, -(${x}), ${x} + 0.0, tostring(${x}), ${x} .. "")`);
        break;
      case 1:
        this.emit(
          `P(string.format("%.${prec}g|%.${prec}f|%.${prec % 17}e|%${prec}.3f|%a", ${x}, ${x}, ${x}, ${x}, ${x}))`,
        );
        break;
      case 2:
        this.emit(
          `P(pcall(function() return ${x} // ${y}, ${x} % ${y}, ${x} / ${y}, math.tointeger(${x}), ${x} | 0 end))`,
        );
        break;
      case 3: {
        const str = r.pick([
          x,
          `0x${r.int(1 << 30).toString(16)}`,
          `${r.range(-99, 99)}`,
          `  ${x}  `,
          `${x}z`,
          `0x${r.int(1 << 20).toString(16)}p${r.range(-5, 5)}`,
          `${r.pick(["", "-", "+"])}0x${Array.from({ length: r.range(1, 20) }, () => r.int(16).toString(16)).join("")}`,
          `${Array.from({ length: r.range(15, 25) }, () => r.int(10)).join("")}`,
        ]);
        this.emit(
          `P(tonumber(${luaString(str, r)}), math.type(tonumber(${luaString(str, r)})), tonumber(${luaString(str.trim().replace(/^[+-]?0x/, ""), r)}, ${r.range(2, 36)}))`,
        );
        break;
      }
      case 4: {
        const big = () =>
          r.pick([
            `${r.chance(0.5) ? "-" : ""}${Array.from({ length: r.range(1, 19) }, () => r.int(10)).join("")}`,
            `0x${Array.from({ length: r.range(1, 16) }, () => r.int(16).toString(16)).join("")}`,
            "math.maxinteger",
            "math.mininteger",
          ]);
        const a = big(),
          b = big();
        this.emit(
          `do local a, b = ${a}, ${b} P(pcall(function() return a + b, a - b, a * b, a // b, a % b, a / b end)) P(a & b, a | b, a ~ b, a << ${r.range(-70, 70)}, a >> ${r.range(-70, 70)}, math.ult(a, b), a < b, a == b + 0.0, a < b + 0.0) end`,
        );
        break;
      }
      case 6:
        this.emit(
          `P(pcall(string.format, "%.${r.range(20, 99)}f|%${r.range(0, 99)}.${r.range(0, 99)}e|%.${r.range(15, 99)}g|%-${r.range(1, 99)}.3a|", ${x}, ${y}, ${x}, ${y}))`,
        );
        break;
      case 5:
        this.emit(
          `P(string.format("%q", ${x}), string.format("%q", ${r.pick(["math.mininteger", "1/0", "-1/0", "0/0", "2^63", x])}), math.floor(${x}), math.ceil(-(${x})), math.abs(-(${x})))`,
        );
        break;
      default: {
        const i = `${r.chance(0.5) ? "-" : ""}${Array.from({ length: r.range(1, 19) }, () => r.int(10)).join("")}`;
        this.emit(
          `P(${i} == ${i}.0, ${i} < ${i}.0 + 1, ${i} + 0.0, math.tointeger(${i}.0), string.format("%d|%5.2s|%x", ${i}, ${i}, ${i}))`,
        );
      }
    }
  }

  /** A random pattern built from Lua's pattern items, against a random subject. */
  private randomPattern(): void {
    const r = this.rng;
    const item = (): string => {
      const cls = r.pick([
        "a",
        "b",
        ".",
        "%a",
        "%d",
        "%s",
        "%w",
        "%p",
        "%l",
        "%u",
        "%x",
        "%A",
        "%D",
        "%S",
        "[abc]",
        "[^ab]",
        "[%d%s]",
        "[a-z]",
        "%.",
        "%%",
        "x",
        "1",
        "%c",
        "%g",
      ]);
      const q = r.pick(["", "", "*", "+", "-", "?"]);
      return cls + q;
    };
    let p = "";
    for (let n = r.range(1, 5); n > 0; n--) {
      const k = r.int(10);
      if (k === 0) p += `(${item()}${item()})`;
      else if (k === 1) p += "()";
      else if (k === 2) p += r.pick(["%b()", "%bab", "%f[%a]", "%f[%A]", "%f[%z]"]);
      else if (k === 3 && p.includes("(")) p += "%1";
      else p += item();
    }
    if (r.chance(0.2)) p = "^" + p;
    if (r.chance(0.2)) p += "$";
    const subj = r.pick([
      "hello world",
      "aaa bbb 123",
      "(a(b)c)",
      "x1y22z333",
      "  trim me  ",
      "ab12AB!?",
      "",
      "a.b.c",
      "\0a\0",
      "ababab",
      "The Quick 99",
    ]);
    const s = luaString(subj, r);
    const pat = luaString(p, r);
    this.emit(
      r.pick([
        `P(pcall(string.find, ${s}, ${pat}, ${r.range(-3, 5)}))`,
        `P(pcall(string.match, ${s}, ${pat}))`,
        `P(pcall(string.gsub, ${s}, ${pat}, ${r.pick(['"<%0>"', '"%1"', "string.upper", "{a = 1, b = true}", '""'])}))`,
        `P(pcall(function() local o = {} for a, b in string.gmatch(${s}, ${pat}) do o[#o + 1] = tostring(a) .. "/" .. tostring(b) if #o > 20 then break end end return table.concat(o, ",") end))`,
      ]),
    );
  }

  /** Random byte strings through utf8, %q and comparisons. */
  private randomBytes(): void {
    const r = this.rng;
    const bytes = Array.from({ length: r.range(0, 8) }, () =>
      r.pick([r.int(256), r.range(0x80, 0xbf), r.range(0xc0, 0xf7), r.range(0x20, 0x7e), 0, 10, 13]),
    );
    const s = `string.char(${bytes.join(", ")})`;
    this.emit(
      r.pick([
        `P(utf8.len(${s}), utf8.len(${s}, 1, -1, true), pcall(utf8.codepoint, ${s}, 1, -1))`,
        // the "utf8.codes" tag lets allowlist.json name these lines: 5.4.4's utf8.codes accepts some invalid sequences
        `P("utf8.codes", pcall(function() local o = {} for p, c in utf8.codes(${s}) do o[#o + 1] = p .. ":" .. c end return table.concat(o, " ") end))`,
        `P(string.format("%q", ${s}), ${s} < ${luaString(String.fromCharCode(...bytes.slice(0, 2).map((b) => b & 0x7f)), r)}, #${s})`,
        `P(utf8.offset(${s}, ${r.range(-3, 4)}), pcall(utf8.offset, ${s}, ${r.range(-2, 3)}, ${r.range(-3, 9)}))`,
        `P(${s}:byte(1, -1))`,
        `P(pcall(utf8.char, ${Array.from({ length: r.range(1, 3) }, () => r.pick([r.int(0x110000), r.int(0x80000000), 0x7fffffff, 0xd800, -1])).join(", ")}))`,
      ]),
    );
  }

  private packStmt(): void {
    const r = this.rng;
    const items: [string, string][] = [
      ["b", "-5"],
      ["B", "200"],
      ["h", "-300"],
      ["H", "60000"],
      ["i", "-70000"],
      ["I3", "70000"],
      ["j", "math.mininteger"],
      ["J", "-1"],
      ["l", "123456789"],
      ["f", "1.5"],
      ["d", "0.1"],
      ["n", "2^53"],
      ["s", '"str"'],
      ["s1", '"ab"'],
      ["z", '"zero"'],
      ["i16", "-2"],
      ["x", ""],
      ["c3", '"abc"'],
    ];
    const chosen = Array.from({ length: r.range(1, 4) }, () => r.pick(items));
    const fmt = r.pick(["", "<", ">", "=", "!4", "<!8"]) + chosen.map(([f]) => f).join(r.pick(["", " "]));
    const args = chosen
      .filter(([, a]) => a !== "")
      .map(([, a]) => a)
      .join(", ");
    this.emit(
      `P(pcall(function() local s = string.pack(${JSON.stringify(fmt)}${args ? ", " + args : ""}) return #s, string.packsize(${JSON.stringify(fmt.replace(/s1?|z/g, "i"))}), string.unpack(${JSON.stringify(fmt)}, s) end))`,
    );
  }

  private coroutine2(): void {
    const r = this.rng;
    this.emit(
      r.pick([
        `do local co = coroutine.wrap(function(...) local t = {...} for i = 1, #t do t[i] = coroutine.yield(t[i] * 2) end return table.unpack(t) end) P(co(1, 2, 3)) P(co("a")) P(co("b")) P(co("c")) P(pcall(co)) end`,
        `do local co = coroutine.create(function() local ok, e = pcall(function() coroutine.yield(1) error("inside") end) coroutine.yield(ok, e) return "end" end) for i = 1, 4 do P(coroutine.resume(co)) end P(coroutine.status(co)) end`,
        `do local co = coroutine.create(function() local x <close> = setmetatable({}, {__close = function() print("closed in co") end}) coroutine.yield(1) end) P(coroutine.resume(co)) P(coroutine.close(co)) P(coroutine.status(co)) end`,
        `do local co co = coroutine.create(function() P(coroutine.status(co), coroutine.isyieldable()) P(coroutine.resume(co)) return 1 end) P(coroutine.resume(co)) P(coroutine.resume(co)) end`,
        `do local gen = coroutine.wrap(function() for i = 1, ${r.range(1, 5)} do coroutine.yield(i, i * i) end end) for a, b in gen do io.write(a, "=", b, " ") end print() end`,
        `do local co = coroutine.create(function(a) error({code = a}) end) local ok, e = coroutine.resume(co, ${r.range(1, 9)}) P(ok, e, coroutine.status(co)) P(coroutine.close(co)) end`,
        `do local co = coroutine.wrap(function() error("wrapped", ${r.range(0, 2)}) end) P(pcall(co)) end`,
        `do local t = setmetatable({}, {__index = function(t, k) return coroutine.yield(k) end}) local co = coroutine.wrap(function() return t.a .. t.b end) P(co()) P(co("x")) P(co("y")) end`,
        `do local co = coroutine.wrap(function() table.sort({3, 2, 1}, function(a, b) coroutine.yield() return a < b end) end) P(pcall(co)) end`,
        `P(coroutine.resume(coroutine.create(function(...) return select("#", ...), ... end), nil, nil))`,
      ]),
    );
  }

  /** Multiple results flowing into constructors, calls, returns and assignments. */
  private multret(): void {
    const r = this.rng;
    const f = `(function(...) return ${r.pick(["1, 2, 3", "nil, nil", "", "...", "nil", "4, nil, 6"])} end)`;
    this.emit(
      r.pick([
        `P(#{${f}(1)}, select("#", ${f}(1, 2)), {${f}(7), ${f}(8)}, {${f}(9), 0})`,
        `do local a, b, c, d = ${f}(5), ${f}(6) P(a, b, c, d) end`,
        `P((${f}(1, 2)), ${f}(3), ${f}())`,
        `P(table.pack(${f}(1), ${f}(2, 3)).n, table.unpack({${f}(4, 5)}))`,
        `P(string.format("%s %s", ${f}(1, 2), "z"))`,
        `do local t = {${f}(1, 2, 3)} t[#t + 1] = ${f}(0) P(t, #t) end`,
        `P(pcall(${f}, 1, nil, 3))`,
        `P(select(${r.range(-3, 4)}, ${f}(1, 2, 3)))`,
      ]),
    );
  }

  /**
   * One variable against constants of every kind in every operand position: the compiler picks
   * immediate and K-operand opcodes (ADDI, EQK, LTI, SHRI, ...) by the constant's type and range,
   * so these compare those paths with the all-register ones.
   */
  private constOperands(): void {
    const r = this.rng;
    const ks = [
      "0",
      "1",
      "-1",
      "3",
      "127",
      "128",
      "-128",
      "-129",
      "255",
      "256",
      "1000000",
      "0.0",
      "-0.0",
      "3.0",
      "3.5",
      "-2.5",
      "2^53",
      "2^63",
      "-2^63",
      "math.maxinteger",
      "math.mininteger",
      "1e308",
      "0x7fffffff",
      "65535",
      "65536",
      "-65536",
      "1/0",
      "'3'",
      "'abc'",
    ];
    const xs = [
      "0",
      "1",
      "3",
      "-3",
      "3.0",
      "2.5",
      "math.maxinteger",
      "math.mininteger",
      "2^53",
      "-0.0",
      "1e100",
      "'7'",
      "127",
      "128",
      "-128",
      "256",
    ];
    const x = r.pick(xs),
      k = r.pick(ks);
    const cmp = ["<", "<=", ">", ">=", "==", "~="].map((op) => (r.chance(0.5) ? `x ${op} ${k}` : `${k} ${op} x`));
    const ari = ["+", "-", "*", "/", "//", "%", "^", "&", "|", "~", "<<", ">>"]
      .filter(() => r.chance(0.4))
      .map((op) => (r.chance(0.5) ? `x ${op} ${k}` : `${k} ${op} x`));
    this.emit(
      `do local x = ${x} P(pcall(function() return ${cmp.join(", ")} end)) P(pcall(function() return ${ari.length ? ari.join(", ") : `x + ${k}`} end)) ` +
        `P(pcall(function() if x < ${k} then io.write("lt ") elseif x == ${k} then io.write("eq ") else io.write("ge ") end if not (x >= ${k}) then print("nge") else print("ge") end end)) end`,
    );
  }

  /** Closures sharing upvalues across loop iterations, breaks and gotos. */
  private sharedUpvalues(): void {
    const r = this.rng;
    const n = r.range(1, 4);
    this.emit(
      r.pick([
        `do local get, set = {}, {} for i = 1, ${n} do local v = i * 10 get[i] = function() return v end set[i] = function(x) v = x end if i == ${r.range(1, 4)} then break end end set[1](99) P(get[1](), #get, get[#get]()) end`,
        `do local fs, i = {}, 0 while i < ${n} do i = i + 1 local j = i fs[i] = function() j = j + 1 return j end end P(fs[1](), fs[1](), fs[#fs](), i) end`,
        `do local fs = {} local i = 1 ::top:: local c = i fs[i] = function() c = c * 2 return c end i = i + 1 if i <= ${n} then goto top end P(fs[1](), fs[1](), fs[#fs]()) end`,
        `do local a = 0 local function inc() a = a + 1 return a end local function get() return a end inc() inc() P(get(), inc(), a) a = 100 P(get(), inc()) end`,
        `do local fs = {} for i, v in ipairs({"a", "b", "c"}) do fs[#fs + 1] = function() return i .. v end end P(fs[1](), fs[3]()) end`,
        `do local t = {} repeat local x = #t + 1 t[x] = function() return x end until x >= ${n} P(#t, t[1](), t[#t]()) end`,
        `do local mk = function(n) return function() n = n + 1 return n end, function() return n end end local inc, get = mk(${r.range(0, 9)}) inc() P(get(), inc(), get()) end`,
      ]),
    );
  }

  /** Concatenation chains mixing strings, numbers and objects with __concat at different positions. */
  private concatChain(): void {
    const r = this.rng;
    const parts = Array.from({ length: r.range(3, 6) }, () =>
      r.pick(["'s'", "1", "2.5", "-0.0", "2^63", "math.mininteger", "o", "o", "''", "'\0'", "10 // 3"]),
    );
    this.emit(
      `do local o = setmetatable({}, {__concat = function(a, b) return (type(a) == "table" and "O" or tostring(a)) .. "+" .. (type(b) == "table" and "O" or tostring(b)) end}) P("concat", pcall(function() return ${parts.join(" .. ")} end)) end`,
    ); // tag: see allowlist.json
  }

  /** Strings larger than the host's 64 KiB IO buffer, built and printed through several paths. */
  private bigStrings(): void {
    const r = this.rng;
    const n = r.range(60000, 140000);
    this.emit(
      r.pick([
        `do local s = ("0123456789"):rep(${(n / 10) | 0}) P(#s, s:sub(-3), select(2, s:gsub("9", "")), #(s .. s), s:find("90", ${n - 50}, true)) end`,
        `do local t = {} for i = 1, ${(n / 100) | 0} do t[i] = ("%099d"):format(i) end local s = table.concat(t, "\\n") print(#s, s:sub(1, 5), s:sub(-5)) ${this.loopDepth === 0 && r.chance(0.3) ? "print(s)" : ""} end`,
        `do local s = string.rep("ab", ${(n / 2) | 0}, "|") io.write(#s, " ", s:byte(-1), " ") ${this.loopDepth === 0 && r.chance(0.3) ? "io.write(s)" : ""} print() end`,
        `do local s = ("x"):rep(${n}) P(#string.format("%s%s", s, s), #s:upper(), s:reverse() == s, load("return " .. string.format("%q", s:sub(1, 70000)))() == s:sub(1, 70000)) end`,
      ]),
    );
  }

  /** Depth limits: Lua stack, C stack (metamethods, pcall nesting) and the parser, with their messages. */
  private limits(): void {
    const r = this.rng;
    // depths well below or well above LUAI_MAXCCALLS (200): near it, the C levels of the harness
    // around the program (driver.lua's xpcall vs our entry) decide which side of the limit it is
    const depth = () => (r.chance(0.5) ? r.range(100, 150) : r.range(260, 300));
    this.emit(
      r.pick([
        `P(pcall(function() local function rec(n) return 1 + rec(n + 1) end return rec(1) end))`,
        `P(pcall(function() local t = setmetatable({}, {__index = function(t, k) return t[k + 1] end}) return t[1] end))`,
        `do local function deep(n) if n == 0 then return 0 end return select(2, pcall(deep, n - 1)) end P(pcall(deep, ${depth()})) end`,
        `P(pcall(load, "return " .. string.rep("(", ${depth()}) .. "1" .. string.rep(")", ${depth()})))`,
        `P(pcall(function() return select("#", load("return " .. string.rep("- ", ${depth()}) .. "1")) end))`,
        `P(load("local a " .. string.rep(", a", ${r.range(190, 210)}) .. " = 1"))`,
        `do local f, e = load("return " .. string.rep("{", ${r.chance(0.5) ? r.range(30, 60) : r.range(260, 300)}) .. string.rep("}", ${r.range(30, 300)})) P(f and "ok" or e) end`,
        // only sizes lua5.4 rejects before allocating: a smaller huge size makes it try (and thrash)
        `P(pcall(string.rep, "x", 1 << 62), pcall(string.rep, "abc", math.maxinteger // 2), pcall(string.rep, "ab", math.maxinteger, ","))`,
        `P(select("#", table.unpack({}, 1, ${r.range(100, 5000)})), pcall(table.unpack, {}, 1, ${r.pick(["1e7", "math.maxinteger", "2^31"])}))`,
        `do local co = coroutine.wrap(function() local function f() return 1 + f() end return f() end) P(pcall(co)) end`,
        `P(pcall(function() local s = "return 1" for i = 1, ${r.range(3, 10)} do s = "return load(" .. string.format("%q", s) .. ")()" end return load(s)() end))`,
      ]),
    );
  }

  private formatStmt(): void {
    this.emit(`P(pcall(function() return ${this.noVa(() => this.format(2))} end))`);
  }
}

/** The program for (seed, index). */
export function generate(seed: number, index: number, options: GenOptions = {}): string {
  return new Gen(new Rng(seed, index), options).program();
}
