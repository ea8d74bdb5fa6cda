import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { targetEnv } from './target.js';

/** The same SDK v3 clients the functions use, pointed at the test target. */
export const targetClients = () => {
  const env = targetEnv();
  const common = {
    region: env.AWS_REGION ?? 'eu-west-1',
    ...(env.AWS_ACCESS_KEY_ID ? { credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY ?? '' } } : {}),
  };
  return {
    dynamodb: new DynamoDBClient({ ...common, endpoint: env.AWS_ENDPOINT_URL_DYNAMODB || undefined }),
    sqs: new SQSClient({ ...common, endpoint: env.AWS_ENDPOINT_URL_SQS || undefined }),
  };
};
