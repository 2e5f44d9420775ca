/** Where the functions' metrics go in CloudWatch: shared by the emitter (observability.ts) and the dashboard and alarms (infra/). */
export const SERVICE_NAME = 'referral-relay';
export const METRICS_NAMESPACE = 'ReferralRelay';
