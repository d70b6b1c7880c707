import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../../config/src/index.js';
import { dataSourceOptions } from '../../persistence/src/index.js';

/** TypeORM connected to Postgres. Migrations are not run here: `npm run migrate` does that. */
export const DatabaseModule = TypeOrmModule.forRootAsync({
  inject: [AppConfig],
  useFactory: (config: AppConfig) => dataSourceOptions(config.DATABASE_URL),
});

