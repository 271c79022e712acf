#!/usr/bin/env node
// Times Microsoft's official parser on the shared corpus, loaded exactly as
// ../../../shared/kql/kusto-oracle.js loads it: KustoCode.Parse alone (syntax, what our
// parser does; best of ROUNDS) and KustoCode.ParseAndAnalyze (parse + bind; one round). Prints JSON.
// usage: KUSTO_LS_DIR=.../@kusto/language-service-next node official.js SHARED_DIR [ROUNDS] [parse-only]
const fs = require('fs'), vm = require('vm'), path = require('path');
const dir = process.env.KUSTO_LS_DIR;
vm.runInThisContext(fs.readFileSync(path.join(dir, 'bridge.min.js'), 'utf8'));
vm.runInThisContext(fs.readFileSync(path.join(dir, 'Kusto.Language.Bridge.min.js'), 'utf8'));
const K = Kusto.Language;
const shared = process.argv[2];
const rounds = Number(process.argv[3] || 3);
const qs = JSON.parse(fs.readFileSync(path.join(shared, 'kql', 'sentinel-queries.json'))).queries.map(q => q.query)
  .concat(JSON.parse(fs.readFileSync(path.join(shared, 'kql', 'conformance.json'))).cases.map(c => c.kql));
for (const q of qs.slice(0, 50)) K.KustoCode.Parse(q); // warm up the JIT
const time = (fn, n = rounds) => { let best = Infinity; for (let r = 0; r < n; r++) { const t0 = process.hrtime.bigint(); for (const q of qs) fn(q); const t = Number(process.hrtime.bigint() - t0); best = Math.min(best, t); } return best / qs.length / 1e3; };
const parseUs = time(q => K.KustoCode.Parse(q));
const analyzeUs = process.argv[4] === 'parse-only' ? null : time(q => K.KustoCode.ParseAndAnalyze(q, K.GlobalState.Default), 1);
process.stdout.write(JSON.stringify({ queries: qs.length, rounds, parse_us_per_query: parseUs, parse_and_analyze_us_per_query: analyzeUs }) + '\n');
