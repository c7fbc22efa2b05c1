import { bodyObject } from '../../common/httpFailure';

/** Bitrix24: `{error: "QUERY_LIMIT_EXCEEDED", error_description: "Too many requests"}`. */
export function bitrix24ErrorMessage(body: unknown): string | undefined {
	const object = bodyObject(body);
	if (!object?.error) return undefined;
	return object.error_description ? `${object.error}: ${object.error_description}` : String(object.error);
}
