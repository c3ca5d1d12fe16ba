/**
 * `npm run -s eta:uuid -- <receipt.json>`: prints the uuid of the receipt in the file as it would
 * be sent — parsed and re-sent with `JSON.stringify`, so numbers hash as `String(n)` whatever
 * literal the file uses. One line, 64 lowercase hex; errors go to stderr with exit code 1.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import type { JsonObject } from '../../shared/eta/serializer';
import { computeReceiptUuid } from '../../shared/eta/uuid';

const argsSchema = z.tuple([z.string().min(1)]);
// Checks the shape only: zod's output re-orders keys, and the hash follows key order, so the
// uuid is computed over the parsed original.
const hashableReceiptSchema = z.object({ header: z.object({ uuid: z.string() }).loose() }).loose();

const isJsonObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

async function main(argv: string[]): Promise<number> {
  const args = argsSchema.safeParse(argv);
  if (!args.success) {
    console.error('usage: npm run -s eta:uuid -- <receipt.json>');
    return 1;
  }
  const [path] = args.data;
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    console.error(`cannot read a JSON receipt from ${path}: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
  if (!hashableReceiptSchema.safeParse(parsed).success || !isJsonObject(parsed)) {
    console.error(`${path} is not an ETA receipt: it needs a header object with a uuid string ("" is fine)`);
    return 1;
  }
  process.stdout.write(`${await computeReceiptUuid(parsed)}\n`);
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
