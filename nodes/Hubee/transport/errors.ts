import { bodyObject } from '../../common/httpFailure';

/** HubEE: `{errors: [{code, message}]}`; a code equal to the HTTP status is not repeated. */
export function hubeeErrorMessage(body: unknown, failure?: { status?: number }): string | undefined {
	const errors = bodyObject(body)?.errors;
	if (!Array.isArray(errors) || !errors.length) return undefined;
	return errors
		.map((entry) => {
			const error = bodyObject(entry) ?? {};
			const code = failure?.status !== undefined && Number(error.code) === failure.status ? undefined : error.code;
			return [code, error.message].filter(Boolean).join(': ');
		})
		.join('; ');
}
