import { Global, Module } from '@nestjs/common';
import { AppConfig, loadConfig } from '#vim/config';

/** Makes the validated configuration injectable as `AppConfig`. Read once per process. */
@Global()
@Module({
  providers: [{ provide: AppConfig, useFactory: () => loadConfig() }],
  exports: [AppConfig],
})
export class ConfigModule {}
