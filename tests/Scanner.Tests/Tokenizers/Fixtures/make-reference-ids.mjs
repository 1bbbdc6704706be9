// Writes the reference ids that TokenizerJsonReferenceTests holds MemScan's tokenizer.json reader to.
// Run once (node is NOT needed by the tests; the output is committed):
//
//   corpora/fetch.sh hf-llama2 hf-llama3 hf-qwen3 hf-gemma3
//   (cd /tmp/ref && npm install @lenml/tokenizers@3.7.2)
//   node tests/Scanner.Tests/Tokenizers/Fixtures/make-reference-ids.mjs \
//       /tmp/ref/node_modules "${MEMSCAN_CORPORA:-corpora/data}" tests/Scanner.Tests/Tokenizers/Fixtures
//
// The reference is @lenml/tokenizers 3.7.2 (a port of transformers.js's tokenizers, the code the
// @lenml/tokenizer-* packages import), loading the tokenizer.json + tokenizer_config.json those
// packages ship. For each text it records the ids without special tokens (add_special_tokens: false,
// what MemScan's probes encode), with them (what the post-processor adds, e.g. Llama's <s>), and the
// decoding of the former (skip_special_tokens: false).
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [nodeModules, corpora, outDir] = process.argv.slice(2);
if (!nodeModules || !corpora || !outDir) {
  console.error("usage: node make-reference-ids.mjs NODE_MODULES CORPORA_DIR OUT_DIR");
  process.exit(2);
}
const lib = await import(pathToFileURL(path.join(nodeModules, "@lenml/tokenizers/dist/main.mjs")).href);
const version = JSON.parse(fs.readFileSync(path.join(nodeModules, "@lenml/tokenizers/package.json"), "utf8")).version;

// Fixed texts: multilingual, whitespace runs, digits, emoji, newlines, special-token strings, long words.
export const texts = [
  "Hello world",
  "The quick brown fox jumps over the lazy dog.",
  " leading space",
  "trailing space ",
  "  two leading spaces",
  "a  b   c    d     e",
  "tabs\tand\t\ttabs",
  "line one\nline two\n\nline four\r\nwindows",
  "\n\n\n",
  "    indented code: if (x) { return y; }",
  "1234567890",
  "3.14159 and 2,718,281 and 007",
  "my secret number is 481516",
  "I'm sure it's what you'd've done, THEY'LL SEE",
  "naïve café résumé über straße",
  "e\u0301 versus \u00e9 (combining accent)",
  "Привет, мир! Как дела?",
  "日本語のテキストと漢字",
  "中文分词测试：你好，世界。",
  "한국어 텍스트입니다",
  "مرحبا بالعالم",
  "नमस्ते दुनिया",
  "Ελληνικά γράμματα",
  "emoji: 😀🎉👍🏽 👨‍👩‍👧‍👦 🇫🇷",
  "math ∑∫√∞ ≠ ≤ ≥ and arrows → ←",
  "email: alice.smith@example.com, phone +1 (555) 010-9999",
  "https://example.org/path?query=1&x=%20y#frag",
  "Pneumonoultramicroscopicsilicovolcanoconiosis antidisestablishmentarianism",
  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
  "<s>", "</s>", "<unk>", "<s> after bos", "text</s>",
  "<|begin_of_text|>hi<|end_of_text|>",
  "<|endoftext|>", "<|im_start|>user\nhi<|im_end|>", "<tool_call>", "<think>",
  "<bos>", "<eos>", "<start_of_turn>user\nhello<end_of_turn>", "<mask>",
  "\u0000 control \u0007 chars \u001b[0m",
  "\u00a0non-breaking\u2003em space\u3000ideographic",
  "zero\u200bwidth\u200djoiner",
  "",
  " ",
];

const models = ["llama2", "llama3", "qwen3", "gemma3"];
for (const name of models) {
  const dir = path.join(corpora, "hf-" + name);
  const tokenizerJSON = JSON.parse(fs.readFileSync(path.join(dir, "tokenizer.json"), "utf8"));
  const tokenizerConfig = JSON.parse(fs.readFileSync(path.join(dir, "tokenizer_config.json"), "utf8"));
  const tok = lib.TokenizerLoader.fromPreTrained({ tokenizerJSON, tokenizerConfig });
  const cases = texts.map((text) => {
    const ids = Array.from(tok.encode(text, { add_special_tokens: false }));
    const withSpecial = Array.from(tok.encode(text, { add_special_tokens: true }));
    // the reference refuses to decode an empty list; its decoding is the empty text
    const decoded = ids.length === 0 ? "" : tok.decode(ids, { skip_special_tokens: false, clean_up_tokenization_spaces: false });
    return { text, ids, withSpecial, decoded };
  });
  const out = {
    tokenizer: `hf-${name}/tokenizer.json`,
    reference: `@lenml/tokenizers ${version} (transformers.js port) on npm @lenml/tokenizer-${name}@3.7.2's models/tokenizer.json`,
    cases,
  };
  const file = path.join(outDir, `${name}.reference-ids.json`);
  fs.writeFileSync(file, JSON.stringify(out, null, 1) + "\n");
  console.log(`${file}: ${cases.length} texts`);
}
