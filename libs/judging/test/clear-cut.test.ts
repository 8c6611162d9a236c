import { describe, expect, it } from 'vitest';
import { clearCut } from '../src/index.js';

describe('clearCut with options', () => {
  it('returns exactly the old shape when called with two arguments', () => {
    const outcome = clearCut([0.31, 0.69], 0.7);
    expect(outcome).toEqual({ answer: 1, probability: 0.69, clearCut: false });
    expect('reason' in outcome).toBe(false);
  });

  it('gives no reason when the outcome is clear-cut', () => {
    const outcome = clearCut([0.1, 0.9], 0.8, {});
    expect(outcome).toEqual({ answer: 1, probability: 0.9, clearCut: true });
    expect('reason' in outcome).toBe(false);
  });

  it('says by how much the threshold was missed, in readable numbers', () => {
    expect(clearCut([0.38, 0.62], 0.8, {})).toEqual({ answer: 1, probability: 0.62, clearCut: false, reason: '0.62 < 0.8' });
    // 0.1 + 0.2 is 0.30000000000000004; the reason prints it as 0.3.
    expect(clearCut([0.1 + 0.2, 0.25, 0.25, 0.2], 0.31, {}).reason).toBe('0.3 < 0.31');
    // Close to the threshold, enough digits are kept to show the difference.
    expect(clearCut([0.2000001, 0.7999999], 0.8, {}).reason).toBe('0.7999999 < 0.8');
  });

  it('reports a tie', () => {
    expect(clearCut([0.5, 0.5], 0.5, {})).toMatchObject({ clearCut: false, reason: 'tie' });
    expect(clearCut([0.4, 0.2, 0.4], 0.5, {}).reason).toBe('tie; 0.4 < 0.5');
  });

  it('requires a minimum number of judges', () => {
    const verdicts = [
      [0.1, 0.9],
      [0.2, 0.8],
    ];
    // mean [0.15, 0.85]
    expect(clearCut([0.15, 0.85], 0.8, { verdicts, minJudges: 3 })).toEqual({
      answer: 1,
      probability: 0.85,
      clearCut: false,
      reason: '2 judges < 3 required',
    });
    expect(clearCut([0.1, 0.9], 0.8, { verdicts: [[0.1, 0.9]], minJudges: 2 }).reason).toBe('1 judge < 2 required');
    expect(clearCut([0.15, 0.85], 0.8, { verdicts, minJudges: 2 }).clearCut).toBe(true);
  });

  it('requires, when unanimous, every judge to favour the winning answer', () => {
    const split = [
      [0.9, 0.1],
      [0.4, 0.6],
    ];
    // mean [0.65, 0.35]: clear-cut at 0.6 by probability alone, but the second judge favours answer 1.
    expect(clearCut([0.65, 0.35], 0.6, { verdicts: split }).clearCut).toBe(true);
    expect(clearCut([0.65, 0.35], 0.6, { verdicts: split, unanimous: true })).toEqual({
      answer: 0,
      probability: 0.65,
      clearCut: false,
      reason: 'judges disagree',
    });
    const agreeing = [
      [0.9, 0.1],
      [0.6, 0.4],
    ];
    expect(clearCut([0.75, 0.25], 0.6, { verdicts: agreeing, unanimous: true }).clearCut).toBe(true);
  });

  it('counts a judge torn between answers as disagreeing', () => {
    const verdicts = [
      [1, 0],
      [0.5, 0.5],
    ];
    // mean [0.75, 0.25]
    expect(clearCut([0.75, 0.25], 0.7, { verdicts, unanimous: true }).reason).toBe('judges disagree');
  });

  it('lists every reason that applies', () => {
    const verdicts = [
      [0.9, 0.1],
      [0.4, 0.6],
    ];
    expect(clearCut([0.65, 0.35], 0.7, { verdicts, unanimous: true, minJudges: 3 }).reason).toBe(
      '0.65 < 0.7; 2 judges < 3 required; judges disagree',
    );
  });

  it('needs the verdicts to check unanimity or the number of judges', () => {
    expect(() => clearCut([0.1, 0.9], 0.5, { unanimous: true })).toThrow(/needs the verdicts/);
    expect(() => clearCut([0.1, 0.9], 0.5, { minJudges: 1 })).toThrow(/needs the verdicts/);
  });
});
