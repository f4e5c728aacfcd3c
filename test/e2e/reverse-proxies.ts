// Debian's nginx and Caddy in front of a Hatch on loopback, each running the README's example as
// written: the test changes only the certificate, the ports and the upstream's port, and wraps the
// block in what the machine around it would provide (nginx's main context, Caddy's global options).

import { spawn, type ChildProcess } from "node:child_process";
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { selfSignedCertificate } from "../server/certificate";
import { readmeBlock, substitute } from "./readme-blocks";

// Where Debian's nginx and caddy packages put their programs.
const NGINX = "/usr/sbin/nginx";
const CADDY = "/usr/bin/caddy";

/** The server name of the README's examples: the test keeps it, and points Chromium's resolver at loopback. */
export const SERVER_NAME = "chat.example.com";

export interface ProxyPorts {
  /** Where the proxy listens for plain HTTP (the README's 80). */
  http: number;
  /** Where it listens for HTTPS (the README's 443). */
  https: number;
  /** Where Hatch listens (the README's 8787). */
  hatch: number;
}

export interface RunningProxy {
  stop(): Promise<void>;
}

/** Starts the README's nginx block in `dir`, with a certificate made there; resolves once it answers Hatch's /healthz. */
export async function startNginx(dir: string, ports: ProxyPorts): Promise<RunningProxy> {
  const { cert, key } = selfSignedCertificate(dir, SERVER_NAME);
  const block = substitute(readmeBlock("### nginx", "nginx"), [
    [/listen (\[::\]:)?80;/g, `listen $1${ports.http};`],
    [/listen (\[::\]:)?443 /g, `listen $1${ports.https} `],
    [/ssl_certificate \S+;/g, `ssl_certificate ${cert};`],
    [/ssl_certificate_key \S+;/g, `ssl_certificate_key ${key};`],
    [/127\.0\.0\.1:8787/g, `127.0.0.1:${ports.hatch}`],
  ]);
  // What Debian's /etc/nginx/nginx.conf gives a site, with every path in `dir`. The workers run as
  // the test's user (root in CI) so they can write request bodies to `dir`.
  const conf = `daemon off;
user root;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/nginx-error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${dir}/nginx-body;
  proxy_temp_path ${dir}/nginx-proxy;
  fastcgi_temp_path ${dir}/nginx-fastcgi;
  uwsgi_temp_path ${dir}/nginx-uwsgi;
  scgi_temp_path ${dir}/nginx-scgi;
${block}}
`;
  writeFileSync(join(dir, "nginx.conf"), conf);
  const child = spawn(NGINX, ["-e", join(dir, "nginx-error.log"), "-c", join(dir, "nginx.conf")], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  return running("nginx", child, ports);
}

/** Starts the README's Caddyfile in `dir`, its certificate from Caddy's own local CA; resolves once it answers Hatch's /healthz. */
export async function startCaddy(dir: string, ports: ProxyPorts): Promise<RunningProxy> {
  const site = substitute(readmeBlock("### Caddy", "caddyfile"), [[/127\.0\.0\.1:8787/g, `127.0.0.1:${ports.hatch}`]]);
  // Global options come first in a Caddyfile: the ports, and a certificate from Caddy's local CA
  // where a server would get one from Let's Encrypt; no admin endpoint, nothing installed in the
  // system's trust store, every file in `dir`.
  const caddyfile = `{
	admin off
	http_port ${ports.http}
	https_port ${ports.https}
	local_certs
	skip_install_trust
	storage file_system ${dir}/caddy
}

${site}`;
  writeFileSync(join(dir, "Caddyfile"), caddyfile);
  const child = spawn(CADDY, ["run", "--config", join(dir, "Caddyfile"), "--adapter", "caddyfile"], {
    env: { PATH: process.env.PATH, HOME: dir, XDG_CONFIG_HOME: dir, XDG_DATA_HOME: dir },
    stdio: ["ignore", "pipe", "pipe"],
  });
  return running("Caddy", child, ports);
}

/** Waits until `child` passes /healthz on to Hatch over HTTPS; throws with what it printed if it exits or takes 20 s. */
async function running(name: string, child: ChildProcess, ports: ProxyPorts): Promise<RunningProxy> {
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((done) => child.once("exit", () => done()));
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited at start (${child.exitCode}):\n${output}`);
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`${name} did not pass /healthz on within 20 s:\n${output}`);
    }
    const answer = await ask(ports.https, "/healthz", "https").catch(() => null);
    if (answer?.status === 200) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    async stop() {
      if (child.exitCode !== null) return;
      child.kill("SIGTERM");
      // A proxy still draining a stream gets a moment, then no more.
      const late = setTimeout(() => child.kill("SIGKILL"), 5_000);
      await exited;
      clearTimeout(late);
    },
  };
}

/**
 * A GET to the proxy on loopback as a client of SERVER_NAME makes it (Host and SNI); the certificate
 * is not checked, the redirect not followed.
 */
export function ask(
  port: number,
  path: string,
  scheme: "http" | "https",
): Promise<{ status: number; location: string | undefined }> {
  const options = { host: "127.0.0.1", port, path, headers: { host: `${SERVER_NAME}:${port}` } };
  return new Promise((resolve, reject) => {
    const sent =
      scheme === "https"
        ? httpsRequest({ ...options, servername: SERVER_NAME, rejectUnauthorized: false })
        : httpRequest(options);
    sent.on("response", (response) => {
      response.resume();
      resolve({ status: response.statusCode ?? 0, location: response.headers.location });
    });
    sent.on("error", reject);
    sent.setTimeout(5_000, () => sent.destroy(new Error(`no answer from 127.0.0.1:${port} in 5 s`)));
    sent.end();
  });
}
