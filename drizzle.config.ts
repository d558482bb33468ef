import { defineConfig } from 'drizzle-kit';

// drizzle-kit only generates SQL from the schema; the service applies the
// files in db/migrations itself at start (src/storage/db.ts).
export default defineConfig({
  dialect: 'sqlite',
  schema: './src/storage/schema.ts',
  out: './db/migrations',
});
