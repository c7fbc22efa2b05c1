import { bodyObject } from '../../common/httpFailure';

/** Les Communs (NestJS): `{statusCode, message: string | string[], error?}`. */
export function lesCommunsErrorMessage(body: unknown): string | undefined {
	const message = bodyObject(body)?.message;
	if (Array.isArray(message)) return message.join('; ');
	return typeof message === 'string' ? message : undefined;
}
