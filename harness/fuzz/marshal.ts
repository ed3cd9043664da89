/**
 * A reader of OCaml's marshalled values (runtime/intern.c, 64-bit), for the fuzzer: it does not rebuild the value,
 * it says where each object lies in the file, so that mutations can aim at one field of a record (a relocation
 * entry of a compilation unit, a primitive name, the CRC of a plugin's unit) and at the integers of the encoding.
 */

/** An integer as written in a file: where, how wide, which byte order. */
export interface IntField {
  offset: number;
  width: 1 | 2 | 4 | 8;
  endian: 'be' | 'le';
}

export type NodeKind = 'int' | 'block' | 'string' | 'double' | 'double-array' | 'shared' | 'custom' | 'code-pointer';

export interface MarshalNode {
  kind: NodeKind;
  /** Offset of the object's code byte. */
  start: number;
  /** Offset just past the object and, for a block, all its fields. */
  end: number;
  /** Blocks: their tag and fields, in order. */
  tag?: number;
  fields: MarshalNode[];
  /** Integers of the object's own encoding: the code byte of the short forms, else the length, header or value after it. */
  ints: IntField[];
  /** int: the value; string: its bytes as latin1 text. */
  value?: bigint;
  text?: string;
}

export interface Marshalled {
  /** Offset of the magic number. */
  start: number;
  /** Offset of the first object (the header's end). */
  dataStart: number;
  /** Offset just past the data, as the header says (data_len). */
  end: number;
  /** The header's integers: magic, data length, number of objects, sizes. */
  headerInts: IntField[];
  dataLen: number;
  numObjects: number;
  root: MarshalNode;
}

export class MarshalError extends Error {
  constructor(message: string, readonly offset: number) {
    super(`${message} at offset ${offset}`);
    this.name = 'MarshalError';
  }
}

const MAGIC_SMALL = 0x8495a6be;
const MAGIC_BIG = 0x8495a6bf;
const MAGIC_COMPRESSED = 0x8495a6bd;

/** Custom blocks whose serialized size the reader knows (CODE_CUSTOM_FIXED). */
const FIXED_CUSTOM_SIZES: Record<string, number> = { _j: 8, _i: 4, _n: 8 };

/** Reads the marshalled value that starts at `start` in `buf`; throws MarshalError where it is malformed or unknown. */
export function parseMarshal(buf: Uint8Array, start: number): Marshalled {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const need = (at: number, n: number) => {
    if (at < 0 || at + n > buf.length) throw new MarshalError(`truncated (needs ${n} bytes)`, at);
  };
  need(start, 4);
  const magic = view.getUint32(start);
  let dataStart: number;
  let dataLen: number;
  let numObjects: number;
  const be = (offset: number, width: 4 | 8): IntField => ({ offset, width, endian: 'be' });
  let headerInts: IntField[];
  if (magic === MAGIC_SMALL) {
    need(start, 20);
    dataLen = view.getUint32(start + 4);
    numObjects = view.getUint32(start + 8);
    dataStart = start + 20;
    headerInts = [be(start, 4), be(start + 4, 4), be(start + 8, 4), be(start + 12, 4), be(start + 16, 4)];
  } else if (magic === MAGIC_BIG) {
    need(start, 32);
    dataLen = Number(view.getBigUint64(start + 8));
    numObjects = Number(view.getBigUint64(start + 16));
    dataStart = start + 32;
    headerInts = [be(start, 4), be(start + 4, 4), be(start + 8, 8), be(start + 16, 8), be(start + 24, 8)];
  } else if (magic === MAGIC_COMPRESSED) {
    throw new MarshalError('compressed marshalled data is not read', start);
  } else {
    throw new MarshalError(`bad magic number 0x${magic.toString(16)}`, start);
  }

  let pos = dataStart;
  const u8 = () => {
    need(pos, 1);
    return buf[pos++]!;
  };
  const leaf = (kind: NodeKind, at: number, ints: IntField[], extra: Partial<MarshalNode> = {}): MarshalNode => ({ kind, start: at, end: pos, fields: [], ints, ...extra });
  const bytes = (n: number) => {
    need(pos, n);
    const s = Buffer.from(buf.buffer, buf.byteOffset + pos, n).toString('latin1');
    pos += n;
    return s;
  };
  const readInt = (width: 1 | 2 | 4 | 8, signed: boolean): bigint => {
    need(pos, width);
    const v =
      width === 1
        ? BigInt(signed ? view.getInt8(pos) : view.getUint8(pos))
        : width === 2
          ? BigInt(signed ? view.getInt16(pos) : view.getUint16(pos))
          : width === 4
            ? BigInt(signed ? view.getInt32(pos) : view.getUint32(pos))
            : signed
              ? view.getBigInt64(pos)
              : view.getBigUint64(pos);
    pos += width;
    return v;
  };

  // An explicit stack: marshalled lists are as deep as they are long.
  const readObject = (): MarshalNode => {
    const at = pos;
    const code = u8();
    const codeByte: IntField = { offset: at, width: 1, endian: 'be' };
    if (code >= 0x80) return block(at, code & 0xf, (code >> 4) & 7, [codeByte]);
    if (code >= 0x40) return leaf('int', at, [codeByte], { value: BigInt(code & 0x3f) });
    if (code >= 0x20) {
      const text = bytes(code & 0x1f);
      return leaf('string', at, [codeByte], { text });
    }
    switch (code) {
      case 0x00:
      case 0x01:
      case 0x02:
      case 0x03: {
        const width = ([1, 2, 4, 8] as const)[code]!;
        const value = readInt(width, true);
        return leaf('int', at, [{ offset: at + 1, width, endian: 'be' }], { value });
      }
      case 0x04:
      case 0x05:
      case 0x06:
      case 0x14: {
        const width = code === 0x04 ? 1 : code === 0x05 ? 2 : code === 0x06 ? 4 : 8;
        readInt(width, false);
        return leaf('shared', at, [{ offset: at + 1, width, endian: 'be' }]);
      }
      case 0x08:
      case 0x13: {
        const width = code === 0x08 ? 4 : 8;
        const header = readInt(width, false);
        return block(at, Number(header & 0xffn), Number(header >> 10n), [{ offset: at + 1, width, endian: 'be' }]);
      }
      case 0x09:
      case 0x0a:
      case 0x15: {
        const width = code === 0x09 ? 1 : code === 0x0a ? 4 : 8;
        const len = Number(readInt(width, false));
        const text = bytes(len);
        return leaf('string', at, [{ offset: at + 1, width, endian: 'be' }], { text });
      }
      case 0x0b:
      case 0x0c:
        bytes(8);
        return leaf('double', at, []);
      case 0x0d:
      case 0x0e:
      case 0x07:
      case 0x0f:
      case 0x16:
      case 0x17: {
        const width = code === 0x0d || code === 0x0e ? 1 : code === 0x16 || code === 0x17 ? 8 : 4;
        const len = Number(readInt(width, false));
        bytes(8 * len);
        return leaf('double-array', at, [{ offset: at + 1, width, endian: 'be' }]);
      }
      case 0x10:
      case 0x11: {
        readInt(4, false);
        bytes(16);
        if (code === 0x11) readInt(4, false);
        return leaf('code-pointer', at, []);
      }
      case 0x18:
      case 0x19: {
        const nul = buf.indexOf(0, pos);
        if (nul < 0) throw new MarshalError('custom block identifier without its NUL', pos);
        const id = bytes(nul - pos);
        pos++;
        if (code === 0x18) {
          const ints: IntField[] = [{ offset: pos, width: 4, endian: 'be' }, { offset: pos + 4, width: 8, endian: 'be' }];
          readInt(4, false);
          const size = Number(readInt(8, false));
          bytes(size);
          return leaf('custom', at, ints, { text: id });
        }
        const size = FIXED_CUSTOM_SIZES[id];
        if (size === undefined) throw new MarshalError(`custom block ${JSON.stringify(id)} of unknown size`, at);
        bytes(size);
        return leaf('custom', at, [], { text: id });
      }
      default:
        throw new MarshalError(`unknown code 0x${code.toString(16)}`, at);
    }
  };

  // Blocks are filled by the loop below, not by recursion.
  const pending: Array<{ node: MarshalNode; left: number }> = [];
  const block = (at: number, tag: number, size: number, ints: IntField[]): MarshalNode => {
    const node: MarshalNode = { kind: 'block', start: at, end: pos, tag, fields: [], ints };
    if (size > 0) pending.push({ node, left: size });
    return node;
  };

  const root = readObject();
  while (pending.length > 0) {
    const top = pending[pending.length - 1]!;
    const child = readObject();
    top.node.fields.push(child);
    top.left--;
    // A block on top of the stack has no open field left below it: once its count is done, it ends here.
    while (pending.length > 0 && pending[pending.length - 1]!.left === 0) pending.pop()!.node.end = pos;
  }
  if (pos !== dataStart + dataLen) throw new MarshalError(`data ends at ${pos}, the header says ${dataStart + dataLen}`, pos);
  return { start, dataStart, end: pos, headerInts, dataLen, numObjects, root };
}

/** Every node of the tree, parents before their fields. */
export function allNodes(root: MarshalNode): MarshalNode[] {
  const out: MarshalNode[] = [];
  const stack = [root];
  while (stack.length > 0) {
    const n = stack.pop()!;
    out.push(n);
    for (let i = n.fields.length - 1; i >= 0; i--) stack.push(n.fields[i]!);
  }
  return out;
}

/** The elements of an OCaml list (blocks of tag 0 and two fields, ending in the int 0). */
export function listItems(node: MarshalNode): MarshalNode[] {
  const out: MarshalNode[] = [];
  let n = node;
  while (n.kind === 'block' && n.fields.length === 2) {
    out.push(n.fields[0]!);
    n = n.fields[1]!;
  }
  return out;
}
