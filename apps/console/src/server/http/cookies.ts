/** parseCookies reads a Cookie header into a map; malformed pairs are skipped. */
export function parseCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (header ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq <= 0) continue;
    try {
      out.set(part.slice(0, eq).trim(), decodeURIComponent(part.slice(eq + 1).trim()));
    } catch {
      // A value that is not valid percent-encoding is not ours; ignore it.
    }
  }
  return out;
}

/** sessionCookie renders a Set-Cookie value: HTTP-only, same-site lax, whole site. */
export function sessionCookie(name: string, value: string, expiresAt: Date | null): string {
  const expiry = expiresAt ? `Expires=${expiresAt.toUTCString()}` : "Max-Age=0";
  return `${name}=${encodeURIComponent(value)}; Path=/; HttpOnly; SameSite=Lax; ${expiry}`;
}
