/**
 * Small synthetic plugin files for the fuzzer's unit tests, made without a compiler: a .cmo, a .cma and a .cmxs
 * (ELF64) with the structure of the real ones (magic numbers, code sections, marshalled descriptors, the ELF tables
 * and the plugin header) and recognisable code bytes.
 */

/** A value to marshal: an int, a string, or a block. */
export type MValue = number | string | { tag: number; fields: MValue[] };

const block = (tag: number, ...fields: MValue[]): MValue => ({ tag, fields });
const list = (items: MValue[]): MValue => items.reduceRight<MValue>((tl, hd) => block(0, hd, tl), 0);
const some = (v: MValue): MValue => block(0, v);

/** Marshals a value as OCaml's extern.c does (small header, no sharing). */
export function marshal(v: MValue): Buffer {
  const out: number[] = [];
  let objects = 0;
  const u32 = (n: number) => out.push((n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);
  const write = (x: MValue) => {
    if (typeof x === 'number') {
      if (x >= 0 && x < 0x40) out.push(0x40 + x);
      else if (x >= -128 && x < 128) out.push(0x00, x & 0xff);
      else if (x >= -32768 && x < 32768) out.push(0x01, (x >> 8) & 0xff, x & 0xff);
      else {
        out.push(0x02);
        u32(x);
      }
    } else if (typeof x === 'string') {
      objects++;
      const bytes = Buffer.from(x, 'latin1');
      if (bytes.length < 0x20) out.push(0x20 + bytes.length);
      else out.push(0x09, bytes.length);
      out.push(...bytes);
    } else {
      objects++;
      if (x.tag < 16 && x.fields.length < 8) out.push(0x80 + x.tag + (x.fields.length << 4));
      else {
        out.push(0x08);
        u32((x.fields.length << 10) | x.tag);
      }
      for (const f of x.fields) write(f);
    }
  };
  write(v);
  const header = Buffer.alloc(20);
  header.writeUInt32BE(0x8495a6be, 0);
  header.writeUInt32BE(out.length, 4);
  header.writeUInt32BE(objects, 8);
  header.writeUInt32BE(objects * 3, 12);
  header.writeUInt32BE(objects * 3, 16);
  return Buffer.concat([header, Buffer.from(out)]);
}

const DIGEST = 'ABCDEFGHIJKLMNOP';

/** A compilation_unit record (file_formats/cmo_format.mli) for code at [pos, pos + codesize). */
function compilationUnit(name: string, pos: number, codesize: number): MValue {
  const reloc = list([block(0, block(1, 'Stdlib'), 4), block(0, block(4, 'caml_hash'), 12), block(0, block(3, name), 20)]);
  const imports = list([block(0, 'Stdlib', some(DIGEST)), block(0, name, some(DIGEST))]);
  return block(0, name, pos, codesize, reloc, imports, list(['Stdlib']), list(['caml_hash']), 0, 0, 0);
}

/** Code bytes that cannot be mistaken for anything else: (i * 7 + 3) mod 256. */
export function codeBytes(n: number, salt = 0): Buffer {
  return Buffer.from(Array.from({ length: n }, (_, i) => (i * 7 + 3 + salt) & 0xff));
}

/** A .cmo: magic, descriptor offset, 64 bytes of code at 16, the descriptor. Returns the file and its code span. */
export function fakeCmo(): { bytes: Buffer; code: { start: number; end: number } } {
  const code = codeBytes(64);
  const descriptor = marshal(compilationUnit('Fake', 16, code.length));
  const head = Buffer.alloc(16);
  head.write('Caml1999O035', 0, 'latin1');
  head.writeUInt32BE(16 + code.length, 12);
  return { bytes: Buffer.concat([head, code, descriptor]), code: { start: 16, end: 16 + code.length } };
}

/** A .cma of two units: magic, descriptor offset, the two code sections, the library descriptor. */
export function fakeCma(): { bytes: Buffer; code: { start: number; end: number }[] } {
  const a = codeBytes(32, 1);
  const b = codeBytes(52, 2);
  const lib = block(0, list([compilationUnit('Fake_a', 16, a.length), compilationUnit('Fake_b', 16 + a.length, b.length)]), 0, 0, 0, 0);
  const head = Buffer.alloc(16);
  head.write('Caml1999A035', 0, 'latin1');
  head.writeUInt32BE(16 + a.length + b.length, 12);
  return {
    bytes: Buffer.concat([head, a, b, marshal(lib)]),
    code: [
      { start: 16, end: 16 + a.length },
      { start: 16 + a.length, end: 16 + a.length + b.length },
    ],
  };
}

/** The plugin header of a .cmxs (Cmxs_format.dynheader) of one unit. */
export function pluginHeader(): Buffer {
  const imports = list([block(0, 'Stdlib', some(DIGEST))]);
  const unit = block(0, 'Fake', DIGEST, imports, imports, list(['Fake']));
  return marshal(block(0, 'Caml1999D035', list([unit])));
}

interface FakeSection {
  name: string;
  type: number;
  data: Buffer;
  link?: number;
  entsize?: number;
}

/**
 * A .cmxs: an ELF64 little-endian shared object with one PT_LOAD, a .text, a .data holding the plugin header, a
 * .dynamic, .dynsym/.dynstr, .symtab/.strtab (naming caml_plugin_header) and .shstrtab. Addresses equal offsets.
 * Returns the file and the offset of the plugin header.
 */
export function fakeCmxs(): { bytes: Buffer; headerOffset: number } {
  const strtab = (names: string[]) => {
    const offsets: number[] = [];
    let s = '\0';
    for (const n of names) {
      offsets.push(s.length);
      s += `${n}\0`;
    }
    return { data: Buffer.from(s, 'latin1'), offsets };
  };
  const sym = (name: number, shndx: number, value: number) => {
    const b = Buffer.alloc(24);
    b.writeUInt32LE(name, 0);
    b.writeUInt8(0x10, 4); // GLOBAL NOTYPE
    b.writeUInt16LE(shndx, 6);
    b.writeBigUInt64LE(BigInt(value), 8);
    return b;
  };
  const dyn = (tag: number, val: number) => {
    const b = Buffer.alloc(16);
    b.writeBigUInt64LE(BigInt(tag), 0);
    b.writeBigUInt64LE(BigInt(val), 8);
    return b;
  };
  const names = ['', '.text', '.data', '.dynamic', '.dynsym', '.dynstr', '.symtab', '.strtab', '.shstrtab'];
  const shstr = strtab(names.slice(1));
  const dynstr = strtab(['caml_plugin_header']);
  const symstr = strtab(['caml_plugin_header']);
  const header = pluginHeader();
  // Section data is laid out after the ELF header and the one program header; .data's symbol is at its start.
  const sections: FakeSection[] = [
    { name: '', type: 0, data: Buffer.alloc(0) },
    { name: '.text', type: 1, data: Buffer.alloc(16, 0x90) },
    { name: '.data', type: 1, data: header },
    { name: '.dynamic', type: 6, data: Buffer.concat([dyn(5, 0), dyn(0, 0)]), link: 5, entsize: 16 },
    { name: '.dynsym', type: 11, data: Buffer.concat([Buffer.alloc(24), sym(dynstr.offsets[0]!, 2, 0)]), link: 5, entsize: 24 },
    { name: '.dynstr', type: 3, data: dynstr.data },
    { name: '.symtab', type: 2, data: Buffer.concat([Buffer.alloc(24), sym(symstr.offsets[0]!, 2, 0)]), link: 7, entsize: 24 },
    { name: '.strtab', type: 3, data: symstr.data },
    { name: '.shstrtab', type: 3, data: shstr.data },
  ];
  let offset = 64 + 56;
  const placed = sections.map((s) => {
    offset = (offset + 7) & ~7;
    const at = s.type === 0 ? 0 : offset;
    if (s.type !== 0) offset += s.data.length;
    return { ...s, at };
  });
  const shoff = (offset + 7) & ~7;
  const size = shoff + 64 * sections.length;
  const out = Buffer.alloc(size);
  // ELF header
  out.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0], 0);
  out.writeUInt16LE(3, 16); // ET_DYN
  out.writeUInt16LE(62, 18); // x86-64
  out.writeUInt32LE(1, 20);
  out.writeBigUInt64LE(64n, 32); // e_phoff
  out.writeBigUInt64LE(BigInt(shoff), 40);
  out.writeUInt16LE(64, 52);
  out.writeUInt16LE(56, 54);
  out.writeUInt16LE(1, 56);
  out.writeUInt16LE(64, 58);
  out.writeUInt16LE(sections.length, 60);
  out.writeUInt16LE(sections.length - 1, 62);
  // One PT_LOAD of the whole file.
  out.writeUInt32LE(1, 64);
  out.writeUInt32LE(5, 68);
  out.writeBigUInt64LE(BigInt(size), 64 + 32);
  out.writeBigUInt64LE(BigInt(size), 64 + 40);
  out.writeBigUInt64LE(0x1000n, 64 + 48);
  const dataAt = placed[2]!.at;
  placed.forEach((s, i) => {
    s.data.copy(out, s.at);
    // The symbols' value: the address (here, the offset) of .data.
    if (s.type === 2 || s.type === 11) out.writeBigUInt64LE(BigInt(dataAt), s.at + 24 + 8);
    const h = shoff + 64 * i;
    out.writeUInt32LE(i === 0 ? 0 : shstr.offsets[i - 1]!, h);
    out.writeUInt32LE(s.type, h + 4);
    out.writeBigUInt64LE(BigInt(s.at), h + 16); // sh_addr = offset
    out.writeBigUInt64LE(BigInt(s.at), h + 24);
    out.writeBigUInt64LE(BigInt(s.data.length), h + 32);
    out.writeUInt32LE(s.link ?? 0, h + 40);
    out.writeBigUInt64LE(BigInt(s.entsize ?? 0), h + 56);
  });
  return { bytes: out, headerOffset: dataAt };
}
