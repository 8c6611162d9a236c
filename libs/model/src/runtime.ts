import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { GraphBuilder } from './onnx/graph.js';

/** Where a graph runs: the CPU, or one CUDA device. */
export type Device = { kind: 'cpu' } | { kind: 'cuda'; index: number };

export function deviceName(device: Device): string {
  return device.kind === 'cpu' ? 'cpu' : `cuda:${device.index}`;
}

/** `cpu`, `cuda` (device 0), `cuda:N`, or `auto` (the first CUDA device if it works, else the CPU). */
export function parseDevice(text: string): Device | 'auto' {
  if (text === 'auto') return 'auto';
  if (text === 'cpu') return { kind: 'cpu' };
  const match = /^cuda(?::(\d+))?$/.exec(text);
  if (match) return { kind: 'cuda', index: Number(match[1] ?? 0) };
  throw new Error(`a device is cpu, cuda, cuda:N or auto; got "${text}"`);
}

function providers(device: Device): ort.InferenceSession.ExecutionProviderConfig[] {
  return device.kind === 'cpu' ? ['cpu'] : [{ name: 'cuda', deviceId: device.index }];
}

/** Sessions log errors only (onnxruntime's warnings about pruned constants are noise); the device probe logs nothing. */
export function createSession(model: Uint8Array, device: Device, logSeverityLevel: 3 | 4 = 3): Promise<ort.InferenceSession> {
  return ort.InferenceSession.create(model, { executionProviders: providers(device), graphOptimizationLevel: 'all', logSeverityLevel });
}

/** A one-node graph, to find out whether an execution provider loads at all. */
function probeGraph(): Uint8Array {
  const g = new GraphBuilder('probe');
  g.output('y', g.relu(g.input('x', [1])), [1]);
  return g.encode();
}

/**
 * Whether onnxruntime-node was installed with its CUDA provider (`ONNXRUNTIME_NODE_INSTALL=cuda12`),
 * which puts the provider library beside the binding.
 */
export function cudaProviderInstalled(): boolean {
  const binding = join(
    dirname(createRequire(import.meta.url).resolve('onnxruntime-node')),
    '..',
    'bin',
    'napi-v6',
    process.platform,
    process.arch,
  );
  return existsSync(join(binding, 'libonnxruntime_providers_cuda.so')) || existsSync(join(binding, 'onnxruntime_providers_cuda.dll'));
}

export interface ResolvedDevice {
  device: Device;
  /** Why the device differs from the one asked for, if it does. */
  warning?: string;
}

/**
 * Turns the configured device into one that works here. CUDA is tried by opening a session on it
 * (onnxruntime throws when its CUDA provider or the driver is missing); if that fails the CPU is used
 * with a warning, unless `requireGpu`, in which case it throws with the reason.
 */
export async function resolveDevice(requested: Device | 'auto', options: { requireGpu?: boolean } = {}): Promise<ResolvedDevice> {
  // `auto` without the CUDA provider installed is simply the CPU: nothing to probe, nothing to warn about.
  if (requested === 'auto' && !cudaProviderInstalled() && !options.requireGpu) return { device: { kind: 'cpu' } };
  const wanted: Device = requested === 'auto' ? { kind: 'cuda', index: 0 } : requested;
  if (wanted.kind === 'cpu') {
    if (options.requireGpu) throw new Error('a GPU is required, but this trainer is configured for the CPU (TRIBUNAL_TRAINER_DEVICE=cpu)');
    return { device: wanted };
  }
  try {
    await (await createSession(probeGraph(), wanted, 4)).release();
    return { device: wanted };
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    if (options.requireGpu) throw new Error(`a GPU is required, but ${deviceName(wanted)} cannot be used here: ${reason}`);
    if (requested === 'auto') return { device: { kind: 'cpu' } };
    return { device: { kind: 'cpu' }, warning: `${deviceName(wanted)} cannot be used here (${reason}); running on the CPU instead` };
  }
}

export function floatTensor(data: Float32Array, dims: readonly number[]): ort.Tensor {
  return new ort.Tensor('float32', data, dims);
}

export function labelTensor(labels: ArrayLike<number>): ort.Tensor {
  return new ort.Tensor('int64', BigInt64Array.from(Array.from(labels, (v) => BigInt(v))), [labels.length]);
}

export function scalarTensor(value: number): ort.Tensor {
  return new ort.Tensor('float32', Float32Array.of(value), []);
}

export type Feeds = Record<string, ort.Tensor>;
export type { InferenceSession } from 'onnxruntime-node';
