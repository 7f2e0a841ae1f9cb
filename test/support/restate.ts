// A real restate-server (the binary @restatedev/restate-server installs) on 127.0.0.1, with a fresh base
// directory and free ports, and service processes to register with it. Every process is ended by its id.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { connect, createServer } from 'node:net';
import { arch, platform, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);

/** The restate-server binary for this machine, if its package installed one. */
function findBinary(): string | undefined {
  try {
    return require.resolve(`@restatedev/restate-server-${platform()}-${arch()}/bin/restate-server`);
  } catch {
    return undefined;
  }
}

export const restateBinary = findBinary();

/** A port nobody listens on now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}

/** Whether something accepts connections on `port` (a Restate endpoint speaks HTTP/2 only). */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Retries `probe` every 100 ms until it returns true, or fails after `ms`. */
export async function until(
  what: string,
  ms: number,
  probe: () => Promise<boolean>,
  gone: () => string | undefined = () => undefined,
): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await probe().catch(() => false)) return;
    const why = gone();
    if (why !== undefined) throw new Error(`${what}: ${why}`);
    if (Date.now() > deadline) throw new Error(`${what}: not after ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Why `child` is no longer running, if it is not. */
function exited(child: ChildProcess): string | undefined {
  if (child.exitCode !== null) return `it exited with code ${child.exitCode}`;
  if (child.signalCode !== null) return `it was ended by ${child.signalCode}`;
  return undefined;
}

/** Ends a process by its id (SIGKILL after `grace` ms of SIGTERM), resolving once it has exited. */
export function end(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM', grace = 5_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined)
    return Promise.resolve();
  const pid = child.pid;
  return new Promise((resolve) => {
    const timer = setTimeout(() => process.kill(pid, 'SIGKILL'), grace);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    process.kill(pid, signal);
  });
}

export interface RestateServer {
  readonly ingress: string;
  readonly admin: string;
  /** Registers (again, after a restart) the service endpoint listening on `port`. */
  register(port: number): Promise<void>;
  stop(): Promise<void>;
}

/** Starts restate-server on free ports with a fresh base directory; resolves once its admin API answers. */
export async function startRestate(binary: string): Promise<RestateServer> {
  const base = mkdtempSync(join(tmpdir(), 'greenstate-restate-'));
  const [ingressPort, adminPort, nodePort] = [await freePort(), await freePort(), await freePort()];
  const server = spawn(
    binary,
    ['--no-logo', '--listen-mode', 'tcp', '--base-dir', base, '--node-name', 'test'],
    {
      env: {
        ...process.env,
        RESTATE_INGRESS__BIND_ADDRESS: `127.0.0.1:${ingressPort}`,
        RESTATE_ADMIN__BIND_ADDRESS: `127.0.0.1:${adminPort}`,
        RESTATE_BIND_ADDRESS: `127.0.0.1:${nodePort}`,
        RESTATE_ADVERTISED_ADDRESS: `http://127.0.0.1:${nodePort}/`,
        RESTATE_LOG_FILTER: 'error',
        RESTATE_DISABLE_TELEMETRY: 'true',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  // Its log is shown only if it fails to start (it would otherwise fill the tests' output).
  let log = '';
  server.stderr?.on('data', (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-20_000);
  });
  const ingress = `http://127.0.0.1:${ingressPort}`;
  const admin = `http://127.0.0.1:${adminPort}`;
  const stop = async () => {
    await end(server);
    rmSync(base, { recursive: true, force: true });
  };
  try {
    await until(
      'restate-server',
      60_000,
      async () => (await fetch(`${admin}/deployments`)).ok,
      () => exited(server),
    );
    await until('its ingress', 60_000, async () => (await fetch(`${ingress}/restate/health`)).ok);
  } catch (error) {
    await stop();
    throw new Error(`restate-server did not start; its log:\n${log}`, { cause: error });
  }
  return {
    ingress,
    admin,
    async register(port) {
      const response = await fetch(`${admin}/deployments`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ uri: `http://127.0.0.1:${port}`, force: true }),
      });
      if (!response.ok)
        throw new Error(`registering the service: ${response.status} ${await response.text()}`);
    },
    stop,
  };
}

/** Fills in Promise.withResolvers, which Restate's SDK needs and Node 20 lacks. */
const withResolvers = fileURLToPath(new URL('./withResolvers.ts', import.meta.url));

/** A service process: `node --import tsx file port` (PORT=port too), which serves its endpoint on `port`. */
export async function startService(file: URL, port: number, env: Record<string, string> = {}) {
  const args = ['--import', 'tsx', '--import', withResolvers, fileURLToPath(file), String(port)];
  const child = spawn(process.execPath, args, {
    env: { ...process.env, PORT: String(port), ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  await until(
    `the service ${file.pathname}`,
    60_000,
    () => listening(port),
    () => exited(child),
  );
  return child;
}
