import { deflateRawSync } from 'node:zlib';

/**
 * Test support: real byte layouts of the formats file-type.ts decides on, built from their
 * specifications (ZIP APPNOTE, [MS-CFB]) so the tests need no binary files in the repository.
 */

export const ascii = (text: string): Buffer => Buffer.from(text, 'latin1');

export function pdfBytes(extra = 0): Buffer {
  return Buffer.concat([ascii('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n'), Buffer.alloc(extra, 0x20), ascii('%%EOF\n')]);
}

export function pngBytes(): Buffer {
  const ihdr = Buffer.from([0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0, 0x1f, 0x15, 0xc4, 0x89]);
  const iend = Buffer.from([0, 0, 0, 0, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82]);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), ihdr, iend]);
}

export function jpegBytes(): Buffer {
  return Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]), ascii('JFIF\0'), Buffer.from([1, 1, 0, 0, 1, 0, 1, 0, 0, 0xff, 0xd9])]);
}

export interface ZipInput {
  name: string;
  data: string | Buffer;
  /** Deflate (method 8) rather than store (method 0). */
  deflate?: boolean;
}

/** A ZIP archive: local headers and data, the central directory, the end-of-central-directory record. */
export function zipBytes(entries: ZipInput[], comment = ''): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const raw = typeof entry.data === 'string' ? Buffer.from(entry.data, 'utf8') : entry.data;
    const data = entry.deflate ? deflateRawSync(raw) : raw;
    const name = Buffer.from(entry.name, 'utf8');
    const method = entry.deflate ? 8 : 0;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x800, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(0, 14); // CRC: not checked by the sniffer
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(raw.length, 22);
    local.writeUInt16LE(name.length, 26);
    locals.push(local, name, data);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x800, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(raw.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    offset += local.length + name.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(entries.length, 8);
  eocd.writeUInt16LE(entries.length, 10);
  eocd.writeUInt32LE(directory.length, 12);
  eocd.writeUInt32LE(offset, 16);
  eocd.writeUInt16LE(Buffer.byteLength(comment), 20);
  return Buffer.concat([...locals, directory, eocd, Buffer.from(comment)]);
}

const MAIN_TYPES = {
  docx: ['word/document.xml', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml'],
  xlsx: ['xl/workbook.xml', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml'],
  pptx: ['ppt/presentation.xml', 'application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml'],
  docm: ['word/document.xml', 'application/vnd.ms-word.document.macroEnabled.main+xml'],
  xlsm: ['xl/workbook.xml', 'application/vnd.ms-excel.sheet.macroEnabled.main+xml'],
  pptm: ['ppt/presentation.xml', 'application/vnd.ms-powerpoint.presentation.macroEnabled.main+xml'],
} as const;

export function contentTypesXml(mainPart: string, mainType: string, extra = ''): string {
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>' +
    `<Override PartName="/${mainPart}" ContentType="${mainType}"/>${extra}</Types>`
  );
}

/** An Office Open XML package as Word/Excel/PowerPoint write it (deflated parts). */
export function ooxmlBytes(kind: keyof typeof MAIN_TYPES, options: { vbaProject?: boolean; omitContentTypes?: boolean } = {}): Buffer {
  const [mainPart, mainType] = MAIN_TYPES[kind];
  const folder = mainPart.split('/')[0]!;
  const entries: ZipInput[] = [];
  if (!options.omitContentTypes) entries.push({ name: '[Content_Types].xml', data: contentTypesXml(mainPart, mainType), deflate: true });
  entries.push({ name: '_rels/.rels', data: '<Relationships/>', deflate: true });
  entries.push({ name: 'docProps/core.xml', data: '<cp:coreProperties/>', deflate: true });
  entries.push({ name: mainPart, data: '<document>連携</document>', deflate: true });
  if (options.vbaProject) entries.push({ name: `${folder}/vbaProject.bin`, data: Buffer.alloc(512, 7) });
  return zipBytes(entries);
}

export interface OleEntry {
  name: string;
  /** 1 storage, 2 stream. */
  type?: 1 | 2;
}

/**
 * A compound file ([MS-CFB]) with version-3 512-byte sectors: header, one FAT sector, then the
 * directory (four 128-byte entries per sector, chained through the FAT).
 */
export function ole2Bytes(names: Array<string | OleEntry>): Buffer {
  const sectorSize = 512;
  const entries: OleEntry[] = [{ name: 'Root Entry', type: 1 }, ...names.map((n) => (typeof n === 'string' ? { name: n, type: 2 as const } : n))];
  const directorySectors = Math.ceil(entries.length / 4);
  const header = Buffer.alloc(sectorSize, 0);
  Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(header, 0);
  header.writeUInt16LE(0x3e, 0x18);
  header.writeUInt16LE(3, 0x1a);
  header.writeUInt16LE(0xfffe, 0x1c);
  header.writeUInt16LE(9, 0x1e);
  header.writeUInt16LE(6, 0x20);
  header.writeUInt32LE(1, 0x2c); // FAT sectors
  // The directory starts at sector 2 (sector 0 is the FAT, sector 1 is left as filler) to prove chains are followed.
  header.writeUInt32LE(2, 0x30);
  header.writeUInt32LE(4096, 0x38);
  header.writeUInt32LE(0xfffffffe, 0x3c);
  header.writeUInt32LE(0xfffffffe, 0x44);
  for (let i = 0; i < 109; i++) header.writeUInt32LE(i === 0 ? 0 : 0xffffffff, 0x4c + i * 4);
  const fat = Buffer.alloc(sectorSize, 0xff);
  fat.writeUInt32LE(0xfffffffd, 0); // sector 0: the FAT itself
  fat.writeUInt32LE(0xfffffffe, 4); // sector 1: filler stream
  for (let s = 0; s < directorySectors; s++) fat.writeUInt32LE(s === directorySectors - 1 ? 0xfffffffe : 2 + s + 1, (2 + s) * 4);
  const filler = Buffer.alloc(sectorSize, 0x41);
  const directory = Buffer.alloc(directorySectors * sectorSize, 0);
  entries.forEach((entry, index) => {
    const at = index * 128;
    const name = Buffer.from(`${entry.name}\0`, 'utf16le');
    name.copy(directory, at, 0, Math.min(name.length, 64));
    directory.writeUInt16LE(Math.min(name.length, 64), at + 0x40);
    directory[at + 0x42] = index === 0 ? 5 : (entry.type ?? 2);
    directory.writeUInt32LE(0xffffffff, at + 0x44);
    directory.writeUInt32LE(0xffffffff, at + 0x48);
    directory.writeUInt32LE(0xffffffff, at + 0x4c);
  });
  return Buffer.concat([header, fat, filler, directory]);
}

/** A Windows executable's start (DOS stub and PE signature), padded to `size` bytes. */
export function exeBytes(size = 4096): Buffer {
  const bytes = Buffer.alloc(size, 0);
  ascii('MZ').copy(bytes, 0);
  bytes.writeUInt32LE(0x80, 0x3c);
  ascii('This program cannot be run in DOS mode.').copy(bytes, 0x4e);
  ascii('PE\0\0').copy(bytes, 0x80);
  return bytes;
}
