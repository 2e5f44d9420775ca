// SES receipt rule (S3 action first, then this) → the inbound pipeline shared with the local SMTP door.
import { buildAwsDeps } from '../src/runtime/aws/aws-deps.js';
import { inboundHandler } from '../src/runtime/aws/inbound-handler.js';
import { instrumented } from '../src/runtime/aws/observability.js';
import { s3RawMailReader } from '../src/runtime/aws/read-raw-mail.js';

const deps = await buildAwsDeps();
if (!deps.awsConfig.RAW_MAIL_BUCKET) throw new Error('Bad configuration: RAW_MAIL_BUCKET is required by the inbound function');
const bucket = deps.awsConfig.RAW_MAIL_BUCKET;
export const handler = instrumented(deps.observability, inboundHandler(deps, s3RawMailReader(bucket), (key) => `s3://${bucket}/${key}`));
