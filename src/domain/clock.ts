/** The time source. Locally an offset clock that `POST /dev/clock` advances; in AWS the system clock. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
