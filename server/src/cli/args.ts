// Command-line arguments of `iptables-lint`.

export type Format = 'text' | 'json';

export interface CliArgs {
  readonly files: string[];
  readonly format: Format;
  readonly help: boolean;
  readonly version: boolean;
  readonly family?: 'ipv4' | 'ipv6';
}

export class UsageError extends Error {}

export const USAGE = `Usage: iptables-lint [options] FILE...
       iptables-lint trace FILE PACKET_JSON | --packets FILE.jsonl

Checks iptables-save / rules.v4 / rules.v6 files for the mistakes that make
iptables-restore refuse them or that block legitimate traffic.

Arguments:
  FILE                 a ruleset file; '-' reads standard input

Options:
  --format text|json   output format (default: text)
  --ipv4, --ipv6       family to assume when the file does not say
  -h, --help           show this help
  --version            show the version

Exit status: 0 no error found, 1 at least one error, 2 usage error or unreadable file.
`;

export function parseArgs(argv: readonly string[]): CliArgs {
  const files: string[] = [];
  let format: Format = 'text';
  let help = false;
  let version = false;
  let family: CliArgs['family'];
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
    else if (a === '--format' || a.startsWith('--format=')) {
      const value = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
      if (value !== 'text' && value !== 'json') throw new UsageError(`--format must be text or json, not '${value ?? ''}'`);
      format = value;
    } else if (a.startsWith('-') && a !== '-') throw new UsageError(`Unknown option '${a}'`);
    else files.push(a);
  }
  return { files, format, help, version, family };
}
