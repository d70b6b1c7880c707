import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

/** `?limit=&offset=` with this page size and largest page; a list query extends it with its filters. */
export function pageQuery({ size, max }: { size: number; max: number }) {
  class Page {
    @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: max, default: size })
    @IsOptional()
    @Type(() => Number)
    @IsInt()
    @Min(1)
    @Max(max)
    limit = size;

    @ApiPropertyOptional({ type: 'integer', minimum: 0, default: 0 })
    @IsOptional()
    @Type(() => Number)
    @IsInt()
    @Min(0)
    offset = 0;
  }
  return Page;
}

/** The pages of the descriptor, instance and operation lists. */
export class PageQuery extends pageQuery({ size: 50, max: 200 }) {}

/** The body every list endpoint answers with. */
export function toPage<T>(items: T[], total: number, { limit, offset }: { limit: number; offset: number }) {
  return { items, total, limit, offset };
}
