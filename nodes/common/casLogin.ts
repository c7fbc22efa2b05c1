import type { IDataObject, IHttpRequestOptions } from 'n8n-workflow';

/**
 * Pure-HTTP CAS login to a Wigor timetable, as ots-provider-wigor and linkgor do it: no browser, redirects followed
 * by hand so the cookies of every host on the way are kept, and the session cookie of the timetable host is
 * what comes out.
 */

export type HttpRequestFunction = (options: IHttpRequestOptions) => Promise<unknown>;

interface FullResponse {
	body: unknown;
	headers: IDataObject;
	statusCode: number;
}

interface StoredCookie {
	name: string;
	value: string;
	domain: string;
	hostOnly: boolean;
}

export const CAS_MAX_REDIRECTS = 15;

/** Just enough of RFC 6265 for a login: host-only vs Domain cookies, deletion by Max-Age/expires. */
export class CookieJar {
	private cookies: StoredCookie[] = [];

	store(requestUrl: string, setCookie: unknown): void {
		const host = new URL(requestUrl).hostname.toLowerCase();
		const lines = Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : [];
		for (const line of lines.map(String)) {
			const [pair, ...attributes] = line.split(';');
			const separator = pair.indexOf('=');
			if (separator <= 0) continue;
			const name = pair.slice(0, separator).trim();
			const value = pair.slice(separator + 1).trim();
			let domain = host;
			let hostOnly = true;
			let expired = false;
			for (const attribute of attributes) {
				const [rawKey, ...rest] = attribute.split('=');
				const key = rawKey.trim().toLowerCase();
				const attributeValue = rest.join('=').trim();
				if (key === 'domain' && attributeValue) {
					const candidate = attributeValue.replace(/^\./, '').toLowerCase();
					// A server may only set cookies for its own domain or a parent of it.
					if (host === candidate || host.endsWith(`.${candidate}`)) {
						domain = candidate;
						hostOnly = false;
					}
				}
				if (key === 'max-age' && Number(attributeValue) <= 0) expired = true;
				if (key === 'expires' && Date.parse(attributeValue) < Date.now()) expired = true;
			}
			this.cookies = this.cookies.filter((cookie) => !(cookie.name === name && cookie.domain === domain));
			if (!expired) this.cookies.push({ name, value, domain, hostOnly });
		}
	}

	/** `Cookie` header value for a URL, '' when none. */
	headerFor(url: string): string {
		const host = new URL(url).hostname.toLowerCase();
		return this.cookies
			.filter((cookie) => (cookie.hostOnly ? host === cookie.domain : host === cookie.domain || host.endsWith(`.${cookie.domain}`)))
			.map((cookie) => `${cookie.name}=${cookie.value}`)
			.join('; ');
	}
}

function decodeEntities(text: string): string {
	return text
		.replace(/&quot;/g, '"')
		.replace(/&#39;|&#x27;/g, "'")
		.replace(/&lt;/g, '<')
		.replace(/&gt;/g, '>')
		.replace(/&amp;/g, '&');
}

function attributeOf(tag: string, name: string): string | undefined {
	const match = new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(tag);
	if (!match) return undefined;
	return decodeEntities(match[1] ?? match[2] ?? match[3] ?? '');
}

/** Every `<input type="hidden" name=… value=…>` of the CAS login form (`execution`, older CAS also `lt`). */
export function parseHiddenInputs(html: string): Record<string, string> {
	const fields: Record<string, string> = {};
	for (const tag of html.match(/<input\b[^>]*>/gi) ?? []) {
		if ((attributeOf(tag, 'type') ?? '').toLowerCase() !== 'hidden') continue;
		const name = attributeOf(tag, 'name');
		if (name) fields[name] = attributeOf(tag, 'value') ?? '';
	}
	return fields;
}

/** The timetable URL CAS sends the ticket back to; Wigor answers 500 without these query parameters. */
export function casServiceUrl(timetableBase: string, now: Date): string {
	const day = now.toISOString().slice(0, 10);
	return `${timetableBase}/Home/Get?sort=&group=&filter=&dateDebut=${day}T00:00:00.000Z&dateFin=${day}T23:59:59.000Z`;
}

function header(headers: IDataObject, name: string): unknown {
	const key = Object.keys(headers ?? {}).find((candidate) => candidate.toLowerCase() === name);
	return key === undefined ? undefined : headers[key];
}

function bodyText(body: unknown): string {
	if (typeof body === 'string') return body;
	if (Buffer.isBuffer(body)) return body.toString('utf8');
	return body === undefined || body === null ? '' : JSON.stringify(body);
}

export interface CasLoginSettings {
	casLoginUrl: string;
	timetableBase: string;
	username: string;
	password: string;
}

export class CasLoginError extends Error {}

/** Logs in and returns the `Cookie` header value for the timetable host. Never puts the password in an error. */
export async function casLogin(httpRequest: HttpRequestFunction, settings: CasLoginSettings, now = new Date()): Promise<string> {
	const jar = new CookieJar();
	const send = async (options: IHttpRequestOptions): Promise<FullResponse> => {
		const cookie = jar.headerFor(options.url);
		const response = (await httpRequest({
			...options,
			headers: { ...(options.headers ?? {}), ...(cookie ? { Cookie: cookie } : {}) },
			returnFullResponse: true,
			disableFollowRedirect: true,
			ignoreHttpStatusErrors: true,
			encoding: 'text',
			json: false,
		})) as FullResponse;
		jar.store(options.url, header(response.headers, 'set-cookie'));
		return response;
	};

	const service = casServiceUrl(settings.timetableBase, now);
	const loginUrl = `${settings.casLoginUrl}${settings.casLoginUrl.includes('?') ? '&' : '?'}service=${encodeURIComponent(service)}`;
	const form = await send({ method: 'GET', url: loginUrl, headers: { Accept: 'text/html' } });
	if (form.statusCode >= 400) {
		throw new CasLoginError(`MonCampus login failed: the CAS login page answered ${form.statusCode}`);
	}

	const fields = new URLSearchParams({
		username: settings.username,
		password: settings.password,
		...parseHiddenInputs(bodyText(form.body)),
		_eventId: 'submit',
		geolocation: '',
	});
	let response = await send({
		method: 'POST',
		url: loginUrl,
		headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'text/html' },
		body: fields.toString(),
	});
	if (response.statusCode < 300 || response.statusCode >= 400) {
		// CAS shows the form again (200) or answers 401 on a bad username or password.
		throw new CasLoginError('MonCampus login failed: the CAS server did not accept the username or password');
	}

	let url = loginUrl;
	let sawTicket = false;
	for (let hop = 0; response.statusCode >= 300 && response.statusCode < 400; hop++) {
		if (hop >= CAS_MAX_REDIRECTS) {
			throw new CasLoginError(`MonCampus login failed: more than ${CAS_MAX_REDIRECTS} redirects after the CAS login`);
		}
		const location = header(response.headers, 'location');
		if (!location) throw new CasLoginError('MonCampus login failed: a redirect without a Location header');
		url = new URL(String(location), url).href;
		if (/[?&]ticket=/.test(url)) sawTicket = true;
		response = await send({ method: 'GET', url, headers: { Accept: 'application/json, text/html' } });
	}

	const session = jar.headerFor(settings.timetableBase);
	if (!sawTicket || !session) {
		throw new CasLoginError('MonCampus login failed: the CAS server did not hand a ticket to the timetable server');
	}
	return session;
}
