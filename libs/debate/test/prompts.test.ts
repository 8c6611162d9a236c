import { describe, expect, it } from 'vitest';
import {
  DEFAULT_DEBATER_SYSTEM,
  DEFAULT_DEBATER_TURN,
  itemText,
  render,
  speechMessages,
  speechPromptValues,
  transcriptText,
  type DebaterItem,
  type TranscriptEntry,
} from '../src/index.js';
import { speechRequest, textItem } from './factories.js';

describe('render', () => {
  it('replaces every placeholder by its value, spaces inside the braces allowed', () => {
    expect(render('Hi {{name}}, {{ n }} and {{name}} again', { name: 'Ann', n: 3 })).toBe('Hi Ann, 3 and Ann again');
  });

  it('leaves unknown placeholders as they are', () => {
    expect(render('{{seat}} {{missing}} {{Seat}} {single}', { seat: 'A' })).toBe('A {{missing}} {{Seat}} {single}');
  });

  it('puts values in literally, without rendering them again', () => {
    expect(render('{{a}}', { a: '{{b}} $& $1', b: 'no' })).toBe('{{b}} $& $1');
  });

  it('renders a zero and an empty string', () => {
    expect(render('[{{n}}|{{s}}]', { n: 0, s: '' })).toBe('[0|]');
  });
});

describe('itemText', () => {
  it('describes a built-in world room: the camera view, then every reading with its id', () => {
    const item: DebaterItem = {
      context: {
        kind: 'world-room',
        camera: {
          width: 3,
          depth: 2,
          visible: [
            { type: 'chair', x: 1, y: 0, occluder: false },
            { type: 'table', x: 2, y: 1, occluder: true },
          ],
        },
      },
      evidence: [
        { id: 's-0-0', kind: 'sensor', text: 'Sensor at (0, 0): empty' },
        { id: 's-1-1', kind: 'sensor', text: 'Sensor at (1, 1): chair' },
      ],
      question: 'How many chairs?',
      answers: ['0', '1'],
      meta: {},
    };
    expect(itemText(item)).toBe(
      [
        'A room of 3 by 2 cells seen by a camera in front of row 0. The camera sees: chair at (1, 0), table at (2, 1).',
        'Sensor readings (cite one as [[id]]):',
        '[[s-0-0]] Sensor at (0, 0): empty',
        '[[s-1-1]] Sensor at (1, 1): chair',
      ].join('\n'),
    );
  });

  it('says the camera sees nothing when it sees nothing', () => {
    const item: DebaterItem = {
      context: { kind: 'world-room', camera: { width: 1, depth: 1, visible: [] } },
      evidence: [],
      question: 'q',
      answers: [],
      meta: {},
    };
    expect(itemText(item)).toBe(
      'A room of 1 by 1 cells seen by a camera in front of row 0. The camera sees: nothing.\nSensor readings (cite one as [[id]]):',
    );
  });

  it('gives a lone passage as it is, and several under their ids', () => {
    expect(itemText(textItem([{ id: 'p', kind: 'passage', text: 'Only text.' }]))).toBe('Only text.');
    expect(
      itemText(
        textItem([
          { id: 'p-1', kind: 'passage', text: 'First.' },
          { id: 'p-2', kind: 'passage', text: 'Second.' },
        ]),
      ),
    ).toBe('[p-1]\nFirst.\n\n[p-2]\nSecond.');
  });
});

describe('transcriptText', () => {
  const answers = ['no', 'yes'];

  it('says when nothing has been said', () => {
    expect(transcriptText([], answers)).toBe('(nothing has been said yet)');
  });

  it('writes speeches with their side and judge verdicts in rounded percentages, with any note', () => {
    const entries: TranscriptEntry[] = [
      { kind: 'speech', seat: 'A', answer: 1, round: 2, text: 'It is good.' },
      { kind: 'judge', stage: 'judge-1', probabilities: [0.254, 0.746], note: null },
      { kind: 'judge', stage: 'judge-3', probabilities: [0.5, 0.5], note: 'Why?' },
    ];
    expect(transcriptText(entries, answers)).toBe(
      'Debater A (arguing "yes"), round 2:\nIt is good.\n\nJudge (judge-1): "no" 25%, "yes" 75%\n\nJudge (judge-3): "no" 50%, "yes" 50%\nJudge\'s note: Why?',
    );
  });
});

describe('speechPromptValues', () => {
  const item = textItem([{ id: 'p', kind: 'passage', text: 'Some passage.' }]);

  it('fills every value a prompt may use', () => {
    expect(speechPromptValues(speechRequest(item))).toEqual({
      seat: 'A',
      question: 'Is the review positive?',
      answers: '"no", "yes"',
      assigned_answer: 'no',
      opponent_answers: '"yes"',
      item: 'Some passage.',
      transcript: '(nothing has been said yet)',
      round: 1,
      char_limit: 1200,
      quote_limit: 'any number of',
      problems: '',
    });
  });

  it('names every opponent, or none', () => {
    const three: DebaterItem = { ...item, answers: ['a', 'b', 'c'] };
    const many = speechRequest(three, {
      opponents: [
        { seat: 'B', answer: 1 },
        { seat: 'C', answer: 2 },
      ],
    });
    expect(speechPromptValues(many).opponent_answers).toBe('"b" and "c"');
    expect(speechPromptValues(speechRequest(item, { opponents: [] })).opponent_answers).toBe('nothing (there is no opponent)');
  });

  it('gives the quote limit when there is one, and what was wrong with a refused attempt', () => {
    const values = speechPromptValues(
      speechRequest(item, {
        speechNumber: 3,
        limits: { chars: 750, quoteChars: 250, citations: 2 },
        problems: ['too long', 'too many quotes'],
      }),
    );
    expect(values).toMatchObject({ round: 3, char_limit: 750, quote_limit: 250 });
    expect(values['problems']).toBe('Your previous attempt was refused: too long; too many quotes. Stay within the limits.');
    expect(speechPromptValues(speechRequest(item, { problems: [] }))['problems']).toBe('');
  });
});

describe('speechMessages', () => {
  const item = textItem([{ id: 'p', kind: 'passage', text: 'Some passage.' }]);

  it('renders the default prompts with no placeholder left', () => {
    const [system, user] = speechMessages(speechRequest(item));
    expect(system).toEqual({ role: 'system', content: render(DEFAULT_DEBATER_SYSTEM, speechPromptValues(speechRequest(item))) });
    expect(String(system!.content)).toContain('You are Debater A');
    expect(String(system!.content)).toContain('You argue that the answer is "no"; your opponents argue "yes".');
    expect(String(system!.content)).not.toContain('{{');
    expect(user).toEqual({ role: 'user', content: 'The debate so far:\n(nothing has been said yet)\n\nWrite your speech for round 1. ' });
    expect(DEFAULT_DEBATER_TURN).toContain('{{problems}}');
  });

  it("renders a protocol's own prompts, leaving unknown placeholders", () => {
    expect(
      speechMessages(speechRequest(item, { seat: 'B' }), { debaterSystem: 'S {{seat}} {{unknown}}', debaterTurn: 'T {{round}}' }),
    ).toEqual([
      { role: 'system', content: 'S B {{unknown}}' },
      { role: 'user', content: 'T 1' },
    ]);
  });
});
