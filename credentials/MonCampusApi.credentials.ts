import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IDataObject,
	IHttpRequestHelper,
	IHttpRequestOptions,
	Icon,
	INodeProperties,
} from 'n8n-workflow';

import { casLogin } from '../nodes/MonCampus/transport/casLogin';
import { withServiceAuth } from '../nodes/common/baseUrl';
import { monCampusTimetableBase } from '../nodes/MonCampus/transport/urls';

/**
 * MonCampus (Wigor) has no API key: preAuthentication performs the CAS login over plain HTTP and keeps the
 * timetable session cookie in the hidden, expirable `sessionToken` field.
 *
 * An expired session answers 302 to cas/login instead of 401, so the MonCampus node calls the timetable with
 * `disableFollowRedirect: true` and `preAuthenticationRetryStatusCode: [401, 302]`: n8n then logs in again
 * once and repeats the request. Some schools answer a login page with 200 instead, which n8n cannot see: the
 * node then asks n8n for a new login itself (the stored session emptied), once. Either way a session refused
 * right after a new login fails with "MonCampus session rejected", never a loop.
 */
export class MonCampusApi implements ICredentialType {
	name = 'monCampusApi';

	displayName = 'MonCampus API';

	icon: Icon = { light: 'file:../icons/moncampus.svg', dark: 'file:../icons/moncampus.dark.svg' };

	documentationUrl = 'https://github.com/sync-connectors/n8n-nodes-sync-connectors#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'CAS Login URL',
			name: 'casLoginUrl',
			type: 'string',
			default: 'https://cas-p.wigorservices.net/cas/login',
			required: true,
			placeholder: 'e.g. https://cas-p.wigorservices.net/cas/login',
		},
		{
			displayName: 'Timetable URL',
			name: 'timetableUrl',
			type: 'string',
			default: 'https://ws-edt-igs.wigorservices.net',
			required: true,
			placeholder: 'e.g. https://ws-edt-cd.wigorservices.net',
			description:
				'Wigor timetable server: ws-edt-igs for IGENSIA Education schools (IPI, ISCPA…), ws-edt-cd for Compétences & Développement schools (EPSI, WIS…)',
		},
		{
			displayName: 'Username',
			name: 'username',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. firstname.lastname',
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
		},
		{
			displayName: 'Session Token',
			name: 'sessionToken',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
	];

	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject): Promise<IDataObject> {
		const sessionToken = await casLogin(this.helpers.httpRequest, {
			casLoginUrl: String(credentials.casLoginUrl).trim(),
			timetableBase: monCampusTimetableBase(credentials),
			username: String(credentials.username),
			password: String(credentials.password),
		});
		return { sessionToken };
	}

	// An own property, not a method: n8n copies a community package's credential type with `{...type}` before it writes
	// the editor's type list, which drops prototype methods, and the HTTP Request node offers a "Predefined Credential
	// Type" only when that list shows `authenticate`.
	authenticate = async (credentials: ICredentialDataDecryptedObject, requestOptions: IHttpRequestOptions): Promise<IHttpRequestOptions> => {
		return withServiceAuth(requestOptions, monCampusTimetableBase(credentials), {
			Cookie: String(credentials.sessionToken),
		});
	};

	// A fixed past day keeps the test cheap; any window proves the session. Without disableFollowRedirect a
	// rejected session would follow the 302 to the CAS form and "succeed" with an HTML page.
	test: ICredentialTestRequest = {
		request: {
			method: 'GET',
			url: '/Home/Get',
			qs: {
				sort: '',
				group: '',
				filter: '',
				dateDebut: '2025-01-06T00:00:00.000Z',
				dateFin: '2025-01-06T23:59:59.000Z',
			},
			headers: { Accept: 'application/json', 'X-Requested-With': 'XMLHttpRequest' },
			disableFollowRedirect: true,
		},
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 302,
					message: 'MonCampus session rejected: the timetable server sent the login back to CAS',
				},
			},
		],
	};
}
