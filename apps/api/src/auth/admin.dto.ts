import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDateString, IsEnum, IsOptional, IsUUID, Matches } from 'class-validator';
import { Role } from '#vim/persistence';

const NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;
const NAME_RULE = 'must be 1-63 of a-z, 0-9 and -, starting with a letter or digit';

export class CreateTenantRequest {
  @ApiProperty({ pattern: NAME.source })
  @Matches(NAME, { message: `name ${NAME_RULE}` })
  name: string;
}

export class CreateTokenRequest {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  tenantId: string;

  @ApiProperty({ pattern: NAME.source, description: 'what the token is for' })
  @Matches(NAME, { message: `name ${NAME_RULE}` })
  name: string;

  @ApiProperty({ enum: Role })
  @IsEnum(Role)
  role: Role;

  @ApiPropertyOptional({ format: 'date-time' })
  @IsOptional()
  @IsDateString({ strict: true })
  expiresAt?: string;
}
