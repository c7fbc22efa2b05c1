import { bodyObject } from '../../common/httpFailure';

/** Recoco (Django REST framework): `{detail, code?}` or field errors `{field: ["msg"]}`. */
export function recocoErrorMessage(body: unknown): string | undefined {
	const object = bodyObject(body);
	if (!object) return undefined;
	if (typeof object.detail === 'string') return object.detail;
	const fieldErrors = Object.entries(object)
		.filter(([, value]) => Array.isArray(value))
		.map(([field, value]) => `${field}: ${(value as unknown[]).join(' ')}`);
	return fieldErrors.length ? fieldErrors.join('; ') : undefined;
}
