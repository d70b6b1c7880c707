import { Body, Controller, HttpCode, HttpStatus, Inject, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AppConfig } from '#vim/config';
import { createScheduler, type Placement } from '#vim/placement';
import { loadSnapshots } from '#vim/placement-store';
import { PROBLEM, ProblemException } from '../common/problem.js';
import { PlacementRequestDto } from './placement-request.dto.js';

/** "Where would this VM go?" answered on the current fleet, without claiming anything. */
@ApiTags('placement')
@ApiBearerAuth()
@Controller('api/v1/placement')
export class PlacementController {
  private readonly scheduler;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(AppConfig) config: AppConfig,
  ) {
    this.scheduler = createScheduler({ strategy: config.PLACEMENT_STRATEGY });
  }

  @Post('dry-run')
  @HttpCode(200)
  async dryRun(@Body() body: PlacementRequestDto, @Req() req: { id?: string }): Promise<{ placement: Placement; candidates: number }> {
    const result = this.scheduler.place(body.toRequest(String(req.id ?? 'dry-run')), await loadSnapshots(this.db));
    if (result.ok) return { placement: result.placement, candidates: result.candidates };
    throw new ProblemException({
      type: PROBLEM.noValidHost,
      title: 'No valid host',
      status: HttpStatus.CONFLICT,
      detail: result.explanation.summary,
      reasonCounts: result.explanation.reasonCounts,
      hosts: result.explanation.hosts,
    });
  }
}
