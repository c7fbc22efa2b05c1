import { bodyObject } from '../../common/httpFailure';

/** Wigor documents no error shape: `{message}`, `{error}` or a short text that is not an HTML page. */
export function monCampusErrorMessage(body: unknown): string | undefined {
	const object = bodyObject(body);
	if (object) {
		for (const key of ['message', 'error_description', 'error', 'detail']) {
			if (typeof object[key] === 'string') return object[key] as string;
		}
		return undefined;
	}
	if (typeof body === 'string' && body.trim() && body.length < 300 && !body.trim().startsWith('<')) return body.trim();
	return undefined;
}
