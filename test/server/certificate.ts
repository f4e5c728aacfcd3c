// A TLS certificate for a test server, made by Debian's openssl as an operator would make one for a
// trial: signed by its own key, so its clients are told to trust it.

import { spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";

const OPENSSL = "/usr/bin/openssl";

/** A certificate for `name` signed by its own key, as `openssl req -x509` makes one, in `dir`/tls. */
export function selfSignedCertificate(dir: string, name: string): { cert: string; key: string } {
  const tls = join(dir, "tls");
  mkdirSync(tls, { recursive: true });
  const [cert, key] = [join(tls, "fullchain.pem"), join(tls, "privkey.pem")];
  const request = "req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2".split(" ");
  const subject = ["-subj", `/CN=${name}`, "-addext", `subjectAltName=DNS:${name}`];
  const made = spawnSync(OPENSSL, [...request, ...subject, "-keyout", key, "-out", cert], { encoding: "utf8" });
  if (made.status !== 0) throw new Error(`openssl req -x509 failed:\n${made.stderr}`);
  return { cert, key };
}
