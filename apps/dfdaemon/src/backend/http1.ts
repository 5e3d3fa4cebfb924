/**
 * HTTP/1.1 response framing for the raw clients (proxy pass-through, source ranges; RFC 9112): the status line and header
 * section, how the body is delimited, and a chunked-coding decoder that hands out slices of the
 * buffers it is given (no copies of body bytes).
 */

/** MAX_HEAD is the largest response header section accepted (Node's own default is 16 KiB). */
export const MAX_HEAD = 64 * 1024;

/** ResponseHead is a parsed status line and header section; `raw` keeps names, order and repeats. */
export interface ResponseHead {
  minor: number;
  status: number;
  reason: string;
  /** raw is a flat list: name, value, name, value (names as sent). */
  raw: string[];
}

/** Framing says how a response body ends: no body, a length, the chunked coding, or the close. */
export type Framing =
  { kind: "none" } | { kind: "length"; length: number } | { kind: "chunked" } | { kind: "close" };

const STATUS_LINE = /^HTTP\/1\.([01]) (\d{3})(?: ([^\r\n]*))?$/;
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** ProtocolError is a response that is not valid HTTP/1.1 (the exchange fails, nothing is reused). */
export class ProtocolError extends Error {}

/** headEnd returns the index just past the header section's empty line, or -1 when incomplete. */
export function headEnd(buf: Buffer): number {
  const i = buf.indexOf("\r\n\r\n", 0, "latin1");
  return i < 0 ? -1 : i + 4;
}

/** parseHead parses a header section (status line to the empty line, exclusive). */
export function parseHead(text: string): ResponseHead {
  const lines = text.split("\r\n");
  const m = STATUS_LINE.exec(lines[0] ?? "");
  if (!m) throw new ProtocolError(`bad status line ${JSON.stringify(lines[0]?.slice(0, 80))}`);
  const raw: string[] = [];
  for (const line of lines.slice(1)) {
    if (line === "") continue;
    const colon = line.indexOf(":");
    const name = colon > 0 ? line.slice(0, colon) : "";
    // Obsolete line folding and names with spaces are refused, as RFC 9112 section 5 allows.
    if (!TOKEN.test(name)) throw new ProtocolError(`bad header line ${JSON.stringify(line)}`);
    raw.push(name, line.slice(colon + 1).trim());
  }
  return { minor: Number(m[1]), status: Number(m[2]), reason: m[3] ?? "", raw };
}

/** values returns every value of header `name` (case-insensitive) in a raw list. */
export function values(raw: readonly string[], name: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < raw.length; i += 2) {
    if ((raw[i] as string).toLowerCase() === name) out.push(raw[i + 1] as string);
  }
  return out;
}

/** listTokens splits comma-separated header values into lower-case tokens. */
export function listTokens(vals: readonly string[]): string[] {
  return vals
    .flatMap((v) => v.split(","))
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
}

/** framingOf applies RFC 9112 section 6.3 to a response to `method`. */
export function framingOf(method: string, head: ResponseHead): Framing {
  const { status, raw } = head;
  if (method === "HEAD" || status === 204 || status === 304 || status < 200)
    return { kind: "none" };
  const te = listTokens(values(raw, "transfer-encoding"));
  if (te.length > 0) return te.at(-1) === "chunked" ? { kind: "chunked" } : { kind: "close" };
  const cl = [...new Set(listTokens(values(raw, "content-length")))];
  if (cl.length === 0) return { kind: "close" };
  if (cl.length > 1 || !/^\d{1,15}$/.test(cl[0] as string)) {
    throw new ProtocolError(`bad content-length ${JSON.stringify(cl.join(","))}`);
  }
  return { kind: "length", length: Number(cl[0]) };
}

/** MAX_LINE bounds a chunk-size or trailer line. */
const MAX_LINE = 8 * 1024;

/**
 * ChunkedDecoder decodes the chunked transfer coding incrementally. `push` returns the body slices
 * found in a buffer (views into it) and how many bytes of it belong to the message; `done` turns
 * true after the last chunk and the trailer section (trailers are dropped).
 */
export class ChunkedDecoder {
  private state: "size" | "data" | "data-crlf" | "trailer" = "size";
  private line = "";
  private left = 0;
  done = false;

  /** push consumes bytes of `buf` until the message ends and returns the decoded slices. */
  push(buf: Buffer): { slices: Buffer[]; used: number } {
    const slices: Buffer[] = [];
    let i = 0;
    while (i < buf.length && !this.done) {
      if (this.state === "data") {
        const n = Math.min(this.left, buf.length - i);
        slices.push(buf.subarray(i, i + n));
        i += n;
        this.left -= n;
        if (this.left === 0) this.state = "data-crlf";
        continue;
      }
      const nl = buf.indexOf(10, i);
      const end = nl < 0 ? buf.length : nl + 1;
      this.line += buf.toString("latin1", i, end);
      i = end;
      if (this.line.length > MAX_LINE) throw new ProtocolError("chunked coding line too long");
      if (nl < 0) break;
      const line = this.line.replace(/\r?\n$/, "");
      this.line = "";
      this.onLine(line);
    }
    return { slices, used: i };
  }

  private onLine(line: string): void {
    if (this.state === "data-crlf") {
      if (line !== "") throw new ProtocolError("chunk data not followed by CRLF");
      this.state = "size";
    } else if (this.state === "size") {
      const m = /^([0-9a-fA-F]{1,12})[ \t]*(;.*)?$/.exec(line);
      if (!m) throw new ProtocolError(`bad chunk size ${JSON.stringify(line.slice(0, 40))}`);
      this.left = parseInt(m[1] as string, 16);
      this.state = this.left === 0 ? "trailer" : "data";
    } else if (line === "") {
      this.done = true;
    }
  }
}
