import { bodyObject } from '../../common/httpFailure';

/** Grist: `{error: "Table not found \"X\"", details?}`. */
export function gristErrorMessage(body: unknown): string | undefined {
	const error = bodyObject(body)?.error;
	return typeof error === 'string' ? error : undefined;
}
