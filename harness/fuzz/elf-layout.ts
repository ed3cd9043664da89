import { checkLayout, LayoutError, marshalHeaderRegion, nodesRegion, uniqueSorted, type Layout, type Region } from './layout.ts';
import type { IntField } from './marshal.ts';
import { listItems, parseMarshal } from './marshal.ts';

/**
 * The structure of a .cmxs (an ELF64 little-endian shared object): the ELF header, the program and section header
 * tables, the dynamic section, the symbol and string tables, and the plugin header, the marshalled
 * `Cmxs_format.dynheader` that the symbol `caml_plugin_header` points to (runtime/dynlink_nat.c reads it with
 * caml_input_value_from_block). The code (.text) and the rest are not regions.
 */

type FieldSpec = readonly (readonly [name: string, offset: number, width: 1 | 2 | 4 | 8])[];

const EHDR_FIELDS: FieldSpec = [
  ['e_type', 16, 2], ['e_machine', 18, 2], ['e_version', 20, 4], ['e_entry', 24, 8], ['e_phoff', 32, 8], ['e_shoff', 40, 8],
  ['e_flags', 48, 4], ['e_ehsize', 52, 2], ['e_phentsize', 54, 2], ['e_phnum', 56, 2], ['e_shentsize', 58, 2], ['e_shnum', 60, 2], ['e_shstrndx', 62, 2],
];
const PHDR_FIELDS: FieldSpec = [['p_type', 0, 4], ['p_flags', 4, 4], ['p_offset', 8, 8], ['p_vaddr', 16, 8], ['p_paddr', 24, 8], ['p_filesz', 32, 8], ['p_memsz', 40, 8], ['p_align', 48, 8]];
const SHDR_FIELDS: FieldSpec = [
  ['sh_name', 0, 4], ['sh_type', 4, 4], ['sh_flags', 8, 8], ['sh_addr', 16, 8], ['sh_offset', 24, 8], ['sh_size', 32, 8],
  ['sh_link', 40, 4], ['sh_info', 44, 4], ['sh_addralign', 48, 8], ['sh_entsize', 56, 8],
];
const DYN_FIELDS: FieldSpec = [['d_tag', 0, 8], ['d_val', 8, 8]];
const SYM_FIELDS: FieldSpec = [['st_name', 0, 4], ['st_info', 4, 1], ['st_other', 5, 1], ['st_shndx', 6, 2], ['st_value', 8, 8], ['st_size', 16, 8]];

const PHDR_SIZE = 56;
const SHDR_SIZE = 64;
const SHT_SYMTAB = 2;
const SHT_STRTAB = 3;
const SHT_DYNAMIC = 6;
const SHT_DYNSYM = 11;

/** The fields of `Cmxs_format.dynunit`, in order. */
const DYNUNIT_FIELDS = ['name', 'crc', 'imports_cmi', 'imports_cmx', 'defines'] as const;

interface Section {
  index: number;
  name: string;
  type: number;
  addr: bigint;
  offset: number;
  size: number;
  link: number;
}

/** A table of `count` entries of `entrySize` bytes at `start`, each with the given fields. */
function tableRegion(name: string, start: number, count: number, entrySize: number, fields: FieldSpec): Omit<Region, 'shiftable'> {
  const ints: IntField[] = [];
  const boundaries: number[] = [];
  for (let i = 0; i < count; i++) {
    const base = start + i * entrySize;
    boundaries.push(base);
    for (const [, offset, width] of fields) ints.push({ offset: base + offset, width, endian: 'le' });
  }
  boundaries.push(start + count * entrySize);
  return { name, start, end: start + count * entrySize, ints, boundaries };
}

function stringTableRegion(name: string, buf: Buffer, s: Section): Omit<Region, 'shiftable'> {
  const boundaries = [s.offset];
  for (let i = s.offset; i < s.offset + s.size; i++) if (buf[i] === 0) boundaries.push(i + 1);
  return { name, start: s.offset, end: s.offset + s.size, ints: [], boundaries: uniqueSorted(boundaries) };
}

function cString(buf: Buffer, at: number): string {
  const end = buf.indexOf(0, at);
  return buf.subarray(at, end < 0 ? buf.length : end).toString('latin1');
}

export function cmxsLayout(buf: Buffer): Layout {
  if (buf.length < 64 || buf.readUInt32BE(0) !== 0x7f454c46 || buf[4] !== 2 || buf[5] !== 1) throw new LayoutError('not an ELF64 little-endian file');
  const phoff = Number(buf.readBigUInt64LE(32));
  const shoff = Number(buf.readBigUInt64LE(40));
  const phnum = buf.readUInt16LE(56);
  const shnum = buf.readUInt16LE(60);
  const shstrndx = buf.readUInt16LE(62);
  if (buf.readUInt16LE(54) !== PHDR_SIZE || buf.readUInt16LE(58) !== SHDR_SIZE) throw new LayoutError('unexpected ELF header entry sizes');

  const raw = Array.from({ length: shnum }, (_, index) => {
    const b = shoff + index * SHDR_SIZE;
    return { index, nameOff: buf.readUInt32LE(b), type: buf.readUInt32LE(b + 4), addr: buf.readBigUInt64LE(b + 16), offset: Number(buf.readBigUInt64LE(b + 24)), size: Number(buf.readBigUInt64LE(b + 32)), link: buf.readUInt32LE(b + 40) };
  });
  const shstr = raw[shstrndx];
  if (!shstr) throw new LayoutError('no section name table');
  const sections: Section[] = raw.map((s) => ({ ...s, name: cString(buf, shstr.offset + s.nameOff) }));

  const regions: Omit<Region, 'shiftable'>[] = [
    // The identification bytes: magic, class, data (byte order), version, OS ABI.
    { name: 'elf.ident', start: 0, end: 16, ints: [4, 5, 6, 7, 8].map((offset) => ({ offset, width: 1 as const, endian: 'le' as const })), boundaries: [0, 4, 5, 6, 7, 8, 9, 16] },
    { name: 'elf.header', start: 16, end: 64, ints: EHDR_FIELDS.map(([, offset, width]) => ({ offset, width, endian: 'le' as const })), boundaries: [...EHDR_FIELDS.map(([, o]) => o), 64] },
    tableRegion('elf.phdrs', phoff, phnum, PHDR_SIZE, PHDR_FIELDS),
    tableRegion('elf.shdrs', shoff, shnum, SHDR_SIZE, SHDR_FIELDS),
  ];
  for (const s of sections) {
    if (s.type === SHT_DYNAMIC) regions.push(tableRegion('elf.dynamic', s.offset, s.size / 16, 16, DYN_FIELDS));
    else if (s.type === SHT_DYNSYM) regions.push(tableRegion('elf.dynsym', s.offset, s.size / 24, 24, SYM_FIELDS));
    else if (s.type === SHT_SYMTAB) regions.push(tableRegion('elf.symtab', s.offset, s.size / 24, 24, SYM_FIELDS));
    else if (s.type === SHT_STRTAB && (s.name === '.dynstr' || s.name === '.strtab')) regions.push(stringTableRegion(`elf${s.name}`, buf, s));
  }

  const header = pluginHeaderOffset(buf, sections);
  const m = parseMarshal(buf, header);
  regions.push(marshalHeaderRegion('plugin.header', m), nodesRegion('plugin.data', [m.root]));
  const [magic, units] = m.root.fields;
  if (m.root.kind !== 'block' || !magic || !units) throw new LayoutError('the plugin header is not a dynheader record');
  regions.push(nodesRegion('plugin.magic', [magic]));
  listItems(units).forEach((unit, i) => {
    if (unit.fields.length !== DYNUNIT_FIELDS.length) throw new LayoutError(`plugin unit ${i} is not a dynunit record`);
    DYNUNIT_FIELDS.forEach((name, j) => regions.push(nodesRegion(`plugin.unit${i}.${name}`, [unit.fields[j]!])));
  });

  const layout: Layout = { kind: 'cmxs', size: buf.length, regions: regions.map((r) => ({ ...r, shiftable: true })), protected: [] };
  checkLayout(layout);
  return layout;
}

/** The file offset of the symbol `caml_plugin_header`, found in the symbol table (or the dynamic one). */
function pluginHeaderOffset(buf: Buffer, sections: readonly Section[]): number {
  for (const table of sections.filter((s) => s.type === SHT_SYMTAB || s.type === SHT_DYNSYM)) {
    const strings = sections[table.link];
    if (!strings) continue;
    for (let at = table.offset; at + 24 <= table.offset + table.size; at += 24) {
      if (cString(buf, strings.offset + buf.readUInt32LE(at)) !== 'caml_plugin_header') continue;
      const value = buf.readBigUInt64LE(at + 8);
      const home = sections[buf.readUInt16LE(at + 6)];
      if (!home) throw new LayoutError('caml_plugin_header is in no section');
      return home.offset + Number(value - home.addr);
    }
  }
  throw new LayoutError('no symbol caml_plugin_header: not an OCaml plugin');
}
