import { Hono } from 'hono';
import type { AppEnv } from '../context.js';

/** Server-rendered pages (being built). */
export function pageRoutes() {
  const pages = new Hono<AppEnv>();
  return pages;
}
