// SurveyJS expression syntax (show-if / required-if), evaluated in the browser exactly as the server's C# evaluator
// (Survey.Domain/Questionnaires/Logic) does; Survey.Tests/Fixtures/logic/shared-cases.json proves they agree.
// Expressions are compiled once into closures (no eval, no new Function). A syntax error throws.

const isArr = Array.isArray;
const isObj = (v) => v !== null && typeof v == "object";
const str = (v) => String(v);
export const truthy = (v) => !!v;

/** Helpers.isValueEmpty: null, "", NaN, [] or an object whose values are all empty. */
export const isEmpty = (v) =>
  v == null || v === "" || v !== v || (isArr(v) ? !v.length : isObj(v) && Object.values(v).every(isEmpty));

/** Helpers.getNumber: numbers and plain number text (" 12 ", "1,5", "0x1A"); NaN otherwise. */
const getNumber = (v) => {
  if (typeof v == "string") {
    const s = v.trim();
    if (!s) return NaN;
    if (s.startsWith("0x")) return s.length > 32 ? NaN : parseInt(s);
    if (s.length > 15 && /^\d+$/.test(s)) return NaN;
    if (!(s.lastIndexOf("-") > 0 || s.lastIndexOf("+") > 0) && /[*^/%]/.test(s)) return NaN;
    v = s.split(",").length == 2 ? s.replace(",", ".") : s;
  }
  const r = parseFloat(str(v));
  return r !== r || !isFinite(Number(v)) ? NaN : r;
};
const isNumber = (v) => getNumber(v) === getNumber(v);

/** Const.getCorrectValue for answers read through {name}: "true" -> true, "'x'" -> "x", "12" -> 12, "007" stays text. */
const correct = (s) => {
  if (typeof s != "string" || !s) return s;
  const l = s.toLowerCase();
  if (l == "true" || l == "false") return l == "true";
  if (s.length > 1 && `'"`.includes(s[0]) && `'"`.includes(s[s.length - 1])) return s.slice(1, -1);
  if (!isNumber(s)) return s;
  if (s[0] == "0" && !s.startsWith("0x") && s.length > 1 && !".,".includes(s[1])) return s;
  return getNumber(s);
};

// The key equal to name (exact, else ignoring case), else the longest key that is a prefix ending before '.' or '['.
const findKey = (obj, name) => {
  let exact, caseless, prefix;
  const lower = name.toLowerCase();
  for (const k of Object.keys(obj)) {
    if (k.length == name.length) {
      if (k == name) exact = k;
      else if (caseless == null && k.toLowerCase() == lower) caseless = k;
    } else if (k && k.length < name.length && ".[".includes(name[k.length]) && lower.startsWith(k.toLowerCase()) && k.length > (prefix || "").length)
      prefix = k;
  }
  const key = exact ?? caseless ?? prefix;
  return key == null ? null : [key, key.length == name.length];
};

/** ProcessValue: "a.b", "q[0]", ".length" paths; undefined when the path leads nowhere. */
const resolve = (values, name) => {
  const found = findKey(values, name);
  if (!found) return;
  let v = values[found[0]];
  let path = name.slice(found[0].length);
  while (path) {
    if (path[0] == "[") {
      const close = path.indexOf("]");
      const inner = close < 0 ? "" : path.slice(1, close);
      if (!/^\s*[+-]?\d+\s*$/.test(inner) || !isArr(v) || +inner < 0 || +inner >= v.length) return;
      v = v[+inner];
      path = path.slice(close + 1);
      continue;
    }
    if (path[0] != ".") return;
    path = path.slice(1);
    let k;
    if (isObj(v) && !isArr(v) && (k = findKey(v, path))) {
      v = v[k[0]];
      path = k[1] ? "" : path.slice(k[0].length);
    } else if ((isArr(v) || typeof v == "string") && path.startsWith("length") && (path.length == 6 || ".[".includes(path[6]))) {
      v = v.length;
      path = path.slice(6);
    } else return;
  }
  return v;
};

const variable = (name, raw) => (values) => {
  const v = resolve(values, name);
  if (isEmpty(v)) return name.endsWith(".length") ? 0 : null;
  return raw ? v : correct(v);
};

// Helpers.checkIfValuesEqual with SurveyJS's default comparator: trimmed, case-insensitive text, arrays in any order.
const valuesEqual = (x, y) => {
  if (x === y) return true;
  if ((x == null && y === "") || (y == null && x === "")) return true;
  const tx = typeof x, ty = typeof y;
  if (tx == "string" && ty == "string") return x.trim().toLowerCase() == y.trim().toLowerCase();
  if (isEmpty(x) != isEmpty(y)) return false;
  if (tx == "boolean" && ty == "string") return str(x) == y.toLowerCase();
  if (ty == "boolean" && tx == "string") return str(y) == x.toLowerCase();
  if (!isObj(x) && !isObj(y)) return x == y;
  if (isArr(x) && isArr(y)) {
    if (x.length != y.length) return false;
    const a = [...x].sort(), b = [...y].sort();
    return a.every((v, i) => valuesEqual(v, b[i]));
  }
  if (isObj(x) && isObj(y) && !isArr(x) && !isArr(y)) {
    const keys = Object.keys(x);
    return keys.length == Object.keys(y).length && keys.every((k) => Object.hasOwn(y, k) && valuesEqual(x[k], y[k]));
  }
  return false;
};
const eq = (x, y) => valuesEqual(x === "undefined" ? null : x, y === "undefined" ? null : y);
const less = (a, b) => a != null && b != null && a < b;

const decimals = (v) => {
  if (!isNumber(v) || (typeof v == "number" && Math.floor(v) == v)) return 0;
  const parts = str(v).split(".");
  return parts.length > 1 ? parts[1].length : 0;
};
const fix = (r, digits) => (digits > 0 && typeof r == "number" && isFinite(r) ? parseFloat(r.toFixed(Math.min(digits, 28))) : r);
const plusFixed = (a, b, r) => fix(r, Math.max(decimals(a), decimals(b)));

const sumAny = (a, b) => {
  if (!isNumber(a) || !isNumber(b)) {
    if (isArr(a) && isArr(b)) return a.concat(b);
    if (isArr(a) || isArr(b)) {
      const items = isArr(a) ? a : b, other = isArr(a) ? b : a;
      if (typeof other == "string") return isArr(a) ? items.join(", ") + other : other + items.join(", ");
      if (typeof other == "number") {
        let sum = 0;
        for (const i of items) if (typeof i == "number") sum = plusFixed(sum, i, sum + i);
        return plusFixed(sum, other, sum + other);
      }
    }
    return a + b;
  }
  return typeof a == "string" || typeof b == "string" ? a + b : plusFixed(a, b, a + b);
};

const contains = (left, right, yes) => {
  if (left == null || left === "" || left !== left) return false;
  if (!(isArr(left) && left.length) && typeof left != "string") left = str(left);
  if (typeof left == "string") {
    if (!right) return false;
    const found = left.toLowerCase().includes(str(right).toLowerCase());
    return yes ? found : !found;
  }
  for (const w of isArr(right) ? right : [right]) if (!left.some((i) => eq(i, w))) return !yes;
  return yes;
};
const anyOf = (l, r) =>
  isEmpty(l) ? isEmpty(r) : isEmpty(r) ? true : !isArr(l) ? contains(r, l, true) : !isArr(r) ? contains(l, r, true) : r.some((i) => contains(l, i, true));

const neutral = (v, other) =>
  !isEmpty(v) ? v : typeof other == "number" ? 0 : typeof v == "string" ? v : typeof other == "string" ? "" : isArr(other) ? [] : 0;

const arithmetic = (f) => (a, b) => {
  a = neutral(a, b);
  b = neutral(b, a);
  return f(a, b);
};

const BINARY = {
  eq,
  ne: (a, b) => !eq(a, b),
  lt: less,
  gt: (a, b) => less(b, a),
  le: (a, b) => eq(a, b) || less(a, b),
  ge: (a, b) => eq(a, b) || less(b, a),
  contains: (a, b) => contains(a, b, true),
  notcontains: (a, b) => (!a && !isEmpty(b)) || contains(a, b, false),
  anyof: anyOf,
  noneof: (a, b) => !anyOf(a, b),
  allof: (a, b) => (!a && !isEmpty(b) ? false : !isArr(b) ? contains(a, b, true) : b.every((i) => contains(a, i, true))),
  or: arithmetic((a, b) => a || b),
  and: arithmetic((a, b) => a && b),
  "+": arithmetic(sumAny),
  "-": arithmetic((a, b) => plusFixed(a, b, a - b)),
  "*": arithmetic((a, b) => fix(a * b, decimals(a) + decimals(b))),
  "/": arithmetic((a, b) => (b ? a / b : null)),
  "%": arithmetic((a, b) => (b ? a % b : null)),
  "^": arithmetic((a, b) => a ** b),
};

// Spellings: symbols and (case-insensitive) words, and their precedence, lowest first.
const SYMBOLS = { "||": "or", "&&": "and", "=": "eq", "==": "eq", "!=": "ne", "<>": "ne", "<": "lt", ">": "gt", "<=": "le", "=<": "le", ">=": "ge", "=>": "ge", "*=": "contains" };
const WORDS = {
  or: "or", and: "and", equal: "eq", equals: "eq", notequal: "ne", notequals: "ne", less: "lt", greater: "gt",
  lessorequal: "le", greaterorequal: "ge", power: "^", contains: "contains", contain: "contains",
  notcontains: "notcontains", notcontain: "notcontains", anyof: "anyof", allof: "allof", noneof: "noneof",
};
const PRECEDENCE = { or: 1, and: 2, eq: 3, ne: 3, lt: 3, gt: 3, le: 3, ge: 3, "+": 4, "-": 4, "*": 5, "/": 5, "%": 5, "^": 6 };

// getParamsAsArray: nested arrays flattened, null skipped, number text turned into numbers.
const flat = (args, out = []) => {
  for (const v of args) if (isArr(v)) flat(v, out); else if (v != null) out.push(isNumber(v) ? getNumber(v) : v);
  return out;
};
const sum = (args) => flat(args).reduce((t, v) => plusFixed(t, v, t + v), 0);
const extreme = (lower) => (args) => {
  const v = flat(args);
  return v.length ? v.reduce((r, x) => ((lower ? x < r : r < x) ? x : r)) : null;
};
const precision = (v, otherwise) => (v.length > 1 && v[1] ? v[1] : otherwise);

// name: [min args, max args, implementation]
const FUNCTIONS = {
  iif: [2, 3, (a) => (a[0] ? a[1] : a[2] ?? null)],
  sum: [1, 1e9, sum],
  min: [1, 1e9, extreme(1)],
  max: [1, 1e9, extreme(0)],
  avg: [1, 1e9, (a) => { const n = flat(a).length; return n ? Number(sum(a)) / n : 0; }],
  count: [1, 1e9, (a) => flat(a).length],
  round: [1, 2, (a) => {
    const v = flat(a), p = precision(v, 0);
    if (!v.length || !isNumber(v[0]) || !isNumber(p)) return NaN;
    const scale = 10 ** Number(p);
    return Math.round(Number(v[0]) * scale * (1 + Number.EPSILON)) / scale;
  }],
  trunc: [1, 2, (a) => {
    const v = flat(a), p = precision(v, -1);
    if (!v.length || !isNumber(v[0]) || !isNumber(p)) return NaN;
    const text = str(v[0]), places = str(p), digit = (i) => /\d/.test(text[i] || "");
    let end = text[0] == "-" ? 1 : 0;
    while (digit(end)) end++;
    if (end < text.length && /^\d*$/.test(places)) {
      let f = end + 1;
      while (f < text.length && f - end - 1 < +places && digit(f)) f++;
      end = f;
    }
    return Number(text.slice(0, end));
  }],
  substring: [2, 3, (a) => {
    const text = a[0];
    if (typeof text != "string" || !text || !isNumber(a[1])) return "";
    const index = (v) => { const n = Number(v); return n !== n ? 0 : Math.min(Math.max(Math.trunc(n), 0), text.length); };
    const s = index(a[1]), e = a.length > 2 && isNumber(a[2]) ? index(a[2]) : text.length;
    return s <= e ? text.slice(s, e) : text.slice(e, s);
  }],
};

const TOKEN = /[ \t\n\r]+|(0x(?=\d)\d*|\d+(?:\.\d+)?)|('(?:[^'\\]|\\['"]|\\(?!['"]))*'|"(?:[^"\\]|\\['"]|\\(?!['"]))*")|\{([^{}]*)\}|([A-Za-z_]\w*)|(\|\||&&|==|!=|<>|<=|>=|=>|=<|\*=|[=<>+\-*/%^!()[\],])/y;

const tokenize = (text) => {
  const tokens = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    const p = TOKEN.lastIndex, m = TOKEN.exec(text);
    if (!m) throw new SyntaxError(`Unexpected character at ${p}`);
    const [all, num, s, v, w, sym] = m, t = { p, e: p + all.length, t: all };
    if (num) {
      t.k = "n";
      t.v = num[1] == "x" ? [...num.slice(2)].reduce((a, d) => a * 16 + +d, 0) : +num;
    } else if (s) {
      t.k = "s";
      t.v = s.slice(1, -1).replace(/\\(['"])/g, "$1");
    } else if (v != null) {
      const inner = v.trim(), raw = inner.length > 1 && inner[0] == "#", name = raw ? inner.slice(1).trimStart() : inner;
      if (!name) throw new SyntaxError("Empty variable");
      t.k = "v";
      t.v = variable(name, raw);
    } else if (w) t.k = "w";
    else if (sym) t.k = "()[],".includes(sym) ? sym : "o";
    else continue;
    tokens.push(t);
  }
  tokens.push({ k: "end", p: text.length, e: text.length, t: "" });
  return tokens;
};

const constant = (v) => () => v;

function parse(text) {
  const tokens = tokenize(text);
  let i = 0;
  const cur = () => tokens[i], next = () => tokens[Math.min(i + 1, tokens.length - 1)];
  const fail = () => { throw new SyntaxError(`Unexpected '${cur().t}' at ${cur().p}`); };
  const lowerWord = (t) => (t.k == "w" ? t.t.toLowerCase() : "");
  const binary = (t) => (t.k == "o" ? SYMBOLS[t.t] || (t.t != "!" && t.t) : t.k == "w" && Object.hasOwn(WORDS, lowerWord(t)) ? WORDS[lowerWord(t)] : null);
  const postfix = (t) => (lowerWord(t) == "empty" || lowerWord(t) == "notempty" ? lowerWord(t) : null);
  const precedence = (op) => PRECEDENCE[op] || 7;
  const isCall = () => cur().k == "w" && next().k == "(" && next().p == cur().e;

  const withPostfix = (f) => {
    const op = postfix(cur());
    if (!op) return f;
    i++;
    return op == "empty" ? (s) => isEmpty(f(s)) : (s) => !isEmpty(f(s));
  };

  const list = (closer) => {
    const items = [];
    if (cur().k == closer) { i++; return items; }
    for (;;) {
      items.push(expression(closer));
      if (cur().k != ",") break;
      i++;
    }
    if (cur().k != closer) fail();
    i++;
    return items;
  };

  const operand = () => {
    const t = cur(), w = lowerWord(t);
    if (t.t == "!" || w == "not" || (w == "negate" && !isCall())) {
      i++;
      const f = operand();
      return (s) => !f(s);
    }
    if (t.k == "n" || t.k == "s") { i++; return withPostfix(constant(t.v)); }
    if (t.k == "v") { i++; return withPostfix(t.v); }
    if (t.k == "(") {
      i++;
      const f = expression(")");
      if (cur().k != ")") fail();
      i++;
      return f;
    }
    if (t.k == "[") {
      i++;
      const items = list("]");
      return (s) => items.map((f) => f(s));
    }
    if (t.t == "-" && next().k == "n" && next().p == t.e && !next().t.startsWith("0x")) {
      i += 2;
      return withPostfix(constant(-tokens[i - 1].v));
    }
    if (isCall()) {
      const fn = Object.hasOwn(FUNCTIONS, t.t) && FUNCTIONS[t.t];
      if (!fn) fail();
      i += 2;
      const args = list(")");
      if (args.length < fn[0] || args.length > fn[1]) throw new SyntaxError(`Wrong argument count for ${t.t}`);
      return (s) => fn[2](args.map((f) => f(s)));
    }
    if (t.k == "w" && !binary(t) && !postfix(t))
      return i++, withPostfix(constant(w == "true" ? true : w == "false" ? false : t.t == "null" || t.t == "undefined" ? null : t.t));
    fail();
  };

  const climb = (min, left) => {
    let op;
    while ((op = binary(cur())) && precedence(op) >= min) {
      i++;
      let right = operand(), nextOp;
      while ((nextOp = binary(cur())) && precedence(nextOp) > precedence(op)) right = climb(precedence(op) + 1, right);
      const f = BINARY[op], l = left, r = right;
      left = (s) => f(l(s), r(s));
    }
    return left;
  };

  function expression(closer) {
    const f = climb(1, operand());
    const k = cur().k;
    if (k != "end" && k != closer && !(closer && k == ",")) fail();
    return f;
  }

  if (tokens.length == 1) throw new SyntaxError("Empty expression");
  const f = expression();
  if (cur().k != "end") fail();
  return f;
}

const cache = new Map();
/** Compiles once; the function evaluates against answers ({id: value}) and never throws. Throws SyntaxError on bad text. */
export const compile = (text) => {
  let f = cache.get(text);
  if (!f) {
    const g = parse(text);
    f = (values) => { try { return g(values || {}); } catch { return null; } };
    cache.set(text, f);
  }
  return f;
};

/** SurveyJS's condition result: value == true (so true, 1 and "1" are true). An expression that does not parse is false. */
export const isTrue = (text, values) => {
  try {
    return compile(text)(values) == true;
  } catch {
    return false;
  }
};
