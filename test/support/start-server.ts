import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');

export interface StartedServer {
  url: string;
  /** The demo API key the server printed (every scope). */
  apiKey: string;
  /** Milliseconds from spawn to serving. */
  startupMs: number;
  output: () => string;
  stop(): Promise<void>;
}

/** Starts `server/main.ts` as `npm start` does (without the build), on a free port. */
export function startServer(env: Record<string, string> = {}): Promise<StartedServer> {
  const started = performance.now();
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: root,
    env: { ...process.env, PORT: '0', PGLITE_DIR: 'memory://', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`the server did not start within 90 s:\n${log}`)), 90_000);
    const fail = (error: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(error);
    };
    const onData = (chunk: Buffer) => {
      log += chunk;
      const url = /Demo staff page:\s+(http:\/\/\S+?)\/\s/.exec(log)?.[1];
      const apiKey = /(ck_key_[\w-]+)/.exec(log)?.[1];
      if (url && apiKey) {
        clearTimeout(timer);
        resolve({
          url,
          apiKey,
          startupMs: performance.now() - started,
          output: () => log,
          stop: () => new Promise((done) => {
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
        });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => fail(new Error(`the server exited with ${code}:\n${log}`)));
  });
}
