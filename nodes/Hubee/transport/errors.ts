import { bodyObject } from '../../common/httpFailure';

/** HubEE: `{errors: [{code, message}]}`. */
export function hubeeErrorMessage(body: unknown): string | undefined {
	const errors = bodyObject(body)?.errors;
	if (!Array.isArray(errors) || !errors.length) return undefined;
	return errors
		.map((entry) => {
			const error = bodyObject(entry) ?? {};
			return [error.code, error.message].filter(Boolean).join(': ');
		})
		.join('; ');
}
