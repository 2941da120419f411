// Stands in for codemirror-json-schema's utils/markdown.js in the bundle (see
// build.mjs). That module renders with markdown-it and loads the shiki
// highlighter at once (themes, grammars, a regex engine in wasm: hundreds of
// KB) for what the scenario schema's descriptions and the linter's messages
// hold: text with inline `code` and "- " list lines. The text is escaped
// first: a message can quote a key from a shared scenario URL.
const ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function renderMarkdown(markdown) {
  return String(markdown)
    .replace(/[&<>"']/g, (c) => ESCAPES[c])
    .replace(/`([^`]+)`/g, '<code>$1</code>')
    .replace(/\n/g, '<br>');
}
