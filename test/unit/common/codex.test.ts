/**
 * The node panel's "Docs" link is the codex's primaryDocumentation: for every node it opens this package's README
 * at the node's own section (a heading that exists), not the service's API documentation.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..', '..', '..');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const README_URL = 'https://github.com/sync-connectors/n8n-nodes-sync-connectors';

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
const anchors = new Set(
	fs
		.readFileSync(path.join(ROOT, 'README.md'), 'utf8')
		.split('\n')
		.filter((line) => /^#{1,6} /.test(line))
		.map((line) =>
			line
				.replace(/^#+ /, '')
				.trim()
				.toLowerCase()
				.replace(/[^\p{L}\p{N} _-]/gu, '')
				.replace(/ /g, '-'),
		),
);

const codexFiles = (pkg.n8n.nodes as string[]).map((built) => built.replace(/^dist\//, '').replace(/\.js$/, '.json'));

test.each(codexFiles)('%s links its Docs to its README section', (file) => {
	const codex = JSON.parse(fs.readFileSync(path.join(ROOT, file), 'utf8'));
	expect(codex.node).toBe(`n8n-nodes-sync-connectors.${path.basename(file, '.node.json').replace(/^./, (c) => c.toLowerCase())}`);
	const [primary, ...more] = codex.resources.primaryDocumentation;
	expect(more).toEqual([]);
	const url = new URL(primary.url);
	expect(`${url.origin}${url.pathname}`).toBe(README_URL);
	expect(anchors).toContain(url.hash.slice(1));
});
