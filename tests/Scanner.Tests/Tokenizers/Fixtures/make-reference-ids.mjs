// Writes the reference ids that TokenizerJsonReferenceTests holds MemScan's tokenizer.json reader to.
// Run once (node is NOT needed by the tests; the output is committed):
//
//   corpora/fetch.sh hf-llama2 hf-llama3 hf-qwen3 hf-gemma3
//   (cd /tmp/ref && npm install @lenml/tokenizers@3.7.2)
//   node tests/Scanner.Tests/Tokenizers/Fixtures/make-reference-ids.mjs \
//       /tmp/ref/node_modules "${MEMSCAN_CORPORA:-corpora/data}" tests/Scanner.Tests/Tokenizers/Fixtures
//
// Besides the four published files it makes two tokenizer.json files of the other model types:
// bert-wordpiece (bert-base-uncased's layout over the fetched corpora/data/bert/vocab.txt; the C# test
// builds the same JSON, see BertTokenizerJson) and t5-unigram (T5's layout over a small scored
// vocabulary from Moby-Dick's first chapter, written to t5-unigram.tokenizer.json here).
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

// bert-base-uncased's tokenizer.json layout around a vocab.txt (one token per line, line N = id N).
function bertTokenizerJson(vocabTxt) {
  const tokens = fs.readFileSync(vocabTxt, "utf8").split("\n").filter((t) => t.length > 0);
  const vocab = Object.fromEntries(tokens.map((t, i) => [t, i]));
  const special = (content) => ({ id: vocab[content], content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true });
  return {
    version: "1.0", truncation: null, padding: null,
    added_tokens: ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"].map(special),
    normalizer: { type: "BertNormalizer", clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
    pre_tokenizer: { type: "BertPreTokenizer" },
    post_processor: {
      type: "TemplateProcessing",
      single: [{ SpecialToken: { id: "[CLS]", type_id: 0 } }, { Sequence: { id: "A", type_id: 0 } }, { SpecialToken: { id: "[SEP]", type_id: 0 } }],
      pair: [],
      special_tokens: { "[CLS]": { id: "[CLS]", ids: [vocab["[CLS]"]], tokens: ["[CLS]"] }, "[SEP]": { id: "[SEP]", ids: [vocab["[SEP]"]], tokens: ["[SEP]"] } },
    },
    decoder: { type: "WordPiece", prefix: "##", cleanup: true },
    model: { type: "WordPiece", unk_token: "[UNK]", continuing_subword_prefix: "##", max_input_chars_per_word: 100, vocab },
  };
}

// T5's tokenizer.json layout (without its binary Precompiled charsmap) over a scored vocabulary: the
// printable ASCII characters, and the 400 commonest words of Moby-Dick's first chapter, each "▁word"
// scored by the log of its share.
function t5TokenizerJson(chapterTxt) {
  const words = fs.readFileSync(chapterTxt, "utf8").toLowerCase().match(/[a-z]+/g);
  const counts = new Map();
  for (const w of words) counts.set(w, (counts.get(w) ?? 0) + 1);
  const top = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 400);
  const vocab = [["<pad>", 0], ["</s>", 0], ["<unk>", 0], ["\u2581", -3]];
  for (let c = 33; c < 127; c++) vocab.push([String.fromCharCode(c), -10]);
  for (const [w, n] of top) vocab.push(["\u2581" + w, Math.log(n / words.length)]);
  const special = (id, content) => ({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true });
  // add_prefix_space beside prepend_scheme, as the published T5 files have it (transformers.js reads only the former)
  const metaspace = { type: "Metaspace", replacement: "\u2581", add_prefix_space: true, prepend_scheme: "always", split: true };
  return {
    version: "1.0", truncation: null, padding: null,
    added_tokens: [special(0, "<pad>"), special(1, "</s>"), special(2, "<unk>")],
    normalizer: null,
    pre_tokenizer: { type: "Sequence", pretokenizers: [{ type: "WhitespaceSplit" }, metaspace] },
    post_processor: {
      type: "TemplateProcessing",
      single: [{ Sequence: { id: "A", type_id: 0 } }, { SpecialToken: { id: "</s>", type_id: 0 } }],
      pair: [],
      special_tokens: { "</s>": { id: "</s>", ids: [1], tokens: ["</s>"] } },
    },
    decoder: metaspace,
    model: { type: "Unigram", unk_id: 2, vocab, byte_fallback: false },
  };
}

const t5 = t5TokenizerJson(path.join(corpora, "moby-dick", "chapter_1.txt"));
fs.writeFileSync(path.join(outDir, "t5-unigram.tokenizer.json"), JSON.stringify(t5, null, 1) + "\n");

const sources = {
  llama2: { dir: "hf-llama2" }, llama3: { dir: "hf-llama3" }, qwen3: { dir: "hf-qwen3" }, gemma3: { dir: "hf-gemma3" },
  "bert-wordpiece": { json: bertTokenizerJson(path.join(corpora, "bert", "vocab.txt")), config: { tokenizer_class: "BertTokenizer" },
                      what: "bert-base-uncased's tokenizer.json layout over corpora/data/bert/vocab.txt" },
  "t5-unigram": { json: t5, config: { tokenizer_class: "T5Tokenizer", eos_token: "</s>", unk_token: "<unk>", pad_token: "<pad>" },
                  what: "t5-unigram.tokenizer.json (T5's layout, a Moby-Dick vocabulary)" },
};
for (const [name, source] of Object.entries(sources)) {
  const dir = source.dir && path.join(corpora, source.dir);
  const tokenizerJSON = source.json ?? JSON.parse(fs.readFileSync(path.join(dir, "tokenizer.json"), "utf8"));
  const tokenizerConfig = source.config ?? JSON.parse(fs.readFileSync(path.join(dir, "tokenizer_config.json"), "utf8"));
  const tok = lib.TokenizerLoader.fromPreTrained({ tokenizerJSON, tokenizerConfig });
  const cases = texts.map((text) => {
    const ids = Array.from(tok.encode(text, { add_special_tokens: false }));
    const withSpecial = Array.from(tok.encode(text, { add_special_tokens: true }));
    // the reference refuses to decode an empty list; its decoding is the empty text
    const decoded = ids.length === 0 ? "" : tok.decode(ids, { skip_special_tokens: false, clean_up_tokenization_spaces: false });
    return { text, ids, withSpecial, decoded };
  });
  const out = {
    tokenizer: source.dir ? `${source.dir}/tokenizer.json` : source.what,
    reference: source.dir
      ? `@lenml/tokenizers ${version} (transformers.js port) on npm @lenml/tokenizer-${name}@3.7.2's models/tokenizer.json`
      : `@lenml/tokenizers ${version} (transformers.js port) on ${source.what}`,
    cases,
  };
  const file = path.join(outDir, `${name}.reference-ids.json`);
  fs.writeFileSync(file, JSON.stringify(out, null, 1) + "\n");
  console.log(`${file}: ${cases.length} texts`);
}
