/** Named domain errors; the web layer maps each to one HTTP status in `app.onError`. */
export class DomainError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 422 | 429,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}
export class NotFoundError extends DomainError {
  constructor(what: string) {
    super(`${what} not found`, 'not_found', 404);
    this.name = 'NotFoundError';
  }
}
export class ForbiddenError extends DomainError {
  constructor(message = 'You may not do that') {
    super(message, 'forbidden', 403);
    this.name = 'ForbiddenError';
  }
}
export class UnauthorizedError extends DomainError {
  constructor(message = 'Sign in or send a valid API key') {
    super(message, 'unauthorized', 401);
    this.name = 'UnauthorizedError';
  }
}
export class ValidationError extends DomainError {
  constructor(message: string, details?: unknown) {
    super(message, 'invalid', 422, details);
    this.name = 'ValidationError';
  }
}
/** A list cursor that is not one we handed out (or belongs to another list). */
export class InvalidCursorError extends DomainError {
  constructor() {
    super('cursor: not a cursor from this list; start again without one', 'invalid', 400, { field: 'cursor' });
    this.name = 'InvalidCursorError';
  }
}
export class ConflictError extends DomainError {
  constructor(message: string, details?: unknown) {
    super(message, 'conflict', 409, details);
    this.name = 'ConflictError';
  }
}
export class RateLimitError extends DomainError {
  constructor(
    message = 'Too many requests, try again later',
    /** Seconds until the window that refused this ends (the Retry-After header). */
    readonly retryAfterSeconds = 60,
  ) {
    super(message, 'rate_limited', 429, { retryAfterSeconds });
    this.name = 'RateLimitError';
  }
}
/** A conditional write lost a race: the caller re-reads and retries. */
export class StaleWriteError extends Error {
  constructor(what: string) {
    super(`${what} was changed by someone else`);
    this.name = 'StaleWriteError';
  }
}
