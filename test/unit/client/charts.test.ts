import { describe, expect, it } from 'vitest';
import { axisLabel, bucketLabel, histogram, timeRange } from '../../../client/src/watch/history.ts';

describe('spectator charts on phones (issue #15, item 7)', () => {
  it('histogram buckets never overlap and stop at the highest total (regression: 56–61, 61–66 … 96–101)', () => {
    const totals = [56, 58.5, 60.5, 61, 70, 82.25, 90, 98.75];
    const bins = histogram(totals);
    expect(bins.map(bucketLabel)).toEqual([
      '56–61',
      '62–67',
      '68–73',
      '74–79',
      '80–85',
      '86–91',
      '92–97',
      '98',
    ]);
    for (let i = 1; i < bins.length; i++) expect(bins[i]?.from).toBe((bins[i - 1]?.to ?? 0) + 1);
    expect(bins.at(-1)?.to).toBe(98);
    expect(bins.reduce((n, b) => n + b.count, 0)).toBe(totals.length);
    expect(bins[0]?.count).toBe(4); // 56, 58.5, 60.5 and 61 count by their whole part
    expect(histogram([75.5]).map(bucketLabel)).toEqual(['75']);
  });

  it('gives one point a two-minute time axis around it (regression: 22:13:20 / 08:00:00 / 17:46:40)', () => {
    const at = Date.UTC(2026, 10, 29, 10, 0, 0);
    expect(timeRange([at])).toEqual({ min: at - 60_000, max: at + 60_000 });
    expect(timeRange([at, at + 600_000])).toEqual({ min: at, max: at + 600_000 });
    expect(timeRange([])).toBeNull();
  });

  it('cuts long team names at their end, so their beginning stays readable', () => {
    expect(axisLabel('北京石化代表队')).toBe('北京石化代表队');
    expect(axisLabel('新疆维吾尔自治区特种设备检验研究院')).toBe('新疆维吾尔自治…');
  });
});
