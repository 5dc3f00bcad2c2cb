/**
 * What Podium says once it listens: where to open it, which store it uses and — on a first start
 * without PODIUM_ADMIN_PASSWORD — the generated organiser password. A person at a terminal (stdout
 * is a TTY) reads the plain banner; a service manager, a container runtime or a pipe gets the same
 * facts as JSON log lines like every other line it collects, at level info whatever LOG_LEVEL says
 * (so the port and the one-time password are never filtered away), unless LOG_LEVEL is silent.
 */
import type { Logger } from './logger.ts';

export interface BannerFacts {
  port: number;
  /** True when Podium serves HTTPS (PODIUM_TLS_CERT/KEY). */
  tls: boolean;
  storeDescription: string;
  /** The address phones and tablets open: in QR codes and judge cards. */
  publicUrl: string;
  urls: string[];
  /** Things the operator must act on (e.g. only a loopback address). */
  warnings: string[];
  generatedAdmin: { user: string; password: string } | null;
  /** The separate metrics port, if any. */
  metricsPort: number | null;
}

const PAGES = ['admin', 'judge', 'screen', 'watch'] as const;

/** Print the banner (TTY) or log it as structured lines (anything else). */
export function announce(facts: BannerFacts, logger: Logger, tty = process.stdout.isTTY === true): void {
  if (tty) {
    for (const line of bannerLines(facts)) process.stdout.write(`${line}\n`);
    return;
  }
  if (logger.level === 'silent') return;
  const log = logger.child({}, { level: 'info' });
  log.info(
    {
      port: facts.port,
      tls: facts.tls,
      store: facts.storeDescription,
      publicUrl: facts.publicUrl,
      urls: facts.urls,
      metricsPort: facts.metricsPort,
    },
    `${listeningLine(facts)}; ${devicesLine(facts.publicUrl)}`,
  );
  for (const warning of facts.warnings) log.warn(warning);
  if (facts.generatedAdmin) {
    log.info(
      { user: facts.generatedAdmin.user, generatedPassword: facts.generatedAdmin.password },
      'organiser account created with a generated password (shown once; set PODIUM_ADMIN_PASSWORD to choose it)',
    );
  }
}

/** The human banner, line by line. */
export function bannerLines(facts: BannerFacts): string[] {
  const lines = ['', `${listeningLine(facts)}.`, facts.storeDescription, devicesLine(facts.publicUrl)];
  for (const url of facts.urls) {
    const [admin, judge, screen, watch] = PAGES.map((page) => `${url}/${page}/`);
    lines.push(`  Organisers ${admin}   Judges ${judge}   Big screen ${screen}   Spectators ${watch}`);
  }
  lines.push(...facts.warnings);
  if (!facts.tls && facts.warnings.length === 0) {
    lines.push(
      'Plain HTTP: judge tablets work, but cannot start offline (docs/DEPLOY.md, "HTTPS at the venue").',
    );
  }
  if (facts.generatedAdmin) {
    lines.push(
      `Organiser account created: user "${facts.generatedAdmin.user}", password ` +
        `"${facts.generatedAdmin.password}" (shown once; set PODIUM_ADMIN_PASSWORD to choose it).`,
    );
  }
  const metrics = facts.metricsPort === null ? '/metrics' : `/metrics on port ${facts.metricsPort}`;
  lines.push(`Health: /healthz   Readiness: /readyz   Metrics: ${metrics}`, '');
  return lines;
}

/** The one line that tells where other devices open Podium. */
function devicesLine(publicUrl: string): string {
  return `Phones and tablets open ${publicUrl}/ (QR codes and judge cards carry this address).`;
}

/** "Podium is listening on port N", with "(HTTPS)" when it serves TLS. */
function listeningLine(facts: Pick<BannerFacts, 'port' | 'tls'>): string {
  return `Podium is listening on port ${facts.port}${facts.tls ? ' (HTTPS)' : ''}`;
}
