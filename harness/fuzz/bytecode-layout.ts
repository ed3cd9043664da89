import { checkLayout, LayoutError, marshalHeaderRegion, nodesRegion, uniqueSorted, withShiftable, type Layout, type Region, type Span } from './layout.ts';
import { listItems, MarshalError, parseMarshal, type MarshalNode } from './marshal.ts';

/**
 * The structure of .cmo and .cma files (file_formats/cmo_format.mli):
 *   .cmo: magic number (12 bytes), offset of the compilation unit descriptor (4 bytes, big-endian), code, debug
 *         info (marshalled, with -g), the descriptor (a marshalled `compilation_unit`);
 *   .cma: magic number, offset of the library descriptor, each unit's code and debug info, the descriptor (a
 *         marshalled `library` whose `lib_units` give each unit's `cu_pos`, `cu_codesize`, `cu_debug`).
 * The code sections are protected; everything else is a region.
 */

/** The fields of `Cmo_format.compilation_unit`, in order. */
const CU_FIELDS = ['name', 'pos', 'codesize', 'reloc', 'imports', 'required', 'primitives', 'force_link', 'debug', 'debugsize'] as const;
/** The fields of `Cmo_format.library`, in order. */
const LIB_FIELDS = ['units', 'custom', 'ccobjs', 'ccopts', 'dllibs'] as const;

const MAGIC_LENGTH = 12;

function magicRegions(kindLetter: string, buf: Buffer): Omit<Region, 'shiftable'>[] {
  const magic = buf.subarray(0, MAGIC_LENGTH).toString('latin1');
  if (!new RegExp(`^Caml1999${kindLetter}\\d{3}$`).test(magic)) throw new LayoutError(`not a ${kindLetter === 'O' ? '.cmo' : '.cma'} file: magic ${JSON.stringify(magic)}`);
  const what = kindLetter === 'O' ? 'cmo' : 'cma';
  return [
    // "Caml1999" | kind letter | version
    { name: `${what}.magic`, start: 0, end: MAGIC_LENGTH, ints: [], boundaries: [0, 8, 9, MAGIC_LENGTH] },
    { name: what === 'cmo' ? 'cmo.cu-offset' : 'cma.toc-offset', start: MAGIC_LENGTH, end: MAGIC_LENGTH + 4, ints: [{ offset: MAGIC_LENGTH, width: 4, endian: 'be' }], boundaries: [MAGIC_LENGTH, MAGIC_LENGTH + 4] },
  ];
}

interface UnitInfo {
  code: Span;
  debug?: { start: number; end: number };
  regions: Omit<Region, 'shiftable'>[];
}

/** The regions of one marshalled compilation_unit record (`cu.reloc`, …), and where its code and debug info lie. */
function unitRegions(prefix: string, record: MarshalNode, buf: Buffer): UnitInfo {
  if (record.kind !== 'block' || record.fields.length !== CU_FIELDS.length) throw new LayoutError(`${prefix}: not a compilation_unit record`);
  const field = (name: (typeof CU_FIELDS)[number]) => record.fields[CU_FIELDS.indexOf(name)]!;
  const int = (name: (typeof CU_FIELDS)[number]) => {
    const n = field(name);
    if (n.kind !== 'int' || n.value === undefined) throw new LayoutError(`${prefix}.${name} is not an integer`);
    return Number(n.value);
  };
  const pos = int('pos');
  const codesize = int('codesize');
  const debug = int('debug');
  const debugsize = int('debugsize');
  if (pos + codesize > buf.length) throw new LayoutError(`${prefix}: code past the end of the file`);
  const regions: Omit<Region, 'shiftable'>[] = [];
  for (const name of CU_FIELDS) {
    if (name === 'debugsize') continue;
    // The debug info pointers, cu_debug and cu_debugsize, are one region.
    const nodes = name === 'debug' ? [field('debug'), field('debugsize')] : [field(name)];
    regions.push(nodesRegion(`${prefix}.${name}`, nodes));
  }
  const unitName = field('name').text ?? '?';
  return {
    code: { name: `code of ${unitName}`, start: pos, end: pos + codesize },
    ...(debug > 0 ? { debug: { start: debug, end: debug + debugsize } } : {}),
    regions,
  };
}

/** The debug info of a unit (marshalled debug events) as a region, its objects as boundaries where it parses. */
function debugRegion(name: string, span: { start: number; end: number }, buf: Buffer): Omit<Region, 'shiftable'> {
  try {
    const m = parseMarshal(buf, span.start);
    const data = nodesRegion(name, [m.root]);
    return { name, start: span.start, end: span.end, ints: [...m.headerInts, ...data.ints].filter((f) => f.offset + f.width <= span.end), boundaries: uniqueSorted([span.start, ...data.boundaries, span.end].filter((b) => b <= span.end)) };
  } catch (e) {
    if (!(e instanceof MarshalError)) throw e;
    return { name, start: span.start, end: span.end, ints: [], boundaries: [span.start, span.end] };
  }
}

/** A marshalled descriptor as its header, the whole of its data, and the regions of its fields. */
function descriptorRegions(prefix: string, at: number, buf: Buffer) {
  const m = parseMarshal(buf, at);
  return { m, header: marshalHeaderRegion(`${prefix}.header`, m), whole: { ...nodesRegion(`${prefix}.data`, [m.root]) } };
}

export function cmoLayout(buf: Buffer): Layout {
  const regions = magicRegions('O', buf);
  const at = buf.readUInt32BE(MAGIC_LENGTH);
  const { m, header, whole } = descriptorRegions('cu', at, buf);
  const unit = unitRegions('cu', m.root, buf);
  regions.push(header, whole, ...unit.regions);
  if (unit.debug) regions.push(debugRegion('cmo.debug-events', unit.debug, buf));
  const protectedSpans = [unit.code];
  const layout: Layout = { kind: 'cmo', size: buf.length, regions: withShiftable(regions, protectedSpans), protected: protectedSpans };
  checkLayout(layout);
  return layout;
}

export function cmaLayout(buf: Buffer): Layout {
  const regions = magicRegions('A', buf);
  const at = buf.readUInt32BE(MAGIC_LENGTH);
  const { m, header, whole } = descriptorRegions('lib', at, buf);
  const lib = m.root;
  if (lib.kind !== 'block' || lib.fields.length !== LIB_FIELDS.length) throw new LayoutError('the library descriptor is not a library record');
  regions.push(header, whole);
  LIB_FIELDS.forEach((name, i) => {
    if (name !== 'units') regions.push(nodesRegion(`lib.${name}`, [lib.fields[i]!]));
  });
  const protectedSpans: Span[] = [];
  listItems(lib.fields[0]!).forEach((record, i) => {
    const unit = unitRegions(`lib.unit${i}`, record, buf);
    regions.push(...unit.regions);
    protectedSpans.push(unit.code);
    if (unit.debug) regions.push(debugRegion(`lib.unit${i}.debug-events`, unit.debug, buf));
  });
  if (protectedSpans.length === 0) throw new LayoutError('a library without units');
  const layout: Layout = { kind: 'cma', size: buf.length, regions: withShiftable(regions, protectedSpans), protected: protectedSpans };
  checkLayout(layout);
  return layout;
}
