import type { Group, Member } from '../domain/types.js';
import type { RelayDeps } from '../referrals/deps.js';

export interface Session {
  member: Member;
  group: Group;
  isAdmin: boolean;
  /** How the caller proved who they are. */
  via: 'api' | 'web';
  /** Members of the group read with the caller (the caller and those the request names by id); see NamedMembers. */
  known?: ReadonlyMap<string, Member>;
}

/** Hono environment shared by every route. */
export interface AppEnv {
  Variables: {
    deps: RelayDeps;
    session?: Session;
  };
}
