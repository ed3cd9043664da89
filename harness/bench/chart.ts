import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { Figure } from './questions.ts';

/**
 * reports/bench.svg: one panel per question of the bench (a section of the report), so that a reader looks rather
 * than reads. In a panel, each kernel (or phrase script) is a group of bars, one per comparison of the question,
 * side by side and named in full in the legend; the x axis is logarithmic where the panel's values span more than
 * a factor of 10; ratio bars grow from 1 (as fast, a dotted line), to the right where the first variant is faster,
 * and each target of the question is a dashed line in the colour of its comparison.
 */

/** One bar: in `panel`, the group (a kernel or a script) and the comparison (or variant) it belongs to. */
export interface ChartBar {
  panel: string;
  group: string;
  series: string;
  value: number;
  unit: Figure['unit'];
}

/** A target as a line: the comparison it is for and where it stands. */
export interface ChartTarget {
  panel: string;
  series: string;
  value: number;
  label: string;
}

/**
 * Splits a figure's label into its group and series: "nbody: byte+cmxs vs native" (ratios, toplevels) or
 * "call1 [native+cmo]" (ns per call).
 */
export function chartBar(f: Figure): ChartBar {
  const perCall = /^(.*) \[(.*)\]$/.exec(f.label);
  if (perCall) return { panel: f.question, group: perCall[1]!, series: perCall[2]!, value: f.value, unit: f.unit };
  const colon = f.label.indexOf(': ');
  const [group, series] = colon < 0 ? [f.label, f.label] : [f.label.slice(0, colon), f.label.slice(colon + 2)];
  return { panel: f.question, group, series, value: f.value, unit: f.unit };
}

/** The number a target like "≥ 0.9", "≤ 1.5×" or "≈ 1" puts its line at, if any. */
export function targetValue(target: string): number | undefined {
  const m = /([0-9]+(?:\.[0-9]+)?)/.exec(target);
  return m ? Number(m[1]) : undefined;
}

export function chartTargets(figures: readonly Figure[]): ChartTarget[] {
  const out = new Map<string, ChartTarget>();
  for (const f of figures) {
    const value = f.target === undefined ? undefined : targetValue(f.target);
    if (value === undefined) continue;
    const { panel, series } = chartBar(f);
    out.set(`${panel}|${series}`, { panel, series, value, label: `target ${f.target}` });
  }
  return [...out.values()];
}

/** Whether a panel's values (bars, targets and, for ratios, 1) span more than a factor of 10. */
export function needsLogScale(values: readonly number[]): boolean {
  const positive = values.filter((v) => v > 0);
  return positive.length > 0 && Math.max(...positive) / Math.min(...positive) > 10;
}

const UNIT_TITLE: Record<Figure['unit'], string> = {
  ratio: 'ratio (> 1: the first is faster)',
  'ns/call': 'ns per call',
};

export function chartSpec(figures: readonly Figure[]): TopLevelSpec {
  const bars = figures.map(chartBar);
  const targets = chartTargets(figures);
  const panels = [...new Set(bars.map((b) => `${b.panel}|${b.unit}`))];
  const panelSpecs = panels.map((key) => {
    const [panel, unit] = key.split('|') as [string, Figure['unit']];
    const values = bars.filter((b) => b.panel === panel && b.unit === unit);
    const lines = unit === 'ratio' ? targets.filter((t) => t.panel === panel) : [];
    const log = needsLogScale([...values.map((b) => b.value), ...lines.map((t) => t.value), ...(unit === 'ratio' ? [1] : [])]);
    const series = [...new Set(values.map((b) => b.series))];
    const x = { field: 'value', type: 'quantitative' as const, title: UNIT_TITLE[unit], stack: null, scale: log ? { type: 'log' as const } : { zero: true } };
    const color = { field: 'series', type: 'nominal' as const, sort: series, title: null, legend: { labelLimit: 0, orient: 'right' as const } };
    return {
      title: { text: `${panel}${unit === 'ns/call' ? ' (ns per call)' : ''}`, anchor: 'start' as const },
      width: 480,
      layer: [
        {
          data: { values },
          mark: { type: 'bar' as const, tooltip: true },
          encoding: {
            y: { field: 'group', type: 'nominal' as const, sort: null, title: null, axis: { labelLimit: 0 } },
            yOffset: { field: 'series', type: 'nominal' as const, sort: series },
            x,
            // Ratio bars grow from 1 (as fast): right, the first is faster; left, slower.
            ...(unit === 'ratio' ? { x2: { datum: 1 } } : {}),
            color,
          },
        },
        ...(unit === 'ratio'
          ? [{ data: { values: [{ one: 1 }] }, mark: { type: 'rule' as const, color: '#555', strokeDash: [2, 2] }, encoding: { x: { field: 'one', type: 'quantitative' as const } } }]
          : []),
        ...(lines.length > 0
          ? [
              {
                data: { values: lines },
                mark: { type: 'rule' as const, strokeWidth: 2, strokeDash: [6, 3] },
                encoding: { x: { field: 'value', type: 'quantitative' as const }, color },
              },
              {
                data: { values: lines },
                mark: { type: 'text' as const, align: 'left' as const, baseline: 'top' as const, dx: 3, dy: 2, fontSize: 9 },
                encoding: { x: { field: 'value', type: 'quantitative' as const }, y: { value: 0 }, text: { field: 'label' }, color },
              },
            ]
          : []),
      ],
      resolve: { scale: { color: 'shared' as const } },
    };
  });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: { text: 'Crossloading: what it costs and buys, measured side by side in one run', anchor: 'start' },
    vconcat: panelSpecs,
    spacing: 28,
    resolve: { scale: { color: 'independent', x: 'independent', y: 'independent', yOffset: 'independent' }, legend: { color: 'independent' } },
    config: { view: { stroke: null }, axis: { labelFontSize: 10 }, legend: { labelFontSize: 10 } },
  } as TopLevelSpec;
}

/** The chart of a run's figures, rendered to SVG with Vega-Lite. */
export async function ratioChartSvg(figures: readonly Figure[]): Promise<string> {
  const view = new vega.View(vega.parse(compile(chartSpec(figures)).spec), { renderer: 'none' });
  return view.toSVG();
}
