// Command-line arguments of `iptables-lint`.

export type Format = 'text' | 'json' | 'sarif';

export interface CliArgs {
  readonly files: string[];
  readonly format: Format;
  readonly help: boolean;
  readonly version: boolean;
  readonly family?: 'ipv4' | 'ipv6';
  /** --config FILE: the project configuration (otherwise the nearest .iptables-lint.json). */
  readonly config?: string;
  /** --must-allow SERVICE, repeatable: replaces the configured mustAllow list. */
  readonly mustAllow?: string[];
  /** --fix: apply the safe fixes (in place, or to standard output for '-'). */
  readonly fix: boolean;
  /** --unsafe-fixes: apply unsafe fixes too (implies --fix). */
  readonly unsafeFixes: boolean;
}

export class UsageError extends Error {}

export const USAGE = `Usage: iptables-lint [options] FILE...
       iptables-lint trace FILE PACKET_JSON | --packets FILE.jsonl

Checks iptables-save / rules.v4 / rules.v6 files for the mistakes that make
iptables-restore refuse them or that block legitimate traffic.

Arguments:
  FILE                 a ruleset file; '-' reads standard input

Options:
  --format FORMAT      output format: text (default), json, or sarif (SARIF
                       2.1.0, for code scanning services)
  --fix                apply the safe fixes and write each file in place
                       (for '-', print the fixed text to standard output),
                       list what changed, then report what is left
  --unsafe-fixes       with --fix (implied), also apply the unsafe fixes:
                       moves and deletions that change which packets are
                       accepted, and choices the tool cannot make for you
  --ipv4, --ipv6       family to assume when the file does not say
  --config FILE        project configuration (default: the nearest
                       .iptables-lint.json above each file)
  --must-allow SERVICE a service that must stay reachable, such as tcp/22,
                       udp/51820 or 'tcp/22 from 10.0.0.0/8'; repeatable;
                       replaces the configured list (default: tcp/22)
  -h, --help           show this help
  --version            show the version

Exit status: 0 no error found, 1 at least one error, 2 usage error or unreadable file.
With --fix, the status is that of what is left after fixing.
`;

export function parseArgs(argv: readonly string[]): CliArgs {
  const files: string[] = [];
  let format: Format = 'text';
  let help = false;
  let version = false;
  let family: CliArgs['family'];
  let config: string | undefined;
  let fix = false;
  let unsafeFixes = false;
  const mustAllow: string[] = [];
  const valueOf = (i: number, name: string): string => {
    const a = argv[i];
    const value = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[i + 1];
    if (value === undefined) throw new UsageError(`${name} needs a value`);
    return value;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      files.push(...argv.slice(i + 1));
      break;
    }
    if (a === '-h' || a === '--help') help = true;
    else if (a === '--version') version = true;
    else if (a === '--ipv4') family = 'ipv4';
    else if (a === '--ipv6') family = 'ipv6';
    else if (a === '--fix') fix = true;
    else if (a === '--unsafe-fixes') unsafeFixes = fix = true;
    else if (a === '--format' || a.startsWith('--format=')) {
      const value = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
      if (value !== 'text' && value !== 'json' && value !== 'sarif') throw new UsageError(`--format must be text, json or sarif, not '${value ?? ''}'`);
      format = value;
    } else if (a === '--config' || a.startsWith('--config=')) {
      config = valueOf(i, '--config');
      if (!a.includes('=')) i++;
    } else if (a === '--must-allow' || a.startsWith('--must-allow=')) {
      mustAllow.push(valueOf(i, '--must-allow'));
      if (!a.includes('=')) i++;
    } else if (a.startsWith('-') && a !== '-') throw new UsageError(`Unknown option '${a}'`);
    else files.push(a);
  }
  return { files, format, help, version, family, fix, unsafeFixes, ...(config !== undefined ? { config } : {}), ...(mustAllow.length ? { mustAllow } : {}) };
}
