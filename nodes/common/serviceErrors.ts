import type { IDataObject } from 'n8n-workflow';

/** Error-body readers, one per service, as documented in shared/reference. */

function asObject(body: unknown): IDataObject | undefined {
	return body && typeof body === 'object' && !Array.isArray(body) ? (body as IDataObject) : undefined;
}

/** Bitrix24: `{error: "QUERY_LIMIT_EXCEEDED", error_description: "Too many requests"}`. */
export function bitrix24ErrorMessage(body: unknown): string | undefined {
	const object = asObject(body);
	if (!object?.error) return undefined;
	return object.error_description ? `${object.error}: ${object.error_description}` : String(object.error);
}

/** HubEE: `{errors: [{code, message}]}`; a code equal to the HTTP status is not repeated. */
export function hubeeErrorMessage(body: unknown, failure?: { status?: number }): string | undefined {
	const errors = asObject(body)?.errors;
	if (!Array.isArray(errors) || !errors.length) return undefined;
	return errors
		.map((entry) => {
			const error = asObject(entry) ?? {};
			const code = failure?.status !== undefined && Number(error.code) === failure.status ? undefined : error.code;
			return [code, error.message].filter(Boolean).join(': ');
		})
		.join('; ');
}

/** Grist: `{error: "Table not found \"X\"", details?}`. */
export function gristErrorMessage(body: unknown): string | undefined {
	const error = asObject(body)?.error;
	return typeof error === 'string' ? error : undefined;
}

/** Les Communs (NestJS): `{statusCode, message: string | string[], error?}`. */
export function lesCommunsErrorMessage(body: unknown): string | undefined {
	const message = asObject(body)?.message;
	if (Array.isArray(message)) return message.join('; ');
	return typeof message === 'string' ? message : undefined;
}

/** Recoco (Django REST framework): `{detail, code?}` or field errors `{field: ["msg"]}`. */
export function recocoErrorMessage(body: unknown): string | undefined {
	const object = asObject(body);
	if (!object) return undefined;
	if (typeof object.detail === 'string') return object.detail;
	const fieldErrors = Object.entries(object)
		.filter(([, value]) => Array.isArray(value))
		.map(([field, value]) => `${field}: ${(value as unknown[]).join(' ')}`);
	return fieldErrors.length ? fieldErrors.join('; ') : undefined;
}

/** Fallback for services without a documented error shape: `{message}`, `{error}` or a short text. */
export function genericErrorMessage(body: unknown): string | undefined {
	const object = asObject(body);
	if (object) {
		for (const key of ['message', 'error_description', 'error', 'detail']) {
			if (typeof object[key] === 'string') return object[key] as string;
		}
		return undefined;
	}
	if (typeof body === 'string' && body.trim() && body.length < 300 && !body.trim().startsWith('<')) return body.trim();
	return undefined;
}
