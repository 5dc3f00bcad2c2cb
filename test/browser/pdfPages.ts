/**
 * What a printed page really is on paper: the PDF Chromium prints (page.pdf, as the print dialog's
 * "save as PDF" does) read back with poppler-utils — pdfinfo (pages, page sizes), pdffonts (are the
 * fonts embedded, with a Unicode map), pdftotext -layout (the text a reader sees, page by page) and
 * pdftoppm (a 60 dpi PNG of every page, to look at). Files go to test-output/screenshots/<name>*.
 * Without poppler-utils the test fails and says what to install: paper is never left unchecked.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { SCREENSHOT_DIR } from '../support/browser.ts';

const run = promisify(execFile);

/** Loopback addresses: on paper nobody can scan or type them to reach the venue's server. */
export const LOOPBACK = /127\.0\.0\.1|localhost|\[::1\]/i;

/** A4 in PDF points (1/72 in): 210 × 297 mm. */
const A4 = { short: 595.28, long: 841.89 };

export interface PdfPageInfo {
  /** In PDF points. */
  width: number;
  height: number;
  orientation: 'portrait' | 'landscape';
  /** 210 × 297 mm either way round (within 1 mm). */
  a4: boolean;
}

export interface PdfFont {
  name: string;
  embedded: boolean;
  /** Has a ToUnicode map: the text can be searched and copied (not just drawn). */
  unicode: boolean;
}

export interface PdfPages {
  /** test-output/screenshots/<name>.pdf */
  pdfPath: string;
  /** One entry per page, as pdfinfo reports it. */
  pages: PdfPageInfo[];
  fonts: PdfFont[];
  /**
   * pdftotext -layout of each page: the lines as they stand on the paper, cells side by side (a
   * wrapped cell's words are split among its neighbours'). <name>.txt holds them all.
   */
  layout: string[];
  /**
   * pdftotext -raw of each page: the words in the order they were set, so a table cell's text stays
   * together (broken only where it wraps); what the tests search for words.
   */
  texts: string[];
  /** All pages' raw text. */
  text: string;
  /** The pages as PNG, 60 dpi: test-output/screenshots/<name>-page-<n>.png. */
  pngs: string[];
}

/** The text without any white space: letter-spaced titles (评 分 表) and wrapped lines compare whole. */
export function compact(text: string): string {
  return text.replace(/\s+/g, '');
}

async function poppler(tool: string, args: string[]): Promise<string> {
  try {
    const { stdout } = await run(tool, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    return stdout;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error(
        `${tool} is not installed: the printed-paper checks need poppler-utils (apt-get install -y poppler-utils)`,
        { cause: error },
      );
    }
    throw error;
  }
}

function pageInfo(width: number, height: number): PdfPageInfo {
  const mm = 72 / 25.4;
  const [short, long] = width < height ? [width, height] : [height, width];
  return {
    width,
    height,
    orientation: width > height ? 'landscape' : 'portrait',
    a4: Math.abs(short - A4.short) < mm && Math.abs(long - A4.long) < mm,
  };
}

/** `pdffonts` table rows: name … emb sub uni object-number generation. */
function parseFonts(listing: string): PdfFont[] {
  return listing
    .split('\n')
    .slice(2)
    .map((line) => line.trim().split(/\s+/))
    .filter((cols) => cols.length >= 6)
    .map((cols) => ({
      name: cols[0] ?? '',
      embedded: cols[cols.length - 5] === 'yes',
      unicode: cols[cols.length - 3] === 'yes',
    }));
}

/** Save `pdf` as test-output/screenshots/<name>.pdf and read it back as paper. */
export async function pdfPages(pdf: Buffer, name: string): Promise<PdfPages> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const pdfPath = join(SCREENSHOT_DIR, `${name}.pdf`);
  writeFileSync(pdfPath, pdf);

  const count = Number(/^Pages:\s+(\d+)/m.exec(await poppler('pdfinfo', [pdfPath]))?.[1] ?? 0);
  const sizes = await poppler('pdfinfo', ['-f', '1', '-l', String(count), pdfPath]);
  const pages = [...sizes.matchAll(/^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts/gm)].map((m) =>
    pageInfo(Number(m[1]), Number(m[2])),
  );
  if (pages.length !== count) throw new Error(`pdfinfo listed ${pages.length} page sizes for ${count} pages`);

  const fonts = parseFonts(await poppler('pdffonts', [pdfPath]));

  // pdftotext ends every page with a form feed.
  const layoutText = await poppler('pdftotext', ['-layout', '-enc', 'UTF-8', pdfPath, '-']);
  writeFileSync(join(SCREENSHOT_DIR, `${name}.txt`), layoutText);
  const layout = layoutText.split('\f').slice(0, count);
  const text = await poppler('pdftotext', ['-raw', '-enc', 'UTF-8', pdfPath, '-']);
  const texts = text.split('\f').slice(0, count);

  // pdftoppm pads page numbers to the page count's width (-1 or -01); rename to -page-<n>. A
  // previous run's pages go first, so a shorter PDF leaves no stale page behind.
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const previous = new RegExp(`^${escaped}-(?:page|raw)-\\d+\\.png$`);
  for (const file of readdirSync(SCREENSHOT_DIR)) if (previous.test(file)) rmSync(join(SCREENSHOT_DIR, file));
  await poppler('pdftoppm', ['-r', '60', '-png', pdfPath, join(SCREENSHOT_DIR, `${name}-raw`)]);
  const raw = new RegExp(`^${escaped}-raw-(\\d+)\\.png$`);
  const pngs: string[] = [];
  for (const file of readdirSync(SCREENSHOT_DIR)) {
    const n = raw.exec(file)?.[1];
    if (n === undefined) continue;
    const path = join(SCREENSHOT_DIR, `${name}-page-${Number(n)}.png`);
    renameSync(join(SCREENSHOT_DIR, file), path);
    pngs[Number(n) - 1] = path;
  }
  if (pngs.length !== count) throw new Error(`pdftoppm wrote ${pngs.length} PNGs for ${count} pages`);

  return { pdfPath, pages, fonts, layout, texts, text, pngs };
}

/**
 * Print `page` as the browser's print dialog would (print media, the page's own @page size, its
 * backgrounds) once it says it is ready and its fonts are loaded, and read the PDF back.
 */
export async function printedPdf(page: Page, name: string): Promise<PdfPages> {
  await page.locator('body[data-ready="1"]').waitFor();
  await page.evaluate(() => document.fonts.ready);
  await page.emulateMedia({ media: 'print' });
  const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
  await page.emulateMedia({ media: 'screen' });
  return pdfPages(pdf, name);
}

/**
 * What anyone holding the paper notices first: `pages` A4 pages, all the same way round; every font
 * embedded with a Unicode map (with the texts the tests look for, that proves the 汉字 are real
 * glyphs of a CJK font, not boxes, and can be searched and copied); no loopback address on it;
 * no Chinese character left alone on a line.
 */
export function expectOfficialPaper(
  doc: PdfPages,
  expected: { pages: number; orientation: PdfPageInfo['orientation'] },
): void {
  expect(doc.pages.length, `${doc.pdfPath}: pages`).toBe(expected.pages);
  for (const [i, p] of doc.pages.entries()) {
    expect({ page: i + 1, a4: p.a4, orientation: p.orientation }).toEqual({
      page: i + 1,
      a4: true,
      orientation: expected.orientation,
    });
  }
  // Skia (Chromium's PDF writer) embeds the CFF-outlined Noto CJK glyphs as unnamed Type 3 fonts,
  // so the font names say nothing; what matters is that each is embedded and maps back to Unicode.
  expect(doc.fonts.length).toBeGreaterThan(0);
  expect(doc.fonts.filter((f) => !f.embedded || !f.unicode)).toEqual([]);
  expect(doc.text).not.toMatch(LOOPBACK);
  // No 汉字 stranded alone on a line (a heading squeezed to one character a line, 名/次, or the
  // last character of a sentence wrapped on its own, 荣/获).
  expect(doc.text.split('\n').filter((line) => /^\p{Script=Han}$/u.test(line.trim()))).toEqual([]);
}
