import { sameNodeBreakdown, crossNodeBreakdown, PHASES } from './bench/hop-breakdown.ts';
const med = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]!; };
for (const [name, f] of [['same', sameNodeBreakdown], ['cross', crossNodeBreakdown]] as const) {
  const b = await f(200);
  console.log(name, PHASES.map((p) => `${p}: ${med(b[p]).toFixed(1)}`).join(' | '), 'sum', PHASES.reduce((a, p) => a + med(b[p]), 0).toFixed(1));
}
