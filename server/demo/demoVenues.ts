/**
 * A demo competition spread over venues (docs/VENUES.md): `count` city venues, contestants dealt
 * round-robin over them, and one panel of judges per event at every venue (the demo's judges are
 * copied per venue as `<judge>-<venue>`). With `online`, the last venue is the online one.
 */
import type { Competition, Judge, Venue } from '../../shared/model.ts';

const CITIES = [
  { name: '郑州实训中心', region: '郑州', address: '郑州市金水区文化路 100 号' },
  { name: '洛阳实训中心', region: '洛阳', address: '洛阳市涧西区中州西路 20 号' },
  { name: '开封实训中心', region: '开封', address: '开封市龙亭区北门大街 8 号' },
  { name: '新乡实训中心', region: '新乡', address: '新乡市红旗区人民路 66 号' },
  { name: '南阳实训中心', region: '南阳', address: '南阳市卧龙区工业南路 12 号' },
];

/** The venue ids of a demo with `count` venues: v1, v2, … */
export function demoVenueIds(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `v${i + 1}`);
}

/** `setup` spread over `count` venues (1..20); judges per venue; the last venue online when asked. */
export function withVenues(
  setup: Competition,
  count: number,
  options: { online?: boolean } = {},
): Competition {
  const venues: Venue[] = demoVenueIds(count).map((id, i) => {
    const online = options.online === true && i === count - 1;
    const city = CITIES[i % CITIES.length] ?? { name: id, region: id, address: id };
    return online
      ? { id, name: '线上选手', region: '线上', address: '线上', kind: 'online' }
      : {
          id,
          name: count > CITIES.length ? `${city.name} ${i + 1}` : city.name,
          region: city.region,
          address: city.address,
          kind: 'site',
        };
  });
  const contestants = setup.contestants.map((c, i) => ({ ...c, venueId: venues[i % count]?.id ?? 'v1' }));
  const judges: Judge[] = venues.flatMap((v) =>
    setup.judges.map((j) => ({ ...j, id: `${j.id}-${v.id}`, name: j.name, venueId: v.id })),
  );
  return { ...setup, venues, contestants, judges };
}
