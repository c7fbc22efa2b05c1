/** scripts/lib/smtp-sink.cjs: a plain SMTP dialogue (as nodemailer speaks it) leaves one decoded message. */
import * as net from 'node:net';
import * as path from 'node:path';

const { startSmtpSink } = require(path.join(__dirname, '..', '..', '..', 'scripts', 'lib', 'smtp-sink.cjs'));

/** Sends `lines` one by one, each after the server's previous reply; resolves every reply. */
async function dialogue(port: number, lines: string[]): Promise<string[]> {
	const socket = net.connect(port, '127.0.0.1');
	const replies: string[] = [];
	let pending = '';
	let wake: (() => void) | undefined;
	socket.on('data', (chunk) => {
		pending += chunk.toString();
		wake?.();
	});
	const nextReply = async () => {
		while (!/(^|\r\n)\d{3} [^\r\n]*\r\n$/.test(pending)) await new Promise<void>((resolve) => (wake = resolve));
		replies.push(pending);
		pending = '';
	};
	await nextReply();
	for (const line of lines) {
		socket.write(`${line}\r\n`);
		await nextReply();
	}
	socket.end();
	return replies;
}

test('accepts a message and decodes its subject and quoted-printable text', async () => {
	const sink = await startSmtpSink();
	try {
		const data = [
			'From: n8n@example.org',
			'To: ops@example.org',
			'Subject: =?UTF-8?Q?Recoco_=E2=86=92_Grist?=',
			'Content-Transfer-Encoding: quoted-printable',
			'',
			'2 failure(s) =E2=80=94 see',
			'..dotted line',
			'.',
		].join('\r\n');
		const replies = await dialogue(sink.port, ['EHLO test', 'MAIL FROM:<n8n@example.org>', 'RCPT TO:<ops@example.org>', 'DATA', data, 'QUIT']);
		expect(replies.map((reply) => reply.slice(0, 3))).toEqual(['220', '250', '250', '250', '354', '250', '221']);
		const [message] = await sink.waitForMessages(1, 5000);
		expect(message).toMatchObject({ from: 'n8n@example.org', to: ['ops@example.org'], subject: 'Recoco → Grist' });
		expect(message.text).toBe('2 failure(s) — see\r\n.dotted line');
	} finally {
		await sink.stop();
	}
});
