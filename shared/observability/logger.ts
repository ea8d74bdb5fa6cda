import { Logger } from '@aws-lambda-powertools/logger';

/** One logger per container. Events and bodies are never logged (logEvent stays off). */
export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'bcss-exchanges' });
