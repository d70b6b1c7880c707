import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '#vim/config';
import { dataSourceOptions } from '#vim/persistence';

/** TypeORM connected to Postgres. Migrations are not run here: `npm run migrate` does that. */
export const DatabaseModule = TypeOrmModule.forRootAsync({
  inject: [AppConfig],
  useFactory: (config: AppConfig) => dataSourceOptions(config.DATABASE_URL),
});

