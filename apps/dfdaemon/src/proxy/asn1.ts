/**
 * Minimal DER encoding (ITU-T X.690), enough to build X.509 certificates with node:crypto alone.
 * Every function returns one complete TLV.
 */

/** length encodes a DER length: short form below 128, else 0x80|n followed by n bytes. */
function length(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

/** tlv wraps a body in a tag and its length. */
export function tlv(tag: number, body: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag]), length(body.length), body]);
}

/** seq is a SEQUENCE of already-encoded items. */
export const seq = (...items: Buffer[]): Buffer => tlv(0x30, Buffer.concat(items));

/** set is a SET of already-encoded items. */
export const set = (...items: Buffer[]): Buffer => tlv(0x31, Buffer.concat(items));

/** explicit is a context-specific constructed tag `[n]` around one item. */
export const explicit = (n: number, item: Buffer): Buffer => tlv(0xa0 | n, item);

/** implicit is a context-specific primitive tag `[n]` (GeneralName dNSName is [2], iPAddress [7]). */
export const implicit = (n: number, body: Buffer): Buffer => tlv(0x80 | n, body);

/** integer encodes an unsigned big-endian magnitude as a positive INTEGER. */
export function integer(value: Buffer | number): Buffer {
  let b = typeof value === "number" ? Buffer.from([value]) : value;
  let i = 0;
  while (i < b.length - 1 && b[i] === 0) i++;
  b = b.subarray(i);
  if ((b[0] ?? 0) & 0x80) b = Buffer.concat([Buffer.from([0]), b]);
  return tlv(0x02, b);
}

/** oid encodes a dotted OBJECT IDENTIFIER: 40·a+b, then base-128 arcs. */
export function oid(dotted: string): Buffer {
  const arcs = dotted.split(".").map(Number);
  const out = [40 * (arcs[0] ?? 0) + (arcs[1] ?? 0)];
  for (const arc of arcs.slice(2)) {
    const group = [arc & 0x7f];
    for (let v = Math.floor(arc / 128); v > 0; v = Math.floor(v / 128))
      group.unshift(0x80 | (v & 0x7f));
    out.push(...group);
  }
  return tlv(0x06, Buffer.from(out));
}

/** utf8 is a UTF8String. */
export const utf8 = (s: string): Buffer => tlv(0x0c, Buffer.from(s, "utf8"));

/** bool is a BOOLEAN. */
export const bool = (v: boolean): Buffer => tlv(0x01, Buffer.from([v ? 0xff : 0]));

/** octets is an OCTET STRING. */
export const octets = (b: Buffer): Buffer => tlv(0x04, b);

/** bits is a BIT STRING with `unused` trailing bits in the last byte. */
export const bits = (b: Buffer, unused = 0): Buffer =>
  tlv(0x03, Buffer.concat([Buffer.from([unused]), b]));

/** time is a UTCTime (years before 2050) or GeneralizedTime, to the second, in UTC. */
export function time(d: Date): Buffer {
  const iso = d.toISOString().replace(/[-:T]/g, "").slice(0, 14) + "Z";
  return d.getUTCFullYear() < 2050
    ? tlv(0x17, Buffer.from(iso.slice(2)))
    : tlv(0x18, Buffer.from(iso));
}

/** Tlv is one decoded element: its tag and where its whole encoding and its body lie. */
export interface Tlv {
  tag: number;
  /** raw is the whole encoding (tag, length and body). */
  raw: Buffer;
  body: Buffer;
}

/** children decodes the elements laid end to end in a constructed element's body. */
export function children(body: Buffer): Tlv[] {
  const out: Tlv[] = [];
  for (let at = 0; at < body.length;) {
    const tag = body[at] ?? 0;
    let len = body[at + 1] ?? 0;
    let head = 2;
    if (len & 0x80) {
      const n = len & 0x7f;
      len = 0;
      for (let i = 0; i < n; i++) len = len * 256 + (body[at + 2 + i] ?? 0);
      head += n;
    }
    out.push({
      tag,
      raw: body.subarray(at, at + head + len),
      body: body.subarray(at + head, at + head + len),
    });
    at += head + len;
  }
  return out;
}
