import { describe, expect, it } from 'vitest';
import { deflateRawSync } from 'node:zlib';
import { detectFileType, FILE_TYPES, nameForType, readOle2DirectoryNames, readZipCentralDirectory, type FileTypeDecision } from './file-type.js';
import { ascii, contentTypesXml, exeBytes, jpegBytes, ole2Bytes, ooxmlBytes, pdfBytes, pngBytes, zipBytes } from './file-fixtures.js';

const kindOf = (decision: FileTypeDecision): string => (decision.accepted ? decision.type.kind : `refused:${decision.reason}`);

describe('accepted kinds, decided from the bytes', () => {
  it.each([
    ['PDF', pdfBytes(), 'pdf', 'application/pdf'],
    ['PNG', pngBytes(), 'png', 'image/png'],
    ['JPEG', jpegBytes(), 'jpeg', 'image/jpeg'],
    ['Word .docx', ooxmlBytes('docx'), 'docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
    ['Excel .xlsx', ooxmlBytes('xlsx'), 'xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
    ['PowerPoint .pptx', ooxmlBytes('pptx'), 'pptx', 'application/vnd.openxmlformats-officedocument.presentationml.presentation'],
    ['Word 97-2003 .doc', ole2Bytes(['WordDocument', '1Table', '\u0005SummaryInformation']), 'doc', 'application/msword'],
    ['Excel 97-2003 .xls', ole2Bytes(['Workbook', '\u0005SummaryInformation']), 'xls', 'application/vnd.ms-excel'],
    ['Excel 5 .xls', ole2Bytes(['Book']), 'xls', 'application/vnd.ms-excel'],
    ['PowerPoint 97-2003 .ppt', ole2Bytes(['PowerPoint Document', 'Current User', 'Pictures']), 'ppt', 'application/vnd.ms-powerpoint'],
  ])('%s', (_label, bytes, kind, mediaType) => {
    const decision = detectFileType(bytes);
    expect(kindOf(decision)).toBe(kind);
    expect(decision.accepted && decision.type.mediaType).toBe(mediaType);
  });

  it('OOXML with stored (uncompressed) parts and an archive comment', () => {
    const bytes = zipBytes(
      [
        { name: '[Content_Types].xml', data: contentTypesXml('word/document.xml', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml') },
        { name: 'word/document.xml', data: '<w:document/>' },
      ],
      'made by a test',
    );
    expect(kindOf(detectFileType(bytes))).toBe('docx');
  });

  it('an OLE2 directory spread over several chained sectors is read whole', () => {
    const names = ['a', 'b', 'c', 'd', 'e', 'f', 'WordDocument'];
    expect(readOle2DirectoryNames(ole2Bytes(names))).toEqual(['Root Entry', ...names]);
    expect(kindOf(detectFileType(ole2Bytes(names)))).toBe('doc');
  });

  it('a view into a larger buffer is read from its own start', () => {
    const pdf = pdfBytes();
    const big = Buffer.concat([exeBytes(64), pdf]);
    expect(kindOf(detectFileType(big.subarray(64)))).toBe('pdf');
    expect(kindOf(detectFileType(new Uint8Array(big.buffer, big.byteOffset, 64)))).toBe('refused:EXECUTABLE');
  });
});

describe('refused', () => {
  it.each([
    ['an empty file', Buffer.alloc(0), 'EMPTY'],
    ['a 13 MB Windows executable (whatever its name says)', exeBytes(13 * 1024 * 1024), 'EXECUTABLE'],
    ['an ELF binary', Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]), Buffer.alloc(100)]), 'EXECUTABLE'],
    ['a shell script', ascii('#!/bin/sh\nrm -rf /\n'), 'EXECUTABLE'],
    ['a Mach-O binary', Buffer.from([0xcf, 0xfa, 0xed, 0xfe, 7, 0, 0, 1]), 'EXECUTABLE'],
    ['HTML', ascii('<!DOCTYPE html><html><script>alert(1)</script></html>'), 'MARKUP'],
    ['HTML after a BOM and blank lines', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), ascii('\n\n  <html><body>x</body></html>')]), 'MARKUP'],
    ['SVG with an XML declaration', ascii('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'), 'MARKUP'],
    ['bare SVG', ascii('<svg onload="alert(1)"/>'), 'MARKUP'],
    ['a GIF', ascii('GIF89a\x01\x00\x01\x00'), 'UNKNOWN'],
    ['plain text', ascii('just some text'), 'UNKNOWN'],
    ['a PDF signature not at the start', Buffer.concat([ascii(' '), pdfBytes()]), 'UNKNOWN'],
  ])('%s', (_label, bytes, reason) => {
    expect(kindOf(detectFileType(bytes))).toBe(`refused:${reason}`);
  });

  describe('macro-enabled Office', () => {
    it.each([
      ['.xlsm (macroEnabled content type and vbaProject.bin)', ooxmlBytes('xlsm', { vbaProject: true })],
      ['.docm', ooxmlBytes('docm', { vbaProject: true })],
      ['.pptm', ooxmlBytes('pptm', { vbaProject: true })],
      ['a macroEnabled content type without the project', ooxmlBytes('xlsm')],
      ['a vbaProject.bin under an innocent content type (renamed .xlsx)', ooxmlBytes('xlsx', { vbaProject: true })],
      ['.doc with a Macros storage', ole2Bytes(['WordDocument', '1Table', { name: 'Macros', type: 1 }, { name: 'VBA', type: 1 }, 'dir'])],
      ['.xls with _VBA_PROJECT_CUR', ole2Bytes(['Workbook', { name: '_VBA_PROJECT_CUR', type: 1 }, { name: 'VBA', type: 1 }])],
      ['.ppt with a VBA storage', ole2Bytes(['PowerPoint Document', { name: 'VBA', type: 1 }])],
      ['a VBA storage in a later directory sector', ole2Bytes(['WordDocument', '1Table', 'x', 'y', 'z', 'w', { name: '_VBA_PROJECT', type: 2 }])],
    ])('%s', (_label, bytes) => {
      expect(kindOf(detectFileType(bytes))).toBe('refused:MACROS');
    });
  });

  describe('ZIPs that are not Office documents', () => {
    it.each([
      ['a plain ZIP', zipBytes([{ name: 'readme.txt', data: 'hello', deflate: true }])],
      ['a Java archive', zipBytes([{ name: 'META-INF/MANIFEST.MF', data: 'Main-Class: X' }, { name: 'X.class', data: Buffer.from([0xca, 0xfe, 0xba, 0xbe]) }])],
      ['Office folders without [Content_Types].xml', ooxmlBytes('docx', { omitContentTypes: true })],
      ['[Content_Types].xml without word/, xl/ or ppt/', zipBytes([{ name: '[Content_Types].xml', data: contentTypesXml('Documents/1.fpage', 'application/vnd.ms-package.xps-fixedpage+xml') }, { name: 'Documents/1.fpage', data: '<x/>' }])],
      [
        'two main folders at once',
        zipBytes([
          { name: '[Content_Types].xml', data: contentTypesXml('word/document.xml', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml') },
          { name: 'word/document.xml', data: '<x/>' },
          { name: 'xl/workbook.xml', data: '<x/>' },
        ]),
      ],
      ['an empty ZIP', zipBytes([])],
    ])('%s', (_label, bytes) => {
      expect(kindOf(detectFileType(bytes))).toBe('refused:ZIP_NOT_OFFICE');
    });

    it('an OLE2 file that is no Office document (an installer, a mail message)', () => {
      expect(kindOf(detectFileType(ole2Bytes(['\u0005SummaryInformation', '\u4840\u3f3f\u4577'])))).toBe('refused:OLE_NOT_OFFICE');
      expect(kindOf(detectFileType(ole2Bytes(['__substg1.0_0037001F', '__properties_version1.0'])))).toBe('refused:OLE_NOT_OFFICE');
    });
  });

  describe('malformed containers', () => {
    it('a ZIP signature followed by garbage', () => {
      expect(kindOf(detectFileType(Buffer.concat([ascii('PK\x03\x04'), Buffer.alloc(200, 0x11)])))).toBe('refused:MALFORMED');
    });

    it('a central directory that points past its end record', () => {
      const bytes = ooxmlBytes('docx');
      bytes.writeUInt32LE(bytes.length, bytes.length - 22 + 16);
      expect(readZipCentralDirectory(bytes)).toBeNull();
      expect(kindOf(detectFileType(bytes))).toBe('refused:MALFORMED');
    });

    it('ZIP64 markers are not trusted', () => {
      const bytes = ooxmlBytes('docx');
      bytes.writeUInt16LE(0xffff, bytes.length - 22 + 10);
      expect(kindOf(detectFileType(bytes))).toBe('refused:MALFORMED');
    });

    it('a [Content_Types].xml that inflates past 1 MB (a zip bomb) is not read', () => {
      const bomb = deflateRawSync(Buffer.alloc(5 * 1024 * 1024, 0x20));
      const bytes = zipBytes([{ name: '[Content_Types].xml', data: bomb }, { name: 'word/document.xml', data: '<x/>' }]);
      // Mark the stored bomb as deflated in both headers.
      const entries = readZipCentralDirectory(bytes)!;
      bytes.writeUInt16LE(8, entries[0]!.localHeaderOffset + 8);
      const central = bytes.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
      bytes.writeUInt16LE(8, central + 10);
      expect(readZipCentralDirectory(bytes)![0]!.method).toBe(8);
      expect(kindOf(detectFileType(bytes))).toBe('refused:MALFORMED');
    });

    it('an OLE2 signature followed by garbage, or a directory chain that loops', () => {
      const garbage = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(600, 0x11)]);
      expect(kindOf(detectFileType(garbage))).toBe('refused:MALFORMED');
      const looping = ole2Bytes(['WordDocument']);
      looping.writeUInt32LE(2, 512 + 2 * 4); // the directory sector points at itself
      expect(readOle2DirectoryNames(looping)).toBeNull();
      expect(kindOf(detectFileType(looping))).toBe('refused:MALFORMED');
    });
  });
});

describe('nameForType: the kept name agrees with the content', () => {
  it.each([
    ['report.pdf', 'pdf', 'report.pdf'],
    ['photo.PDF', 'png', 'photo.png'],
    ['scan.jpeg', 'jpeg', 'scan.jpeg'],
    ['scan.JPG', 'jpeg', 'scan.JPG'],
    ['提案書', 'docx', '提案書.docx'],
    ['budget.v2', 'xlsx', 'budget.v2.xlsx'],
    ['.pdf', 'pdf', '.pdf.pdf'],
    ['slides.exe', 'ppt', 'slides.ppt'],
  ] as const)('%s as %s → %s', (name, kind, expected) => {
    expect(nameForType(name, FILE_TYPES[kind])).toBe(expected);
  });
});
