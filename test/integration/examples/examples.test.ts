/**
 * examples/README.md as a new user follows it: `npm start` in one shell, then, in a second shell of the same
 * checkout, every `npx atlas-ops …` command its shell blocks show, in order, exactly as written (a pipe to `sh`
 * included: the printed curl really runs). Each must exit as the page says (0 unless a `# exit N` comment says
 * otherwise); a webhook delivery must be answered 202 and its operation reach SUCCEEDED. So an example that
 * goes stale (an id the demo seed no longer has, a field a schema no longer takes) fails here.
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { symlink } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPERATION_TYPES } from '../../../shared/operations/registry.ts';
import { atlasOps, CLI, type RunningLocalStack, startLocalStackProcess } from '../../support/cli.ts';
import { eventually } from '../../support/provisioning.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const EXAMPLES = join(ROOT, 'examples');

/** One command of the page: the shell line, the exit code it should end with. */
interface PageCommand {
  line: string;
  exitCode: number;
}

/** The `npx atlas-ops` lines of the page's shell blocks, in order, with their expected exit codes. */
function pageCommands(): PageCommand[] {
  const page = readFileSync(join(EXAMPLES, 'README.md'), 'utf8');
  const blocks = [...page.matchAll(/```sh\n([\s\S]*?)```/g)].map((match) => match[1] ?? '');
  return blocks
    .flatMap((block) => block.split('\n'))
    .filter((line) => line.startsWith('npx atlas-ops '))
    .map((line) => {
      const [command = '', comment = ''] = line.split(/\s+#\s*/);
      return { line: command.trim(), exitCode: Number(/^exit (\d+)/.exec(comment)?.[1] ?? 0) };
    });
}

/** Every file under examples/ but the page itself, as the commands name them. */
function exampleFiles(): string[] {
  return readdirSync(EXAMPLES, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.json'))
    .map((entry) => relative(ROOT, join(entry.parentPath, entry.name)));
}

const run = promisify(execFile);

/** Runs one page line in `cwd` as a shell would, `npx atlas-ops` being this checkout's CLI. */
async function shell(line: string, cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const script = line.replaceAll('npx atlas-ops', `"${process.execPath}" "${CLI}"`);
  try {
    const { stdout, stderr } = await run('sh', ['-c', script], {
      cwd,
      env: { PATH: process.env.PATH ?? '', POWERTOOLS_LOG_LEVEL: 'ERROR' },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('examples/README.md', () => {
  it('runs every example file, and has one operation example per type', () => {
    // Act
    const commands = pageCommands().map((command) => command.line);
    const operationFiles = readdirSync(join(EXAMPLES, 'operations'));
    const types = operationFiles.map(
      (file) => JSON.parse(readFileSync(join(EXAMPLES, 'operations', file), 'utf8')).type as string,
    );

    // Assess
    for (const file of exampleFiles())
      expect(
        commands.some((line) => line.includes(file)),
        file,
      ).toBe(true);
    expect(types.toSorted()).toEqual([...OPERATION_TYPES.keys()].toSorted());
  });

  describe('against npm start, in a second shell', () => {
    let stack: RunningLocalStack;

    beforeAll(async () => {
      stack = await startLocalStackProcess();
      // The second shell is in the same checkout: the examples are where the page says.
      await symlink(EXAMPLES, join(stack.cwd, 'examples'));
    }, 60_000);
    afterAll(() => stack?.stop());

    it('every command succeeds as the page says, and every delivery runs to SUCCEEDED', async () => {
      // Act
      const results = [];
      for (const command of pageCommands()) {
        results.push({ command, ...(await shell(command.line, stack.cwd)) });
      }

      // Assess: every command that ended otherwise than the page says, at once, with what it printed.
      const unexpected = results
        .filter(({ command, code }) => code !== command.exitCode)
        .map(({ command, code, stderr }) => ({ line: command.line, code, stderr: stderr.slice(0, 400) }));
      expect(unexpected).toEqual([]);
      for (const { command, stdout } of results) {
        if (!command.line.includes('| sh')) continue;
        const answer = JSON.parse(stdout) as { operationId?: string; statusUrl?: string };
        expect(answer, command.line).toMatchObject({ operationId: expect.stringMatching(/^op-/) });
        const status = await eventually(
          () => atlasOps(['status', answer.operationId ?? ''], { cwd: stack.cwd }),
          (result) => /SUCCEEDED|FAILED/.test(result.stdout),
          20_000,
        );
        expect(status.stdout, command.line).toContain('SUCCEEDED');
      }
    }, 180_000);
  });
});
