import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../..');
const page = readFileSync(path.join(root, 'src/main/webapp/index.html'), 'utf8');
const { imports } = JSON.parse(/<script type="importmap">([\s\S]*?)<\/script>/.exec(page)[1]);
const webjars = path.join(root, 'target/webjars/META-INF/resources');

export async function resolve(specifier, context, nextResolve) {
  const target = imports[specifier];
  if (target) {
    return { url: pathToFileURL(path.join(webjars, target)).href, shortCircuit: true };
  }
  return nextResolve(specifier, context);
}
