import { describe, expect, it } from 'vitest';
import { evalLinkArguments, parseExampleSpec } from '../harness/examples.ts';

describe('example.json', () => {
  it('reads sources and runs', () => {
    const spec = parseExampleSpec(
      { description: 'd', sources: ['a.ml', 'b.ml'], runs: [{ arguments: ['x'], expected: 'x.out' }, { expected: 'y.out' }] },
      'example.json',
    );
    expect(spec.sources).toEqual(['a.ml', 'b.ml']);
    expect(spec.runs).toEqual([
      { arguments: ['x'], expected: 'x.out' },
      { arguments: [], expected: 'y.out' },
    ]);
  });

  it('refuses a spec without runs or sources, naming the file', () => {
    expect(() => parseExampleSpec({ description: 'd', sources: ['a.ml'], runs: [] }, 'e/example.json')).toThrow(/e\/example.json: runs/);
    expect(() => parseExampleSpec({ description: 'd', sources: [], runs: [{ expected: 'o' }] }, 'f')).toThrow(/sources is empty/);
    expect(() => parseExampleSpec({ description: 'd', sources: ['a.ml'], runs: [{ arguments: [1], expected: 'o' }] }, 'f')).toThrow(
      /runs\[0\].arguments/,
    );
  });
});

describe('the documented command line', () => {
  it('links the libraries in the order of eval.mli, then the sources', () => {
    expect(evalLinkArguments(['calc.ml'], 'calc')).toEqual([
      '-linkall', '-I', '+compiler-libs', '-I', '+dynlink',
      'ocamlcommon.cmxa', 'ocamlbytecomp.cmxa', 'dynlink.cmxa', 'dynlink_guest.cmxa', 'ocamleval.cmxa',
      'calc.ml', '-o', 'calc',
    ]);
  });
});
