// Lets node resolve the page's bare imports ('marked', 'dompurify', 'js-yaml') as the browser does: through the
// import map in index.html, onto the WebJars the build unpacked into target/webjars. Used as
// `node --import ./src/test/js/import-map.mjs --test ...`.
import { register } from 'node:module';

register('./import-map-hooks.mjs', import.meta.url);
