/** Tokenisation, vocabulary, encoding and chunking (PLANT.md §2, shared by every stage). */
export * from './tokenizer';
export * from './vocabulary';
export * from './encode';
export { fnv1a64Hex } from './fingerprint';
