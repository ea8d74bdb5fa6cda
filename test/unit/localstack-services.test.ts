import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../local/service-definition.js';
import { composeServices, declaredResourceTypes, functionResourceTypes, localStackServiceOf, requiredLocalStackServices } from '../../localstack/services.js';
import { eventsOf, FUNCTIONS, type FunctionDeclaration } from '../../shared/deployment/functions.js';

const read = (path: string) => readFile(join(projectRoot, path), 'utf8');

/** The resource types of the packaged template, derived from serverless.yml and the functions' events. */
const templateResourceTypes = async (): Promise<string[]> => [
  ...declaredResourceTypes(await read('serverless.yml')),
  ...Object.values<FunctionDeclaration>(FUNCTIONS).flatMap((fn) => functionResourceTypes(eventsOf(fn))),
];

describe('the LocalStack lane: services loaded by localstack/docker-compose.yml', () => {
  it('lists every service the deployment uses', async () => {
    const listed = composeServices(await read('localstack/docker-compose.yml'));
    const required = requiredLocalStackServices(await templateResourceTypes());
    expect(required.filter((service) => !listed.includes(service))).toEqual([]);
  });

  it('derives the services from the template: tables, queue, keys, secret, HTTP API, schedules', async () => {
    const required = requiredLocalStackServices(await templateResourceTypes());
    expect(required).toEqual(
      expect.arrayContaining(['apigatewayv2', 'cloudformation', 'dynamodb', 'events', 'iam', 'kms', 'lambda', 'logs', 's3', 'secretsmanager', 'sqs', 'sts']),
    );
  });

  it('reads the resource types serverless.yml declares, through its CloudFormation tags', async () => {
    const types = declaredResourceTypes(await read('serverless.yml'));
    expect(new Set(types)).toEqual(new Set(['AWS::DynamoDB::Table', 'AWS::SQS::Queue', 'AWS::KMS::Key', 'AWS::KMS::Alias', 'AWS::SecretsManager::Secret']));
  });

  it('runs arm64 functions on an x86 host', async () => {
    expect(await read('localstack/docker-compose.yml')).toMatch(/^\s+LAMBDA_IGNORE_ARCHITECTURE: '1'$/m);
  });

  it('names no service for a resource type it does not know, rather than guessing', () => {
    expect(() => localStackServiceOf('AWS::StepFunctions::StateMachine')).toThrow(/LOCALSTACK_SERVICE_OF/);
    expect(() => functionResourceTypes([{ stream: 'arn' }])).toThrow(/stream/);
  });

  it('reads SERVICES in either form compose accepts', () => {
    expect(composeServices('services:\n  localstack:\n    environment:\n      SERVICES: s3, sqs\n')).toEqual(['s3', 'sqs']);
    expect(composeServices('services:\n  localstack:\n    environment:\n      - SERVICES=kms,lambda\n')).toEqual(['kms', 'lambda']);
  });
});
