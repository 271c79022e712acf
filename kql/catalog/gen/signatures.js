// Extracts functions, aggregates and plugins with their signatures from the official
// Kusto.Language library (@kusto/language-service-next) into JSON for kql/catalog.
const fs = require('fs'), vm = require('vm'), path = require('path');
const dir = process.env.KUSTO_LS_DIR;
vm.runInThisContext(fs.readFileSync(path.join(dir, 'bridge.js'), 'utf8'));
vm.runInThisContext(fs.readFileSync(path.join(dir, 'Kusto.Language.Bridge.js'), 'utf8'));
const K = Kusto.Language, S = K.Symbols;
const g = K.GlobalState.Default;
const arr = (x) => x ? Bridge.toArray(x) : [];
const enumName = (E, v) => { for (const [k, n] of Object.entries(E)) if (n === v && typeof n === 'number') return k; return String(v); };
const snake = (s) => s.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
function typeName(t) {
  if (!t) return '';
  const n = t.Name || '';
  if (t.Kind !== undefined && enumName(S.SymbolKind, t.Kind) === 'Table') return '(tabular)';
  return n;
}
function sig(s) {
  const params = arr(s.Parameters).map(p => {
    const o = { name: p.Name };
    const tk = enumName(S.ParameterTypeKind, p.TypeKind);
    const types = arr(p.DeclaredTypes).map(typeName).filter(x => x);
    o.type = tk === 'Declared' ? types.join('|') : snake(tk);
    const ak = enumName(S.ArgumentKind, p.ArgumentKind);
    if (ak !== 'Expression') o.arg = snake(ak);
    if (p.IsOptional) o.optional = true;
    if (p.MaxOccurring > 1) { o.min = p.MinOccurring; o.max = p.MaxOccurring; }
    return o;
  });
  const rk = enumName(S.ReturnTypeKind, s.ReturnKind);
  let result = rk === 'Declared' ? typeName(s._returnType) : snake(rk);
  if (s._tabularity !== undefined && enumName(S.Tabularity, s._tabularity) === 'Tabular' && rk !== 'Declared') result = 'tabular:' + result;
  return { params, result };
}
function sym(f, kind) {
  const o = { name: f.Name, kind, signatures: arr(f.Signatures).map(sig) };
  if (f.IsHidden) o.hidden = true;
  if (f.IsObsolete) o.obsolete = true;
  if (f.Alternative) o.alternative = f.Alternative;
  return o;
}
const out = [];
for (const f of arr(g.Functions)) out.push(sym(f, 'scalar'));
for (const f of arr(g.Aggregates)) out.push(sym(f, 'aggregate'));
for (const f of arr(g.PlugIns)) out.push(sym(f, 'plugin'));
out.sort((a, b) => a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name));
process.stdout.write(JSON.stringify(out, null, 1) + '\n');
