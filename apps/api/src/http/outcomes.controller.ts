import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { JudgeOutcomesView, JudgeRecordView } from '#tribunal/contracts';
import { OutcomesService, type Principal } from '#tribunal/core';
import { CurrentPrincipal, Roles } from '../auth/roles.js';
import { JudgeOutcomesDoc, JudgeRecordDoc } from './views.js';

/** A judge's own outcomes and record; what is shown when is the rule of libs/judging (`outcomeWithheld`). */
@ApiTags('debates')
@Controller('me')
export class OutcomesController {
  constructor(private readonly outcomes: OutcomesService) {}

  @Get('outcomes')
  @Roles('judge')
  @ApiOperation({
    summary:
      "The calling judge's settled debates: the answer settled on, the truth where known, the reward; withheld while anything on the item is open",
  })
  @ApiOkResponse({ type: JudgeOutcomesDoc })
  outcomesOf(@CurrentPrincipal() principal: Principal): Promise<JudgeOutcomesView> {
    return this.outcomes.outcomes(principal.id);
  }

  @Get('record')
  @Roles('judge')
  @ApiOperation({ summary: "The calling judge's record over the outcomes shown: accuracy, mean reward, calibration, over time" })
  @ApiOkResponse({ type: JudgeRecordDoc })
  record(@CurrentPrincipal() principal: Principal): Promise<JudgeRecordView> {
    return this.outcomes.record(principal.id);
  }
}
