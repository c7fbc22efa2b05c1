'use strict';
/**
 * A loopback SMTP server that accepts every message and keeps it: the mail sink of `npm start` (its messages also
 * written as .eml files to a folder) and of the e2e tests. Plain SMTP (RFC 5321) without TLS or authentication, which
 * is what n8n's Send Email node speaks with an SMTP credential whose SSL/TLS is off, STARTTLS disabled and no user.
 */
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');

/** RFC 2047 encoded words (=?UTF-8?Q?…?= / =?UTF-8?B?…?=), as nodemailer writes non-ASCII headers. */
function decodeHeader(value) {
	return value.replace(/=\?([^?]+)\?([QqBb])\?([^?]*)\?=\s*(?==\?)?/g, (_all, _charset, kind, text) =>
		kind.toUpperCase() === 'B'
			? Buffer.from(text, 'base64').toString('utf8')
			: Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (_m, hex) => String.fromCharCode(parseInt(hex, 16))), 'latin1').toString('utf8'),
	);
}

function decodeBody(body, encoding) {
	if (/base64/i.test(encoding)) return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
	if (/quoted-printable/i.test(encoding)) {
		const bytes = body.replace(/=\r?\n/g, '').replace(/=([0-9A-Fa-f]{2})/g, (_m, hex) => String.fromCharCode(parseInt(hex, 16)));
		return Buffer.from(bytes, 'latin1').toString('utf8');
	}
	return body;
}

/** The headers (lower-case names, unfolded, decoded) and the text of a single-part message. */
function parseMessage(raw) {
	const split = raw.indexOf('\r\n\r\n');
	const head = split === -1 ? raw : raw.slice(0, split);
	const body = split === -1 ? '' : raw.slice(split + 4);
	const headers = {};
	for (const line of head.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
		const colon = line.indexOf(':');
		if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = decodeHeader(line.slice(colon + 1).trim());
	}
	return { headers, subject: headers.subject ?? '', text: decodeBody(body, headers['content-transfer-encoding'] ?? '') };
}

/**
 * @param {{ port?: number, host?: string, folder?: string }} [options]  folder: where each message is also saved as .eml
 * @returns {Promise<{ port: number, host: string, messages: object[], waitForMessages: Function, stop: Function }>}
 */
async function startSmtpSink({ port = 0, host = '127.0.0.1', folder } = {}) {
	const messages = [];
	if (folder) fs.mkdirSync(folder, { recursive: true });
	const sockets = new Set();
	const server = net.createServer((socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
		socket.on('error', () => socket.destroy());
		let buffer = '';
		let envelope = { from: '', to: [] };
		let inData = false;
		const reply = (line) => socket.write(`${line}\r\n`);
		reply('220 smtp-sink ESMTP ready');
		socket.on('data', (chunk) => {
			buffer += chunk.toString('latin1');
			for (;;) {
				if (inData) {
					const end = buffer.indexOf('\r\n.\r\n');
					if (end === -1) return;
					// Dot-stuffing (RFC 5321 §4.5.2): a line starting with "." was sent with one more.
					const raw = Buffer.from(buffer.slice(0, end).replace(/\r\n\.\./g, '\r\n.'), 'latin1').toString('utf8');
					buffer = buffer.slice(end + 5);
					inData = false;
					const message = { ...envelope, raw, receivedAt: new Date().toISOString(), ...parseMessage(raw) };
					messages.push(message);
					if (folder) fs.writeFileSync(path.join(folder, `${Date.now()}-${messages.length}.eml`), raw);
					envelope = { from: '', to: [] };
					reply('250 2.0.0 queued');
					continue;
				}
				const newline = buffer.indexOf('\r\n');
				if (newline === -1) return;
				const line = buffer.slice(0, newline);
				buffer = buffer.slice(newline + 2);
				const verb = line.slice(0, 4).toUpperCase();
				if (verb === 'EHLO') socket.write('250-smtp-sink\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n');
				else if (verb === 'HELO') reply('250 smtp-sink');
				else if (verb === 'MAIL') {
					envelope = { from: (/<([^>]*)>/.exec(line) ?? [])[1] ?? '', to: [] };
					reply('250 2.1.0 ok');
				} else if (verb === 'RCPT') {
					envelope.to.push((/<([^>]*)>/.exec(line) ?? [])[1] ?? '');
					reply('250 2.1.5 ok');
				} else if (verb === 'DATA') {
					inData = true;
					reply('354 end data with <CR><LF>.<CR><LF>');
				} else if (verb === 'QUIT') {
					reply('221 2.0.0 bye');
					socket.end();
					return;
				} else if (verb === 'RSET' || verb === 'NOOP') reply('250 2.0.0 ok');
				else reply('502 5.5.2 command not implemented');
			}
		});
	});
	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, host, resolve);
	});
	return {
		host,
		port: server.address().port,
		messages,
		/** Resolves the messages once at least `count` arrived; rejects after `timeoutMs`. */
		async waitForMessages(count, timeoutMs = 60000) {
			const deadline = Date.now() + timeoutMs;
			while (messages.length < count) {
				if (Date.now() > deadline) throw new Error(`${messages.length} mail(s) received, expected ${count} within ${timeoutMs} ms`);
				await new Promise((resolve) => setTimeout(resolve, 200));
			}
			return messages;
		},
		async stop() {
			for (const socket of sockets) socket.destroy();
			await new Promise((resolve) => server.close(() => resolve()));
		},
	};
}

module.exports = { startSmtpSink, parseMessage };
