import { Injectable } from '@nestjs/common';
import { userRoom, type JudgeOutcomesView, type JudgeRecordView } from '#tribunal/contracts';
import { judgeOutcomes, judgeRecord, type JudgedItem } from '#tribunal/judging';
import { OutcomeRepository, type ItemOfJudge } from '#tribunal/persistence';
import { specOf } from '../debates/debate-progress.js';
import { LiveEvents } from '../live-events/live-events.js';

function judgedItem(item: ItemOfJudge): JudgedItem {
  return {
    question: item.question,
    answers: item.answers,
    truth: item.groundTruth,
    disputes: item.disputes,
    debates: item.debates.map((d) => ({ ...d, scoring: specOf(d.protocol).scoring })),
  };
}

/**
 * What judges learn from their debates' outcomes, under the rule of libs/judging (`outcomeWithheld`):
 * their settled debates and their record, and a word to their sockets when more is shown.
 */
@Injectable()
export class OutcomesService {
  constructor(
    private readonly outcomeRepository: OutcomeRepository,
    private readonly events: LiveEvents,
  ) {}

  /** The judge's settled debates they may see, newest first, and how many are withheld for now. */
  async outcomes(judgeId: string): Promise<JudgeOutcomesView> {
    return judgeOutcomes(judgeId, (await this.outcomeRepository.itemsOfJudge(judgeId)).map(judgedItem));
  }

  /** The judge's record over those outcomes: accuracy, reward and calibration, and how they ran over time. */
  async record(judgeId: string): Promise<JudgeRecordView> {
    return judgeRecord(await this.outcomes(judgeId));
  }

  /** Per judge of the item, the debates on it whose outcome they may now see (judges with none are left out). */
  private async revealedOn(itemId: string): Promise<Map<string, string[]>> {
    const revealed = new Map<string, string[]>();
    for (const judgeId of await this.outcomeRepository.judgesOfItem(itemId)) {
      const { outcomes } = judgeOutcomes(judgeId, (await this.outcomeRepository.itemsOfJudge(judgeId, itemId)).map(judgedItem));
      if (outcomes.length > 0)
        revealed.set(
          judgeId,
          outcomes.map((o) => o.debateId),
        );
    }
    return revealed;
  }

  /**
   * After a debate on the item ended: tells each judge of the item whose outcomes on it are now shown
   * (`outcomes.revealed`, to their own sockets, with the debates' ids and nothing of the outcome).
   */
  async announce(itemId: string): Promise<void> {
    for (const [judgeId, debateIds] of await this.revealedOn(itemId))
      this.events.emitTo(userRoom(judgeId), 'outcomes.revealed', { debateIds });
  }

  /** The judges who may see an outcome on the item now: a new debate on it must not seat them. */
  async informedJudges(itemId: string): Promise<Set<string>> {
    return new Set((await this.revealedOn(itemId)).keys());
  }
}
