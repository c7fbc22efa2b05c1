/** UTF-8 length of a string, the unit Grist's 1 MB body limit counts in (a JS string length does not). */
export function utf8ByteLength(text: string): number {
	let bytes = 0;
	for (let index = 0; index < text.length; index++) {
		const code = text.charCodeAt(index);
		if (code < 0x80) bytes += 1;
		else if (code < 0x800) bytes += 2;
		else if (code >= 0xd800 && code < 0xdc00 && index + 1 < text.length) {
			const next = text.charCodeAt(index + 1);
			if (next >= 0xdc00 && next < 0xe000) {
				bytes += 4;
				index++;
			} else bytes += 3;
		} else bytes += 3;
	}
	return bytes;
}

/** Bytes of a value once serialised as JSON, as the request body will carry it. */
export function jsonByteLength(value: unknown): number {
	return utf8ByteLength(JSON.stringify(value) ?? 'null');
}
