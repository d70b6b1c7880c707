import { Body, Controller, Post } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { SwaggerModule } from '@nestjs/swagger';
import { describe, expect, test } from '@jest/globals';
import { VnfdDocumentDto } from './index.js';

@Controller('probe')
class ProbeController {
  @Post()
  create(@Body() body: VnfdDocumentDto): VnfdDocumentDto {
    return body;
  }
}

describe('VNFD DTO OpenAPI schema', () => {
  test('is generated from the decorators, with hyphenated names, enums and numeric strings', async () => {
    const moduleRef = await Test.createTestingModule({ controllers: [ProbeController] }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    const doc = SwaggerModule.createDocument(app, { openapi: '3.0.0', info: { title: 't', version: '1' } });
    await app.close();
    if (process.env.DUMP_OPENAPI) console.log(JSON.stringify(doc.components?.schemas, null, 1));
    const schemas = doc.components?.schemas as Record<string, any>;

    expect(schemas.VnfdDocumentDto.required).toEqual(['vnfd']);
    const vnfd = schemas.VnfdDto;
    expect(vnfd.required).toEqual(expect.arrayContaining(['id', 'product-name']));
    expect(Object.keys(vnfd.properties)).toEqual(
      expect.arrayContaining(['product-name', 'vdu', 'virtual-compute-desc', 'ext-cpd', 'df', 'mgmt-cp']),
    );
    expect(vnfd.properties.vdu).toMatchObject({ type: 'array', items: { $ref: '#/components/schemas/VduDto' } });

    const vif = schemas.VirtualInterfaceDto.properties.type;
    expect(vif.enum).toEqual(expect.arrayContaining(['PARAVIRT', 'VIRTIO', 'SR-IOV', 'PCI-PASSTHROUGH']));
    expect(schemas.VirtualMemoryDto.properties['mempage-size'].enum).toEqual(['LARGE', 'SMALL', 'SIZE_2MB', 'SIZE_1GB', 'PREFER_LARGE']);
    expect(schemas.VirtualCpuPinningDto.properties.policy.enum).toEqual(['static', 'dynamic']);

    const vcpus = schemas.VirtualCpuDto.properties['num-virtual-cpu'];
    expect(vcpus.oneOf).toEqual([{ type: 'integer', minimum: 1, maximum: 1024 }, expect.objectContaining({ type: 'string' })]);

    // Inherited connection point fields show up on both kinds of connection point.
    expect(Object.keys(schemas.IntCpdDto.properties)).toEqual(expect.arrayContaining(['id', 'virtual-network-interface-requirement', 'int-virtual-link-desc']));
    expect(Object.keys(schemas.ExtCpdDto.properties)).toEqual(expect.arrayContaining(['id', 'int-cpd', 'layer-protocol']));
    expect(schemas.DfDto.properties['lcm-operations-configuration']).toMatchObject({ type: 'object' });
  });
});
