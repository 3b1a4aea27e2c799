import { JSONParser } from '@streamparser/json';
const n = 1_000_000;
const paths = process.argv[2] === 'root' ? ['$', '$.*'] : ['$.*'];
const parser = new JSONParser({ paths, keepStack: false });
let count = 0;
parser.onValue = ({ stack }) => { if (stack.length > 0) count++; };
(globalThis as any).gc();
const h0 = process.memoryUsage().heapUsed;
let peak = 0;
parser.write('[');
for (let s = 0; s < n; s += 2000) {
  const parts = [];
  for (let i = s; i < s + 2000; i++) parts.push(`{"sku":"CG-${String(i).padStart(7,'0')}","qty":${i % 400}}`);
  parser.write((s ? ',' : '') + parts.join(','));
  if (s % 100000 === 0) { (globalThis as any).gc(); peak = Math.max(peak, process.memoryUsage().heapUsed - h0); }
}
parser.write(']');
(globalThis as any).gc();
console.log(paths, count, 'retained heap MiB after gc, peak sampled:', (peak / 2**20).toFixed(1));
