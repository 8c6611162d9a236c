import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/index.js';

const cwd = resolve('/srv/tribunal');

function errorOf(env: Record<string, string>): unknown {
  try {
    loadConfig(env, cwd);
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('loadConfig', () => {
  it('has defaults for everything', () => {
    expect(loadConfig({}, cwd)).toEqual({
      databaseUrl: undefined,
      dataDir: resolve(cwd, '.tribunal'),
      host: '127.0.0.1',
      port: 3000,
      logLevel: 'log',
      logFormat: 'text',
      workerConcurrency: 4,
      demo: true,
      demoLoop: true,
      demoSeed: 1,
      demoSize: 200,
      demoDebates: 40,
      endpoints: {},
      trainerDevice: 'auto',
      authFailuresPerMinute: 30,
      trustProxy: false,
      webhookTargets: 'public',
      queue: { retries: 4, retryDelaySeconds: 2, heartbeatSeconds: 20, superviseSeconds: 10 },
    });
  });

  it('reads the trainer device and refuses anything but auto, cpu, cuda or cuda:N', () => {
    expect(loadConfig({ TRIBUNAL_TRAINER_DEVICE: 'cuda:1' }, cwd).trainerDevice).toBe('cuda:1');
    expect(() => loadConfig({ TRIBUNAL_TRAINER_DEVICE: 'gpu' }, cwd)).toThrow(
      'TRIBUNAL_TRAINER_DEVICE must be auto, cpu, cuda or cuda:N, got "gpu"',
    );
  });

  it('reads named endpoints, and refuses malformed ones naming the setting', () => {
    const endpoints = loadConfig(
      {
        TRIBUNAL_ENDPOINTS:
          '{"local":{"baseUrl":"http://127.0.0.1:8000/v1"},"hosted":{"baseUrl":"https://api.example.com/v1","apiKey":"k","timeoutSeconds":30,"responseFormat":"text"}}',
      },
      cwd,
    ).endpoints;
    expect(endpoints).toEqual({
      local: { baseUrl: 'http://127.0.0.1:8000/v1', apiKey: 'none', timeoutSeconds: 120, responseFormat: 'auto' },
      hosted: { baseUrl: 'https://api.example.com/v1', apiKey: 'k', timeoutSeconds: 30, responseFormat: 'text' },
    });
    expect(() => loadConfig({ TRIBUNAL_ENDPOINTS: 'not json' }, cwd)).toThrow(/TRIBUNAL_ENDPOINTS must be JSON/);
    expect(() => loadConfig({ TRIBUNAL_ENDPOINTS: '{"x":{"baseUrl":"ftp://a"}}' }, cwd)).toThrow(
      'TRIBUNAL_ENDPOINTS.x.baseUrl must be an http(s) URL',
    );
    expect(() => loadConfig({ TRIBUNAL_ENDPOINTS: '{"Bad Name":{"baseUrl":"http://a"}}' }, cwd)).toThrow(/endpoint name "Bad Name"/);
    expect(() => loadConfig({ TRIBUNAL_ENDPOINTS: '{"x":{"baseUrl":"http://a","responseFormat":"json"}}' }, cwd)).toThrow(
      'TRIBUNAL_ENDPOINTS.x.responseFormat must be auto, json_schema or text, got "json"',
    );
    expect(() => loadConfig({ TRIBUNAL_JOB_HEARTBEAT_SECONDS: '5' }, cwd)).toThrow(
      'TRIBUNAL_JOB_HEARTBEAT_SECONDS must be an integer between 10 and 3600, got "5"',
    );
  });

  it('treats empty values as unset', () => {
    expect(loadConfig({ PORT: '', TRIBUNAL_DEMO: '', DATABASE_URL: '', TRIBUNAL_DATA_DIR: '' }, cwd)).toMatchObject({
      port: 3000,
      demo: true,
      databaseUrl: undefined,
      dataDir: resolve(cwd, '.tribunal'),
    });
  });

  it('reads valid settings', () => {
    const config = loadConfig(
      {
        PORT: '8080',
        HOST: '0.0.0.0',
        LOG_LEVEL: 'debug',
        LOG_FORMAT: 'json',
        DATABASE_URL: 'postgresql://u:p@db:5432/tribunal',
        TRIBUNAL_DEMO: 'off',
        TRIBUNAL_DEMO_LOOP: 'no',
        TRIBUNAL_WORKER_CONCURRENCY: '16',
      },
      cwd,
    );
    expect(config).toMatchObject({
      port: 8080,
      host: '0.0.0.0',
      logLevel: 'debug',
      logFormat: 'json',
      databaseUrl: 'postgresql://u:p@db:5432/tribunal',
      demo: false,
      demoLoop: false,
      workerConcurrency: 16,
    });
    expect(loadConfig({ DATABASE_URL: 'postgres://db/x', TRIBUNAL_DEMO: 'YES' }, cwd)).toMatchObject({
      databaseUrl: 'postgres://db/x',
      demo: true,
    });
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['PORT', '-1'],
    ['PORT', '80.5'],
    ['LOG_LEVEL', 'loud'],
    ['LOG_FORMAT', 'xml'],
    ['DATABASE_URL', 'mysql://x'],
    ['DATABASE_URL', 'not a url'],
    ['TRIBUNAL_DEMO', 'maybe'],
    ['TRIBUNAL_DEMO_LOOP', 'sometimes'],
    ['TRIBUNAL_WORKER_CONCURRENCY', '0'],
    ['TRIBUNAL_WORKER_CONCURRENCY', '257'],
    ['TRIBUNAL_DEMO_SIZE', '0'],
  ])('refuses %s=%s with a message naming the setting', (key, value) => {
    const error = errorOf({ [key]: value });
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).name).toBe('ConfigError');
    expect((error as ConfigError).message).toContain(key);
  });

  it('reads where webhooks may deliver: public (the default), any, or an allow-list of hosts', () => {
    expect(loadConfig({ TRIBUNAL_WEBHOOK_TARGETS: 'any' }, cwd).webhookTargets).toBe('any');
    expect(loadConfig({ TRIBUNAL_WEBHOOK_TARGETS: 'PUBLIC' }, cwd).webhookTargets).toBe('public');
    expect(loadConfig({ TRIBUNAL_WEBHOOK_TARGETS: 'Hooks.Example.com, *.pipelines.example,[::1],10.0.0.5' }, cwd).webhookTargets).toEqual([
      'hooks.example.com',
      '*.pipelines.example',
      '::1',
      '10.0.0.5',
    ]);
    expect(() => loadConfig({ TRIBUNAL_WEBHOOK_TARGETS: 'hooks.example.com,http://x/' }, cwd)).toThrow(
      'TRIBUNAL_WEBHOOK_TARGETS must be public, any, or a comma-separated list of host names or addresses ("*.example.com" allows its subdomains), got "http://x/"',
    );
  });

  it('resolves a relative data directory against the cwd argument and keeps an absolute one', () => {
    expect(loadConfig({ TRIBUNAL_DATA_DIR: 'data/db' }, cwd).dataDir).toBe(resolve(cwd, 'data/db'));
    expect(loadConfig({ TRIBUNAL_DATA_DIR: '../elsewhere' }, cwd).dataDir).toBe(resolve('/srv/elsewhere'));
    const absolute = resolve('/var/lib/tribunal');
    expect(loadConfig({ TRIBUNAL_DATA_DIR: absolute }, cwd).dataDir).toBe(absolute);
  });
});
