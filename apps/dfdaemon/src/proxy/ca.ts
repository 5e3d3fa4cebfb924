import {
  createHash,
  createPrivateKey,
  generateKeyPairSync,
  randomBytes,
  sign,
  X509Certificate,
  type KeyObject,
} from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { isIPv4 } from "node:net";

import {
  bits,
  bool,
  children,
  explicit,
  implicit,
  integer,
  octets,
  oid,
  seq,
  set,
  time,
  utf8,
} from "./asn1";

const OID = {
  ecdsaSha256: "1.2.840.10045.4.3.2",
  rsaSha256: "1.2.840.113549.1.1.11",
  commonName: "2.5.4.3",
  organization: "2.5.4.10",
  subjectKeyId: "2.5.29.14",
  keyUsage: "2.5.29.15",
  subjectAltName: "2.5.29.17",
  basicConstraints: "2.5.29.19",
  authorityKeyId: "2.5.29.35",
  extKeyUsage: "2.5.29.37",
  serverAuth: "1.3.6.1.5.5.7.3.1",
};
/** CA_DAYS and LEAF_DAYS are the validity of the generated CA and of each host certificate. */
const CA_DAYS = 3650;
const LEAF_DAYS = 365;

/** CertificateAuthority signs per-host certificates for HTTPS interception. */
export interface CertificateAuthority {
  certPem: string;
  key: KeyObject;
  /** subject is the CA's subject Name, DER-encoded, copied as each leaf's issuer. */
  subject: Buffer;
  publicKey: KeyObject;
}

const pem = (der: Buffer) =>
  `-----BEGIN CERTIFICATE-----\n${der.toString("base64").replace(/.{64}/g, "$&\n").replace(/\n?$/, "\n")}-----END CERTIFICATE-----\n`;

const dnName = (cn: string) =>
  seq(
    set(seq(oid(OID.organization), utf8("Dragonfly dfdaemon proxy"))),
    set(seq(oid(OID.commonName), utf8(cn))),
  );

const extension = (id: string, critical: boolean, value: Buffer) =>
  seq(oid(id), ...(critical ? [bool(true)] : []), octets(value));

/** keyId is SHA-1 of the subjectPublicKey bits (RFC 5280 4.2.1.2 method 1, as OpenSSL's "hash"). */
function keyId(publicKey: KeyObject): Buffer {
  const spki = children(publicKey.export({ type: "spki", format: "der" }))[0];
  const bitString = spki ? children(spki.body)[1] : undefined;
  return createHash("sha1")
    .update(bitString?.body.subarray(1) ?? Buffer.alloc(0))
    .digest();
}

/** subjectAltName lists DNS names and IPv4 addresses (GeneralName [2] and [7]). */
const subjectAltName = (hosts: string[]) =>
  seq(
    ...hosts.map((h) =>
      isIPv4(h) ? implicit(7, Buffer.from(h.split(".").map(Number))) : implicit(2, Buffer.from(h)),
    ),
  );

/** CertSpec describes one certificate to sign. */
interface CertSpec {
  subject: Buffer;
  issuer: Buffer;
  publicKey: KeyObject;
  signingKey: KeyObject;
  days: number;
  extensions: Buffer[];
}

/** signCertificate builds and signs an X.509 v3 certificate (RFC 5280 section 4.1). */
function signCertificate(spec: CertSpec): string {
  const rsa = spec.signingKey.asymmetricKeyType === "rsa";
  const algorithm = rsa
    ? seq(oid(OID.rsaSha256), Buffer.from([0x05, 0x00]))
    : seq(oid(OID.ecdsaSha256));
  const serial = randomBytes(16);
  serial[0] = ((serial[0] ?? 0) & 0x7f) | 0x01;
  const now = Date.now();
  const tbs = seq(
    explicit(0, integer(2)),
    integer(serial),
    algorithm,
    spec.issuer,
    seq(time(new Date(now - 3_600_000)), time(new Date(now + spec.days * 86_400_000))),
    spec.subject,
    spec.publicKey.export({ type: "spki", format: "der" }),
    explicit(3, seq(...spec.extensions)),
  );
  const signature = sign("sha256", tbs, { key: spec.signingKey, dsaEncoding: "der" });
  return pem(seq(tbs, algorithm, bits(signature)));
}

/** createCa generates an EC P-256 key and a self-signed CA certificate. */
export function createCa(commonName = "Dragonfly dfdaemon proxy CA"): CertificateAuthority {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
  const subject = dnName(commonName);
  const certPem = signCertificate({
    subject,
    issuer: subject,
    publicKey,
    signingKey: privateKey,
    days: CA_DAYS,
    extensions: [
      extension(OID.basicConstraints, true, seq(bool(true))),
      extension(OID.keyUsage, true, bits(Buffer.from([0x06]), 1)), // keyCertSign, cRLSign
      extension(OID.subjectKeyId, false, octets(keyId(publicKey))),
    ],
  });
  return { certPem, key: privateKey, subject, publicKey };
}

/** parseCa loads a PEM CA certificate and its private key (EC or RSA). */
export function parseCa(certPem: string, keyPem: string): CertificateAuthority {
  const x509 = new X509Certificate(certPem);
  if (!x509.ca) throw new Error("the proxy CA certificate is not a CA (basicConstraints)");
  const cert = children(x509.raw)[0];
  const tbsCertificate = cert ? children(cert.body)[0] : undefined;
  const tbs = tbsCertificate ? children(tbsCertificate.body) : [];
  // TBSCertificate: [0] version, serial, signature, issuer, validity, subject, ...
  const subject = tbs[0]?.tag === 0xa0 ? tbs[5] : tbs[4];
  if (!subject) throw new Error("cannot read the proxy CA certificate's subject");
  return {
    certPem,
    key: createPrivateKey(keyPem),
    subject: Buffer.from(subject.raw),
    publicKey: x509.publicKey,
  };
}

/** loadOrCreateCa reads the CA files, or generates a CA and writes them (key mode 0600). */
export function loadOrCreateCa(certPath: string, keyPath: string): CertificateAuthority {
  if (existsSync(certPath) && existsSync(keyPath))
    return parseCa(readFileSync(certPath, "utf8"), readFileSync(keyPath, "utf8"));
  const ca = createCa();
  mkdirSync(dirname(certPath), { recursive: true });
  mkdirSync(dirname(keyPath), { recursive: true });
  writeFileSync(keyPath, ca.key.export({ type: "pkcs8", format: "pem" }), { mode: 0o600 });
  writeFileSync(certPath, ca.certPem);
  return ca;
}

/** issueLeaf signs a server certificate for one host (DNS name or IPv4) with a fresh EC key. */
export function issueLeaf(ca: CertificateAuthority, host: string): { cert: string; key: string } {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
  const cert = signCertificate({
    subject: dnName(host),
    issuer: ca.subject,
    publicKey,
    signingKey: ca.key,
    days: LEAF_DAYS,
    extensions: [
      extension(OID.basicConstraints, true, seq()),
      extension(OID.keyUsage, true, bits(Buffer.from([0x80]), 7)), // digitalSignature
      extension(OID.extKeyUsage, false, seq(oid(OID.serverAuth))),
      extension(OID.subjectAltName, false, subjectAltName([host])),
      extension(OID.authorityKeyId, false, seq(implicit(0, keyId(ca.publicKey)))),
    ],
  });
  return { cert, key: privateKey.export({ type: "pkcs8", format: "pem" }).toString() };
}
