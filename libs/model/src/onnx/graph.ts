import { ProtoWriter } from './protobuf.js';

/** ONNX IR 8 with the default domain at opset 18: ReduceSum/ReduceMean take `axes` as an input. */
export const IR_VERSION = 8;
export const OPSET = 18;

export type ElemType = 'float32' | 'float64' | 'int64' | 'bool';
const ELEM_CODES: Record<ElemType, number> = { float32: 1, int64: 7, bool: 9, float64: 11 };

/** A dimension is a size, or a name for a size known only when the graph runs (a batch). */
export type Dim = number | string;

export type TensorData = Float32Array | Float64Array | BigInt64Array | Uint8Array;

export interface TensorValue {
  type: ElemType;
  dims: readonly number[];
  data: TensorData;
}

export type Attr = { int: number } | { float: number } | { ints: readonly number[] } | { floats: readonly number[] } | { string: string };

interface NodeSpec {
  op: string;
  inputs: string[];
  outputs: string[];
  attrs: Record<string, Attr>;
}

interface ValueSpec {
  name: string;
  type: ElemType;
  shape: readonly Dim[];
}

/**
 * Builds one ONNX graph, node by node. Values are named strings; every op helper returns the name of
 * its output. `float` is the graph's floating type, so the same code builds a float32 graph to run
 * and a float64 one to check gradients against finite differences.
 */
export class GraphBuilder {
  private readonly nodes: NodeSpec[] = [];
  private readonly inputs: ValueSpec[] = [];
  private readonly outputs: ValueSpec[] = [];
  private readonly initializers: { name: string; value: TensorValue }[] = [];
  private readonly names = new Set<string>();
  private counter = 0;
  private readonly scalars = new Map<string, string>();

  constructor(
    readonly name: string,
    readonly float: 'float32' | 'float64' = 'float32',
  ) {}

  private fresh(hint: string): string {
    let name: string;
    do name = `${hint}_${this.counter++}`;
    while (this.names.has(name));
    this.names.add(name);
    return name;
  }

  private claim(name: string): string {
    if (this.names.has(name)) throw new Error(`graph ${this.name}: the name ${name} is used twice`);
    this.names.add(name);
    return name;
  }

  input(name: string, shape: readonly Dim[], type: ElemType = this.float): string {
    this.inputs.push({ name: this.claim(name), type, shape });
    return name;
  }

  /** Names `value` as a graph output. */
  output(name: string, value: string, shape: readonly Dim[], type: ElemType = this.float): string {
    this.node('Identity', [value], {}, name);
    this.outputs.push({ name, type, shape });
    return name;
  }

  /** A constant tensor stored in the graph. */
  initializer(name: string, value: TensorValue): string {
    this.initializers.push({ name: this.claim(name), value });
    return name;
  }

  private constant(hint: string, value: TensorValue): string {
    const name = this.fresh(hint);
    this.initializers.push({ name, value });
    return name;
  }

  /** A scalar constant of the graph's float type (shared when asked for twice). */
  scalar(value: number): string {
    const key = `${this.float}:${value}`;
    const existing = this.scalars.get(key);
    if (existing) return existing;
    const data = this.float === 'float32' ? Float32Array.of(value) : Float64Array.of(value);
    const name = this.constant('const', { type: this.float, dims: [], data });
    this.scalars.set(key, name);
    return name;
  }

  int64s(values: readonly number[]): string {
    return this.constant('axes', { type: 'int64', dims: [values.length], data: BigInt64Array.from(values.map(BigInt)) });
  }

  node(op: string, inputs: string[], attrs: Record<string, Attr> = {}, outputName?: string): string {
    for (const input of inputs)
      if (input !== '' && !this.names.has(input)) throw new Error(`graph ${this.name}: ${op} reads ${input}, which is not defined`);
    const output = outputName === undefined ? this.fresh(op.toLowerCase()) : this.claim(outputName);
    this.nodes.push({ op, inputs, outputs: [output], attrs });
    return output;
  }

  // The ops the model needs, named as in ONNX.
  add(a: string, b: string): string {
    return this.node('Add', [a, b]);
  }
  sub(a: string, b: string): string {
    return this.node('Sub', [a, b]);
  }
  mul(a: string, b: string): string {
    return this.node('Mul', [a, b]);
  }
  div(a: string, b: string): string {
    return this.node('Div', [a, b]);
  }
  neg(a: string): string {
    return this.node('Neg', [a]);
  }
  exp(a: string): string {
    return this.node('Exp', [a]);
  }
  sqrt(a: string): string {
    return this.node('Sqrt', [a]);
  }
  erf(a: string): string {
    return this.node('Erf', [a]);
  }
  pow(a: string, b: string): string {
    return this.node('Pow', [a, b]);
  }
  relu(a: string): string {
    return this.node('Relu', [a]);
  }
  logSoftmax(a: string): string {
    return this.node('LogSoftmax', [a], { axis: { int: -1 } });
  }
  /** a·b (+ c), with either side transposed first; 2-D only. */
  gemm(a: string, b: string, c?: string, options: { transA?: boolean; transB?: boolean } = {}): string {
    return this.node('Gemm', c === undefined ? [a, b] : [a, b, c], {
      transA: { int: options.transA ? 1 : 0 },
      transB: { int: options.transB ? 1 : 0 },
    });
  }
  /** Sum over the given axes, keeping them as size 1 unless `keepDims` is false. */
  reduceSum(a: string, axes: readonly number[], keepDims = false): string {
    return this.node('ReduceSum', [a, this.int64s(axes)], { keepdims: { int: keepDims ? 1 : 0 } });
  }
  /** Sum of every element, as a scalar. */
  sumAll(a: string): string {
    return this.node('ReduceSum', [a], { keepdims: { int: 0 } });
  }
  greater(a: string, b: string): string {
    return this.node('Greater', [a, b]);
  }
  where(condition: string, a: string, b: string): string {
    return this.node('Where', [condition, a, b]);
  }
  cast(a: string, to: ElemType): string {
    return this.node('Cast', [a], { to: { int: ELEM_CODES[to] } });
  }
  /** Rows of a [n] int64 label vector as one-hot [n, k] in the float type. */
  oneHot(labels: string, k: number): string {
    const classes = this.int64s(Array.from({ length: k }, (_, i) => i));
    const column = this.node('Unsqueeze', [labels, this.int64s([1])]);
    return this.cast(this.node('Equal', [column, classes]), this.float);
  }
  /** The number of rows of a 2-D value, as a scalar of the float type. */
  rows(a: string): string {
    const shape = this.node('Shape', [a], { start: { int: 0 }, end: { int: 1 } });
    return this.cast(this.node('Squeeze', [shape, this.int64s([0])]), this.float);
  }

  /** The serialized ModelProto. */
  encode(metadata: Record<string, string> = {}): Uint8Array {
    const w = new ProtoWriter();
    w.int(1, IR_VERSION);
    w.string(2, 'tribunal');
    w.message(7, (g) => this.writeGraph(g));
    w.message(8, (o) => o.string(1, '').int(2, OPSET));
    for (const [key, value] of Object.entries(metadata)) w.message(14, (e) => e.string(1, key).string(2, value));
    return w.finish();
  }

  private writeGraph(g: ProtoWriter): void {
    for (const node of this.nodes) {
      g.message(1, (n) => {
        for (const input of node.inputs) n.string(1, input);
        for (const output of node.outputs) n.string(2, output);
        n.string(3, node.outputs[0] as string);
        n.string(4, node.op);
        for (const [name, attr] of Object.entries(node.attrs)) n.message(5, (a) => writeAttr(a, name, attr));
      });
    }
    g.string(2, this.name);
    for (const { name, value } of this.initializers) g.message(5, (t) => writeTensor(t, name, value));
    for (const input of this.inputs) g.message(11, (v) => writeValueInfo(v, input));
    for (const output of this.outputs) g.message(12, (v) => writeValueInfo(v, output));
  }
}

function writeAttr(a: ProtoWriter, name: string, attr: Attr): void {
  a.string(1, name);
  if ('int' in attr) a.int(3, attr.int).int(20, 2);
  else if ('float' in attr) a.float(2, attr.float).int(20, 1);
  else if ('ints' in attr) a.packedInts(8, attr.ints).int(20, 7);
  else if ('floats' in attr) a.packedFloats(7, attr.floats).int(20, 6);
  else a.string(4, attr.string).int(20, 3);
}

function writeTensor(t: ProtoWriter, name: string, value: TensorValue): void {
  const size = value.dims.reduce((a, b) => a * b, 1);
  if (value.data.length !== size) throw new Error(`tensor ${name}: ${value.data.length} values for shape [${value.dims.join(', ')}]`);
  if (value.dims.length > 0) t.packedInts(1, value.dims);
  t.int(2, ELEM_CODES[value.type]);
  t.string(8, name);
  // raw_data is little-endian, as typed arrays are on every platform Node supports.
  t.bytes(9, new Uint8Array(value.data.buffer, value.data.byteOffset, value.data.byteLength));
}

function writeValueInfo(v: ProtoWriter, spec: ValueSpec): void {
  v.string(1, spec.name);
  v.message(2, (type) =>
    type.message(1, (tensor) => {
      tensor.int(1, ELEM_CODES[spec.type]);
      tensor.message(2, (shape) => {
        for (const dim of spec.shape) shape.message(1, (d) => (typeof dim === 'number' ? d.int(1, dim) : d.string(2, dim)));
      });
    }),
  );
}
