/**
 * `atlas-ops` before any command runs, as a newcomer meets it: on a Node older than 24 (this machine's own
 * /usr/bin/node is 20), `--help`, `--version`, `help COMMAND`, and a mistyped command.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { atlasOps, CLI, type CliResult } from '../../support/cli.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const COMMANDS = ['start', 'inventory', 'run', 'enqueue', 'status', 'dlq', 'sync', 'webhook', 'simulator'];

/** `node …args` with that node binary, as a user's shell would run it; a non-zero exit is not an error. */
async function runWith(node: string, args: string[]): Promise<CliResult> {
  try {
    const { stdout, stderr } = await promisify(execFile)(node, args, {
      env: { PATH: process.env.PATH ?? '' },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/** The major version of the Node at `path`, or undefined when there is none there. */
function majorOf(path: string): number | undefined {
  if (!existsSync(path)) return undefined;
  return Number(execFileSync(path, ['--version'], { encoding: 'utf8' }).replace(/^v/, '').split('.')[0]);
}

// The machine's own older Node when it has one (it does here and in CI), and always this Node told it is 20.
const SYSTEM_NODE = '/usr/bin/node';
const OLDER_NODES: [string, string, string[]][] = [
  ...((majorOf(SYSTEM_NODE) ?? 24) < 24
    ? [['the system Node', SYSTEM_NODE, []] as [string, string, string[]]]
    : []),
  [
    'this Node, reporting version 20.11.1',
    process.execPath,
    ['--import', 'data:text/javascript,Object.defineProperty(process.versions,"node",{value:"20.11.1"})'],
  ],
];

describe('atlas-ops on a Node older than 24', () => {
  it.each(OLDER_NODES)(
    'says in one line, under %s, that it needs Node 24 and how to get it: exit 2',
    async (_, node, flags) => {
      // Prepare: what npx atlas-ops, npm start and npm run simulator run, from package.json
      const manifest = JSON.parse(await readFile(`${ROOT}package.json`, 'utf8')) as {
        bin: Record<string, string>;
        scripts: Record<string, string>;
      };
      const script = (name: string) => (manifest.scripts[name] ?? '').replace(/^node /, '').split(' ');
      const entries = [
        [manifest.bin['atlas-ops'] ?? '', 'help'],
        [...script('start'), '--help'],
        [...script('simulator'), '--help'],
      ];

      // Act
      const runs = await Promise.all(
        entries.map(([file = '', ...args]) => runWith(node, [...flags, join(ROOT, file), ...args])),
      );

      // Assess
      for (const run of runs) {
        expect(run.code, run.stderr).toBe(2);
        expect(run.stdout).toBe('');
        expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
        expect(run.stderr).toContain('needs Node.js 24');
        expect(run.stderr).toContain(
          'npm ci --prefix .ci/toolchain && export PATH="$PWD/.ci/toolchain/node_modules/.bin:$PATH"',
        );
        expect(run.stderr).toContain('nvm install 24');
      }
    },
  );

  it.skipIf((majorOf(SYSTEM_NODE) ?? 24) >= 24 || !existsSync('/usr/bin/npx'))(
    'says it in one line to `npx atlas-ops help` in a shell whose Node is the system Node 20: exit 2',
    async () => {
      // Prepare: npm's cache as on a new machine (npx installs the project into it before running its bin).
      const cache = await mkdtemp(join(tmpdir(), 'atlas-ops-npx-cache-'));

      // Act: a second shell of the checkout, without the Node 24 toolchain on its PATH.
      const run = await promisify(execFile)('/usr/bin/npx', ['atlas-ops', 'help'], {
        cwd: ROOT,
        env: {
          PATH: '/usr/bin:/bin',
          HOME: process.env.HOME ?? '/tmp',
          npm_config_cache: cache,
          npm_config_update_notifier: 'false',
        },
      }).then(
        ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
        (error: { code: number; stdout: string; stderr: string }) => error,
      );

      // Assess
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr.trimEnd().split('\n')).toEqual([
        expect.stringMatching(/^atlas-ops: needs Node\.js 24, this is v20\./),
      ]);
    },
  );

  it('runs the command on Node 24', async () => {
    // Act
    const run = await runWith(process.execPath, [CLI, 'help']);

    // Assess
    expect(process.versions.node.split('.')[0]).toBe('24');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^Usage: atlas-ops COMMAND/);
  });
});

describe('atlas-ops help and version', () => {
  it('prints the command list for help, --help and -h, and for no command at all: exit 0', async () => {
    // Act
    const runs = await Promise.all([['help'], ['--help'], ['-h'], []].map((args) => atlasOps(args)));

    // Assess
    for (const run of runs) {
      expect(run.code).toBe(0);
      expect(run.stdout).toBe(runs[0]?.stdout);
    }
    for (const name of COMMANDS) expect(runs[0]?.stdout).toMatch(new RegExp(`^  ${name} +\\S`, 'm'));
    expect(runs[0]?.stdout).toContain('--version');
  });

  it('prints its name and package.json version for --version and -v: exit 0', async () => {
    // Prepare
    const { version } = JSON.parse(await readFile(`${ROOT}package.json`, 'utf8')) as { version: string };

    // Act
    const long = await atlasOps(['--version']);
    const short = await atlasOps(['-v']);

    // Assess
    for (const run of [long, short]) {
      expect(run.code).toBe(0);
      expect(run.stdout).toBe(`atlas-ops ${version}\n`);
    }
  });

  it.each(COMMANDS)(
    'help %s prints the same usage as that command’s --help, explaining every option it shows',
    async (name) => {
      // Act
      const help = await atlasOps(['help', name]);
      const flag = await atlasOps([name, '--help']);

      // Assess
      expect(help.code).toBe(0);
      expect(flag.code).toBe(0);
      expect(help.stdout).toBe(flag.stdout);
      // The synopsis, a blank line, then the explanation and the options.
      const blank = help.stdout.indexOf('\n\n');
      const synopsis = help.stdout.slice(0, blank);
      const rest = help.stdout.slice(blank);
      expect(synopsis).toMatch(new RegExp(`^Usage: atlas-ops ${name}\\b`));
      const options = [...new Set(synopsis.match(/--[a-z][a-z-]*/g) ?? [])];
      expect(options.length).toBeGreaterThan(0);
      for (const option of options) {
        // Listed on a line of its own, followed by what it does (here or on the next line).
        expect(rest, option).toMatch(
          new RegExp(`^ +(-\\w, )?${option}\\b[^\\n]*(\\s{2,}\\S|\\n {10,}\\S)`, 'm'),
        );
      }
    },
  );

  it('names the nearest command for a typo, exit 2; and none for a word near nothing', async () => {
    // Act
    const typo = await atlasOps(['stauts', 'op-1']);
    const far = await atlasOps(['frobnicate']);
    const helpTypo = await atlasOps(['help', 'enqeue']);

    // Assess
    expect(typo.code).toBe(2);
    expect(typo.stderr).toBe(
      'atlas-ops: unknown command "stauts"; did you mean "status"? Run "atlas-ops help" for the list.\n',
    );
    expect(far.code).toBe(2);
    expect(far.stderr).toBe('atlas-ops: unknown command "frobnicate". Run "atlas-ops help" for the list.\n');
    expect(helpTypo.code).toBe(2);
    expect(helpTypo.stderr).toContain('did you mean "enqueue"?');
  });

  it('answers a usage mistake with the synopsis and where the options are explained, and a near option', async () => {
    // Act
    const missing = await atlasOps(['status']);
    const typo = await atlasOps(['status', 'op-1', '--wacth']);

    // Assess
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(
      'atlas-ops: name the operation id\n' +
        `${(await atlasOps(['status', '--help'])).stdout.split('\n')[0]}\n` +
        '(atlas-ops status --help explains every option)\n',
    );
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/^atlas-ops: unknown option --wacth; did you mean --watch\?\n/);
  });
});
