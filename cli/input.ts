/** Reading the CLI's JSON input: a file path, or `-` for standard input. */
import { readFile } from 'node:fs/promises';
import { UsageError } from './command.ts';

/** The text of `source` (a path, or `-` for stdin); a missing argument or unreadable file is a usage error. */
export async function readInput(source: string | undefined, usage: string): Promise<string> {
  if (!source) throw new UsageError(`name a JSON file, or - for standard input\n${usage}`);
  if (source === '-') {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  }
  try {
    return await readFile(source, 'utf8');
  } catch {
    throw new UsageError(`cannot read ${source}`);
  }
}
