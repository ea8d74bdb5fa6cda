import { parse, type Tags } from 'yaml';

/**
 * Which LocalStack services a deployment of this service needs. LocalStack loads only the
 * services SERVICES lists (STRICT_SERVICE_LOADING), so a missing one fails the deploy.
 * Derived from CloudFormation resource types, cheaply (no `osls package`): the types
 * serverless.yml declares, plus those the Framework adds for the functions and their events.
 */

/** LocalStack's name for the service behind each CloudFormation resource type prefix. */
export const LOCALSTACK_SERVICE_OF: Record<string, string> = {
  'AWS::ApiGatewayV2::': 'apigatewayv2',
  'AWS::ApiGateway::': 'apigateway',
  'AWS::DynamoDB::': 'dynamodb',
  'AWS::Events::': 'events',
  'AWS::IAM::': 'iam',
  'AWS::KMS::': 'kms',
  'AWS::Lambda::': 'lambda',
  'AWS::Logs::': 'logs',
  'AWS::S3::': 's3',
  'AWS::Scheduler::': 'scheduler',
  'AWS::SecretsManager::': 'secretsmanager',
  'AWS::SQS::': 'sqs',
};

/** What any `osls deploy` calls whatever the template: CloudFormation, the deployment bucket, STS for the account. */
export const DEPLOYMENT_SERVICES = ['cloudformation', 's3', 'sts'] as const;

export const localStackServiceOf = (resourceType: string): string => {
  const prefix = Object.keys(LOCALSTACK_SERVICE_OF).find((p) => resourceType.startsWith(p));
  if (!prefix) throw new Error(`no LocalStack service known for ${resourceType}: add its prefix to LOCALSTACK_SERVICE_OF`);
  return LOCALSTACK_SERVICE_OF[prefix]!;
};

// CloudFormation's short forms, kept as plain values: only the resource types are read.
const CLOUDFORMATION_TAGS: Tags = [
  'Ref',
  'GetAtt',
  'Join',
  'Sub',
  'Select',
  'Split',
  'If',
  'Equals',
  'Not',
  'And',
  'Or',
  'FindInMap',
  'ImportValue',
  'Base64',
  'Cidr',
  'GetAZs',
].flatMap(
  (name): Tags => [
    { tag: `!${name}`, resolve: (value: string) => value },
    { tag: `!${name}`, collection: 'seq' },
    { tag: `!${name}`, collection: 'map' },
  ],
);

/** The resource types written in serverless.yml's `resources` (fragments given by `${file(...)}` are not read). */
export const declaredResourceTypes = (serverlessYml: string): string[] => {
  const config = parse(serverlessYml, { customTags: CLOUDFORMATION_TAGS }) as { resources?: unknown };
  const fragments = Array.isArray(config.resources) ? config.resources : [config.resources];
  return fragments.flatMap((fragment) => {
    const resources = (fragment as { Resources?: unknown } | undefined)?.Resources;
    if (!resources || typeof resources !== 'object') return [];
    return Object.values(resources as Record<string, { Type?: unknown }>).flatMap((r) => (typeof r.Type === 'string' ? [r.Type] : []));
  });
};

/**
 * What the Framework adds for one function: the function, its version and log group, its
 * role (serverless/catalogue.cjs), and its events' resources (the HTTP API's, a queue's
 * event source mapping, a schedule's rule or schedule, the permissions to invoke).
 */
export const functionResourceTypes = (events: Record<string, unknown>[]): string[] => {
  const types = ['AWS::Lambda::Function', 'AWS::Lambda::Version', 'AWS::Logs::LogGroup', 'AWS::IAM::Role'];
  for (const event of events) {
    if ('httpApi' in event)
      types.push('AWS::ApiGatewayV2::Api', 'AWS::ApiGatewayV2::Stage', 'AWS::ApiGatewayV2::Integration', 'AWS::ApiGatewayV2::Route', 'AWS::Lambda::Permission');
    else if ('sqs' in event) types.push('AWS::Lambda::EventSourceMapping');
    else if ('schedule' in event) {
      const method = (event.schedule as { method?: string } | undefined)?.method;
      types.push(method === 'scheduler' ? 'AWS::Scheduler::Schedule' : 'AWS::Events::Rule', 'AWS::Lambda::Permission');
    } else throw new Error(`an event LocalStack's services are not known for: ${Object.keys(event).join(', ')}`);
  }
  return types;
};

export const requiredLocalStackServices = (resourceTypes: Iterable<string>): string[] =>
  [...new Set([...DEPLOYMENT_SERVICES, ...[...resourceTypes].map(localStackServiceOf)])].sort();

/** SERVICES of the compose file's `localstack` service, as a list. */
export const composeServices = (composeYml: string): string[] => {
  const compose = parse(composeYml) as { services?: { localstack?: { environment?: Record<string, unknown> | string[] } } };
  const environment = compose.services?.localstack?.environment;
  const value = Array.isArray(environment)
    ? environment.find((line) => line.startsWith('SERVICES='))?.slice('SERVICES='.length)
    : (environment?.SERVICES as string | undefined);
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
};
