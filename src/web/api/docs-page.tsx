/**
 * `/api/docs`: the OpenAPI document rendered on the server as one HTML page. No script, no CDN and no
 * UI bundle (Swagger UI or Redoc would add hundreds of KiB to the api Lambda and need scripts the
 * page CSP does not allow): every operation with its parameters, request body, answers and schemas,
 * schemas shown as JSON in `<details>`. Styles are inline, which the CSP allows (`style-src 'unsafe-inline'`).
 */
import { raw } from 'hono/html';
import { FAVICON_HREF } from '../pages/layout.js';

type Json = Record<string, unknown>;

interface Operation {
  summary?: string;
  description?: string;
  parameters?: { name: string; in: string; required?: boolean; description?: string; schema?: unknown }[];
  requestBody?: { content?: Record<string, { schema?: unknown }> };
  responses?: Record<string, { description?: string; content?: Record<string, { schema?: unknown }> }>;
  security?: unknown[];
}

interface Document {
  info: { title: string; version: string; description?: string };
  paths?: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, unknown> };
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

// A constant, so `raw` is safe here.
const CSS = `
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d232a;background:#f5f6f8}
main{max-width:900px;margin:0 auto;padding:1rem}
h1{font-size:1.5rem;margin:.5rem 0}
h2{font-size:1.1rem;margin:1.75rem 0 .5rem}
section.op{background:#fff;border:1px solid #dde1e6;border-radius:8px;padding:.75rem 1rem;margin:.5rem 0}
.method{display:inline-block;min-width:4.5rem;font:700 .8rem ui-monospace,monospace;text-transform:uppercase;color:#fff;background:#12324f;border-radius:4px;padding:.15rem .4rem;text-align:center}
.method.post{background:#1a7f37}.method.patch{background:#9a6700}.method.delete{background:#b42318}
code,pre{font:13px/1.45 ui-monospace,SFMono-Regular,Menlo,monospace}
pre{background:#f6f8fa;border:1px solid #e5e7eb;border-radius:6px;padding:.5rem;overflow:auto;max-height:24rem}
table{border-collapse:collapse;margin:.25rem 0}td,th{border-bottom:1px solid #e5e7eb;padding:.2rem .6rem .2rem 0;text-align:left;vertical-align:top}
.muted{color:#5b6570}
`;

const anchor = (method: string, path: string) => `${method}-${path.replace(/[^a-z0-9]+/gi, '-')}`;
const pretty = (value: unknown) => JSON.stringify(value, null, 2);

function SchemaBlock(props: { label: string; schema: unknown }) {
  return (
    <details>
      <summary>{props.label}</summary>
      <pre>{pretty(props.schema)}</pre>
    </details>
  );
}

function OperationSection(props: { method: string; path: string; op: Operation }) {
  const { method, path, op } = props;
  const body = op.requestBody?.content?.['application/json']?.schema;
  return (
    <section class="op" id={anchor(method, path)}>
      <h3>
        <span class={`method ${method}`}>{method}</span> <code>{path}</code>
      </h3>
      {op.summary && <p>{op.summary}</p>}
      {op.description && op.description !== op.summary && <p class="muted">{op.description}</p>}
      {op.parameters && op.parameters.length > 0 && (
        <table>
          <tr>
            <th>parameter</th>
            <th>in</th>
            <th>schema</th>
          </tr>
          {op.parameters.map((p) => (
            <tr>
              <td>
                <code>{p.name}</code>
                {p.required ? ' (required)' : ''}
              </td>
              <td>{p.in}</td>
              <td>
                <code>{JSON.stringify(p.schema ?? {})}</code>
              </td>
            </tr>
          ))}
        </table>
      )}
      {body !== undefined && <SchemaBlock label="request body (application/json)" schema={body} />}
      {Object.entries(op.responses ?? {}).map(([status, answer]) => {
        const schema = answer.content?.['application/json']?.schema;
        const label = `${status} ${answer.description ?? ''}`.trim();
        return schema === undefined ? <p class="muted">{label}</p> : <SchemaBlock label={label} schema={schema} />;
      })}
    </section>
  );
}

/** The whole page for one OpenAPI document. */
export function apiDocsPage(document: Json) {
  const doc = document as unknown as Document;
  const operations = Object.entries(doc.paths ?? {}).flatMap(([path, item]) => METHODS.filter((m) => item[m]).map((method) => ({ path, method, op: item[method]! })));
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${doc.info.title} ${doc.info.version}`}</title>
        <link rel="icon" type="image/svg+xml" href={FAVICON_HREF} />
        <style>{raw(CSS)}</style>
      </head>
      <body>
        <main>
          <h1>
            {doc.info.title} <span class="muted">{doc.info.version}</span>
          </h1>
          {doc.info.description && <p>{doc.info.description}</p>}
          <p>
            The machine-readable document: <a href="/api/openapi.json">/api/openapi.json</a> (OpenAPI 3.1).
          </p>
          <nav aria-label="Operations">
            <ul>
              {operations.map(({ path, method, op }) => (
                <li>
                  <a href={`#${anchor(method, path)}`}>
                    <code>
                      {method.toUpperCase()} {path}
                    </code>
                  </a>
                  {op.summary ? ` — ${op.summary}` : ''}
                </li>
              ))}
            </ul>
          </nav>
          <h2>Operations</h2>
          {operations.map(({ path, method, op }) => (
            <OperationSection method={method} path={path} op={op} />
          ))}
          <h2>Schemas</h2>
          {Object.entries(doc.components?.schemas ?? {}).map(([name, schema]) => (
            <SchemaBlock label={name} schema={schema} />
          ))}
        </main>
      </body>
    </html>
  );
}
