import { existsSync } from 'node:fs';
import * as path from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply } from 'fastify';

/**
 * Where the console's built files live: `dist/public/console`, written by `vite build` (npm run build).
 * Resolved from this file so it is the same whether the service runs from dist/ or from src/ under jest.
 */
export const CONSOLE_ROOT = path.resolve(__dirname, '../../dist/public/console');

/**
 * The console's Content-Security-Policy: everything from this service, nothing inline, no other
 * origin — the console must work on an isolated network and a bundle dropped on the verifier page
 * must not be able to run anything.
 */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Serve the console's hashed assets (`/console/assets/*`); the pages themselves come from ConsoleController. */
export function serveConsoleAssets(app: NestFastifyApplication): void {
  const assets = path.join(CONSOLE_ROOT, 'assets');
  if (!existsSync(assets)) return;
  app.useStaticAssets({
    root: assets,
    prefix: '/console/assets/',
    decorateReply: false,
    // File names carry a content hash, so a browser may keep them.
    // @fastify/static 10 passes Fastify's reply (Nest's typings still say a Node response).
    setHeaders: (reply: unknown) => {
      (reply as FastifyReply).header('Cache-Control', 'public, max-age=31536000, immutable');
      (reply as FastifyReply).header('X-Content-Type-Options', 'nosniff');
    },
  });
}
