/** UTF-8 length of a string, the unit Grist's 1 MB body limit counts in (a JS string length does not). */
export function utf8ByteLength(text: string): number {
	return Buffer.byteLength(text, 'utf8');
}

/** Bytes of a value once serialised as JSON, as the request body will carry it. */
export function jsonByteLength(value: unknown): number {
	return utf8ByteLength(JSON.stringify(value) ?? 'null');
}
