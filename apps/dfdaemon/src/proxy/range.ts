import type { ByteRange } from "../task/pieces";

/** RangeSpec is one parsed `bytes=` range, before the content length is known. */
export type RangeSpec =
  { kind: "from"; start: number; end?: number } | { kind: "suffix"; length: number };

/**
 * parseRange parses a single `bytes=a-b`, `bytes=a-` or `bytes=-n` range. Anything else (several
 * ranges, other units, malformed) returns undefined: the header is then ignored and the whole
 * content served with 200, as RFC 9110 allows.
 */
export function parseRange(header: string | undefined): RangeSpec | undefined {
  const m = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header ?? "");
  if (!m) return undefined;
  const [a, b] = [m[1] ?? "", m[2] ?? ""];
  if (a === "" && b === "") return undefined;
  if (a === "") return { kind: "suffix", length: Number(b) };
  const start = Number(a);
  if (b === "") return { kind: "from", start };
  const end = Number(b);
  return end < start ? undefined : { kind: "from", start, end };
}

/** firstByte is the offset a range needs first, used to learn the length with one piece. */
export function firstByte(spec: RangeSpec): number {
  return spec.kind === "from" ? spec.start : 0;
}

/**
 * resolveRange applies a range to the content length: the bytes to send, or "unsatisfiable"
 * (416). An end past the content is clipped; a suffix longer than the content is the whole of it.
 */
export function resolveRange(spec: RangeSpec, total: number): ByteRange | "unsatisfiable" {
  if (spec.kind === "suffix") {
    if (spec.length === 0 || total === 0) return "unsatisfiable";
    const length = Math.min(spec.length, total);
    return { start: total - length, length };
  }
  if (spec.start >= total) return "unsatisfiable";
  const end = Math.min(spec.end ?? total - 1, total - 1);
  return { start: spec.start, length: end - spec.start + 1 };
}

/** contentRange renders the Content-Range of a 206 answer. */
export function contentRange(range: ByteRange, total: number): string {
  return `bytes ${range.start}-${range.start + range.length - 1}/${total}`;
}
