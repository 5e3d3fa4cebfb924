import { isDfError } from "@df/errors";

import { parseDfgetArgs, USAGE } from "../dfget/args";
import { EXIT, runDfget } from "../dfget/run";

function main(): Promise<number> {
  let opts;
  try {
    // INIT_CWD is where the user ran `pnpm dfget`, so relative paths mean what they typed.
    opts = parseDfgetArgs(
      process.argv.slice(2),
      process.env,
      process.env.INIT_CWD ?? process.cwd(),
    );
  } catch (err) {
    process.stderr.write(
      `dfget: ${isDfError(err) || err instanceof Error ? err.message : String(err)}\n`,
    );
    return Promise.resolve(EXIT.usage);
  }
  if (!opts) {
    process.stdout.write(USAGE + "\n");
    return Promise.resolve(EXIT.ok);
  }
  return runDfget(opts);
}

void main().then((code) => process.exit(code));
