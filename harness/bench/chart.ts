import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { Figure } from './questions.ts';

/** A bar chart of the ratio figures (one row per comparison), rendered to SVG with Vega-Lite. */
export async function ratioChartSvg(figures: readonly Figure[]): Promise<string> {
  const values = figures.filter((f) => f.unit === 'ratio').map((f) => ({ question: f.question, label: f.label, ratio: Number(f.value.toFixed(3)) }));
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: 'Crossloading: speed ratios (> 1 = the first variant is faster), measured in one run',
    data: { values },
    facet: { row: { field: 'question', type: 'nominal', title: null } },
    spec: {
      width: 420,
      layer: [
        { mark: 'bar', encoding: { y: { field: 'label', type: 'nominal', title: null, sort: null }, x: { field: 'ratio', type: 'quantitative' } } },
        { mark: { type: 'rule', color: 'red' }, encoding: { x: { datum: 1 } } },
      ],
    },
    resolve: { scale: { y: 'independent', x: 'independent' } },
  };
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  return view.toSVG();
}
