import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Patch, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { RequestWithText } from '../common/body.middleware.js';
import { TenantId } from '../auth/auth.decorators.js';
import { VnfdDocumentDto } from './dto/index.js';
import { documentFormat } from './document-format.js';
import { VnfdCatalogue } from './vnfd-catalogue.service.js';
import { ListVnfdsQuery, UpdateVnfdRequest } from './vnfd-requests.dto.js';
import { toDetail, toSummary, VnfdDetail, VnfdPage, vnfdPath, VnfdSummary } from './vnfd.views.js';
import { toPage } from '../common/page.js';

@ApiTags('VNF descriptors')
@ApiBearerAuth()
@Controller('api/v1/vnfds')
export class VnfdsController {
  constructor(private readonly catalogue: VnfdCatalogue) {}

  @Post()
  @ApiConsumes('application/json', 'application/yaml')
  @ApiBody({ type: VnfdDocumentDto, description: 'SOL006 VNFD ({ vnfd: … }) as JSON or YAML' })
  @ApiCreatedResponse({ type: VnfdSummary, description: 'onboarded; Location names the new descriptor' })
  async onboard(
    @TenantId() tenantId: string,
    @Req() req: RequestWithText,
    @Headers('content-type') contentType: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<VnfdSummary> {
    const format = documentFormat(contentType);
    const row = await this.catalogue.onboard(tenantId, {
      text: req.rawText ?? '',
      format,
      document: format === 'json' ? req.body : undefined,
    });
    res.location(vnfdPath(row.id));
    return toSummary(row);
  }

  @Get()
  @ApiOkResponse({ type: VnfdPage })
  async list(@TenantId() tenantId: string, @Query() query: ListVnfdsQuery): Promise<VnfdPage> {
    const { rows, total } = await this.catalogue.list(tenantId, query);
    return toPage(rows.map(toSummary), total, query);
  }

  @Get(':id')
  @ApiOkResponse({ type: VnfdDetail })
  async get(@TenantId() tenantId: string, @Param('id') id: string): Promise<VnfdDetail> {
    const { row, instanceCount } = await this.catalogue.get(tenantId, id);
    return toDetail(row, instanceCount);
  }

  @Patch(':id')
  @ApiOkResponse({ type: VnfdSummary })
  async update(@TenantId() tenantId: string, @Param('id') id: string, @Body() body: UpdateVnfdRequest): Promise<VnfdSummary> {
    return toSummary(await this.catalogue.setOperationalState(tenantId, id, body.operationalState));
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@TenantId() tenantId: string, @Param('id') id: string): Promise<void> {
    await this.catalogue.delete(tenantId, id);
  }
}
