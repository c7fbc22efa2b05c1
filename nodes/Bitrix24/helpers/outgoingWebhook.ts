import { createHash, timingSafeEqual } from 'crypto';
import type { IDataObject } from 'n8n-workflow';

/**
 * Bitrix24 posts outgoing-webhook events as application/x-www-form-urlencoded with PHP bracket keys:
 * `event=ONCRMDEALADD&data[FIELDS][ID]=7405&ts=…&auth[domain]=…&auth[application_token]=…`.
 * Whether n8n's body parser nests those keys is not documented, so both shapes are accepted
 * (`{data: {FIELDS: {ID}}}` and `{"data[FIELDS][ID]": …}`) and rebuilt into one clean object.
 */

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** `data[FIELDS][ID]` → ['data', 'FIELDS', 'ID']; `a[]` appends. */
export function bracketPath(key: string): string[] {
	const match = /^([^[\]]*)((?:\[[^\]]*\])*)$/.exec(key);
	if (!match) return [key];
	const path = [match[1]];
	for (const segment of match[2].matchAll(/\[([^\]]*)\]/g)) path.push(segment[1]);
	return path;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
	return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Sets a value at a path in a prototype-free tree; a path through a forbidden key is dropped whole. */
function assignPath(target: Record<string, unknown>, path: string[], value: unknown): void {
	if (path.some((segment) => FORBIDDEN_KEYS.has(segment))) return;
	let node = target;
	for (let i = 0; i < path.length; i++) {
		let key = path[i];
		if (key === '') key = String(Object.keys(node).length);
		if (i === path.length - 1) {
			node[key] = value;
			return;
		}
		if (!isPlainObject(node[key])) node[key] = Object.create(null) as Record<string, unknown>;
		node = node[key] as Record<string, unknown>;
	}
}

function flatten(value: unknown, prefix: string[], out: Array<[string[], unknown]>): void {
	if (isPlainObject(value)) {
		for (const key of Object.keys(value)) flatten(value[key], [...prefix, ...bracketPath(key)], out);
	} else if (Array.isArray(value)) {
		value.forEach((entry, index) => flatten(entry, [...prefix, String(index)], out));
	} else {
		out.push([prefix, value]);
	}
}

/** Copies a prototype-free tree into ordinary objects, so the output is plain JSON. */
function toPlain(value: unknown): unknown {
	if (value === null || typeof value !== 'object') return value;
	if (Array.isArray(value)) return value.map(toPlain);
	const result: IDataObject = {};
	for (const key of Object.keys(value)) result[key] = toPlain((value as Record<string, unknown>)[key]) as IDataObject[string];
	return result;
}

/** A urlencoded body (the raw text), as PHP's parse_str reads it. */
export function parseFormBody(text: string): IDataObject {
	const tree = Object.create(null) as Record<string, unknown>;
	for (const part of text.split('&')) {
		if (!part) continue;
		const eq = part.indexOf('=');
		const decode = (raw: string) => {
			try {
				return decodeURIComponent(raw.replace(/\+/g, ' '));
			} catch {
				return raw;
			}
		};
		const key = decode(eq === -1 ? part : part.slice(0, eq));
		const value = decode(eq === -1 ? '' : part.slice(eq + 1));
		assignPath(tree, bracketPath(key), value);
	}
	return toPlain(tree) as IDataObject;
}

/** A body n8n already parsed, with nested objects, literal bracketed keys, or both. */
export function normaliseEventBody(body: unknown): IDataObject {
	if (typeof body === 'string') return parseFormBody(body);
	const pairs: Array<[string[], unknown]> = [];
	flatten(body, [], pairs);
	const tree = Object.create(null) as Record<string, unknown>;
	for (const [path, value] of pairs) if (path.length) assignPath(tree, path, value);
	return toPlain(tree) as IDataObject;
}

/** The event without its secrets: the application token (and, for apps, OAuth tokens) never reach the output. */
export function publicEvent(event: IDataObject): IDataObject {
	const result: IDataObject = { ...event };
	if (isPlainObject(event.auth)) {
		const auth: IDataObject = {};
		for (const [key, value] of Object.entries(event.auth)) {
			if (!/token/i.test(key)) auth[key] = value as IDataObject[string];
		}
		result.auth = auth;
	}
	return result;
}

/** Compares in constant time, whatever the lengths: both sides are hashed first. */
export function tokensMatch(received: unknown, expected: unknown): boolean {
	if (typeof received !== 'string' || typeof expected !== 'string' || !received || !expected) return false;
	const a = createHash('sha256').update(received).digest();
	const b = createHash('sha256').update(expected).digest();
	return timingSafeEqual(a, b);
}

export function applicationTokenOf(event: IDataObject): unknown {
	return isPlainObject(event.auth) ? event.auth.application_token : undefined;
}

/** Selected event codes (and comma-separated extra ones), upper-cased; empty means every event. */
export function acceptedEvents(selected: string[], other: string): Set<string> {
	const codes = [...selected, ...other.split(',')].map((code) => code.trim().toUpperCase()).filter(Boolean);
	return new Set(codes);
}

export function isAccepted(event: IDataObject, accepted: Set<string>): boolean {
	if (!accepted.size) return true;
	return accepted.has(String(event.event ?? '').toUpperCase());
}
