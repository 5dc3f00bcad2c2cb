/**
 * The printed-paper checks (pdfPages.ts) never pass unchecked: on a machine without poppler-utils
 * they fail and say what to install.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SCREENSHOT_DIR } from '../support/browser.ts';
import { pdfPages } from './pdfPages.ts';

const path = process.env['PATH'];

afterEach(() => {
  process.env['PATH'] = path;
  rmSync(join(SCREENSHOT_DIR, 'pdfpages-missing-tools.pdf'), { force: true });
});

describe('reading printed PDFs back', () => {
  it('without poppler-utils on the PATH, fails saying apt-get install -y poppler-utils', async () => {
    process.env['PATH'] = '/nonexistent';
    await expect(pdfPages(Buffer.from('%PDF-1.4\n'), 'pdfpages-missing-tools')).rejects.toThrow(
      /pdfinfo is not installed.*apt-get install -y poppler-utils/,
    );
  });
});
