import { ArchiveError } from './files.js';

/** Where a text stops being JSON, and why, worded without quoting the text. */
export function jsonProblem(text: string): { at: number; problem: string } | null {
  let i = 0;
  const fail = (problem: string, at = i): never => {
    throw { at, problem };
  };
  const space = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const literal = (word: string) => {
    if (text.startsWith(word, i)) i += word.length;
    else fail('an unexpected character');
  };
  const string = () => {
    i++;
    while (i < text.length && text[i] !== '"') {
      const code = text.charCodeAt(i);
      if (code < 0x20) fail('a control character inside a string');
      if (text[i] === '\\') {
        i++;
        if (text[i] === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) fail('a bad \\u escape');
          i += 4;
        } else if (i >= text.length || !'"\\/bfnrt'.includes(text[i]!)) fail('a bad escape');
      }
      i++;
    }
    if (i >= text.length) fail('a string that never ends');
    i++;
  };
  const digits = () => {
    if (!(text[i]! >= '0' && text[i]! <= '9')) fail('a malformed number');
    while (text[i]! >= '0' && text[i]! <= '9') i++;
  };
  const number = () => {
    if (text[i] === '-') i++;
    if (text[i] === '0') i++;
    else digits();
    if (text[i] === '.') {
      i++;
      digits();
    }
    if (text[i] === 'e' || text[i] === 'E') {
      i++;
      if (text[i] === '+' || text[i] === '-') i++;
      digits();
    }
  };
  const value = (depth: number): void => {
    if (depth > 2000) fail('nesting deeper than 2000 levels');
    space();
    if (i >= text.length) fail('the end of the text where a value was expected');
    const c = text[i]!;
    if (c === '{') {
      i++;
      space();
      if (text[i] === '}') return void i++;
      for (;;) {
        space();
        if (text[i] !== '"') fail('a character where a property name in double quotes was expected');
        string();
        space();
        if (text[i] !== ':') fail("a character where ':' was expected");
        i++;
        value(depth + 1);
        space();
        if (text[i] === ',') i++;
        else if (text[i] === '}') return void i++;
        else fail(i >= text.length ? 'the end of the text inside an object' : "a character where ',' or '}' was expected");
      }
    }
    if (c === '[') {
      i++;
      space();
      if (text[i] === ']') return void i++;
      for (;;) {
        value(depth + 1);
        space();
        if (text[i] === ',') i++;
        else if (text[i] === ']') return void i++;
        else fail(i >= text.length ? 'the end of the text inside an array' : "a character where ',' or ']' was expected");
      }
    }
    if (c === '"') return string();
    if (c === '-' || (c >= '0' && c <= '9')) return number();
    if (c === 't') return literal('true');
    if (c === 'f') return literal('false');
    if (c === 'n') return literal('null');
    fail('an unexpected character');
  };
  try {
    value(0);
    space();
    if (i < text.length) fail('more text after the JSON value');
    return null;
  } catch (error) {
    if (error && typeof error === 'object' && 'at' in error) return error as { at: number; problem: string };
    throw error;
  }
}

/** Line and column (from 1) of an offset. */
function lineAndColumn(text: string, at: number): string {
  const before = text.slice(0, at);
  const line = before.split('\n').length;
  return `line ${line}, column ${at - before.lastIndexOf('\n')}`;
}

/**
 * Parses an archive's JSON; if it is not JSON, the error names the file and where and why it
 * stops being JSON, and never quotes the file's content (the engine's own message would).
 */
export function parseArchiveJson(text: string, file: string, line?: number): unknown {
  try {
    return JSON.parse(text);
  } catch {
    const found = jsonProblem(text) ?? { at: 0, problem: 'text that is not JSON' };
    const where = line === undefined ? lineAndColumn(text, found.at) : `line ${line}, column ${found.at + 1}`;
    throw new ArchiveError(`${file} is not valid JSON: ${found.problem} at ${where} (character ${found.at})`);
  }
}
