import { inflateRawSync } from 'node:zlib';

/**
 * What a file is, decided from its bytes alone. The name the uploader gave and the Content-Type
 * the browser declared play no part: a PNG named `.pdf` is a PNG, an executable named `.pdf` is
 * refused. Pure: no I/O, so every rule is tested with byte fixtures.
 *
 * Accepted: PDF, PNG, JPEG, Word/Excel/PowerPoint (OOXML and the legacy OLE2 formats).
 * Refused: macro-enabled Office (vbaProject.bin / a macroEnabled content type in OOXML; a VBA
 * storage in OLE2), ZIPs that are not Office documents, executables, HTML/SVG, anything else.
 */

export type AcceptedKind = 'pdf' | 'png' | 'jpeg' | 'docx' | 'xlsx' | 'pptx' | 'doc' | 'xls' | 'ppt';

export interface AcceptedFileType {
  kind: AcceptedKind;
  mediaType: string;
  /** The usual extension, without the dot. */
  extension: string;
  /** Every extension a file of this kind may carry. */
  extensions: readonly string[];
}

/** Why a file was refused: for logs and messages; the client sees the field code NOT_ACCEPTED. */
export type RefusalReason = 'EMPTY' | 'EXECUTABLE' | 'MARKUP' | 'MACROS' | 'ZIP_NOT_OFFICE' | 'OLE_NOT_OFFICE' | 'MALFORMED' | 'UNKNOWN';

export type FileTypeDecision = { accepted: true; type: AcceptedFileType } | { accepted: false; reason: RefusalReason };

export const FILE_TYPES: Readonly<Record<AcceptedKind, AcceptedFileType>> = {
  pdf: { kind: 'pdf', mediaType: 'application/pdf', extension: 'pdf', extensions: ['pdf'] },
  png: { kind: 'png', mediaType: 'image/png', extension: 'png', extensions: ['png'] },
  jpeg: { kind: 'jpeg', mediaType: 'image/jpeg', extension: 'jpg', extensions: ['jpg', 'jpeg', 'jpe'] },
  docx: { kind: 'docx', mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', extension: 'docx', extensions: ['docx', 'dotx'] },
  xlsx: { kind: 'xlsx', mediaType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', extension: 'xlsx', extensions: ['xlsx', 'xltx'] },
  pptx: { kind: 'pptx', mediaType: 'application/vnd.openxmlformats-officedocument.presentationml.presentation', extension: 'pptx', extensions: ['pptx', 'potx', 'ppsx'] },
  doc: { kind: 'doc', mediaType: 'application/msword', extension: 'doc', extensions: ['doc', 'dot'] },
  xls: { kind: 'xls', mediaType: 'application/vnd.ms-excel', extension: 'xls', extensions: ['xls', 'xlt'] },
  ppt: { kind: 'ppt', mediaType: 'application/vnd.ms-powerpoint', extension: 'ppt', extensions: ['ppt', 'pot', 'pps'] },
};

const accept = (kind: AcceptedKind): FileTypeDecision => ({ accepted: true, type: FILE_TYPES[kind] });
const refuse = (reason: RefusalReason): FileTypeDecision => ({ accepted: false, reason });

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const OLE2_SIGNATURE = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);

function startsWith(bytes: Uint8Array, prefix: ArrayLike<number>): boolean {
  if (bytes.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (bytes[i] !== prefix[i]) return false;
  return true;
}

const ascii = (text: string): number[] => [...text].map((c) => c.charCodeAt(0));

export function detectFileType(input: Uint8Array): FileTypeDecision {
  const bytes = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  if (bytes.length === 0) return refuse('EMPTY');
  if (startsWith(bytes, ascii('%PDF-'))) return accept('pdf');
  if (startsWith(bytes, PNG_SIGNATURE)) return accept('png');
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return accept('jpeg');
  if (startsWith(bytes, ascii('PK\x03\x04')) || startsWith(bytes, ascii('PK\x05\x06'))) return detectOoxml(bytes);
  if (startsWith(bytes, OLE2_SIGNATURE)) return detectOle2(bytes);
  if (looksExecutable(bytes)) return refuse('EXECUTABLE');
  if (looksLikeMarkup(bytes)) return refuse('MARKUP');
  return refuse('UNKNOWN');
}

/** MZ (Windows PE/DOS), ELF, Mach-O, `#!` scripts. Only for the reason: they fail the allowlist anyway. */
function looksExecutable(bytes: Buffer): boolean {
  return (
    startsWith(bytes, ascii('MZ')) ||
    startsWith(bytes, [0x7f, 0x45, 0x4c, 0x46]) ||
    startsWith(bytes, ascii('#!')) ||
    [0xfeedface, 0xfeedfacf, 0xcefaedfe, 0xcffaedfe, 0xcafebabe].some((magic) => bytes.length >= 4 && bytes.readUInt32BE(0) === magic)
  );
}

function looksLikeMarkup(bytes: Buffer): boolean {
  const head = bytes.subarray(0, 1024).toString('latin1').replace(/^\uFEFF|^\xEF\xBB\xBF/, '').trimStart().toLowerCase();
  return /^<(!doctype|html|head|body|script|svg|\?xml|!--)/.test(head) || head.includes('<svg') || head.includes('<html');
}

// ─── ZIP / OOXML ────────────────────────────────────────────────────────────────────────────────

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
const MAX_ZIP_ENTRIES = 20_000;
/** [Content_Types].xml is a few kilobytes; more than this is not an Office file (or is a bomb). */
const MAX_CONTENT_TYPES_BYTES = 1024 * 1024;

export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  localHeaderOffset: number;
}

/** The entries of a ZIP's central directory, read from the end-of-central-directory record; null when malformed. */
export function readZipCentralDirectory(bytes: Buffer): ZipEntry[] | null {
  // The EOCD record is 22 bytes plus a comment of up to 65535: search backwards for its signature.
  const lowest = Math.max(0, bytes.length - 22 - 0xffff);
  let eocd = -1;
  for (let i = bytes.length - 22; i >= lowest; i--) {
    if (bytes.readUInt32LE(i) === EOCD_SIGNATURE && i + 22 + bytes.readUInt16LE(i + 20) === bytes.length) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return null;
  const entryCount = bytes.readUInt16LE(eocd + 10);
  const size = bytes.readUInt32LE(eocd + 12);
  const offset = bytes.readUInt32LE(eocd + 16);
  // ZIP64 markers: never needed below the 20 MB limit, and not worth trusting.
  if (entryCount === 0xffff || size === 0xffffffff || offset === 0xffffffff) return null;
  if (entryCount > MAX_ZIP_ENTRIES || offset + size > eocd) return null;
  const entries: ZipEntry[] = [];
  let at = offset;
  for (let n = 0; n < entryCount; n++) {
    if (at + 46 > offset + size || bytes.readUInt32LE(at) !== CENTRAL_SIGNATURE) return null;
    const flags = bytes.readUInt16LE(at + 8);
    const method = bytes.readUInt16LE(at + 10);
    const compressedSize = bytes.readUInt32LE(at + 20);
    const nameLength = bytes.readUInt16LE(at + 28);
    const extraLength = bytes.readUInt16LE(at + 30);
    const commentLength = bytes.readUInt16LE(at + 32);
    const localHeaderOffset = bytes.readUInt32LE(at + 42);
    const end = at + 46 + nameLength + extraLength + commentLength;
    if (end > offset + size) return null;
    const nameBytes = bytes.subarray(at + 46, at + 46 + nameLength);
    // Bit 11: UTF-8 names. Office writes ASCII names, so either decoding finds the parts we look for.
    const name = nameBytes.toString(flags & 0x800 ? 'utf8' : 'latin1');
    entries.push({ name, method, compressedSize, localHeaderOffset });
    at = end;
  }
  return entries;
}

/** The uncompressed bytes of one entry (stored or deflated), at most `limit` of them; null when malformed. */
export function readZipEntry(bytes: Buffer, entry: ZipEntry, limit: number): Buffer | null {
  const at = entry.localHeaderOffset;
  if (at + 30 > bytes.length || bytes.readUInt32LE(at) !== LOCAL_SIGNATURE) return null;
  const start = at + 30 + bytes.readUInt16LE(at + 26) + bytes.readUInt16LE(at + 28);
  const end = start + entry.compressedSize;
  if (end > bytes.length) return null;
  const data = bytes.subarray(start, end);
  try {
    if (entry.method === 0) return data.length <= limit ? Buffer.from(data) : null;
    if (entry.method === 8) return inflateRawSync(data, { maxOutputLength: limit });
  } catch {
    return null;
  }
  return null;
}

const OOXML_MAIN_PARTS: ReadonlyArray<{ folder: string; kind: AcceptedKind }> = [
  { folder: 'word/', kind: 'docx' },
  { folder: 'xl/', kind: 'xlsx' },
  { folder: 'ppt/', kind: 'pptx' },
];

function detectOoxml(bytes: Buffer): FileTypeDecision {
  const entries = readZipCentralDirectory(bytes);
  if (!entries) return refuse('MALFORMED');
  const contentTypes = entries.find((entry) => entry.name === '[Content_Types].xml');
  if (!contentTypes) return refuse('ZIP_NOT_OFFICE');
  const kinds = OOXML_MAIN_PARTS.filter(({ folder }) => entries.some((entry) => entry.name.startsWith(folder)));
  if (kinds.length !== 1) return refuse('ZIP_NOT_OFFICE');
  // A VBA project anywhere (word/vbaProject.bin, xl/vbaProject.bin, ppt/vbaProject.bin, …).
  if (entries.some((entry) => /(^|\/)vbaProject\.bin$/i.test(entry.name) || /(^|\/)vbaData\.xml$/i.test(entry.name))) return refuse('MACROS');
  const xml = readZipEntry(bytes, contentTypes, MAX_CONTENT_TYPES_BYTES);
  if (!xml) return refuse('MALFORMED');
  const text = xml.toString('utf8');
  // .docm/.xlsm/.pptm (and their templates, add-ins) declare a macroEnabled main part; vbaProject is the project's own type.
  if (/macroEnabled/i.test(text) || /vbaProject/i.test(text)) return refuse('MACROS');
  return accept(kinds[0]!.kind);
}

// ─── OLE2 compound files (legacy .doc/.xls/.ppt) ────────────────────────────────────────────────

const FREESECT = 0xffffffff;
const ENDOFCHAIN = 0xfffffffe;
const MAX_SECTORS = 0x100000;

/** The names of a compound file's directory entries; null when malformed. */
export function readOle2DirectoryNames(bytes: Buffer): string[] | null {
  if (bytes.length < 512) return null;
  const sectorShift = bytes.readUInt16LE(0x1e);
  if (sectorShift !== 9 && sectorShift !== 12) return null;
  const sectorSize = 1 << sectorShift;
  const sectorCount = Math.floor((bytes.length - sectorSize) / sectorSize) + (bytes.length % sectorSize ? 1 : 0);
  const sector = (n: number): Buffer | null => {
    if (n >= sectorCount || n >= MAX_SECTORS) return null;
    const start = (n + 1) * sectorSize;
    return start + sectorSize <= bytes.length ? bytes.subarray(start, start + sectorSize) : bytes.length > start ? Buffer.concat([bytes.subarray(start), Buffer.alloc(start + sectorSize - bytes.length)]) : null;
  };

  // The FAT's own sectors: 109 listed in the header, the rest in the DIFAT chain.
  const fatSectorCount = bytes.readUInt32LE(0x2c);
  if (fatSectorCount > sectorCount) return null;
  const fatSectors: number[] = [];
  for (let i = 0; i < 109 && fatSectors.length < fatSectorCount; i++) fatSectors.push(bytes.readUInt32LE(0x4c + i * 4));
  let difat = bytes.readUInt32LE(0x44);
  const seenDifat = new Set<number>();
  while (fatSectors.length < fatSectorCount && difat !== ENDOFCHAIN && difat !== FREESECT) {
    if (seenDifat.has(difat)) return null;
    seenDifat.add(difat);
    const data = sector(difat);
    if (!data) return null;
    const perSector = sectorSize / 4 - 1;
    for (let i = 0; i < perSector && fatSectors.length < fatSectorCount; i++) fatSectors.push(data.readUInt32LE(i * 4));
    difat = data.readUInt32LE(perSector * 4);
  }
  if (fatSectors.length < fatSectorCount) return null;
  const fatParts: Buffer[] = [];
  for (const n of fatSectors) {
    const data = sector(n);
    if (!data) return null;
    fatParts.push(data);
  }
  const fat = Buffer.concat(fatParts);
  const next = (n: number): number => (n * 4 + 4 <= fat.length ? fat.readUInt32LE(n * 4) : ENDOFCHAIN);

  // The directory: a chain of sectors of 128-byte entries, names in UTF-16LE.
  const names: string[] = [];
  const seen = new Set<number>();
  let current = bytes.readUInt32LE(0x30);
  while (current !== ENDOFCHAIN) {
    if (seen.has(current)) return null;
    seen.add(current);
    const data = sector(current);
    if (!data) return null;
    for (let at = 0; at + 128 <= data.length; at += 128) {
      const type = data[at + 0x42];
      if (type === 0) continue; // unused entry
      const nameLength = Math.min(data.readUInt16LE(at + 0x40), 64);
      names.push(data.subarray(at, at + Math.max(0, nameLength - 2)).toString('utf16le'));
    }
    current = next(current);
  }
  return names;
}

const VBA_NAMES = /^(_VBA_PROJECT.*|VBA|Macros|PROJECT|PROJECTwm)$/i;

function detectOle2(bytes: Buffer): FileTypeDecision {
  const names = readOle2DirectoryNames(bytes);
  if (!names || names.length === 0) return refuse('MALFORMED');
  if (names.some((name) => VBA_NAMES.test(name))) return refuse('MACROS');
  const has = (name: string): boolean => names.some((n) => n.toLowerCase() === name.toLowerCase());
  if (has('WordDocument')) return accept('doc');
  if (has('Workbook') || has('Book')) return accept('xls');
  if (has('PowerPoint Document')) return accept('ppt');
  // MSI installers, Outlook .msg, Visio, … are compound files too.
  return refuse('OLE_NOT_OFFICE');
}

// ─── File names ─────────────────────────────────────────────────────────────────────────────────

const KNOWN_EXTENSIONS = new Set([...Object.values(FILE_TYPES).flatMap((type) => type.extensions), 'docm', 'xlsm', 'pptm', 'exe', 'zip', 'html', 'htm', 'svg', 'gif', 'txt']);

/**
 * The name to keep: the uploader's, with an extension that agrees with the content, so that a
 * download opens in the right program (`photo.pdf` that is a PNG becomes `photo.png`).
 */
export function nameForType(fileName: string, type: AcceptedFileType): string {
  const dot = fileName.lastIndexOf('.');
  const extension = dot > 0 ? fileName.slice(dot + 1).toLowerCase() : '';
  if (type.extensions.includes(extension)) return fileName;
  const stem = dot > 0 && KNOWN_EXTENSIONS.has(extension) ? fileName.slice(0, dot) : fileName;
  return `${stem}.${type.extension}`;
}
