import {
	NodeOperationError,
	type ICredentialsDecrypted,
	type IDataObject,
	type IExecuteFunctions,
	type IHttpRequestOptions,
} from 'n8n-workflow';

import { itemError } from '../../common/executeEachItem';
import { serviceRequest } from '../../common/request';
import { monCampusErrorMessage } from './errors';
import type { ServiceProfile } from '../../common/serviceProfile';
import { homeGetBounds, type DayRange } from '../helpers/dateRange';
import { CAS_LOCKED_MESSAGE, CAS_REJECTED_MESSAGE } from './casLogin';

export const MON_CAMPUS_CREDENTIAL = 'monCampusApi';

export const SESSION_REJECTED_MESSAGE =
	'MonCampus session rejected: the timetable server still asked for the CAS login right after a new login';

const isLoginFailure = (message: string) => message.includes('MonCampus login failed');

export const monCampusProfile: ServiceProfile = {
	name: 'MonCampus',
	credentialType: MON_CAMPUS_CREDENTIAL,
	errorMessage: (body, failure) => {
		if (failure.status === 302) return 'the timetable server sent the request back to the CAS login';
		// Wigor's error pages are ASP.NET HTML: nothing worth quoting.
		return monCampusErrorMessage(body);
	},
	// A failed login is never retried: CAS locks an account after a few wrong passwords.
	retryDecision: (failure) => (isLoginFailure(failure.message) ? { retry: false, reason: 'login failed' } : undefined),
	// An expired Wigor session answers 302 to cas/login: n8n then runs the credential's preAuthentication
	// (a new CAS login) once and repeats the request.
	preAuthenticationRetryStatusCode: [401, 302],
	secretFields: ['password', 'sessionToken'],
};

/** Per node run: a login CAS refused (wrong password, locked account) is not tried again for later items. */
export interface MonCampusRun {
	loginFailure?: string;
}

interface FullResponse {
	body: unknown;
	headers: IDataObject;
	statusCode: number;
}

function parsedBody(body: unknown): IDataObject | undefined {
	let parsed = body;
	if (typeof body === 'string') {
		try {
			parsed = JSON.parse(body);
		} catch {
			return undefined;
		}
	}
	return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as IDataObject) : undefined;
}

/** The rows of a Kendo DataSourceResult `{Data, Total, AggregateResults, Errors}`, or undefined when the
 * answer is not one (a CAS login page served with 200 by schools whose session expired). */
export function timetableRows(body: unknown): IDataObject[] | undefined {
	const data = parsedBody(body)?.Data;
	return Array.isArray(data) ? (data as IDataObject[]) : undefined;
}

function kendoErrors(body: unknown): string | undefined {
	const errors = parsedBody(body)?.Errors;
	if (errors === null || errors === undefined || errors === '') return undefined;
	return typeof errors === 'string' ? errors : JSON.stringify(errors);
}

/** The stored credential with its session emptied: n8n then logs in (preAuthentication) and saves the new session. */
async function withoutSession(context: IExecuteFunctions, itemIndex: number): Promise<ICredentialsDecrypted> {
	const stored = context.getNode().credentials?.[MON_CAMPUS_CREDENTIAL];
	const data = await context.getCredentials(MON_CAMPUS_CREDENTIAL, itemIndex);
	return {
		id: stored?.id ?? '',
		name: stored?.name ?? '',
		type: MON_CAMPUS_CREDENTIAL,
		data: { ...data, sessionToken: '' },
	};
}

function errorText(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}

function httpCodeOf(error: unknown): string | undefined {
	const code = (error as { httpCode?: unknown })?.httpCode;
	return code === undefined || code === null ? undefined : String(code);
}

/**
 * One Home/Get for a day range. Whatever way the session turns out expired — 302 to cas/login (n8n logs in
 * again through preAuthentication) or a login page with 200 (this function asks n8n for a new login) — there
 * is one new login, then a clear "session rejected" error: never a loop.
 */
export async function readTimetable(
	context: IExecuteFunctions,
	range: DayRange,
	itemIndex: number,
	run: MonCampusRun,
): Promise<IDataObject[]> {
	if (run.loginFailure) throw new NodeOperationError(context.getNode(), run.loginFailure, { itemIndex });
	const request: IHttpRequestOptions = {
		method: 'GET',
		url: '/Home/Get',
		// Wigor answers 500 without the empty Kendo grid parameters.
		qs: { sort: '', group: '', filter: '', ...homeGetBounds(range) },
		headers: { Accept: 'application/json, text/javascript, */*; q=0.01', 'X-Requested-With': 'XMLHttpRequest' },
		// Following the 302 would land on the CAS form with 200 and hide the expiry from n8n.
		disableFollowRedirect: true,
		returnFullResponse: true,
		json: true,
	};

	const send = async (newLogin: boolean): Promise<FullResponse> => {
		try {
			return await serviceRequest<FullResponse>(context, monCampusProfile, request, {
				itemIndex,
				...(newLogin ? { credentialsDecrypted: await withoutSession(context, itemIndex) } : {}),
			});
		} catch (error) {
			const message = errorText(error);
			if (message.includes(CAS_LOCKED_MESSAGE) || message.includes(CAS_REJECTED_MESSAGE)) {
				run.loginFailure = message.includes(CAS_LOCKED_MESSAGE) ? CAS_LOCKED_MESSAGE : CAS_REJECTED_MESSAGE;
				throw new NodeOperationError(context.getNode(), run.loginFailure, { itemIndex });
			}
			if (isLoginFailure(message)) {
				const login = /MonCampus login failed[^(]*/.exec(message)?.[0].trim() ?? message;
				throw new NodeOperationError(context.getNode(), login, { itemIndex });
			}
			if (httpCodeOf(error) === '302') {
				throw new NodeOperationError(context.getNode(), SESSION_REJECTED_MESSAGE, {
					itemIndex,
					description: 'After a new CAS login the timetable server answered 302 to the CAS login again. Check the Timetable URL of the credential.',
				});
			}
			throw itemError(context, error, itemIndex);
		}
	};

	let answer = await send(false);
	let rows = timetableRows(answer.body);
	if (!rows) {
		answer = await send(true);
		rows = timetableRows(answer.body);
	}
	if (!rows) {
		throw new NodeOperationError(context.getNode(), SESSION_REJECTED_MESSAGE, {
			itemIndex,
			description: 'After a new CAS login the timetable server still answered with a page that is not the timetable JSON.',
		});
	}
	const errors = kendoErrors(answer.body);
	if (errors) throw new NodeOperationError(context.getNode(), `MonCampus answered an error: ${errors}`, { itemIndex });
	return rows;
}
