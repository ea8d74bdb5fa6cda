import type * as z from 'zod/mini';
import type { AnyHttpBinding, HttpInput, HttpInputSchemas } from '../../purposes/purpose.js';
import { type PurposeMiddleware, stateOf } from '../purpose-context.js';
import { type FieldError, problems } from '../problems.js';

export interface ValidateInputOptions {
  binding: Pick<AnyHttpBinding, 'input' | 'languages'>;
}

const describeIssues = (where: string, error: z.core.$ZodError): FieldError[] =>
  error.issues.slice(0, 20).map((issue) => ({
    path: [where, ...issue.path.map(String)].join('.'),
    message: issue.code === 'unrecognized_keys' ? `unknown field(s) ${issue.keys.map((k) => `"${k}"`).join(', ')} are not accepted` : issue.message,
  }));

/**
 * Strict validation of body, query, path and the headers the route reads, against the
 * binding's schemas; every error names its field. A part the binding does not declare
 * must be empty: unknown input is refused, not ignored (headers excepted: only declared
 * ones are read). The body has been parsed by @middy/http-json-body-parser.
 */
export const validateInput = ({ binding }: ValidateInputOptions): PurposeMiddleware => {
  const schemas: HttpInputSchemas = binding.input;
  const validateInputBefore: PurposeMiddleware['before'] = (request) => {
    const { event } = request;
    if (!schemas.body && event.body) throw problems.validationFailed([{ path: 'body', message: 'no body is accepted' }]);
    const raw: Record<keyof HttpInputSchemas, unknown> = {
      body: event.body,
      query: event.queryStringParameters ?? {},
      path: event.pathParameters ?? {},
      headers: event.headers ?? {},
    };
    const input: Record<string, unknown> = {};
    const errors: FieldError[] = [];
    for (const part of ['body', 'query', 'path', 'headers'] as const) {
      const schema = schemas[part];
      const value = raw[part] as Record<string, unknown> | undefined;
      if (!schema) {
        if ((part === 'query' || part === 'path') && value && Object.keys(value).length > 0) {
          errors.push({
            path: part,
            message: `unknown ${part} parameter(s) ${Object.keys(value)
              .map((k) => `"${k}"`)
              .join(', ')} are not accepted`,
          });
        }
        input[part] = {};
        continue;
      }
      const parsed = schema.safeParse(value);
      if (parsed.success) input[part] = parsed.data;
      else errors.push(...describeIssues(part, parsed.error));
    }
    if (errors.length > 0) throw problems.validationFailed(errors);
    stateOf(request).input = input as HttpInput<HttpInputSchemas>;
  };
  return { before: validateInputBefore };
};
